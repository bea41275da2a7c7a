"""Fuzzing every public entry point: only IntygError subclasses may escape.

Hypothesis feeds arbitrary JSON, broken certificates, broken QuestionnaireResponses, broken
assessments and raw bytes to ``validate`` (and the prebuilt validator of the ``validate``
command, which must agree with it), ``load``, ``from_fhir``, conversion, ``assess``, ``render``
(HTML), ``load_assessment`` and the batch path. The number of examples follows the session's
hypothesis profile (1000 in CI); set
``INTYG_FUZZ_EXAMPLES`` for a long run. A short coverage-guided run with atheris
(``fuzz/fuzz_intyg.py``) runs too where atheris is installed.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intyg
from _hypothesis_profiles import share  # registers and loads the profile
from intyg import IntygError
from intyg._batch import run_batch
from intyg._quick import validate_quickly
from intyg._render import surely_assessment
from strategies import mutated_certificates, valid_certificates

ON = dt.date(2026, 11, 24)
ROOT = Path(__file__).resolve().parent.parent
LONG = int(os.environ.get("INTYG_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG or settings().max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)
_QR = intyg.to_fhir(intyg.load(intyg.example()))


@st.composite
def broken_responses(draw: st.DrawFn) -> dict[str, Any]:
    """The example's QuestionnaireResponse with items shuffled, renamed, retyped or dropped."""
    qr = copy.deepcopy(_QR)
    items: list[dict[str, Any]] = []

    def collect(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            items.append(node)
            collect(node.get("item", []))

    collect(qr["item"])
    link_ids = [i["linkId"] for i in items]
    for _ in range(draw(st.integers(1, 4))):
        item = draw(st.sampled_from(items))
        change = draw(st.sampled_from(["link", "answer", "drop", "swap", "json"]))
        if change == "link":
            item["linkId"] = draw(st.sampled_from(link_ids) | st.text(max_size=8))
        elif change == "answer":
            key = draw(
                st.sampled_from(
                    [
                        "valueString",
                        "valueBoolean",
                        "valueInteger",
                        "valueDate",
                        "valueCoding",
                        "valueDecimal",
                    ]
                )
            )
            item["answer"] = [{key: draw(json_values)}]
        elif change == "drop":
            item.pop(draw(st.sampled_from(["answer", "item", "linkId"])), None)
        elif change == "swap":
            other = draw(st.sampled_from(items))
            item["linkId"], other["linkId"] = other.get("linkId"), item.get("linkId")
        else:
            item[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    return qr


_ASSESSMENT = intyg.assess(intyg.load(intyg.example()), ON).to_json()


@st.composite
def broken_assessments(draw: st.DrawFn) -> dict[str, Any]:
    """The example's assessment as JSON data with one value somewhere replaced or removed."""
    data = copy.deepcopy(_ASSESSMENT)
    node: Any = data
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        inner = [k for k in keys if isinstance(node[k], dict | list) and node[k]]
        if not inner:
            break
        node = node[draw(st.sampled_from(inner))]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if keys:
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()) and isinstance(node, dict):
            del node[key]
        else:
            node[key] = draw(json_values)
    return data


inputs = st.one_of(
    json_values,
    broken_assessments(),
    mutated_certificates(),
    valid_certificates(),
    broken_responses(),
    st.binary(max_size=300),
)


def _exercise(data: Any) -> None:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    report = intyg.validate(raw)  # never raises
    assert report.valid == (report.intyg is not None)
    for p in report.problems:
        assert p.code in intyg.PROBLEM_CODES
    quick = validate_quickly(raw)  # the `validate` command's validator: never raises either
    assert quick is None or quick == (report.valid, report.problems)
    try:
        certificate = intyg.load(raw)
    except IntygError:
        pass
    else:
        assert intyg.from_fhir(intyg.to_fhir(certificate)) == certificate
        with contextlib.suppress(IntygError):
            intyg.assess(certificate, ON).to_json()
        assert isinstance(intyg.render(certificate), str)
    with contextlib.suppress(IntygError):
        intyg.from_fhir(raw)
    try:
        intyg.render(raw)
    except IntygError:
        pass
    except ValueError:  # an assessment where a certificate was expected: said, not read as one
        assert surely_assessment(json.loads(raw))
    try:
        stored = intyg.load_assessment(raw)
    except IntygError:
        pass
    else:  # what it accepts, render prints and reads back the same
        assert isinstance(intyg.render(stored, assessment=True), str)
        assert intyg.load_assessment(stored.to_json()) == stored


@FUZZ
@given(data=inputs)
def test_fuzz_entry_points_raise_only_intyg_errors(data: Any) -> None:
    _exercise(data)


@settings(FUZZ, max_examples=LONG or share(0.3).max_examples)  # each input: the test above
@given(lines=st.lists(inputs, max_size=5))
def test_fuzz_batch_gives_one_line_per_input(
    lines: list[Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    encoded = [
        (x if isinstance(x, bytes) else json.dumps(x).encode())
        .replace(b"\n", b" ")
        .replace(b"\r", b" ")
        for x in lines
    ]
    out = tmp_path_factory.mktemp("batch") / "ut.jsonl"
    summary = run_batch(io.BytesIO(b"".join(e + b"\n" for e in encoded)), out, on=ON)
    results = out.read_bytes().splitlines()
    assert summary.lines == len(encoded) == len(results)
    # A fault of intyg would be an error line here, not an exception: it must not happen.
    assert summary.internal_errors == 0
    assert b'"batch_internal_error"' not in b"".join(results)


def test_fuzz_atheris_short_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed for this Python")
    corpus = tmp_path / "korpus"
    shutil.copytree(ROOT / "fuzz" / "korpus", corpus)
    result = subprocess.run(
        # A fixed seed: every run tries the same inputs, so a red run can be repeated.
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_intyg.py"),
            "-atheris_runs=3000",
            "-seed=1",
            str(corpus),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 3000" in result.stderr
