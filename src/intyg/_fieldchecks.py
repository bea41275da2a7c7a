"""The checks behind the form's value types, with no pydantic: dates, ids, codes, free text.

:mod:`intyg._fieldtypes` attaches them to the model's fields; the prebuilt validator of
``python -m intyg validate`` (:mod:`intyg._v1._prebuilt`) calls the same functions without
importing pydantic's model machinery. Each raises a coded pydantic-core error; the text tests
behind the warnings on a valid certificate (:func:`text_not_visible`, :func:`has_line_break`)
only answer yes or no.
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from ._icd10 import DEFAULT_CATALOGUE, Icd10Catalogue, checked_lookup, icd10_syntax_ok
from ._personid import PersonIdError, parse_personid
from ._problems import PATTERN_JUDGES, expected_type

if TYPE_CHECKING:
    from pydantic_core.core_schema import ValidationInfo

NON_BLANK_PATTERN = r"\S"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"

_NON_BLANK = re.compile(NON_BLANK_PATTERN)

# C0 control characters other than tab, line feed and carriage return, and DEL: no printout or
# PDF shows them. (Lone UTF-16 surrogates, which JSON can carry as escapes, are refused by
# pydantic's core as ``string_unicode`` before any pattern is tried: ``invalid_character``.)
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
"""The refused characters, as the inside of a regular-expression class."""
_BAD = CONTROL_CHARACTERS
_BAD_CHARS = re.compile(f"[{_BAD}\\ud800-\\udfff]")

TEXT_CORE_PATTERN = f"^[^{_BAD}]*[^\\s{_BAD}][^{_BAD}]*$"
"""A free text as pydantic's core (Rust ``regex``) checks it: no bad character, and at least
one that is not whitespace. The published schema says only ``\\S``; JSON Schema has no way to
say the rest."""


def text_problem(value: object) -> str | None:
    """The problem with a free text, the way Python reads it: ``blank_text`` (nothing but
    whitespace), ``invalid_character`` or None.

    The core pattern decides whether a text is accepted (``test_validation`` proves the two
    agree on every character); this names what is wrong with a text it refused.
    """
    if not isinstance(value, str):
        return None
    if _NON_BLANK.search(value) is None:
        return "blank_text"
    if not value.isprintable() and _BAD_CHARS.search(value) is not None:
        return "invalid_character"
    return None


# Code points with nothing to see: Unicode's Default_Ignorable_Code_Point (soft hyphen, zero-width
# space and joiners, word joiner, bidi marks, variation selectors, byte-order mark, Hangul
# fillers, tag characters), the C0 and C1 controls and, through ``\s``, all whitespace; and two
# more that show nothing although Unicode does not call them ignorable: the blank Braille
# pattern U+2800 (a known way to fill a field with "nothing") and the interlinear annotation
# marks U+FFF9-U+FFFB.
_IGNORABLE = (
    "\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_VISIBLE = re.compile(f"[^\\s{_IGNORABLE}]")


def text_not_visible(value: str) -> bool:
    """True when ``value`` has no character that shows: nothing but whitespace, controls and
    invisible format characters (zero-width space or joiners, word joiner, byte-order mark,
    soft hyphen, bidi marks and the like). Such a text passes the form's rules, which ask only
    for a character that is not whitespace, yet looks empty to a reader.

    A text that starts with a printable ASCII character, as nearly every text does, is answered
    without a search; otherwise the search stops at the first visible character.
    """
    if value and "!" <= value[0] <= "~":
        return False
    return _VISIBLE.search(value) is None


def has_line_break(value: str) -> bool:
    """True when ``value`` breaks a line: line feed, carriage return, and in a text that is not
    ASCII also NEL (U+0085) and the line and paragraph separators (U+2028, U+2029). Vertical tab
    and form feed are control characters, refused in every text."""
    if "\n" in value or "\r" in value:
        return True
    return not value.isascii() and ("\x85" in value or "\u2028" in value or "\u2029" in value)


def _judge_text(value: object) -> str:
    return text_problem(value) or "invalid_character"


PATTERN_JUDGES[TEXT_CORE_PATTERN] = _judge_text


EARLIEST_DATE = _dt.date(1900, 1, 1)
LATEST_DATE = _dt.date(2199, 12, 31)
"""Dates outside these bounds are typing errors in a certificate (``date_out_of_range``)."""


_DATE = re.compile(DATE_PATTERN, re.ASCII)


def iso_date(text: str) -> _dt.date | None:
    """``text`` as a calendar date written exactly ``YYYY-MM-DD`` in ASCII digits, else None.

    Python's ``date.fromisoformat`` alone also reads other ISO spellings (``20261124``,
    ``2026-W48-2``); those are not dates here.
    """
    if len(text) != 10 or _DATE.match(text) is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


_SEEN_DATES: dict[str, _dt.date] = {}
"""Texts already read as valid dates (certificates in a batch share most of their dates)."""
_SEEN_DATES_MAX = 4096


def check_date(value: object) -> object:
    if type(value) is str:
        seen = _SEEN_DATES.get(value)
        if seen is not None:
            return seen
    if isinstance(value, _dt.datetime):
        raise PydanticCustomError("invalid_date", "invalid_date")
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("wrong_type", "wrong_type", expected_type("date"))
    parsed = iso_date(value)
    if parsed is None:
        raise PydanticCustomError("invalid_date", "invalid_date")
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise PydanticCustomError("date_out_of_range", "date_out_of_range")
    if len(_SEEN_DATES) >= _SEEN_DATES_MAX:
        _SEEN_DATES.clear()
    _SEEN_DATES[value] = parsed
    return parsed


def check_personid(value: str) -> str:
    try:
        return parse_personid(value).value
    except PersonIdError as exc:
        raise PydanticCustomError(exc.code, exc.code) from None


def check_icd10(value: str, info: ValidationInfo) -> str:
    if not icd10_syntax_ok(value):
        raise PydanticCustomError("icd10_syntax", "icd10_syntax")
    catalogue: Icd10Catalogue = DEFAULT_CATALOGUE
    if isinstance(info.context, dict) and info.context.get("icd10") is not None:
        catalogue = info.context["icd10"]
    # A result other than known/extension/unknown is the catalogue's mistake: TypeError (which
    # pydantic passes on), never a code let through.
    if checked_lookup(catalogue, value) == "unknown":
        raise PydanticCustomError("icd10_unknown", "icd10_unknown")
    return value


def reject_null(value: object) -> object:
    # An optional question is left out when unanswered; an explicit null is not an answer.
    if value is None:
        raise PydanticCustomError("wrong_type", "wrong_type", expected_type("null"))
    return value


def check_json_integer(value: object) -> object:
    # JSON Schema's "integer" is any number with no fractional part, so 40.0 is 40 (ajv and
    # Python jsonschema agree). Text ("40") and booleans are not numbers, nor is a code list's
    # member whose value is text; one whose value is an integer (an IntEnum) is that integer.
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is not int and not (isinstance(value, Enum) and type(value.value) is int):
        raise PydanticCustomError("wrong_type", "wrong_type", expected_type("integer"))
    return value
