"""Input size: every reader stops one byte past ``MAX_INPUT_BYTES``, so an endless or huge
input is refused with ``input_too_large``, never read into memory whole.

The proof of a bounded read is an endless stream (zeros for ever, like ``/dev/zero``): an
unbounded read of it would never return.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg import _read
from intyg._cli import main
from intyg._read import read_limited

LIMIT = 100_000
"""``MAX_INPUT_BYTES`` in these tests (64 MB otherwise)."""


@pytest.fixture(autouse=True)
def _small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", LIMIT)


class Endless(io.RawIOBase):
    """Zeros for ever, like ``/dev/zero``; counts the bytes handed out."""

    def __init__(self) -> None:
        super().__init__()
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = len(buffer)
        buffer[:n] = bytes(n)
        self.given += n
        return n


def _codes(text: str) -> list[str]:
    return re.findall(r"\[([a-z0-9_]+)\]$", text, flags=re.MULTILINE)


def _padded(example: dict[str, Any], size: int) -> bytes:
    """The example certificate as JSON of exactly ``size`` bytes (blanks before it)."""
    raw = json.dumps(example, ensure_ascii=False).encode()
    return b" " * (size - len(raw)) + raw


def test_read_limited_refuses_an_endless_stream_one_byte_past_the_limit() -> None:
    endless = Endless()
    with pytest.raises(intyg.ConversionError) as err:
        read_limited(io.BufferedReader(endless))
    assert err.value.codes == ["input_too_large"]
    assert endless.given <= LIMIT + 1 + io.DEFAULT_BUFFER_SIZE


@pytest.mark.parametrize("size", [0, 1, 65_536, LIMIT - 1, LIMIT])
def test_read_limited_reads_up_to_the_limit_whole(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert read_limited(io.BufferedReader(io.BytesIO(data))) == data


def test_read_limited_refuses_one_byte_more() -> None:
    with pytest.raises(intyg.ConversionError) as err:
        read_limited(io.BytesIO(b"x" * (LIMIT + 1)))
    assert err.value.codes == ["input_too_large"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_validate_path_to_an_endless_file_is_too_large() -> None:
    assert [p.code for p in intyg.validate(Path("/dev/zero")).problems] == ["input_too_large"]
    with pytest.raises(intyg.ConversionError) as err:
        intyg.load(Path("/dev/zero"))
    assert err.value.codes == ["input_too_large"]


def test_validate_path_at_the_limit_is_read_and_one_byte_more_is_not(
    example: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "intyg.json"
    path.write_bytes(_padded(example, LIMIT))
    assert intyg.validate(path).valid
    path.write_bytes(_padded(example, LIMIT + 1))
    assert [p.code for p in intyg.validate(path).problems] == ["input_too_large"]


@pytest.mark.parametrize("kind", [bytes, str])
def test_text_at_the_limit_is_read_and_one_byte_more_is_not(
    example: dict[str, Any], kind: type
) -> None:
    at, past = _padded(example, LIMIT), _padded(example, LIMIT + 1)
    assert intyg.validate(at if kind is bytes else at.decode()).valid
    problems = intyg.validate(past if kind is bytes else past.decode()).problems
    assert [p.code for p in problems] == ["input_too_large"]


def test_text_limit_counts_utf8_bytes_not_characters(example: dict[str, Any]) -> None:
    example["ovrigt"] = "å" * 1000  # two bytes each
    text = _padded(example, LIMIT + 1).decode()
    assert len(text) < LIMIT
    assert [p.code for p in intyg.validate(text).problems] == ["input_too_large"]
    assert intyg.validate(_padded(example, LIMIT).decode()).valid


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "-"],
        ["convert", "-", "--to", "fhir"],
        ["assess", "-", "--on", "2026-11-24"],
        ["render", "-", "--format", "html", "-o", "-"],
    ],
    ids=lambda a: a[0],
)
def test_cli_endless_stdin_is_too_large(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    assert main(args) == 1
    captured = capsys.readouterr()
    assert _codes(captured.out + captured.err) == ["input_too_large"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_cli_endless_file_is_too_large(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", "/dev/zero"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["path"]) for p in problems] == [("input_too_large", "")]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_cli_icd10_list_too_large_is_said_of_the_option(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "intyg.json"
    path.write_text(json.dumps(example), "utf-8")
    assert main(["validate", "--json", str(path), "--icd10-list", "/dev/zero"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["path"]) for p in problems] == [("input_too_large", "--icd10-list")]
