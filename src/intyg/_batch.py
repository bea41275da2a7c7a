"""Batch assessment: JSON Lines in, JSON Lines out, one output line for every input line.

* streams: input is read line by line, at most a bounded number of chunks are in flight, and
  output is written as results arrive, in input order; memory does not grow with the file;
* bounded whatever the lines: a chunk holds at most ``CHUNK_LINES`` lines and ``CHUNK_BYTES``
  bytes (or one longer line alone), and a line over ``MAX_INPUT_BYTES`` is never held whole:
  it gets an ``input_too_large`` error line and the run goes on;
* every input line gives exactly one output line: ``{"line", "valid", "problems"}`` plus
  ``"assessment"`` for a valid certificate, so an invalid input is an error line, never a gap
  (and so is a line on which intyg itself fails: ``batch_internal_error``);
* the output file is written to a temporary file beside the target and renamed at the end, so
  an interrupted run leaves no partial file (an output stream, such as standard output, is
  written as results arrive);
* ``workers > 1`` spreads chunks over processes (``0`` = one per CPU this process may use).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import _read
from ._assessment._evaluate import assess_shared
from ._assessment._output import json_line
from ._atomic import atomic_writer, output_problem
from ._errors import ConversionError, IntygError, OutputError
from ._icd10 import Icd10Catalogue
from ._load import check_catalogue, validate
from ._numbers import swedish_number
from ._pool import WorkerLost, WorkerPool, usable_cpus
from ._problems import make_problem
from ._read import too_large
from ._signals import STOP_SIGNAL_NAMES, committed, raise_if_stopped, received

CHUNK_LINES = 256
"""Lines handed to a worker process at a time (fewer hand-overs between processes)."""
LOCAL_CHUNK_LINES = 16
"""Lines done at a time without worker processes: results held before writing are few, which
keeps the working set small (measured about 10 % faster than 256 on the project's machine)."""
CHUNK_BYTES = 1024 * 1024
"""Input bytes a chunk holds at most, whatever its count of lines: a line that would take a
chunk past this starts the next one, so a chunk is either at most this size or one line alone
(at most ``MAX_INPUT_BYTES``). Certificates of a few kilobytes fill 256 lines first."""
_SKIP_BYTES = 1024 * 1024
"""The piece in which the rest of a line too long to assess is read and dropped."""

Chunk = list[tuple[int, bytes | None]]
"""Numbered input lines (without their line ends); None for a line too long to assess."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did."""

    lines: int
    valid: int
    invalid: int
    seconds: float
    worker_processes: int = 0
    """Worker processes that did the work; 0 when it was all done in this process (one worker
    asked for, or none could be started). Fewer than asked for when some could not be started
    (a limit on processes)."""
    internal_errors: int = 0
    """Lines among the invalid ones whose error line is ``batch_internal_error``: a fault of
    intyg, not of the input, to be reported."""


def assess_line(
    raw: bytes | None,
    on: _dt.date | None,
    number: int = 0,
    icd10: Icd10Catalogue | None = None,
) -> dict[str, Any]:
    """Validate and assess one input line; never raises on bad input.

    ``on`` is the assessment date; None assesses each certificate on its own signeringsdatum.
    ``icd10``: the diagnosis code catalogue to validate against (None: WHO's list).
    ``raw`` None stands for a line longer than ``MAX_INPUT_BYTES`` (not read whole): an
    ``input_too_large`` error line. The result holds ``line`` (``number``), ``valid``,
    ``problems`` and, for a valid certificate, ``assessment`` (the :class:`~intyg.Assessment`
    itself: :func:`json_line` writes it without a detour through dictionaries). The assessment
    may share dictionaries with other results (see :func:`assess_shared`): write it out, never
    hand it on.
    """
    if raw is None:
        problems = [p.to_dict() for p in too_large().problems]
        return {"line": number, "valid": False, "problems": problems}
    report = validate(raw, icd10=icd10)
    out: dict[str, Any] = {
        "line": number,
        "valid": report.valid,
        "problems": [p.to_dict() for p in report.problems],
    }
    if report.valid and report.intyg is not None:
        try:
            day = on if on is not None else report.intyg.signeringsdatum
            out["assessment"] = assess_shared(report.intyg, day)
        except IntygError as exc:  # e.g. no rule set for the date
            out["valid"] = False
            out["problems"] += [p.to_dict() for p in exc.problems]
    return out


FAULTS = (Exception, SystemExit)
"""What a bug in intyg may raise while a line is assessed: any Exception, and SystemExit (a
``sys.exit`` where none belongs would otherwise end the run, with status 0 and no output for
``sys.exit()``). Ctrl-C and the stop signals are BaseExceptions outside these."""


def internal_error_line(number: int, exc: BaseException) -> dict[str, Any]:
    """The error line for an input line whose assessment failed with an error that is no
    :class:`IntygError`: a fault of intyg, not of the line. Only the error's type is named
    (its text may quote the input, a personnummer among it)."""
    problem = make_problem("batch_internal_error", "", {"detail": type(exc).__name__})
    return {"line": number, "valid": False, "problems": [problem.to_dict()]}


def is_fault_of_intyg(exc: BaseException) -> bool:
    """Whether ``exc``, raised while assessing (not an IntygError), is a fault of intyg's own:
    not running out of memory, and not a stop (Ctrl-C, a signal) that a library wrapped in an
    error of its own. Those end a run; a fault is said as ``batch_internal_error``."""
    return not isinstance(exc, MemoryError) and received() is None


def _work(
    chunk: Chunk, on: _dt.date | None, icd10: Icd10Catalogue | None = None
) -> tuple[list[bytes], int, int]:
    """The output lines of ``chunk``, with its counts of valid lines and of internal errors.

    A fault of intyg on one line (an exception that is no IntygError) is that line's error line
    (:func:`internal_error_line`), so that a million lines are not lost to one. Running out of
    memory, or a stop (Ctrl-C, a signal; also one a library wrapped in an error of its own),
    still ends the run."""
    lines = []
    valid = internal = 0
    for number, raw in chunk:
        try:
            result = assess_line(raw, on, number, icd10)
            line = json_line(result)
        except FAULTS as exc:
            if not is_fault_of_intyg(exc):
                raise
            result = internal_error_line(number, exc)
            line = json_line(result)
            internal += 1
        valid += result["valid"]
        lines.append(line)
    return lines, valid, internal


class _Lines:
    """``readline(limit)`` over an iterable of lines (as iterating a binary file gives them),
    for a source that is no stream: its lines are whole already, so none is cut."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self._next = iter(lines).__next__

    def readline(self, limit: int = -1) -> bytes:
        try:
            return self._next()
        except StopIteration:
            return b""


MAX_SKIPPED_LINE = 1024**3
"""How much of a line too long to assess is read looking for its end (1 GiB): such a line is
made an ``input_too_large`` error line, but once more than this much of it has been read
without its end, the input is taken to have no line ends at all (``/dev/zero``, a binary file)
and the run stops with ``input_too_large`` at ``--batch``, rather than read for ever."""


def _skip_line(readline: Callable[[int], bytes], read: int) -> int:
    """Read and drop the rest of a line of which ``read`` bytes were read, ``_SKIP_BYTES`` at a
    time; the line's length in bytes, with its line end.

    Raises:
        ConversionError: ``input_too_large`` (at ``--batch``): the line goes on past
            :data:`MAX_SKIPPED_LINE`.
    """
    length = read
    while piece := readline(_SKIP_BYTES):
        length += len(piece)
        if piece[-1] == 0x0A:  # the end of the line
            break
        if length > MAX_SKIPPED_LINE:
            raise ConversionError(
                [make_problem("input_too_large", "--batch", {"max_bytes": MAX_SKIPPED_LINE})]
            )
    return length


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
"""The byte-order marks that start a UTF-16 (or UTF-32) file: JSON Lines is UTF-8."""


def _chunks(stream: IO[bytes] | Iterable[bytes], size: int, sizes: deque[int]) -> Iterator[Chunk]:
    """Numbered lines, at most ``size`` lines and ``CHUNK_BYTES`` bytes at a time (or one
    longer line alone); the input bytes each chunk took are appended to ``sizes``.

    A line is read with a bound: one longer than ``MAX_INPUT_BYTES`` is never held whole. What
    was read of it is dropped, the rest is read and dropped in pieces, and it keeps its number,
    as None (:func:`assess_line` makes it an ``input_too_large`` error line).

    Raises:
        ConversionError: ``file_unreadable`` when reading the input fails; ``encoding`` (at
            ``--batch``) for input that starts as UTF-16 does.
    """
    readline = getattr(stream, "readline", None)
    limit = _read.MAX_INPUT_BYTES + 2  # room for the longest line allowed, with its CR LF
    if readline is None:  # an iterable of whole lines: none is cut short
        readline, limit = _Lines(stream).readline, sys.maxsize
    cap = CHUNK_BYTES
    chunk: Chunk = []
    number = taken = held = 0
    try:
        while raw := readline(limit):
            number += 1
            if number == 1 and raw[:2] in _UTF16_MARKS:
                # Its lines end in a byte after the line feed: cut at line feeds, it would give
                # an error line for each and one more for the byte after the last.
                raise ConversionError([make_problem("encoding", "--batch")])
            length = kept = len(raw)
            if length < limit or raw[-1] == 0x0A:
                line = raw.rstrip(b"\r\n")
            else:  # cut short: too long to assess, so not kept
                line, raw, kept = None, b"", 0
                length = _skip_line(readline, length)
            held += kept
            if held > cap and chunk:  # this line starts the next chunk
                sizes.append(taken)
                yield chunk
                chunk, taken, held = [], 0, kept
            chunk.append((number, line))
            taken += length
            if len(chunk) >= size or held >= cap:
                sizes.append(taken)
                yield chunk
                chunk, taken, held = [], 0, 0
    except OSError:
        raise ConversionError([make_problem("file_unreadable", "--batch")]) from None
    if chunk:
        sizes.append(taken)
        yield chunk


def self_check(on: _dt.date | None, icd10: Icd10Catalogue | None) -> None:
    """Assess the embedded example as a line is assessed, before the run: a fault of the
    installation (a data file or module missing) then stops the run with its exception, as a
    run that cannot be made, instead of giving every line a ``batch_internal_error`` line and
    exit status 0. (A line's own fault still gives only that line an error line.)"""
    from ._registry import current_example_bytes

    json_line(assess_line(current_example_bytes(), on, 0, icd10))


def _ignore_stop_signals() -> None:
    """In a worker process: Ctrl-C and the other stop signals (sent to the whole process group) are
    left to the parent, which stops the workers and removes its temporary file."""
    for name in ("SIGINT", *STOP_SIGNAL_NAMES):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


_worker_icd10: Icd10Catalogue | None = None
"""In a worker process: the code catalogue of its run, given once when it starts
(:func:`_start_worker`) rather than with every chunk."""


def _start_worker(icd10: Icd10Catalogue | None) -> None:
    global _worker_icd10
    _ignore_stop_signals()
    _worker_icd10 = icd10


def _work_in_worker(chunk: Chunk, on: _dt.date | None) -> tuple[list[bytes], int, int]:
    return _work(chunk, on, _worker_icd10)


def _results(
    chunks: Iterable[Chunk],
    on: _dt.date | None,
    pool: WorkerPool | None,
    icd10: Icd10Catalogue | None,
) -> Generator[tuple[list[bytes], int, int], None, None]:
    """The output lines, valid count and internal errors of each chunk, in input order (see
    :func:`_work`): from ``pool``'s workers, or here when there is no pool."""
    if pool is None:
        return (_work(chunk, on, icd10) for chunk in chunks)
    return pool.imap((chunk, on) for chunk in chunks)


Progress = Callable[[int, int, float], None]
"""Called now and then with (lines done, input bytes done, seconds elapsed)."""


def run_batch(
    source: IO[bytes],
    target: Path | IO[bytes],
    *,
    on: _dt.date | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    icd10: Icd10Catalogue | None = None,
) -> BatchSummary:
    """Assess every line of ``source`` and write the JSON Lines result to ``target`` atomically.

    Args:
        source: a binary stream of JSON Lines (certificates or QuestionnaireResponses).
        target: the output file, written atomically: only when the whole run succeeds (a
            symbolic link is followed; a replaced file keeps its permission bits). Or a binary
            stream (such as ``sys.stdout.buffer``), written as results arrive.
        on: the assessment date for every line (None: each certificate's own date).
        workers: processes to use; 0 means one per CPU this process may run on (its
            affinity, as ``taskset`` or a container sets it). When some cannot be started (a
            limit on processes), the run goes on with those that did, or in this process
            alone; :attr:`BatchSummary.worker_processes` says how many worked.
        progress: called after each chunk with (lines done, input bytes done, seconds).
        icd10: the diagnosis code catalogue every line is validated against (None: WHO's
            list); with worker processes it must pickle (a :class:`~intyg.CodeListCatalogue`
            does), and each worker gets it once.

    Raises:
        ConversionError: ``file_unreadable``, reading ``source`` failed.
        OutputError: ``output_unwritable``, ``target`` could not be written (no such folder, no
            permission, disk full, not a regular file); ``batch_worker_lost``, a worker
            process died (killed, out of memory). Either way no output file is left behind.
        OSError: writing to a ``target`` stream failed (a broken pipe, a full disk); passed
            on as it is, since only the caller knows what the stream is.
        ValueError: ``workers`` is negative.
        TypeError: ``icd10`` has no ``lookup``.
        Exception: what assessing the embedded example raised (:func:`self_check`): a fault of
            the installation, before anything is read or written.
    """
    check_catalogue(icd10, "run_batch")
    if workers < 0:
        raise ValueError("run_batch: workers must be 0 (every core) or more")
    self_check(on, icd10)
    if workers == 0:
        workers = usable_cpus()
    start = time.perf_counter()
    done = valid = internal = done_bytes = 0
    sizes: deque[int] = deque()
    used = 0
    to_file = isinstance(target, (str, os.PathLike))
    try:
        with contextlib.ExitStack() as stack:
            if isinstance(target, (str, os.PathLike)):
                out: IO[bytes] = stack.enter_context(atomic_writer(target, on_commit=committed))
            else:
                out = target
            pool = None
            if workers > 1:
                # Closed first on the way out, so the workers have stopped before the temporary
                # file is removed (an exception, Ctrl-C or SIGTERM as raised by intyg's CLI).
                start_worker = functools.partial(_start_worker, icd10)
                pool = stack.enter_context(WorkerPool(_work_in_worker, workers, start_worker))
                if pool.size == 0:  # not one could be started: do the work here
                    pool = None
                used = pool.size if pool is not None else 0
            size = CHUNK_LINES if pool is not None else LOCAL_CHUNK_LINES
            results = stack.enter_context(
                contextlib.closing(_results(_chunks(source, size, sizes), on, pool, icd10))
            )
            for lines, n_valid, n_internal in results:
                raise_if_stopped()  # a stop a library caught may have spoilt these lines
                out.writelines(lines)
                done += len(lines)
                valid += n_valid
                internal += n_internal
                done_bytes += sizes.popleft()  # results come in the order of the chunks
                if progress is not None:
                    progress(done, done_bytes, time.perf_counter() - start)
            out.flush()
    except WorkerLost:
        raise OutputError([make_problem("batch_worker_lost", "")]) from None
    except OSError as exc:  # reading errors are ConversionError by now: this is the output
        if not to_file:
            raise
        raise OutputError([output_problem(exc, "-o")]) from None
    return BatchSummary(done, valid, done - valid, time.perf_counter() - start, used, internal)


_BAR = 24


class TerminalProgress:
    """A progress bar on a terminal, called as a :data:`Progress`.

    With the size of the input known (a file), a bar and a percentage; otherwise (a pipe) the
    lines done. Always the lines per second. Frames come at most five times a second;
    :meth:`finish` draws the last figures reported if they were not drawn, so the bar ends on
    the final count, and ends the line.
    """

    def __init__(self, total_bytes: int | None, stream: IO[str]) -> None:
        self._total = total_bytes
        self._stream = stream
        self._drawn_at = 0.0
        self._latest: tuple[int, int, float] | None = None
        self._pending = False
        self._started = False
        self._width = 0  # of the frame on screen: a shorter one covers it with spaces

    def __call__(self, done: int, done_bytes: int, seconds: float) -> None:
        self._latest = (done, done_bytes, seconds)
        finished = self._total is not None and done_bytes >= self._total
        if seconds - self._drawn_at < 0.2 and not finished:
            self._pending = True
            return
        self._draw(done, done_bytes, seconds)

    def finish(self) -> None:
        """Draw the last figures reported, if they are not on screen, and end the line."""
        if self._pending and self._latest is not None:
            self._draw(*self._latest)
        if self._started:
            self._stream.write("\n")
            self._stream.flush()
            self._started = False

    def _draw(self, done: int, done_bytes: int, seconds: float) -> None:
        self._drawn_at = seconds
        self._pending = False
        self._started = True
        rate = f"{swedish_number(done / seconds if seconds else 0.0, 0)} per sekund"
        if self._total:
            part = min(done_bytes / self._total, 1.0)
            filled = round(part * _BAR)
            bar = "#" * filled + "-" * (_BAR - filled)
            percent = f"{part * 100:3.0f} %"  # Swedish puts a space before the sign
            text = f"Bedömer [{bar}] {percent}  {swedish_number(done)} rader  {rate}"
        else:
            text = f"Bedömer: {swedish_number(done)} rader, {rate}"
        self._stream.write("\r" + text.ljust(self._width))
        self._width = len(text)
        self._stream.flush()


def terminal_progress(
    total_bytes: int | None, stream: IO[str] | None = None
) -> TerminalProgress | None:
    """A progress bar for a terminal, on ``stream`` (standard error as it is when called);
    None when that is not a terminal. See :class:`TerminalProgress`: call its ``finish()``
    when the run has ended."""
    if stream is None:
        stream = sys.stderr
    if not stream.isatty():
        return None
    return TerminalProgress(total_bytes, stream)
