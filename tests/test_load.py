"""Reading input: text, bytes, dicts and files; broken input gives coded problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg import _load


def _codes(source: Any) -> list[str]:
    return [p.code for p in intyg.validate(source).problems]


def test_load_accepts_str_bytes_dict_and_path(example: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(example)
    path = tmp_path / "intyg.json"
    path.write_text(text, encoding="utf-8")
    models = [
        intyg.load(text),
        intyg.load(text.encode()),
        intyg.load(example),
        intyg.load(path),
    ]
    assert all(m == models[0] for m in models)


def test_load_bytes_with_utf8_bom(example: dict[str, Any]) -> None:
    assert intyg.validate(b"\xef\xbb\xbf" + json.dumps(example).encode()).valid


BROKEN_INPUTS: list[tuple[str | bytes, str]] = [
    ("{broken", "json_syntax"),
    ("", "json_syntax"),
    ('{"a": NaN}', "json_syntax"),
    ('{"a": 1, "a": 2}', "json_duplicate_key"),
    ("[1, 2]", "not_an_object"),
    ('"text"', "not_an_object"),
    ("[" * 100_000 + "]" * 100_000, "json_too_deep"),
    (b"\xff\xfe{}", "encoding"),
]


@pytest.mark.parametrize(
    ("raw", "code"),
    BROKEN_INPUTS,
    ids=["syntax", "empty", "nan", "duplicate_key", "array", "string", "deep", "encoding"],
)
def test_validate_broken_input_gives_code(raw: str | bytes, code: str) -> None:
    assert _codes(raw) == [code]


def test_validate_oversized_input_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_load, "MAX_INPUT_BYTES", 10)
    assert _codes("{" + " " * 20 + "}") == ["input_too_large"]


def test_validate_huge_text_field_reports_that_field(example: dict[str, Any]) -> None:
    example["ovrigt"] = "x" * 10_000_000
    report = intyg.validate(json.dumps(example))
    assert [(p.code, p.path) for p in report.problems] == [("text_too_long", "ovrigt")]


def test_validate_missing_file_gives_code(tmp_path: Path) -> None:
    assert _codes(tmp_path / "saknas.json") == ["file_unreadable"]


def test_load_raises_conversion_error_for_broken_json() -> None:
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load("{")
    assert info.value.codes == ["json_syntax"]
    assert isinstance(info.value, intyg.IntygError)


def test_load_unsupported_version_lists_supported(example: dict[str, Any]) -> None:
    example["formular"]["version"] = "1.1.0"
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.load(example)
    assert info.value.codes == ["unsupported_form_version"]
    assert "1.0.0" in info.value.problems[0].message


def test_load_wrong_argument_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        intyg.load(42)  # type: ignore[arg-type]


def test_report_to_dict_shape(example: dict[str, Any]) -> None:
    del example["patient"]
    body = intyg.validate(example).to_dict()
    assert body["valid"] is False
    assert set(body["problems"][0]) == {"code", "path", "message", "severity"}
