"""Batch assessment: one output line per input line, in order, atomically written."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg import _batch
from intyg._batch import run_batch
from intyg._cli import main

ON = dt.date(2026, 11, 24)


def _lines(example: dict[str, Any]) -> list[str]:
    bad = dict(example, signeringsdatum="2026-02-30")
    qr = intyg.to_fhir(intyg.load(example))
    return [
        json.dumps(example, ensure_ascii=False),
        "{inte json",
        "",
        json.dumps(bad, ensure_ascii=False),
        json.dumps(qr, ensure_ascii=False),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_one_output_line_per_input_line_in_order(
    example: dict[str, Any], tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_batch, "CHUNK_LINES", 2)  # several chunks, several in flight
    monkeypatch.setattr(_batch, "LOCAL_CHUNK_LINES", 2)
    lines = _lines(example) * 5
    out = tmp_path / "ut.jsonl"
    summary = run_batch(io.BytesIO(("\n".join(lines) + "\n").encode()), out, on=ON, workers=workers)
    results = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["line"] for r in results] == list(range(1, len(lines) + 1))
    assert summary.lines == len(lines) and summary.valid == 10 and summary.invalid == 15
    first, broken, empty, invalid, qr = results[:5]
    assert first["valid"] and first["assessment"]["regelverk"]["status"] in ("gallande", "forslag")
    assert [p["code"] for p in broken["problems"]] == ["json_syntax"]
    assert [p["code"] for p in empty["problems"]] == ["json_syntax"]
    assert ("invalid_date", "signeringsdatum") in {
        (p["code"], p["path"]) for p in invalid["problems"]
    }
    assert "assessment" not in invalid
    assert qr["valid"] and qr["assessment"] == first["assessment"]


def test_batch_failure_leaves_no_file(tmp_path: Path) -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            raise OSError("disk")

    out = tmp_path / "ut.jsonl"
    with pytest.raises(intyg.ConversionError) as err:
        run_batch(io.BufferedReader(Broken()), out, on=ON)
    assert [p.code for p in err.value.problems] == ["file_unreadable"]
    assert list(tmp_path.iterdir()) == []


def test_batch_unwritable_output_is_coded(example: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(intyg.OutputError) as err:
        run_batch(io.BytesIO(json.dumps(example).encode()), tmp_path / "saknas" / "ut.jsonl")
    assert [p.code for p in err.value.problems] == ["output_unwritable"]
    assert list(tmp_path.iterdir()) == []


def test_batch_refuses_negative_workers(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        run_batch(io.BytesIO(b""), tmp_path / "ut.jsonl", workers=-1)


def test_batch_progress_counts_lines_and_bytes(example: dict[str, Any], tmp_path: Path) -> None:
    data = ("\n".join(_lines(example) * 20) + "\n").encode()
    calls: list[tuple[int, int, float]] = []
    run_batch(io.BytesIO(data), tmp_path / "ut.jsonl", on=ON, progress=lambda *a: calls.append(a))
    assert len(calls) > 1
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert calls[-1][:2] == (100, len(data))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_progress_draws_a_bar_for_a_file_and_a_count_for_a_pipe() -> None:
    assert _batch.terminal_progress(100, io.StringIO()) is None  # not a terminal: nothing
    screen = _Terminal()
    show = _batch.terminal_progress(1000, screen)
    assert show is not None
    show(10, 500, 1.0)
    show(20, 1000, 1.01)  # the last one is drawn however soon it comes
    drawn = screen.getvalue().split("\r")[1:]
    assert len(drawn) == 2
    assert "[############------------]" in drawn[0] and "50%" in drawn[0]
    assert "100%" in drawn[1] and "20 rader" in drawn[1]
    piped = _Terminal()
    show = _batch.terminal_progress(None, piped)
    assert show is not None
    show(1234, 99, 2.0)
    assert "1 234 rader" in piped.getvalue() and "[" not in piped.getvalue()


def test_batch_without_date_uses_each_certificates_own_date(
    example: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "ut.jsonl"
    run_batch(io.BytesIO(json.dumps(example).encode()), out)
    [result] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert result["assessment"]["bedomningsdatum"] == example["signeringsdatum"]


def test_cli_assess_batch(example: dict[str, Any], tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(_lines(example)) + "\n", "utf-8")
    out = tmp_path / "ut.jsonl"
    rc = main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"])
    assert rc == 0
    assert len(out.read_text("utf-8").splitlines()) == 5


def test_cli_assess_batch_needs_output_and_no_file(tmp_path: Path) -> None:
    assert main(["assess", "--batch", str(tmp_path / "x.jsonl")]) == 2
    assert main(["assess", "x.json", "--batch", "y.jsonl", "-o", "z"]) == 2
    assert main(["assess"]) == 2


def test_cli_assess_batch_missing_input_is_coded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["assess", "--batch", str(tmp_path / "saknas.jsonl"), "-o", str(tmp_path / "u")])
    assert rc == 1
    assert "[file_unreadable]" in capsys.readouterr().err
    assert not (tmp_path / "u").exists()


def test_cli_assess_batch_unwritable_output_is_coded(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example) + "\n", "utf-8")
    rc = main(
        ["assess", "--batch", str(src), "-o", str(tmp_path / "saknas" / "u"), "--on", "2026-11-24"]
    )
    assert rc == 1
    assert "[output_unwritable]" in capsys.readouterr().err
    assert not (tmp_path / "saknas").exists()


@pytest.mark.parametrize("workers", ["-1", "två"])
def test_cli_assess_batch_workers_must_be_a_count(tmp_path: Path, workers: str) -> None:
    args = ["assess", "--batch", "in.jsonl", "-o", str(tmp_path / "u"), "--workers", workers]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert not (tmp_path / "u").exists()


def test_json_line_falls_back_for_what_orjson_refuses() -> None:
    from intyg._assessment._output import json_line

    # orjson refuses integers wider than 64 bits; the line is still written, whole.
    assert json.loads(json_line({"n": 2**70, "d": ON})) == {"n": 2**70, "d": "2026-11-24"}
    assert json_line({"t": "rad\nbrytning"}).count(b"\n") == 1
