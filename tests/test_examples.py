"""The example files under tests/exempel/: valid ones are valid, invalid ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest

import intyg

FILES = sorted((Path(__file__).parent / "exempel").rglob("*.json"))


def test_example_files_exist() -> None:
    assert any(f.name.startswith("ogiltig-") for f in FILES)
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_example_file_validity_matches_its_name(path: Path) -> None:
    report = intyg.validate(path)
    assert report.valid is not path.name.startswith("ogiltig-"), report.problems


def test_complete_example_is_the_embedded_one() -> None:
    folder = Path(__file__).parent / "exempel" / "1.0.0"
    assert intyg.load(folder / "komplett.json") == intyg.load(intyg.example())
    assert intyg.load(folder / "komplett.fhir.json") == intyg.load(intyg.example())
