"""Value types shared by form versions: text, dates, ids, codes. Pure checks, coded errors.

Each type carries its JSON Schema fragment next to its check so the two cannot drift apart:
the published schema expresses the same shape the model enforces (see ``test_schema``).
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ._icd10 import DEFAULT_CATALOGUE, ICD10_PATTERN, Icd10Catalogue, icd10_syntax_ok
from ._personid import PERSONID_PATTERN, PersonIdError, parse_personid
from ._problems import PATTERN_CODES, PATTERN_JUDGES

NON_BLANK_PATTERN = r"\S"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\n)"
UUID_PATTERN = (
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$(?!\n)"
)
# HSA-id: "SE", the organisation number of the issuing body (10 digits), "-", a local part.
# Shape taken from published HSA-ids; the exact rule of the HSA catalogue is to be verified.
HSA_ID_PATTERN = r"^SE[0-9]{10}-[0-9A-Za-z]{1,20}$(?!\n)"
POSTNUMMER_PATTERN = r"^[0-9]{3} ?[0-9]{2}$(?!\n)"
TELEFON_PATTERN = r"^\+?[0-9][0-9 ()-]{4,24}$(?!\n)"
ARBETSPLATSKOD_PATTERN = r"^[0-9]{1,10}$(?!\n)"
ICF_B_PATTERN = r"^b[0-9]{3,5}$(?!\n)"
ICF_D_PATTERN = r"^d[0-9]{3,5}$(?!\n)"

_NON_BLANK = re.compile(NON_BLANK_PATTERN)


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


# C0 control characters other than tab, line feed and carriage return, and DEL: no printout or
# PDF shows them. (Lone UTF-16 surrogates, which JSON can carry as escapes, are refused by
# pydantic's core as ``string_unicode`` before any pattern is tried: ``invalid_character``.)
_BAD = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
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


def _judge_text(value: object) -> str:
    return text_problem(value) or "invalid_character"


PATTERN_JUDGES[TEXT_CORE_PATTERN] = _judge_text


def text_limit(max_length: int) -> Any:
    """Metadata for a free text of at most ``max_length`` characters, not blank, with no control
    characters: ``Annotated[StrictStr, text_limit(N)]``.

    Every check runs in pydantic's core, the length first, so even a huge text is refused
    cheaply.
    """
    return Field(
        max_length=max_length,
        pattern=TEXT_CORE_PATTERN,
        json_schema_extra={"pattern": NON_BLANK_PATTERN},
    )


_NO_TRAILING_NEWLINE = "(?!\\n)"


def patterned(pattern: str, code: str) -> Any:
    """Metadata for a string that must match ``pattern``; a mismatch gives problem ``code``.

    The match runs in pydantic's core (Rust ``regex``, where ``$`` is the very end of the text).
    The published JSON Schema keeps the full pattern, whose ``(?!\\n)`` makes Python's ``re``
    (used by Python ``jsonschema``) agree that a trailing newline does not match.
    """
    core = pattern.removesuffix(_NO_TRAILING_NEWLINE)
    PATTERN_CODES[core] = code
    return Field(pattern=core, json_schema_extra={"pattern": pattern})


Postnummer = Annotated[StrictStr, patterned(POSTNUMMER_PATTERN, "invalid_format")]
Telefon = Annotated[StrictStr, patterned(TELEFON_PATTERN, "invalid_format")]
Arbetsplatskod = Annotated[StrictStr, patterned(ARBETSPLATSKOD_PATTERN, "invalid_format")]
IcfBKod = Annotated[StrictStr, patterned(ICF_B_PATTERN, "invalid_format")]
"""An ICF body-function code (b + 3-5 digits)."""
IcfDKod = Annotated[StrictStr, patterned(ICF_D_PATTERN, "invalid_format")]
"""An ICF activity and participation code (d + 3-5 digits)."""
HsaId = Annotated[StrictStr, patterned(HSA_ID_PATTERN, "hsa_id_syntax")]
"""An HSA-id (shape only)."""


EARLIEST_DATE = _dt.date(1900, 1, 1)
LATEST_DATE = _dt.date(2199, 12, 31)
"""Dates outside these bounds are typing errors in a certificate (``date_out_of_range``)."""


_DATE = _compiled(DATE_PATTERN)


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


def _iso_date(value: object) -> object:
    if type(value) is str:
        seen = _SEEN_DATES.get(value)
        if seen is not None:
            return seen
    if isinstance(value, _dt.datetime):
        raise PydanticCustomError("invalid_date", "invalid_date")
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("wrong_type", "wrong_type")
    parsed = iso_date(value)
    if parsed is None:
        raise PydanticCustomError("invalid_date", "invalid_date")
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise PydanticCustomError("date_out_of_range", "date_out_of_range")
    if len(_SEEN_DATES) >= _SEEN_DATES_MAX:
        _SEEN_DATES.clear()
    _SEEN_DATES[value] = parsed
    return parsed


Datum = Annotated[
    _dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A calendar date written ``YYYY-MM-DD`` (no time, no other spelling)."""

Uuid = Annotated[
    StrictStr,
    patterned(UUID_PATTERN, "invalid_uuid"),
    Field(json_schema_extra={"format": "uuid", "pattern": UUID_PATTERN}),
]
"""A UUID in its 36-character text form."""


def _check_personid(value: str) -> str:
    try:
        return parse_personid(value).value
    except PersonIdError as exc:
        raise PydanticCustomError(exc.code, exc.code) from None


PersonIdText = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": PERSONID_PATTERN}),
    AfterValidator(_check_personid),
]
"""Personnummer or samordningsnummer; stored as 12 digits.

A 10-digit number is resolved against the certificate's date before it gets here (see
``Intyg``); one that reaches this check unresolved is ambiguous.
"""


def _check_icd10(value: str, info: ValidationInfo) -> str:
    if not icd10_syntax_ok(value):
        raise PydanticCustomError("icd10_syntax", "icd10_syntax")
    catalogue: Icd10Catalogue = DEFAULT_CATALOGUE
    if isinstance(info.context, dict) and info.context.get("icd10") is not None:
        catalogue = info.context["icd10"]
    if catalogue.lookup(value) == "unknown":
        raise PydanticCustomError("icd10_unknown", "icd10_unknown")
    return value


Icd10Kod = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": ICD10_PATTERN}),
    AfterValidator(_check_icd10),
]
"""An ICD-10 code (``F32.1``); checked against the WHO list or a catalogue given in context."""


def _reject_null(value: object) -> object:
    # An optional question is left out when unanswered; an explicit null is not an answer.
    if value is None:
        raise PydanticCustomError("wrong_type", "wrong_type")
    return value


NotNull = BeforeValidator(_reject_null)


def _json_integer(value: object) -> object:
    # JSON Schema's "integer" is any number with no fractional part, so 40.0 is 40 (ajv and
    # Python jsonschema agree). Text ("40") and booleans are not numbers.
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is not int and not isinstance(value, Enum):
        raise PydanticCustomError("wrong_type", "wrong_type")
    return value


JsonInt = BeforeValidator(_json_integer)
"""Marks an integer field: a JSON number without fractions; never text or true/false."""

T = TypeVar("T")

Valfri = Annotated[T | None, NotNull]
"""An optional answer: it may be left out (then None), but is never written as ``null``."""
