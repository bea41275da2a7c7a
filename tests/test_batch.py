"""Batch assessment: one output line per input line, in order, atomically written."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import intyg
from cli_support import refused
from intyg import _batch, _read
from intyg._batch import run_batch
from intyg._cli import main
from intyg._numbers import swedish_number

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
    assert [p["code"] for p in empty["problems"]] == ["empty_input"]
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


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_batch_of_utf16_text_is_refused_whole(
    example: dict[str, Any], tmp_path: Path, encoding: str
) -> None:
    # Cut at line feeds, two UTF-16 lines gave three error lines (the byte after the last line
    # feed was one more). JSON Lines is UTF-8: the run is refused, and nothing is written.
    text = (json.dumps(example) + "\n") * 2
    data = text.encode(encoding)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = b"\xfe\xff" + data  # utf-16-be writes no mark of its own
    out = tmp_path / "ut.jsonl"
    with pytest.raises(intyg.ConversionError) as err:
        run_batch(io.BytesIO(data), out, on=ON)
    assert [(p.code, p.path) for p in err.value.problems] == [("encoding", "--batch")]
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
    assert "[############------------]" in drawn[0] and " 50 %" in drawn[0]
    assert "100 %" in drawn[1] and "20 rader" in drawn[1]
    piped = _Terminal()
    show = _batch.terminal_progress(None, piped)
    assert show is not None
    show(1234, 99, 2.0)
    assert "1 234 rader" in piped.getvalue() and "[" not in piped.getvalue()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (os.mkfifo)")
def test_cli_batch_from_a_named_pipe_counts_lines_not_a_share(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A FIFO (or /dev/stdin on a pipe) reports size 0: a bar towards 0 bytes would count as
    # finished at once and be drawn for every chunk, not five times a second.
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    totals: list[int | None] = []

    def progress(total: int | None, stream: Any = None) -> Any:
        totals.append(total)
        return None

    monkeypatch.setattr(_batch, "terminal_progress", progress)
    line = (json.dumps(example) + "\n").encode()
    writer = threading.Thread(target=lambda: fifo.write_bytes(line * 3))
    writer.start()
    try:
        argv = [
            "assess",
            "--batch",
            str(fifo),
            "-o",
            str(tmp_path / "u.jsonl"),
            "--on",
            "2026-11-24",
        ]
        assert main(argv) == 0
    finally:
        writer.join()
    assert totals == [None]
    regular = tmp_path / "in.jsonl"
    regular.write_bytes(line)
    assert main(["assess", "--batch", str(regular), "-o", str(tmp_path / "v.jsonl")]) == 0
    assert totals == [None, len(line)]


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


def test_cli_assess_batch_needs_output_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["assess", "--batch", str(tmp_path / "x.jsonl")]
    assert refused(args, capsys) == [("usage_missing_argument", "-o")]
    args = ["assess", "x.json", "--batch", "y.jsonl", "-o", "z"]
    assert refused(args, capsys) == [("usage_choose_one", "")]
    assert refused(["assess"], capsys) == [("usage_choose_one", "")]


def test_cli_assess_batch_missing_input_is_coded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["assess", "--batch", str(tmp_path / "saknas.jsonl"), "-o", str(tmp_path / "u")])
    assert rc == 1
    assert "[file_unreadable]" in capsys.readouterr().err
    assert not (tmp_path / "u").exists()


def _one_line(example: dict[str, Any], tmp_path: Path) -> Path:
    """A batch input file of one line: the example."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example) + "\n", "utf-8")
    return src


def test_cli_assess_batch_unwritable_output_is_coded(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _one_line(example, tmp_path)
    rc = main(
        ["assess", "--batch", str(src), "-o", str(tmp_path / "saknas" / "u"), "--on", "2026-11-24"]
    )
    assert rc == 1
    assert "[output_unwritable]" in capsys.readouterr().err
    assert not (tmp_path / "saknas").exists()


def test_cli_assess_batch_on_a_date_with_no_rule_set_is_refused_as_a_whole(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not one error line per certificate, with exit 0: the run itself cannot be done.
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example) + "\n", "utf-8")
    out = tmp_path / "u.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2000-01-01"]) == 1
    said = capsys.readouterr().err
    assert re.findall(r"^FEL: --on: .*\[([a-z_]+)\]$", said, re.M) == ["ruleset_not_found"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_json_line_falls_back_for_what_orjson_refuses() -> None:
    from intyg._assessment._output import json_line

    # orjson refuses integers wider than 64 bits; the line is still written, whole.
    assert json.loads(json_line({"n": 2**70, "d": ON})) == {"n": 2**70, "d": "2026-11-24"}
    assert json_line({"t": "rad\nbrytning"}).count(b"\n") == 1


class _Generated(io.RawIOBase):
    """A binary stream made on the fly from ``pieces`` (never held whole)."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        super().__init__()
        self._pieces = pieces
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._left = memoryview(piece)
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


class _ReadlineSpy:
    """A stream with only ``readline``: asks for a bound every time, notes the longest read
    and how many reads gave something."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream
        self.longest = 0
        self.reads = 0

    def readline(self, limit: int = -1) -> bytes:
        assert limit > 0  # a line is never read without a bound
        line = self._stream.readline(limit)
        self.longest = max(self.longest, len(line))
        self.reads += bool(line)
        return line


LIMIT = 10_000
"""``MAX_INPUT_BYTES`` in the tests of over-long lines (64 MB otherwise)."""


def _over_long_input(example: dict[str, Any]) -> tuple[Iterator[bytes], list[str]]:
    """Lines, some far longer than LIMIT (made piece by piece), and the code each should get
    ("" for a valid certificate)."""
    ok = json.dumps(example, ensure_ascii=False).encode()

    def pieces() -> Iterator[bytes]:
        yield ok + b"\n"
        for _ in range(500):  # 5 MB without a line end
            yield b"x" * 10_000
        yield b"\n" + ok + b"\r\n"
        yield b" " * (LIMIT + 1) + b"\r\n"  # one byte over, with CR LF
        yield b" " * (LIMIT - len(ok)) + ok + b"\r\n"  # exactly at the limit
        yield b"\n"
        yield b"y" * (3 * LIMIT)  # the last line, over-long and without a line end

    codes = ["", "input_too_large", "", "input_too_large", "", "empty_input", "input_too_large"]
    return pieces(), codes


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_over_long_line_is_an_error_line_read_in_bounded_pieces(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", LIMIT)
    monkeypatch.setattr(_batch, "_SKIP_BYTES", 4096)
    pieces, codes = _over_long_input(example)
    source = _ReadlineSpy(io.BufferedReader(_Generated(pieces)))
    out = tmp_path / "ut.jsonl"
    summary = run_batch(source, out, on=ON, workers=workers)  # type: ignore[arg-type]
    results = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["line"] for r in results] == list(range(1, len(codes) + 1))
    assert [r["problems"][0]["code"] if r["problems"] else "" for r in results] == codes
    assert summary.lines == len(codes) and summary.valid == codes.count("")
    assert source.longest <= LIMIT + 2  # the 5 MB line was never held whole
    assert list(tmp_path.iterdir()) == [out]


def test_cli_batch_over_long_line_from_stdin_goes_on(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", LIMIT)
    pieces, codes = _over_long_input(example)
    stdin = io.TextIOWrapper(io.BufferedReader(_Generated(pieces)))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", "-", "-o", str(out), "--on", "2026-11-24"]) == 0
    results = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["line"] for r in results] == list(range(1, len(codes) + 1))
    assert [r["problems"][0]["code"] if r["problems"] else "" for r in results] == codes


@settings(max_examples=50, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=3000), max_size=40),
    size=st.integers(min_value=1, max_value=8),
)
def test_batch_chunks_are_bounded_by_lines_and_bytes(lengths: list[int], size: int) -> None:
    cap = 2000
    data = b"".join(b"x" * n + b"\n" for n in lengths)
    sizes: deque[int] = deque()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_batch, "CHUNK_BYTES", cap)
        chunks = list(_batch._chunks(io.BytesIO(data), size, sizes))
    for chunk in chunks:
        held = sum(len(line or b"") + 1 for _, line in chunk)
        assert len(chunk) <= size and (held <= cap or len(chunk) == 1)
    assert [n for chunk in chunks for n, _ in chunk] == list(range(1, len(lengths) + 1))
    assert sum(sizes) == len(data) and len(sizes) == len(chunks)


def test_batch_reads_an_iterable_of_lines(example: dict[str, Any], tmp_path: Path) -> None:
    line = json.dumps(example, ensure_ascii=False).encode()
    out = tmp_path / "ut.jsonl"
    summary = run_batch(iter([line + b"\n", b"{\n", line]), out, on=ON)  # type: ignore[arg-type]
    assert (summary.lines, summary.valid) == (3, 2)


def test_terminal_progress_finish_draws_the_final_count() -> None:
    piped = _Terminal()
    show = _batch.terminal_progress(None, piped)
    assert show is not None
    show(1000, 10, 1.0)
    show(2656, 20, 1.1)  # too soon after the last frame: not drawn yet
    show(3000, 30, 1.15)
    assert "3 000" not in piped.getvalue()
    show.finish()
    text = piped.getvalue()
    assert text.endswith("\n") and "3 000" in text.split("\r")[-1]
    quiet = _Terminal()
    show = _batch.terminal_progress(None, quiet)
    assert show is not None
    show.finish()  # nothing reported: nothing drawn, no empty line
    assert quiet.getvalue() == ""


def test_cli_batch_progress_from_a_pipe_ends_on_the_final_count(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (json.dumps(example, ensure_ascii=False) + "\n").encode() * 300

    class Clock:  # chunks come 0.01 s apart: too close for a frame each
        now = 0.0

        def perf_counter(self) -> float:
            self.now += 0.01
            return self.now

    monkeypatch.setattr(_batch, "time", Clock())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", "-", "-o", str(out), "--on", "2026-11-24"]) == 0
    bar = screen.getvalue().split("\n")[0]  # the progress line, before the summary
    assert bar.startswith("\r") and re.search(r"\b300\b", bar.split("\r")[-1])


def test_terminal_progress_covers_a_longer_frame_with_a_shorter_one() -> None:
    screen = _Terminal()
    show = _batch.terminal_progress(None, screen)
    assert show is not None
    show(10_000, 1, 1.0)  # 10 000 per second
    show(10_001, 2, 100.0)  # 100 per second: shorter
    first, second = screen.getvalue().split("\r")[1:]
    assert len(second) == len(first) and second.rstrip() != second


def test_cli_batch_error_comes_on_its_own_line_after_the_bar(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Standard output fails in the middle of a run (a size limit, say) while the bar is shown.
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 6, "utf-8")

    class Clock:  # a frame for every chunk
        now = 0.0

        def perf_counter(self) -> float:
            self.now += 1.0
            return self.now

    work, calls = _batch._work, []

    def fail_on_the_third_chunk(chunk: Any, on: Any, icd10: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.EFBIG, "File too large")
        return work(chunk, on, icd10)

    monkeypatch.setattr(_batch, "time", Clock())
    monkeypatch.setattr(_batch, "LOCAL_CHUNK_LINES", 1)
    monkeypatch.setattr(_batch, "_work", fail_on_the_third_chunk)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO()))
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["assess", "--batch", str(src), "-o", "-", "--on", "2026-11-24"]) == 1
    shown = screen.getvalue()
    assert "\rBedömer" in shown  # the bar was on screen
    assert re.search(r"\nFEL: .*\[stdout_unwritable\]\n$", shown)


def test_cli_batch_summary_writes_numbers_as_swedish_does(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 1200, "utf-8")
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    assert re.fullmatch(
        r"1 200 rader: 1 200 bedömda, 0 med fel \([0-9]+,[0-9] s\)\.\n", err.getvalue()
    )


def test_batch_every_core_means_the_cpus_this_process_may_use(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    data = (json.dumps(example, ensure_ascii=False) + "\n").encode() * 3
    summary = run_batch(io.BytesIO(data), tmp_path / "ut.jsonl", on=ON, workers=0)
    assert summary.worker_processes == 0 and summary.lines == 3  # one CPU: no worker process


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1234, None, "1 234"),
        (40.0, None, "40"),
        (9.75, None, "9,75"),
        (0.25, None, "0,25"),  # rounding to one decimal gave "0,2"
        (1e-07, None, "0,0000001"),
        (1234567.5, None, "1 234 567,5"),
        (1e23, None, "100 000 000 000 000 000 000 000"),  # int(1e23) shows binary remains
        (12345.0, None, "12 345"),
        (-0.0, None, "0"),
        (-2.5, None, "-2,5"),
        (1234.56, 1, "1 234,6"),
        (999.6, 0, "1 000"),
    ],
)
def test_swedish_number_one_rule_for_every_printed_number(
    value: float, decimals: int | None, shown: str
) -> None:
    assert swedish_number(value, decimals) == shown


def test_cli_batch_summary_of_one_line_is_singular(
    example: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _one_line(example, tmp_path)
    rc = main(
        ["assess", "--batch", str(source), "-o", str(tmp_path / "ut.jsonl"), "--on", "2026-11-24"]
    )
    assert rc == 0
    assert re.search(r"^1 rad: 1 bedömd, 0 med fel", capsys.readouterr().err, re.MULTILINE)


def test_batch_input_with_no_line_end_stops_with_a_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /dev/zero or a binary file: read in bounded pieces, but not for ever.
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", LIMIT)
    monkeypatch.setattr(_batch, "MAX_SKIPPED_LINE", 50 * LIMIT)
    monkeypatch.setattr(_batch, "_SKIP_BYTES", 4096)

    def endless() -> Iterator[bytes]:
        while True:
            yield bytes(4096)

    source = io.BufferedReader(_Generated(endless()))
    out = tmp_path / "ut.jsonl"
    with pytest.raises(intyg.ConversionError) as info:
        run_batch(source, out, on=ON, workers=1)  # type: ignore[arg-type]
    assert [(p.code, p.path) for p in info.value.problems] == [("input_too_large", "--batch")]
    assert list(tmp_path.iterdir()) == []


def test_batch_chunk_ends_when_its_bytes_reach_the_cap_without_reading_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Lines of 5 bytes, chunks of 10: two lines a chunk, and a full chunk is handed on before
    # the next line is read (a line that would pass the cap starts the next chunk).
    monkeypatch.setattr(_batch, "CHUNK_BYTES", 10)
    source = _ReadlineSpy(io.BytesIO(b"abcd\n" * 4 + b"abcdefghijk\n" + b"ab\n"))
    sizes: deque[int] = deque()
    chunks = _batch._chunks(source, 256, sizes)
    first = next(chunks)
    assert (first, source.reads) == ([(1, b"abcd"), (2, b"abcd")], 2)
    rest = [[n for n, _ in chunk] for chunk in chunks]
    assert rest == [[3, 4], [5], [6]]  # a line longer than the cap goes alone
    assert list(sizes) == [10, 10, 12, 3]


def test_batch_line_is_read_to_its_end_up_to_the_limit_and_no_further(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read a byte at a time, so the bound is exact: 20 bytes without a line end are an error
    # line and the run goes on; 21 stop it.
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", 10)
    monkeypatch.setattr(_batch, "_SKIP_BYTES", 1)
    monkeypatch.setattr(_batch, "MAX_SKIPPED_LINE", 20)
    sizes: deque[int] = deque()
    chunks = list(_batch._chunks(io.BytesIO(b"x" * 20 + b"\n{}\n"), 256, sizes))
    assert chunks == [[(1, None), (2, b"{}")]]
    assert list(sizes) == [24]
    with pytest.raises(intyg.ConversionError) as info:
        list(_batch._chunks(io.BytesIO(b"x" * 21 + b"\n{}\n"), 256, deque()))
    assert [(p.code, p.path) for p in info.value.problems] == [("input_too_large", "--batch")]


def _fault_planted(
    monkeypatch: pytest.MonkeyPatch, fault: Callable[[], None], line: int | None = None
) -> None:
    """Make ``fault`` happen when input line ``line`` (None: every line) is assessed; never
    on the example that run_batch assesses first (line 0, its self-check)."""
    real = _batch.assess_line

    def assess_line(
        raw: bytes | None, on: Any, number: int = 0, icd10: Any = None
    ) -> dict[str, Any]:
        if number != 0 and line in (None, number):
            fault()
        return real(raw, on, number, icd10)

    monkeypatch.setattr(_batch, "assess_line", assess_line)


def _failing_on_line(
    monkeypatch: pytest.MonkeyPatch, bad: int, kind: type[BaseException] = KeyError
) -> None:
    """Make the assessment of input line ``bad`` fail as a bug in intyg would: an exception
    that is no IntygError, whose text quotes the input (a personnummer)."""

    def fault() -> None:
        raise kind("191212121212")

    _fault_planted(monkeypatch, fault, bad)


@pytest.mark.parametrize("kind", [KeyError, SystemExit])
@pytest.mark.parametrize("workers", [1, 2])
def test_batch_a_fault_of_intyg_on_one_line_is_that_lines_error_line(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
    kind: type[BaseException],
) -> None:
    # Not a traceback that loses the run (and every other line's result) to one line; nor a
    # sys.exit where none belongs, which ended the run (a lost worker with --workers).
    import multiprocessing

    if workers > 1 and multiprocessing.get_start_method() != "fork":
        pytest.skip("the failure is planted by monkeypatch, which only forked workers inherit")
    _failing_on_line(monkeypatch, bad=2, kind=kind)
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 3, "utf-8")
    out = tmp_path / "ut.jsonl"
    with src.open("rb") as fh:
        summary = run_batch(fh, out, on=dt.date(2026, 11, 24), workers=workers)
    assert (summary.lines, summary.valid, summary.invalid, summary.internal_errors) == (3, 2, 1, 1)
    assert (summary.worker_processes > 0) is (workers > 1)  # the fault was in a worker
    text = out.read_text("utf-8")
    assert "191212121212" not in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert [(r["line"], r["valid"]) for r in rows] == [(1, True), (2, False), (3, True)]
    assert [(p["code"], p["path"]) for p in rows[1]["problems"]] == [("batch_internal_error", "")]
    assert kind.__name__ in rows[1]["problems"][0]["message"]  # the kind of fault, for the report


def test_batch_worker_is_not_stopped_by_a_stop_signal_of_its_own(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C reaches every process of the group: the workers leave stopping to the parent.
    import multiprocessing
    import signal

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the signal is planted by monkeypatch, which only forked workers inherit")
    _fault_planted(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM), 2)
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 3, "utf-8")
    out = tmp_path / "ut.jsonl"
    with src.open("rb") as fh:
        summary = run_batch(fh, out, on=ON, workers=2)
    assert (summary.lines, summary.valid, summary.worker_processes) == (3, 3, 2)
    assert [json.loads(line)["line"] for line in out.read_text("utf-8").splitlines()] == [1, 2, 3]


def test_cli_batch_says_how_many_lines_met_a_fault_of_intyg(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The run was made (exit 0: every line has its line), and a person is told to report it.
    _failing_on_line(monkeypatch, bad=1)
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 2, "utf-8")
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    said = capsys.readouterr().err
    assert "Traceback" not in said
    assert re.search(r"^Obs: 1 rad .*batch_internal_error", said, re.M)
    assert len(out.read_text("utf-8").splitlines()) == 2


@pytest.mark.parametrize("stop", [KeyboardInterrupt, MemoryError])
def test_batch_a_stop_or_lack_of_memory_on_a_line_still_ends_the_run(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type
) -> None:
    # Only a fault of intyg becomes an error line; these are not about the line.
    def fault() -> None:
        raise stop

    _fault_planted(monkeypatch, fault)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example) + "\n", "utf-8")
    with src.open("rb") as fh, pytest.raises(stop):
        run_batch(fh, tmp_path / "ut.jsonl", on=dt.date(2026, 11, 24))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_batch_a_stop_a_library_wrapped_in_its_error_still_ends_the_run(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A signal noted by the command line's handler, its exception wrapped by a library (as
    # pydantic does) into an ordinary error: a stop, not a fault of the line.
    from intyg import _signals

    def fault() -> None:
        _signals.note(15)
        raise RuntimeError("wrapped stop")

    _fault_planted(monkeypatch, fault)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example) + "\n", "utf-8")
    try:
        with src.open("rb") as fh, pytest.raises(RuntimeError):
            run_batch(fh, tmp_path / "ut.jsonl", on=dt.date(2026, 11, 24))
    finally:
        _signals.reset()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_batch_on_a_broken_installation_is_refused_as_a_whole(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    workers: str,
) -> None:
    # A fault that hits every line (a data file of the package missing) is the run's: exit 1
    # and no output file, not exit 0 with an error line for each line.
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise FileNotFoundError("icd10-who-2019.txt")

    _refused_as_a_whole(example, tmp_path, monkeypatch, capsys, workers, missing)
    with (tmp_path / "in.jsonl").open("rb") as fh, pytest.raises(FileNotFoundError):
        run_batch(fh, tmp_path / "ut.jsonl", on=dt.date(2026, 11, 24))  # the library: as it is


def test_cli_batch_out_of_memory_before_the_run_is_said_as_such(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Not batch_internal_error ("report the bug"): a lack of memory, said as such.
    def short_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    _refused_as_a_whole(
        example, tmp_path, monkeypatch, capsys, "1", short_of_memory, code="out_of_memory"
    )


def test_cli_batch_a_sys_exit_in_every_line_is_refused_as_a_whole(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # sys.exit() where none belongs ended the command with status 0 and no output file.
    def leaves(*args: Any, **kwargs: Any) -> Any:
        sys.exit()

    _refused_as_a_whole(example, tmp_path, monkeypatch, capsys, "1", leaves)


def _refused_as_a_whole(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    workers: str,
    missing: Callable[..., Any],
    code: str = "batch_internal_error",
) -> None:
    """``assess --batch`` where ``missing`` stands in for assessing a line: the run is refused
    before it starts, with ``code``, exit 1 and no output file."""
    monkeypatch.setattr(_batch, "assess_line", missing)
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 3, "utf-8")
    out = tmp_path / "ut.jsonl"
    argv = ["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]
    assert main([*argv, "--workers", workers]) == 1
    said = capsys.readouterr().err
    assert "Traceback" not in said
    assert re.findall(r"\[([a-z_]+)\]$", said, re.M) == [code]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
