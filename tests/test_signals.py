"""Holding stop signals back: a stop that comes while something is put back waits for it."""

from __future__ import annotations

import os
import signal
import sys
import warnings

import pytest

from intyg import _cli_process, _signals
from intyg._signals import Stopped

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _signals.reset()


def test_a_stop_the_handler_meets_while_held_is_raised_when_the_block_ends() -> None:
    # As when the system hands the signal to another thread: the handler runs in the main
    # thread inside the block, whatever its mask.
    ran: list[str] = []
    with pytest.raises(Stopped) as stop, _signals.held():
        assert _signals.is_held()
        _cli_process._stop(signal.SIGTERM, None)  # deferred, not raised
        ran.append("after the stop")
    assert ran == ["after the stop"]
    assert stop.value.signum == signal.SIGTERM
    assert _signals.received() == signal.SIGTERM
    assert not _signals.is_held()


def test_nested_blocks_raise_the_first_stop_once_the_outermost_ends() -> None:
    ran: list[str] = []
    with pytest.raises(KeyboardInterrupt), _signals.held():
        with _signals.held():
            _cli_process._stop(signal.SIGINT, None)
            _cli_process._stop(signal.SIGTERM, None)
        ran.append("inner block ended")
    assert ran == ["inner block ended"]
    assert _signals.received() == signal.SIGINT


def test_outside_a_block_the_handler_raises_at_once() -> None:
    with pytest.raises(Stopped):
        _cli_process._stop(signal.SIGTERM, None)
    with _signals.held():
        pass  # the stop was raised already: nothing is left to raise here
    assert _signals.received() == signal.SIGTERM


def test_reset_forgets_a_deferred_stop() -> None:
    with pytest.raises(Stopped), _signals.held():
        _signals.defer(signal.SIGTERM)
    _signals.defer(signal.SIGHUP)  # outside a block (not as the handler would): left noted
    _signals.reset()
    with _signals.held():
        pass
    assert _signals.received() is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_child_forked_while_held_starts_unheld() -> None:
    with _signals.held():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
            pid = os.fork()
        if pid == 0:  # the child
            os._exit(0 if not _signals.is_held() else 3)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
