"""Edges of batch mode that mutation testing (2026-12-07) found no test held: each test below
failed on a small change of the code that the rest of the suite let through."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from intyg import _batch, _read
from intyg._batch import TerminalProgress, run_batch

ON = dt.date(2026, 11, 24)
BEFORE_EVERY_RULE_SET = dt.date(2020, 1, 1)


def _rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_a_valid_line_no_rule_set_covers_is_invalid_and_keeps_its_warnings(
    example: dict[str, Any], tmp_path: Path
) -> None:
    # Read and valid, but not assessed: the line counts as one with an error, and the warning
    # the validation gave is not lost to the assessment's problem.
    example["diagnoser"][0]["kod"] = "F43.8A"  # a Swedish extension: a warning
    source = io.BytesIO(json.dumps(example).encode() + b"\n")
    out = tmp_path / "ut.jsonl"
    summary = run_batch(source, out, on=BEFORE_EVERY_RULE_SET)
    [row] = _rows(out)
    assert row["valid"] is False and "assessment" not in row
    assert [p["code"] for p in row["problems"]] == ["icd10_swedish_extension", "ruleset_not_found"]
    assert (summary.valid, summary.invalid) == (0, 1)


def test_run_batch_with_no_workers_given_uses_every_core(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the core count is planted by monkeypatch, which only forked workers see")
    monkeypatch.setattr(_batch, "usable_cpus", lambda: 2)
    source = io.BytesIO((json.dumps(example) + "\n").encode() * 3)
    summary = run_batch(source, tmp_path / "ut.jsonl", on=ON, workers=0)
    assert summary.worker_processes == 2


def test_a_stream_target_holds_every_line_when_run_batch_returns(
    example: dict[str, Any],
) -> None:
    # A buffered stream: what run_batch wrote is flushed through before it returns.
    raw = io.BytesIO()
    target = io.BufferedWriter(raw, 1 << 20)  # type: ignore[arg-type]
    run_batch(io.BytesIO((json.dumps(example) + "\n").encode()), target, on=ON)
    assert raw.getvalue().count(b"\n") == 1


def test_progress_counts_every_input_byte_also_of_a_line_too_long_to_assess(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", 1000)
    data = b"x" * 5000 + b"\n{}\n"
    calls: list[tuple[int, int]] = []
    run_batch(
        io.BytesIO(data),
        tmp_path / "ut.jsonl",
        on=ON,
        progress=lambda n, b, s: calls.append((n, b)),
    )
    assert calls[-1] == (2, len(data))


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_reports_the_bytes_of_the_lines_done_in_order(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(_batch, "CHUNK_LINES", 1)
    monkeypatch.setattr(_batch, "LOCAL_CHUNK_LINES", 1)
    lines = [json.dumps(example).encode() + b"\n", b"{}\n", b"[1, 2, 3]\n", b"{\n"]
    calls: list[tuple[int, int]] = []
    run_batch(
        io.BytesIO(b"".join(lines)),
        tmp_path / "ut.jsonl",
        on=ON,
        workers=workers,
        progress=lambda n, b, s: calls.append((n, b)),
    )
    assert calls == [(k, sum(map(len, lines[:k]))) for k in range(1, len(lines) + 1)]


def test_the_rest_of_a_line_too_long_is_read_in_pieces_of_at_most_one_mebibyte(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The memory bound of a line too long to assess: never more than a piece at a time.
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", 1000)
    source = io.BufferedReader(io.BytesIO(b"x" * 5_000_000 + b"\n{}\n"))  # type: ignore[arg-type]
    limits: list[int] = []
    real = source.readline

    def readline(limit: int = -1) -> bytes:
        limits.append(limit)
        return real(limit)

    monkeypatch.setattr(source, "readline", readline)
    run_batch(source, tmp_path / "ut.jsonl", on=ON)
    assert limits and all(0 < limit <= 1024 * 1024 for limit in limits)


def test_the_progress_bar_stops_at_its_end_when_the_input_grew() -> None:
    term = io.StringIO()
    bar = TerminalProgress(100, term)
    bar(1, 150, 1.0)  # the file grew while it was read
    bar.finish()
    drawn = term.getvalue()
    assert "100 %" in drawn
    assert max(len(run) for run in re.findall("#+", drawn)) == 24


class _Screen(io.TextIOWrapper):
    """Standard output that is a terminal."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("to_stdout", "stdout_is_a_terminal"), [(True, True), (True, False), (False, True)]
)
def test_no_progress_bar_over_the_lines_written_to_a_terminal(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    to_stdout: bool,
    stdout_is_a_terminal: bool,
) -> None:
    # With -o - on a terminal, the bar on standard error would be drawn over the output lines
    # on the same screen: it is left out. Output piped on, or to a file: the bar is asked for.
    from intyg._cli import main

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(example) + "\n", "utf-8")
    asked: list[int | None] = []

    def progress(total: int | None, stream: Any = None) -> None:
        asked.append(total)

    monkeypatch.setattr(_batch, "terminal_progress", progress)
    screen = _Screen() if stdout_is_a_terminal else io.TextIOWrapper(io.BytesIO(), "utf-8")
    monkeypatch.setattr("sys.stdout", screen)
    out = tmp_path / "ut.jsonl"
    target = "-" if to_stdout else str(out)
    assert main(["assess", "--batch", str(source), "-o", target, "--on", "2026-11-24"]) == 0
    screen.flush()
    written = screen.buffer.getvalue() if to_stdout else out.read_bytes()  # type: ignore[attr-defined]
    assert b'"valid":true' in written
    assert asked == ([] if to_stdout and stdout_is_a_terminal else [source.stat().st_size])
