"""intyg.load_assessment: an assessment stored as JSON read back, checked as render checks it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._assessment._output import json_line
from intyg._batch import assess_line


@pytest.fixture(scope="module")
def made() -> intyg.Assessment:
    return intyg.assess(intyg.load(intyg.example()), dt.date(2026, 12, 1))


def test_every_stored_form_reads_back_equal(made: intyg.Assessment, tmp_path: Path) -> None:
    data = made.to_json()
    path = tmp_path / "bedomning.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    for source in (data, json.dumps(data), json.dumps(data).encode(), path, made):
        assert intyg.load_assessment(source) == made


def test_a_batch_output_line_reads_back(made: intyg.Assessment) -> None:
    line = json_line(assess_line(json.dumps(intyg.example()).encode(), dt.date(2026, 12, 1), 1))
    stored = json.loads(line)["assessment"]
    assert intyg.load_assessment(stored) == made


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda d: d.update(intygsid="x"), "invalid_uuid", "intygsid"),
        (lambda d: d.update(fynd="x"), "wrong_type", "fynd"),
        (lambda d: d["aktiviteter"][0].update(timmar_bas="30"), "wrong_type", None),
        (lambda d: d["aktiviteter"][0].update(niva="KANSKE"), "invalid_code", None),
        (lambda d: d.update(bedomningsdatum=20261201), "invalid_date", "bedomningsdatum"),
        (lambda d: d.update(meddelande=" "), "blank_text", "meddelande"),
        (lambda d: d.update(extra=1), "unknown_field", "extra"),
        (lambda d: d.pop("regelverk"), "required", "regelverk"),
    ],
    ids=["uuid", "list", "json_type", "level", "date", "blank", "unknown", "missing"],
)
def test_a_broken_assessment_gives_the_codes_render_gives(
    made: intyg.Assessment, change: Any, code: str, path: str | None
) -> None:
    data = copy.deepcopy(made.to_json())
    change(data)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load_assessment(data)
    found = {(p.code, p.path) for p in info.value.problems}
    assert code in {c for c, _ in found} if path is None else (code, path) in found
    with pytest.raises(intyg.ConversionError) as printed:
        intyg.render(data, assessment=True)
    assert found == {(p.code, p.path) for p in printed.value.problems}
    with pytest.raises(intyg.ConversionError):  # as text, too
        intyg.load_assessment(json.dumps(data))


@pytest.mark.parametrize(
    ("source", "code"),
    [("[1]", "wrong_type"), ("{", "json_syntax"), (b'{"a": 1, "a": 2}', "json_duplicate_key")],
)
def test_what_is_no_assessment_is_refused_with_a_code(source: str | bytes, code: str) -> None:
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load_assessment(source)
    assert info.value.codes[0] == code


def test_json_that_is_no_object_is_said_to_need_one_at_the_document() -> None:
    from intyg._problems import expected_type, make_problem

    with pytest.raises(intyg.ConversionError) as info:
        intyg.load_assessment("[1]")
    assert list(info.value.problems) == [make_problem("wrong_type", "", expected_type("object"))]


def test_any_mapping_reads_as_an_assessment(made: intyg.Assessment) -> None:
    import types

    assert intyg.load_assessment(types.MappingProxyType(made.to_json())) == made


def test_a_changed_model_is_checked_as_data_is(made: intyg.Assessment) -> None:
    assert intyg.load_assessment(made) == made
    broken = made.model_copy(update={"intygsid": "inte-ett-uuid"})
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load_assessment(broken)
    assert [(p.code, p.path) for p in info.value.problems] == [("invalid_uuid", "intygsid")]
