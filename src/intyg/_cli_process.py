"""The process around a command: stopping signals, the standard streams, and the check that
an output is not one of the inputs. Used by :func:`intyg._cli.main`.

* SIGTERM and SIGHUP end a command like Ctrl-C (:class:`Stopped`), so the temporary file of an
  atomic write is removed;
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
import typing
from collections.abc import Iterator
from typing import Any, TextIO

STDOUT_NAMES = ("-", "/dev/stdout")
"""Values of ``-o`` that mean standard output (never a file to replace)."""


def is_stdout(out: str | None) -> bool:
    """True when the output ``out`` (``-o``; None when not given) is standard output."""
    return out is None or out in STDOUT_NAMES


class Stopped(BaseException):
    """SIGTERM or SIGHUP ended the command.

    Raised like KeyboardInterrupt (not an Exception), so that every ``finally`` and
    ``except BaseException`` runs: the temporary file of an atomic write is removed.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that end the command like Ctrl-C (SIGHUP only where the system has it)."""


@contextlib.contextmanager
def signals_stop() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Stopped` while the command runs.

    A signal that is ignored (SIGHUP under ``nohup``) stays ignored; the previous handlers are
    restored afterwards (``main`` may be called in a long-lived process, such as a test run).
    """
    saved: list[tuple[int, Any]] = []
    for signum in STOP_SIGNALS:
        try:
            old = signal.getsignal(signum)
            if old is signal.SIG_IGN:
                continue
            signal.signal(signum, _stop)
        except ValueError:  # not the main thread: signals stay as they are
            continue
        saved.append((signum, signal.SIG_DFL if old is None else old))
    try:
        yield
    finally:
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
        self.buffer = _NoBinaryOutput(fail=fail)

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if self._fail:
            raise OSError(errno.EBADF, "standard output is closed")
        return len(s)


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


def say(text: str) -> None:
    """A line on stderr for a person; a stderr that cannot be written is not an error more."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
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
    """True when the output of a command with ``-o`` is the same file as one of its inputs
    (FIL, ``--batch``, ``--icd10-list``; also through a hard or symbolic link, or as a
    redirected stdout): writing it would destroy the input."""
    if not hasattr(args, "output"):
        return False
    target = _regular_status(args.output, output=True)
    if target is None:
        return False
    for attr in ("file", "batch", "icd10_list"):
        source = _regular_status(getattr(args, attr, None))
        if source is not None and (source.st_dev, source.st_ino) == (
            target.st_dev,
            target.st_ino,
        ):
            return True
    return False
