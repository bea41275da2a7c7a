"""Helpers for the command-line tests: the usage errors (exit 2) a call was refused with."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

import intyg
from intyg._cli import main

_LINE = re.compile(
    r"^intyg(?: [a-z]+)?: fel i anropet: (?P<said>.*) \[(?P<code>usage_[a-z_]+)\]$", re.M
)


def usage_errors(err: str) -> list[tuple[str, str]]:
    """(code, path) of each usage error said on stderr. The path is what stands before the
    message; a message that starts as its catalogued template does has no path."""
    found = []
    for match in _LINE.finditer(err):
        said, code = match["said"], match["code"]
        head = intyg.PROBLEM_CODES[code].message.split("{")[0]
        path = "" if said.startswith(head) else said.split(": ", 1)[0]
        found.append((code, path))
    return found


def refused(args: Sequence[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    """The usage errors ``main(args)`` refused the call with (exit 2, by the parser or by the
    command), having printed nothing on stdout."""
    try:
        status = main(list(args))
    except SystemExit as stop:  # the parser's refusals
        status = stop.code  # type: ignore[assignment]
    assert status == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return usage_errors(captured.err)
