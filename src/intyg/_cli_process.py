"""The process around a command: stopping signals, the standard streams, and the check that
an output is not one of the inputs. Used by :func:`intyg._cli.main`.

* SIGTERM, SIGHUP and the other signals that end a process (:data:`STOP_SIGNALS`) end a
  command like Ctrl-C (:class:`Stopped`), so the temporary file of an
  atomic write is removed, and a stop is noted where a library may lose its exception
  (:mod:`intyg._signals`);
* a standard output that is closed or fills up is an error to report, never a lost write
  (:func:`buffer_stdout`), and after a failure nothing more is flushed (:func:`silence_stdout`);
* an output that is the same file as an input (also through a link, or as a redirected
  stdout) would destroy the input (:func:`output_is_an_input`).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import signal
import stat
import sys
import threading
import typing
from collections.abc import Iterator
from typing import Any, TextIO

from . import _signals
from ._signals import STOP_SIGNALS, Stopped

STDOUT_NAMES = ("-", "/dev/stdout")
"""Values of ``-o`` that mean standard output (never a file to replace)."""


def is_stdout(out: str | None) -> bool:
    """True when the output ``out`` (``-o``; None when not given) is standard output: also a
    name for the same file (``/dev/fd/1``, ``/proc/self/fd/1``), which replaced as a file would
    lose what a shell appends to (``>> logg``)."""
    return out is None or out in STDOUT_NAMES or same_file_as_stream(out, sys.stdout)


def same_file_as_stream(name: str, stream: object) -> bool:
    """Whether the file ``name`` is the one ``stream`` (a standard stream) writes to."""
    try:
        return os.path.samestat(os.stat(name), os.fstat(stream.fileno()))  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):  # no such file; no descriptor
        return False


def output_is_stderr(out: str | None) -> bool:
    """True when ``-o`` names the regular file that standard error is written to
    (``/dev/stderr`` with ``2>> logg``): replacing it would lose what is in it, and the
    messages of the run would go to the file it replaced."""
    if out is None or is_stdout(out) or not same_file_as_stream(out, sys.stderr):
        return False
    return _regular_status(out, output=True) is not None


def _stop(signum: int, frame: object) -> None:
    if _signals.is_held():  # putting back what a stopped run changed: raised when that ends
        _signals.defer(signum)
        return
    _signals.note(signum)  # also where the exception below gets lost (see intyg._signals)
    raise _signals.stop_exception(signum)


def _quiet_about_stops(unraisable: Any) -> None:
    """``sys.unraisablehook`` while a command runs: a stop raised where Python can only print
    it (in a ``__del__``, say) is already noted; other such errors are printed as ever."""
    if not isinstance(unraisable.exc_value, Stopped | KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


@contextlib.contextmanager
def signals_stop() -> Iterator[None]:
    """The stop signals (SIGTERM, SIGHUP, ...: :data:`STOP_SIGNALS`) raise :class:`Stopped`,
    and Ctrl-C ``KeyboardInterrupt``, while the
    command runs; each is also noted in :mod:`intyg._signals`, since a library may lose the
    exception on its way out.

    A signal that is ignored (SIGHUP under ``nohup``) stays ignored, and Ctrl-C is left to a
    handler other than Python's own; the previous handlers are restored afterwards (``main`` may
    be called in a long-lived process, such as a test run).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread, and its handlers are not ours to change
        return
    saved: list[tuple[int, Any]] = []
    hook = sys.unraisablehook
    try:
        for signum in (signal.SIGINT, *STOP_SIGNALS):
            old = signal.getsignal(signum)
            if old is signal.SIG_IGN or (
                signum == signal.SIGINT and old is not signal.default_int_handler
            ):
                continue
            # Noted first: a signal just after the handler is set still finds it restored.
            saved.append((signum, signal.SIG_DFL if old is None else old))
            signal.signal(signum, _stop)
        sys.unraisablehook = _quiet_about_stops
        yield
    finally:
        with _signals.held():  # a signal now must not leave one of ours installed
            sys.unraisablehook = hook
            for signum, old in saved:
                signal.signal(signum, old)


class NoInput(io.TextIOBase):
    """A stand-in for a standard input closed by the shell (``<&-``): reading it fails like a
    closed file descriptor, so ``-`` gives a coded problem rather than a traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = _NoBinaryInput()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        raise OSError(errno.EBADF, "standard input is closed")

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise OSError(errno.EBADF, "standard input is closed")


class _NoBinaryInput(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        raise OSError(errno.EBADF, "standard input is closed")


class NoOutput(io.TextIOBase):
    """A stand-in for standard output: drops what is written, or (``fail``) fails like a
    closed file descriptor. Unbuffered, so nothing is left to flush at exit."""

    def __init__(self, *, fail: bool) -> None:
        super().__init__()
        self._fail = fail
        self._failed = False
        self.buffer = _NoBinaryOutput(fail=fail)

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if self._fail:
            self._failed = True
            raise OSError(errno.EBADF, "standard output is closed")
        return len(s)

    def flush(self) -> None:
        # argparse drops an error from writing --help or --version; a flush after it tells
        # (intyg._cli._run flushes before such an exit), as a full disk's does.
        if self._failed:
            raise OSError(errno.EBADF, "standard output is closed")

    def close(self) -> None:
        # The failure has been told by then; closing (also when the object is collected, which
        # Python 3.13 reports on stderr if it raises) must not raise it again.
        self._failed = False
        super().close()


class _NoBinaryOutput(io.RawIOBase):
    def __init__(self, *, fail: bool) -> None:
        super().__init__()
        self._fail = fail

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        if self._fail:
            raise OSError(errno.EBADF, "standard output is closed")
        return len(b)


def silence_stdout() -> None:
    """After standard output failed (or the command was stopped): drop what is still buffered,
    so that the final flush at exit neither fails again nor prints a traceback."""
    real = sys.__stdout__
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = real.fileno()  # type: ignore[union-attr]
        if sys.stdout.fileno() == fd:  # the real one, not a stand-in (as in tests)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
    sys.stdout = typing.cast(TextIO, NoOutput(fail=False))


def buffer_stdout() -> None:
    """Unbuffered (``python -u``, PYTHONUNBUFFERED), Python's text layer writes straight to the
    file descriptor and drops the rest of a short write (a disk that fills up, a file size
    limit) without an error. A buffered writer in between writes all or raises."""
    real = sys.__stdout__
    if real is None or sys.stdout is not real or not isinstance(real.buffer, io.RawIOBase):
        return
    # sys.__stdout__ keeps the original (and its file descriptor) alive.
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(real.buffer),
        encoding=real.encoding,
        errors=real.errors,
        line_buffering=real.line_buffering,
        write_through=True,
    )


class QuietErrors:
    """Standard error for a command: what cannot be written there (a full disk, a closed
    descriptor) is dropped, so that a message about the run never becomes the run's failure.
    Everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.flush()

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def say(text: str) -> None:
    """A line on stderr for a person, written at once. Under ``main`` stderr is a
    :class:`QuietErrors`: one that cannot be written is not an error more."""
    sys.stderr.write(text)
    sys.stderr.flush()


def _regular_status(name: str | None, *, output: bool = False) -> os.stat_result | None:
    """The status of a regular file named by an input or output argument (None otherwise).

    ``-`` is standard input, and for an output ``-``, ``/dev/stdout`` or None (not given)
    standard output: these count only when redirected to a regular file.
    """
    try:
        if output and is_stdout(name):
            st = os.fstat(sys.stdout.fileno())
        elif name == "-":
            st = os.fstat(sys.stdin.fileno())
        elif name:
            st = os.stat(name)
        else:
            return None
    except (OSError, ValueError, AttributeError):  # no such file; a stream without a descriptor
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def output_is_an_input(args: argparse.Namespace) -> bool:
    """True when the output of a command (``-o``, or standard output for a command without
    it, such as ``validate``) is the same file as one of its inputs (FIL, ``--batch``,
    ``--icd10-list``; also through a hard or symbolic link, or as a redirected stdout): writing
    it would destroy the input, or add to it."""
    target = _regular_status(getattr(args, "output", None), output=True)
    if target is None:
        return False
    for attr in ("file", "batch", "icd10_list"):
        source = _regular_status(getattr(args, attr, None))
        if source is not None and os.path.samestat(source, target):
            return True
    return False
