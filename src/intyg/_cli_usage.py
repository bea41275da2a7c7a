"""Usage errors of the command line: a call refused before anything is read or written (exit 2).

Each is a catalogued ``usage_*`` problem at the argument it concerns, said on stderr as
``intyg KOMMANDO: fel i anropet: ARGUMENT: meddelande [kod]``, so that a script can tell one
refusal from another by its code. What the user typed is said back quoted, with control
characters escaped and anything that looks like a personnummer masked.
"""

from __future__ import annotations

import argparse
import re

from ._problems import Problem, make_problem

# Between two digits of a personnummer as people type and paste it: punctuation, spaces and
# dashes of any kind, an underscore, or a character ``repr`` writes as an escape (a zero-width
# space is ``\u200b``, a backslash ``\\``, a quote ``\'``), up to three of them.
_SEPARATOR = r"(?:[^\w\\]|_|\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt\\'\"]))"
PERSONID_LIKE = re.compile(rf"\d(?:{_SEPARATOR}{{0,3}}\d){{9,11}}")
"""What may be a personnummer in a value typed on the command line (an error never repeats it):
ten to twelve digits of any script (full-width ones too), with up to three characters that are
no letters or digits between two of them. It masks more than personnummer (any long number)."""

LONGEST_SHOWN = 80
"""The most characters of a typed value said back; a longer one is cut (a file's contents
passed as an argument need not fill the terminal)."""


def mask(text: str) -> str:
    """``text`` with every run that may be a personnummer replaced by an ellipsis."""
    return PERSONID_LIKE.sub("…", text)


def escaped(value: object) -> str:
    """A typed value quoted, control characters escaped, masked."""
    return mask(repr(value))


def shown(value: object) -> str:
    """A typed value as a refusal says it back: :func:`escaped`, and cut to ``LONGEST_SHOWN``
    characters."""
    text = escaped(value)
    if len(text) > LONGEST_SHOWN:
        text = f"{text[: LONGEST_SHOWN - 2]}…{text[-1]}"  # the closing quote kept
    return text


class UsageError(Exception):
    """A call a command refuses (exit 2), raised by a command and said by ``main``."""

    def __init__(self, code: str, path: str = "", **ctx: str) -> None:
        super().__init__(code)
        self.problem = make_problem(code, path, ctx)


class Refused(argparse.ArgumentTypeError):
    """Raised by an argument's type function with the code of the refusal; the parser adds
    the argument's name (:class:`CodedArgumentError`)."""

    def __init__(self, code: str, **ctx: str) -> None:
        super().__init__(code)
        self.code = code
        self.ctx = ctx


class CodedArgumentError(argparse.ArgumentError):
    """argparse's error for one argument, with the code of the refusal."""

    def __init__(self, action: argparse.Action | None, code: str, **ctx: str) -> None:
        super().__init__(action, code)
        self.code = code
        self.ctx = ctx


def problem_of(error: argparse.ArgumentError) -> Problem:
    """The coded problem of an error argparse raised while parsing."""
    path = mask(error.argument_name or "")
    if isinstance(error, CodedArgumentError):
        return make_problem(error.code, path, error.ctx)
    return from_message(error.message, path)


# argparse's own messages (Python 3.11-3.13), by their start, and the code each is said with.
_PREFIXES = (
    ("the following arguments are required: ", "usage_missing_argument"),
    ("expected ", "usage_missing_value"),
    ("ignored explicit argument", "usage_unexpected_value"),
    ("not allowed with argument ", "usage_conflict"),
)
_ONE_OF = re.compile(r"one of the arguments (?P<names>.+) is required")


def from_message(message: str, path: str = "") -> Problem:
    """The coded problem of one of argparse's messages (those it raises or passes to
    ``error``); one this module does not know is ``usage_unclear`` with argparse's words."""
    found = _ONE_OF.fullmatch(message)
    if found:
        names = found["names"].replace(" ", "/")
        return make_problem(
            "usage_missing_argument", path or names, {"reason": ": ange ett av dem"}
        )
    for prefix, code in _PREFIXES:
        if message.startswith(prefix):
            rest = message.removeprefix(prefix)
            if code == "usage_missing_argument":
                return make_problem(code, path or rest, {"reason": ""})
            if code == "usage_conflict":
                return make_problem(code, path, {"other": rest})
            return make_problem(code, path)
    return make_problem("usage_unclear", path, {"detail": shown(message)[1:-1]})  # escaped


def line(problem: Problem) -> str:
    """The problem as said after ``fel i anropet:``."""
    where = f"{problem.path}: " if problem.path else ""
    return f"{where}{problem.message} [{problem.code}]"
