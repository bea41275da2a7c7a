"""Shared fixtures."""

from __future__ import annotations

import copy
import os
import signal
from typing import Any

import pytest

import intyg

_EXAMPLE = intyg.example()


def pytest_configure(config: pytest.Config) -> None:
    """Started with Ctrl-C or SIGHUP ignored (a background job of a script, ``nohup``), the
    suite gives them back their usual handling: the tests of stops send them to intyg, in this
    process and in the commands it starts, and intyg rightly leaves an ignored signal ignored."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.fixture
def example() -> dict[str, Any]:
    """A fresh copy of the embedded example certificate (form version 1.0.0)."""
    return copy.deepcopy(_EXAMPLE)


# Skips for a missing tool that .ci/run installs. When .ci/run has installed a group of tools
# (INTYG_REQUIRE_TOOLS names the groups), such a skip means a test did not get what it needs,
# which must not pass unnoticed: it fails instead. Elsewhere the skip stands, with its reason.
TOOL_SKIPS: dict[str, tuple[str, ...]] = {
    "system": ("WeasyPrint", "poppler-utils", "chromium", "valgrind"),
    "npm": ("node_modules", "axe-core"),
}


def _fail_a_tool_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    required = os.environ.get("INTYG_REQUIRE_TOOLS", "").split()
    if not (report.skipped and required and isinstance(report.longrepr, tuple)):
        return
    reason = str(report.longrepr[2])
    for group in required:
        if any(word in reason for word in TOOL_SKIPS.get(group, ())):
            report.outcome = "failed"
            report.longrepr = f"skipped although .ci/run installed the {group!r} tools: {reason}"
            return


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    _fail_a_tool_skip(report)  # in a test, its fixtures or a skipif mark
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    report = yield
    _fail_a_tool_skip(report)  # a whole module skipped when it is imported
    return report
