"""The example files under tests/exempel/: valid ones are valid, invalid ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest

import intyg

FILES = sorted((Path(__file__).parent / "exempel").rglob("*.json"))


def test_example_files_exist() -> None:
    assert any(f.name.startswith("ogiltig-") for f in FILES)
    assert len(FILES) >= 8


# What each invalid example is invalid for: (code, path) of every problem it gives.
INVALID_FOR: dict[str, set[tuple[str, str]]] = {
    "ogiltig-perioder-overlappar.json": {("period_overlap", "bedomning.perioder[1]")},
    "ogiltig-personnummer.json": {("personid_invalid", "patient.personid")},
    "ogiltig-prognos-utan-anpassning.json": {("conditional_required", "prognos.anpassning")},
    "ogiltig-version.json": {("unsupported_form_version", "formular.version")},
}


def test_every_invalid_example_says_what_it_is_invalid_for() -> None:
    assert {f.name for f in FILES if f.name.startswith("ogiltig-")} == set(INVALID_FOR)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_example_file_validity_matches_its_name(path: Path) -> None:
    report = intyg.validate(path)
    assert report.valid is not path.name.startswith("ogiltig-"), report.problems
    expected = INVALID_FOR.get(path.name, set())
    assert {(p.code, p.path) for p in report.problems} == expected


def test_complete_example_is_the_embedded_one() -> None:
    folder = Path(__file__).parent / "exempel" / "1.0.0"
    assert intyg.load(folder / "komplett.json") == intyg.load(intyg.example())
    assert intyg.load(folder / "komplett.fhir.json") == intyg.load(intyg.example())
