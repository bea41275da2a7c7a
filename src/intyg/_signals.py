"""A stop that a signal asked for, remembered where the exception raised for it may be lost.

The command line's handler (:func:`intyg._cli_process.signals_stop`) raises :class:`Stopped`
(SIGTERM, SIGHUP) or ``KeyboardInterrupt`` (Ctrl-C) wherever the program happens to be. Code
in a library may catch it there or lose it: pydantic building a model on first use wraps it in
an error of its own, and an exception in a ``__del__`` or a cache is only printed. A run that
went on after that could finish with results made by half-built validators. So the handler
also writes the signal down here, and the places that must not go on after a stop ask
(:func:`raise_if_stopped`): an output file before it takes its target's place
(:mod:`intyg._atomic`), a batch between chunks, and the command when it ends.

Needs nothing else of intyg, so that every module may ask.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Stopped(BaseException):
    """SIGTERM or SIGHUP ended the command.

    Raised like KeyboardInterrupt (not an Exception), so that every ``finally`` and
    ``except BaseException`` runs: the temporary file of an atomic write is removed.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOP_SIGNAL_NAMES = (
    "SIGTERM",
    "SIGHUP",
    "SIGBREAK",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGXCPU",
    "SIGIO",
    "SIGPWR",
)
"""The signals that end a command like Ctrl-C, where the system has them (SIGHUP not on Windows,
SIGBREAK, Ctrl-Break, only there): SIGTERM and SIGHUP, and every other signal that ends a
process unless it is handled (SIGXCPU from a CPU-time limit, the user signals a batch scheduler
may send). Each would otherwise leave an atomic write's temporary file behind. A signal that
is ignored when the command starts stays ignored (SIGXFSZ, which Python ignores)."""
STOP_SIGNALS = tuple(getattr(signal, n) for n in STOP_SIGNAL_NAMES if hasattr(signal, n))

_received: list[int] = []  # the first stop signal of the command, if any
_committed: list[bool] = []  # the command's output has taken its target's place


def committed() -> None:
    """The command's output is in place, whole: a stop from now on cuts off nothing that
    matters, so the command ends as done (:func:`is_committed`). Called by an atomic write
    while stop signals are held (:func:`held`), so no stop falls between the two. Only the
    main thread's command counts: signals reach no other."""
    if not _committed and threading.current_thread() is threading.main_thread():
        _committed.append(True)


def is_committed() -> bool:
    """Whether :func:`committed` was called since :func:`reset`."""
    return bool(_committed)


def note(signum: int) -> None:
    """Remember ``signum`` as the stop asked for (the first one counts)."""
    if not _received:
        _received.append(signum)


def received() -> int | None:
    """The stop signal received since :func:`reset`, or None."""
    return _received[0] if _received else None


def reset() -> None:
    """Forget a stop: a new command begins (``main`` may run many times in one process)."""
    _received.clear()
    _committed.clear()


def stop_exception(signum: int) -> BaseException:
    """What a stop by ``signum`` raises: ``KeyboardInterrupt`` for Ctrl-C, else Stopped."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Stopped(signum)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold the stop signals (Ctrl-C, SIGTERM, SIGHUP) back while the block runs, as for
    putting back what a stopped run changed: a second stop would leave that half done. They
    are delivered when the block ends. Where signals cannot be held (another thread, no
    ``pthread_sigmask``), the block runs as it is."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    before = block(signal.SIG_BLOCK, {signal.SIGINT, *STOP_SIGNALS})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, before)


def raise_if_stopped() -> None:
    """Raise the stop asked for, if one was (and was lost on its way here).

    Raises:
        Stopped, KeyboardInterrupt: a stop signal was received.
    """
    if _received:
        raise stop_exception(_received[0])
