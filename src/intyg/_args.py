"""Checks of a caller's arguments. A mistake in the call is Python's TypeError naming the
argument, not a coded problem (those are for the data)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from difflib import get_close_matches


def require_date(value: object, where: str) -> None:
    """Refuse anything but a ``datetime.date`` given as ``where`` (``"intyg.assess: on"``).

    A ``datetime`` is refused too: it is a ``date`` to Python, but comparing it with a date
    fails, and a time of day has no place where intyg reads a day.

    Raises:
        TypeError: ``value`` is not a ``datetime.date``, or is a ``datetime``.
    """
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise TypeError(f"{where} must be a datetime.date, not {type(value).__name__}")


def shown(value: object, allowed: Sequence[str]) -> str:
    """``value`` as an error about the call may show it: a text close to one of ``allowed``
    (a misspelling, ``"pfd"`` for ``"pdf"``) as itself, anything else by its type only, since
    it may be data (a name, a personnummer, a certificate passed in the wrong place)."""
    if isinstance(value, str) and len(value) <= 40:
        folded = [a.casefold() for a in allowed]  # "PDF" is as close to "pdf" as can be
        if get_close_matches(value.casefold(), folded, 1, 0.6):
            return repr(value)
    return type(value).__name__
