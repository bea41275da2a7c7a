"""Responses exported by LHC-Forms, a common SDC form renderer, from intyg's Questionnaire: intyg
reads the unchanged example back as it was, and gives each change a doctor made in the form the
problems it should (the rules the Questionnaire of form version 1.0.0 does not carry are checked
by intyg). How they were made: tests/crosscheck/lforms/README.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import intyg

RESPONSES = Path(__file__).resolve().parent / "crosscheck" / "lforms" / "responses"


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RESPONSES / f"{name}.json").read_text("utf-8"))
    return data


def test_lforms_export_of_the_example_reads_back_as_the_example() -> None:
    data = _read("unchanged")
    assert data["meta"]["tag"] == [{"code": "lformsVersion: 40.1.3"}]  # as LHC-Forms made it
    report = intyg.validate(data)
    assert report.valid and report.problems == ()
    assert intyg.to_json(intyg.from_fhir(data)) == intyg.example()


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        (
            "bad-values",
            [
                ("invalid_uuid", "ersatter"),
                ("personid_syntax", "patient.personid"),
                ("out_of_range", "sysselsattning.timmar_per_vecka"),
                ("icd10_syntax", "diagnoser[0].kod"),
            ],
        ),
        ("long-name", [("text_too_long", "patient.namn")]),
        ("fourth-diagnosis", [("too_many_items", "diagnoser")]),
        ("ingen-plus-other", [("exclusive_code", "sysselsattning.typ[2]")]),
        (
            "annan-anpassning-no-text",
            [("conditional_required", "bedomning.anpassningar_beskrivning")],
        ),
        ("kan-forvarras-not-answered", [("required", "behandling.kan_forvarras")]),
        (
            "annat-underlag-empty-description",
            [("conditional_required", "grund.underlag[1].beskrivning")],
        ),
    ],
)
def test_lforms_export_of_a_changed_form_gives_its_problems(
    name: str, problems: list[tuple[str, str]]
) -> None:
    report = intyg.validate(_read(name))
    assert not report.valid
    assert [(p.code, p.path) for p in report.errors] == problems


def test_lforms_export_with_prevented_answered_no_is_valid_without_periods() -> None:
    # LHC-Forms drops the answers of questions its enableWhen hides, as intyg expects.
    certificate = intyg.from_fhir(_read("forhindrad-no"))
    assert certificate.bedomning.forhindrad is False
    assert certificate.bedomning.perioder is None
