"""The model and the published JSON Schema agree on what is structurally valid.

For every input: the schema accepts it exactly when the model reports no error whose code is
structural (``STRUCTURAL_CODES``). Rules beyond JSON Schema (check digits, the ICD-10 list,
period overlap, dates against the sign date, duplicates, exclusive codes) are the model's alone:
the schema must accept data that breaks only those.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

import intyg
from _hypothesis_profiles import share
from intyg._problems import STRUCTURAL_CODES
from strategies import (
    AGREE_KINDS,
    BEYOND_SCHEMA_KINDS,
    STRUCTURAL_KINDS,
    Mutation,
    mutated_certificates,
    mutations,
    valid_certificates,
)

SCHEMA = intyg.published_schema("jsonschema")
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
EXEMPEL = Path(__file__).parent / "exempel"

# Each mutation kind gets its own small share of the profile's examples.
PER_KIND = share(1 / 40)


@dataclass(frozen=True)
class Verdicts:
    """What the schema and the model say about one input."""

    schema_errors: tuple[str, ...]
    model_codes: frozenset[str]
    model_valid: bool

    @property
    def schema_accepts(self) -> bool:
        return not self.schema_errors

    @property
    def model_structural(self) -> frozenset[str]:
        return self.model_codes & STRUCTURAL_CODES

    @property
    def agree(self) -> bool:
        return self.schema_accepts == (not self.model_structural)

    def __str__(self) -> str:
        return (
            f"model valid={self.model_valid} codes={sorted(self.model_codes)}; "
            f"schema errors={list(self.schema_errors)}"
        )


def _schema_error(err: Any) -> str:
    path = "/".join(str(p) for p in err.absolute_path)
    return f"{path or '<root>'}: {err.validator}"


def verdicts(data: Any) -> Verdicts:
    """Ask both: the published schema and ``intyg.validate``."""
    schema_errors = tuple(sorted(_schema_error(e) for e in VALIDATOR.iter_errors(data)))
    report = intyg.validate(copy.deepcopy(data))
    codes = frozenset(p.code for p in report.errors)
    return Verdicts(schema_errors, codes, report.valid)


def _mutation_message(m: Mutation, v: Verdicts) -> str:
    return f"{m!r}: {v}\ninput: {json.dumps(m.data, ensure_ascii=False)}"


# ----------------------------------------------------------------- the schema itself


def test_jsonschema_is_valid_under_metaschema() -> None:
    assert validator_for(SCHEMA) is Draft202012Validator
    Draft202012Validator.check_schema(SCHEMA)


def test_jsonschema_accepts_embedded_example() -> None:
    v = verdicts(intyg.example())
    assert v.schema_accepts, str(v)
    assert v.model_valid, str(v)


# ----------------------------------------------------------------- (a) example files


def _is_plain_certificate(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False  # not JSON: the reader's concern, not the schema's
    return isinstance(data, dict) and "resourceType" not in data


def _example_files() -> list[Path]:
    """The example files that are plain certificates. The others are left out here rather than
    skipped on every run: the certificate schema does not describe a FHIR resource
    (``komplett.fhir.json``), and what is not a JSON object is the reader's concern."""
    files = sorted(EXEMPEL.glob("**/*.json")) if EXEMPEL.is_dir() else []
    return [p for p in files if _is_plain_certificate(p)]


def test_example_files_hold_plain_certificates() -> None:
    assert len(_example_files()) >= 8  # all but komplett.fhir.json


@pytest.mark.parametrize(
    "path", _example_files(), ids=lambda p: str(p.relative_to(EXEMPEL)) if EXEMPEL.is_dir() else ""
)
def test_schema_agreement_on_example_files(path: Path) -> None:
    data = json.loads(path.read_bytes().decode("utf-8"))
    v = verdicts(data)
    assert v.agree, f"{path.name}: {v}"


# ----------------------------------------------------------------- (b) valid certificates


@share(1 / 2)
@given(valid_certificates())
def test_schema_agreement_valid_certificates_accepted_by_both(data: dict[str, Any]) -> None:
    v = verdicts(data)
    assert v.model_valid, str(v)
    assert v.schema_accepts, str(v)


# ----------------------------------------------------------------- (c) broken certificates


def _check_mutation(m: Mutation) -> None:
    v = verdicts(m.data)
    assert v.agree, _mutation_message(m, v)
    if m.expect == "structural":
        assert not v.schema_accepts, _mutation_message(m, v)
        assert v.model_structural, _mutation_message(m, v)
    elif m.expect == "beyond_schema":
        assert v.schema_accepts, _mutation_message(m, v)
        assert not v.model_valid, _mutation_message(m, v)
        assert not v.model_structural, _mutation_message(m, v)


@pytest.mark.parametrize("kind", STRUCTURAL_KINDS)
@PER_KIND
@given(data=st.data())
def test_schema_agreement_structural_mutation_rejected_by_both(
    kind: str, data: st.DataObject
) -> None:
    _check_mutation(data.draw(mutations(kinds=(kind,)), label="mutation"))


@pytest.mark.parametrize("kind", BEYOND_SCHEMA_KINDS)
@PER_KIND
@given(data=st.data())
def test_schema_agreement_rule_beyond_schema_accepted_by_schema(
    kind: str, data: st.DataObject
) -> None:
    _check_mutation(data.draw(mutations(kinds=(kind,)), label="mutation"))


@pytest.mark.parametrize("kind", AGREE_KINDS)
@PER_KIND
@given(data=st.data())
def test_schema_agreement_float_number_same_verdict(kind: str, data: st.DataObject) -> None:
    _check_mutation(data.draw(mutations(kinds=(kind,)), label="mutation"))


@share(1 / 2)
@given(mutated_certificates())
def test_schema_agreement_several_mutations_same_verdict(data: Any) -> None:
    v = verdicts(data)
    assert v.agree, f"{v}\ninput: {json.dumps(data, ensure_ascii=False)}"


# ----------------------------------------------------------------- another form version


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("version", "9.9.9"),
        ("version", "1.0"),
        ("version", "1.0.0\n"),
        ("version", " 1.0.0"),
        ("id", "lakarintyg-annat"),
        ("id", "LAKARINTYG-SOCIALNAMND"),
    ],
)
def test_schema_agreement_other_form_version_rejected_by_both(
    example: dict[str, Any], key: str, value: str
) -> None:
    example["formular"][key] = value
    v = verdicts(example)
    assert not v.schema_accepts, str(v)
    assert not v.model_valid, str(v)
    assert v.model_codes & {"unknown_form", "unsupported_form_version"}, str(v)
    assert v.agree, str(v)


# ----------------------------------------------------------------- numbers and their spelling


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(d: dict[str, Any]) -> None:
        target = d
        for p in path[:-1]:
            target = target[p]
        target[path[-1]] = value

    return apply


_TIMMAR = ("sysselsattning", "timmar_per_vecka")
_GRAD = ("funktionsnedsattning", "icf", 0, "grad")
_OMFATTNING = ("bedomning", "perioder", 0, "omfattning")


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [
        pytest.param(_TIMMAR, 30.0, True, id="timmar-30.0"),
        pytest.param(("prognos", "manader"), 4.0, True, id="manader-4.0"),
        pytest.param(_GRAD, 2.0, True, id="grad-2.0"),
        pytest.param(_OMFATTNING, 75.0, True, id="omfattning-75.0"),
        pytest.param(_TIMMAR, 30.5, False, id="timmar-30.5"),
        pytest.param(_TIMMAR, "30", False, id="timmar-str"),
        pytest.param(_TIMMAR, True, False, id="timmar-true"),
        pytest.param(_GRAD, "2", False, id="grad-str"),
        pytest.param(_GRAD, True, False, id="grad-true"),
        pytest.param(_GRAD, " 2", False, id="grad-space"),
        pytest.param(_OMFATTNING, "075", False, id="omfattning-zero"),
        pytest.param(("bedomning", "forhindrad"), 1, False, id="forhindrad-1"),
    ],
)
def test_schema_agreement_number_spelling_same_verdict(
    example: dict[str, Any], path: tuple[str | int, ...], value: Any, accepted: bool
) -> None:
    _set(path, value)(example)
    v = verdicts(example)
    assert v.agree, str(v)
    assert v.schema_accepts is accepted, str(v)


# ----------------------------------------------------------------- a list at its minimum
#
# pydantic reports ``too_short`` for a ``tuple[X, ...]`` with ``min_length`` when an item fails
# and too few valid items remain; the model once passed that on as a structural
# ``too_few_items`` for a one-item list whose item broke a rule beyond the schema.


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(("diagnoser", 0, "kod"), "U99.9", id="diagnoser-icd10_unknown"),
        pytest.param(("grund", "underlag", 0, "datum"), "1899-12-31", id="underlag-date"),
        pytest.param(("bedomning", "perioder", 0, "fran"), "1850-01-01", id="perioder-date"),
    ],
)
def test_schema_agreement_sole_list_item_failing_rule_same_verdict(
    example: dict[str, Any], path: tuple[str | int, ...], value: Any
) -> None:
    list_path = path[: path.index(0)]
    _set((*list_path,), [get_item(example, (*list_path, 0))])(example)
    _set(path, value)(example)
    v = verdicts(example)
    assert v.agree, str(v)
    assert v.schema_accepts, str(v)
    assert "too_few_items" not in v.model_codes, str(v)


def get_item(data: Any, path: tuple[str | int, ...]) -> Any:
    for p in path:
        data = data[p]
    return data
