"""Value types shared by form versions: text, dates, ids, codes, each with its coded check.

Each type carries its JSON Schema fragment next to its check so the two cannot drift apart:
the published schema expresses the same shape the model enforces (see ``test_schema``). The
checks themselves are in :mod:`intyg._fieldchecks`, which needs no pydantic.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, StrictStr, WithJsonSchema

from ._fieldchecks import (
    DATE_PATTERN,
    NON_BLANK_PATTERN,
    TEXT_CORE_PATTERN,
    check_date,
    check_icd10,
    check_json_integer,
    check_personid,
    reject_null,
)
from ._icd10 import ICD10_PATTERN
from ._personid import PERSONID_PATTERN
from ._problems import PATTERN_CODES, PATTERN_HINTS

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


def patterned(pattern: str, code: str, hint: str = "") -> Any:
    """Metadata for a string that must match ``pattern``; a mismatch gives problem ``code``,
    whose message says ``hint`` (what the text should look like) when given.

    The match runs in pydantic's core (Rust ``regex``, where ``$`` is the very end of the text).
    The published JSON Schema keeps the full pattern, whose ``(?!\\n)`` makes Python's ``re``
    (used by Python ``jsonschema``) agree that a trailing newline does not match.
    """
    core = pattern.removesuffix(_NO_TRAILING_NEWLINE)
    PATTERN_CODES[core] = code
    if hint:
        PATTERN_HINTS[core] = hint
    return Field(pattern=core, json_schema_extra={"pattern": pattern})


Postnummer = Annotated[
    StrictStr,
    patterned(POSTNUMMER_PATTERN, "invalid_format", "fem siffror, till exempel 123 45 eller 12345"),
]
Telefon = Annotated[
    StrictStr,
    patterned(
        TELEFON_PATTERN,
        "invalid_format",
        "siffror, gärna med riktnummer, till exempel 010-123 45 67 eller +46 10 123 45 67",
    ),
]
Arbetsplatskod = Annotated[
    StrictStr, patterned(ARBETSPLATSKOD_PATTERN, "invalid_format", "en till tio siffror")
]
IcfBKod = Annotated[
    StrictStr,
    patterned(
        ICF_B_PATTERN, "invalid_format", "b och tre till fem siffror, till exempel b130 eller b1300"
    ),
]
"""An ICF body-function code (b + 3-5 digits)."""
IcfDKod = Annotated[
    StrictStr,
    patterned(
        ICF_D_PATTERN, "invalid_format", "d och tre till fem siffror, till exempel d240 eller d2400"
    ),
]
"""An ICF activity and participation code (d + 3-5 digits)."""
HsaId = Annotated[StrictStr, patterned(HSA_ID_PATTERN, "hsa_id_syntax")]
"""An HSA-id (shape only)."""


Datum = Annotated[
    _dt.date,
    BeforeValidator(check_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A calendar date written ``YYYY-MM-DD`` (no time, no other spelling)."""

Uuid = Annotated[
    StrictStr,
    patterned(UUID_PATTERN, "invalid_uuid"),
    Field(json_schema_extra={"format": "uuid", "pattern": UUID_PATTERN}),
]
"""A UUID in its 36-character text form."""


PersonIdText = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": PERSONID_PATTERN}),
    AfterValidator(check_personid),
]
"""Personnummer or samordningsnummer; stored as 12 digits.

A 10-digit number is resolved against the certificate's date before it gets here (see
``Intyg``); one that reaches this check unresolved is ambiguous.
"""


Icd10Kod = Annotated[
    StrictStr,
    Field(json_schema_extra={"pattern": ICD10_PATTERN}),
    AfterValidator(check_icd10),
]
"""An ICD-10 code (``F32.1``); checked against the WHO list or a catalogue given in context."""


NotNull = BeforeValidator(reject_null)


JsonInt = BeforeValidator(check_json_integer)
"""Marks an integer field: a JSON number without fractions; never text or true/false."""

T = TypeVar("T")

Valfri = Annotated[T | None, NotNull]
"""An optional answer: it may be left out (then None), but is never written as ``null``."""
