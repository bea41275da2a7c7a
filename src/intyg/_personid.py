"""Personnummer and samordningsnummer: shape, century, date and check digit.

Pure functions. The rules, written out here: the date exists (a samordningsnummer adds 60 to
the day), the serial number is never 000, and the last digit is the Luhn check digit of
``YYMMDDNNN``. Until this version the date and check digit were left to the ``personnummer``
package (3.2.1); ``tests/test_personid.py`` now checks this module against it. It is no longer
used at run time because:

* it reads today's date on every call (to work out the separator, even for 12 digits), and the
  library reads no clock;
* a 10-digit number gets its century from *today's* date, so the same certificate would change
  meaning over time; we resolve the century against the certificate's own date;
* its pattern uses ``\\d``, which also matches non-ASCII digits such as Arabic-Indic ones, and
  ends in ``$``, which lets a trailing newline through.

The stored form is always 12 ASCII digits ``YYYYMMDDNNNC``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

from ._args import require_date
from ._errors import IntygValidationError
from ._problems import make_problem

# 12 digits with an optional hyphen, or 10 digits with an optional - or +. ASCII digits only.
PERSONID_PATTERN = r"^(?:[0-9]{8}-?[0-9]{4}|[0-9]{6}[-+]?[0-9]{4})$(?!\n)"
_SHAPE_12 = re.compile(r"[0-9]{8}-?[0-9]{4}", re.ASCII)
_SHAPE_10 = re.compile(r"[0-9]{6}[-+]?[0-9]{4}", re.ASCII)
_TWELVE = re.compile(r"[0-9]{12}", re.ASCII)

Kind = Literal["personnummer", "samordningsnummer"]


class PersonIdError(IntygValidationError, ValueError):
    """The number is not valid; ``code`` says why (a catalogued problem code, also the one
    problem in ``problems``). An :class:`~intyg.IntygError`, and a ``ValueError`` as before."""

    def __init__(self, code: str) -> None:
        super().__init__([make_problem(code, "")])
        self.code = code


@dataclass(frozen=True, slots=True)
class PersonId:
    """A checked personnummer or samordningsnummer, as 12 digits.

    Made by :func:`parse_personid`, which reads every spelling. Made directly, ``value`` must
    already be the 12 digits ``YYYYMMDDNNNC`` of a valid number, so that a ``PersonId`` always
    holds one.

    Raises:
        TypeError: ``value`` is not a ``str``.
        PersonIdError: ``personid_syntax`` (not 12 ASCII digits; a hyphen or 10 digits are for
            :func:`parse_personid`) or ``personid_invalid`` (no such date, serial number 000,
            wrong check digit). A ``ValueError`` as well as an :class:`~intyg.IntygError`.
    """

    value: str
    """The 12 digits; ``repr`` leaves them out (it shows only ``kind``), so that a logged
    ``PersonId`` holds no personnummer."""

    def __repr__(self) -> str:
        return f"PersonId(kind={self.kind!r}, value=…)"

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise TypeError(
                f"intyg.PersonId: value must be a str of 12 digits, not {type(self.value).__name__}"
            )
        if not _TWELVE.fullmatch(self.value):
            raise PersonIdError("personid_syntax")
        if not _valid_digits(self.value):
            raise PersonIdError("personid_invalid")

    @property
    def kind(self) -> Kind:
        """``samordningsnummer`` when the day is 61-91, else ``personnummer``."""
        return "samordningsnummer" if int(self.value[6:8]) > 60 else "personnummer"

    @property
    def birth_date(self) -> _dt.date:
        """The date of birth (samordningsnummer: the day minus 60)."""
        day = int(self.value[6:8])
        if day > 60:
            day -= 60
        return _dt.date(int(self.value[0:4]), int(self.value[4:6]), day)


def _luhn_ok(ten: str) -> bool:
    """The Luhn check over ``YYMMDDNNNC`` (10 ASCII digits)."""
    total = 0
    for i, ch in enumerate(ten):
        n = (ord(ch) - 48) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_digits(digits: str) -> bool:
    """Whether 12 ASCII digits are a personnummer or samordningsnummer: a real date (the day
    plus 60 for a samordningsnummer), a serial number other than 000, the right check digit."""
    day = int(digits[6:8])
    if day > 60:
        day -= 60
    try:
        _dt.date(int(digits[0:4]), int(digits[4:6]), day)
    except ValueError:
        return False
    return digits[8:11] != "000" and _luhn_ok(digits[2:])


_OLDEST = 130
"""The most calendar years a ``+`` is read back: more than anyone has lived (122 on record)."""


def _resolve_century(short: str, sep: str, on: _dt.date | None) -> str:
    """Choose the century of a 10-digit number, relative to ``on`` (the certificate's date).

    ``-`` means under 100 years old on ``on``. ``+`` means 100 or older: the separator changes
    in the calendar year the person turns 100 (as the ``personnummer`` package and Swedish
    registers write it; the rule's legal source is to be verified), so ``+`` takes the latest
    year at least 100 calendar years before ``on``'s. In that year, before the birthday, both
    separators give the same century: neither reads as a person a century older. Nor does
    ``+`` read as anyone older than :data:`_OLDEST`: such a number was written wrongly (a
    ``+`` before the year of the 100th birthday) and is refused. Without a separator the
    number is accepted only when just one of 19YY and 20YY is not in the future.
    """
    if on is None:
        raise PersonIdError("personid_century_ambiguous")
    yy, mm, dd = int(short[0:2]), int(short[2:4]), int(short[4:6])
    day = dd - 60 if dd > 60 else dd
    born_ok: list[tuple[int, int]] = []  # (year, age on ``on``)
    for year in (1800 + yy, 1900 + yy, 2000 + yy):
        try:
            born = _dt.date(year, mm, day)
        except ValueError:  # not a date in this century (29 February of 1800 or 1900, say)
            continue
        if born <= on:
            born_ok.append((year, on.year - year - ((on.month, on.day) < (mm, day))))
    if sep == "-":
        years = [y for y, age in born_ok if age < 100]
    elif sep == "+":
        years = [y for y, _ in born_ok if _OLDEST >= on.year - y >= 100][-1:]
    else:
        years = [y for y, _ in born_ok if y >= 1900]
        if len(years) > 1:
            raise PersonIdError("personid_century_ambiguous")
    if not years:
        raise PersonIdError("personid_invalid")
    return str(years[-1] // 100)


def birth_date_problem(digits: str, on: _dt.date) -> str | None:
    """What is impossible about the date of birth in ``digits`` (the 12 of a valid number, as a
    :class:`PersonId` holds them) read on ``on`` (the certificate's date), said as it ends
    "... intygets datum": born after it, or more than :data:`_OLDEST` calendar years before it
    (the bound a 10-digit ``+`` is read with). None when neither. The check digit does not
    cover the century, so a 12-digit number with a wrong one (00010101..., 1212...) passes the
    number's own checks. Read from the digits as they stand (run on every certificate)."""
    year = int(digits[0:4])
    if on.year - year > _OLDEST:
        return f"mer än {_OLDEST} år före"
    if year < on.year:  # the usual case: born in an earlier year
        return None
    day = int(digits[6:8])
    if day > 60:  # a samordningsnummer
        day -= 60
    if (year, int(digits[4:6]), day) > (on.year, on.month, on.day):
        return "efter"
    return None


def parse_personid(text: str, *, on: _dt.date | None = None) -> PersonId:
    """Check and normalise a personnummer or samordningsnummer.

    Args:
        text: 12 digits (``YYYYMMDDNNNN``, optional hyphen) or 10 digits (``YYMMDD-NNNN``,
            ``YYMMDD+NNNN`` from the year of the 100th birthday, or without separator where the
            century is unambiguous on ``on``).
        on: the date the number is read against (the certificate's date); needed for 10 digits.
            A ``datetime.date``; a ``datetime`` is refused, as by :func:`intyg.assess`.

    Returns:
        The checked number as 12 digits.

    Raises:
        PersonIdError: ``personid_syntax``, ``personid_century_ambiguous`` or ``personid_invalid``.
        TypeError: ``text`` is not a ``str``, or ``on`` is neither None nor a ``datetime.date``.

    >>> parse_personid("19121212-1212").value
    '191212121212'
    """
    if not isinstance(text, str):
        raise TypeError(f"intyg.parse_personid: text must be a str, not {type(text).__name__}")
    if on is not None:
        require_date(on, "intyg.parse_personid: on")
    if _SHAPE_12.fullmatch(text):
        digits = text.replace("-", "")
    elif _SHAPE_10.fullmatch(text):
        sep = text[6] if text[6] in "-+" else ""
        short = text.replace("-", "").replace("+", "")
        # The check digit does not depend on the century; test it (and that the date exists in
        # some century) before asking which century is meant.
        if not any(_valid_digits(c + short) for c in ("18", "19", "20")):
            raise PersonIdError("personid_invalid")
        digits = _resolve_century(short, sep, on) + short
    else:
        raise PersonIdError("personid_syntax")
    return PersonId(digits)  # checks the date, serial number and check digit
