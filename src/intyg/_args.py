"""Checks of a caller's arguments. A mistake in the call is Python's TypeError naming the
argument, not a coded problem (those are for the data)."""

from __future__ import annotations

import datetime as _dt
import re


def require_date(value: object, where: str) -> None:
    """Refuse anything but a ``datetime.date`` given as ``where`` (``"intyg.assess: on"``).

    A ``datetime`` is refused too: it is a ``date`` to Python, but comparing it with a date
    fails, and a time of day has no place where intyg reads a day.

    Raises:
        TypeError: ``value`` is not a ``datetime.date``, or is a ``datetime``.
    """
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise TypeError(f"{where} must be a datetime.date, not {type(value).__name__}")


_SHOWN = re.compile(r"[A-Za-z0-9/._-]{0,20}")


def shown(value: object) -> str:
    """``value`` as an error about the call may show it: a short word of letters, a few digits
    and ``/._-`` (a misspelt option, ``"pfd"``, ``"pdf/a-4b"``) as itself, anything else by its
    type only, since it may be data (a certificate, a personnummer passed in the wrong place)."""
    if isinstance(value, str) and _SHOWN.fullmatch(value) and sum(c.isdigit() for c in value) < 6:
        return repr(value)
    return type(value).__name__
