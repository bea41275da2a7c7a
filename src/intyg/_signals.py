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
import os
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
_holding: list[int] = []  # one entry per held() block the main thread is in
_deferred: list[int] = []  # a stop that came while held, raised when the blocks end


def _forked() -> None:
    # A child forked inside a held block (a batch worker) never leaves it: it starts unheld.
    _holding.clear()
    _deferred.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


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
    _deferred.clear()


def stop_exception(signum: int) -> BaseException:
    """What a stop by ``signum`` raises: ``KeyboardInterrupt`` for Ctrl-C, else Stopped."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Stopped(signum)


def is_held() -> bool:
    """Whether the main thread is inside :func:`held`: the command line's handler then notes a
    stop (:func:`defer`) instead of raising it."""
    return bool(_holding)


def defer(signum: int) -> None:
    """Note a stop that came while signals are held; the outermost :func:`held` block raises
    it when it ends (the first one counts)."""
    note(signum)
    if not _deferred:
        _deferred.append(signum)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold the stop signals (Ctrl-C, SIGTERM, SIGHUP) back while the block runs, as for
    putting back what a stopped run changed: a second stop would leave that half done. A stop
    that came meanwhile is raised when the block ends.

    Two means, since neither is enough alone: the signals are blocked for the main thread
    (``pthread_sigmask``; a process it starts meanwhile inherits that), and the command line's
    handler defers a stop while a block runs (:func:`is_held`). Blocking is per thread: in a
    process with other threads (a host application's, a test runner's) the system hands the
    signal to one of those, and Python still runs the handler in the main thread, inside the
    block. In another thread the block runs as it is: signals reach only the main thread's
    handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    block = getattr(signal, "pthread_sigmask", None)
    before = block(signal.SIG_BLOCK, {signal.SIGINT, *STOP_SIGNALS}) if block else None
    _holding.append(1)
    try:
        yield
    finally:
        try:
            if block is not None and before is not None:
                block(signal.SIG_SETMASK, before)  # runs the handler of a signal held back
        finally:
            _holding.pop()
        if not _holding and _deferred:
            signum = _deferred.pop()
            raise stop_exception(signum)


def raise_if_stopped() -> None:
    """Raise the stop asked for, if one was (and was lost on its way here).

    Raises:
        Stopped, KeyboardInterrupt: a stop signal was received.
    """
    if _received:
        raise stop_exception(_received[0])
