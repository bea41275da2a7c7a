"""The rules of form version 1 across fields, with no pydantic.

Each section of :mod:`intyg._v1._model` with rules of its own names its function here
(``checks = _checks.grund``); :func:`intyg._formspec.check_section` runs it after the section's
fields are valid. The prebuilt validator of ``python -m intyg validate``
(:mod:`intyg._v1._prebuilt`) runs the same functions on its light stand-ins for the model
classes, so nothing here may depend on pydantic: only attribute access on the section.

Each problem of a section's function is decided by the field its path starts with alone
(``perioder[1]`` by ``perioder``), and :func:`intyg` reads only the top-level keys
:data:`RULE_INPUTS` names for each of its codes: :mod:`intyg._careful` relies on both to run a
rule when another field is in error. A rule that reads more must say so there.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from .._fieldchecks import has_line_break, text_not_visible
from .._formspec import Issue
from .._icd10 import DEFAULT_CATALOGUE, checked_lookup
from .._personid import PersonIdError, birth_date_problem, parse_personid
from ._codes import Sysselsattning

if TYPE_CHECKING:
    from ._model import (
        Aktivitetsbegransning,
        Bedomning,
        Funktionsnedsattning,
        Grund,
        Intyg,
        Samverkan,
        SysselsattningDel,
    )


def _duplicates(values: Iterable[Any]) -> list[int]:
    items = tuple(values)
    if len(set(items)) == len(items):
        return []  # the common case: nothing repeated
    seen: set[Any] = set()
    dup: list[int] = []
    for i, v in enumerate(items):
        if v in seen:
            dup.append(i)
        seen.add(v)
    return dup


def grund(self: Grund) -> list[Issue]:
    """The same kind of basis may be given only once."""
    out: list[Issue] = []
    for i in _duplicates(u.typ for u in self.underlag):
        out.append(("duplicate_value", f"underlag[{i}].typ", {}))
    return out


def sysselsattning(self: SysselsattningDel) -> list[Issue]:
    """No code twice; "none" and "unknown" stand alone."""
    out: list[Issue] = []
    for i in _duplicates(self.typ):
        out.append(("duplicate_value", f"typ[{i}]", {}))
    if len(self.typ) > 1:
        for i, t in enumerate(self.typ):
            if t in (Sysselsattning.INGEN, Sysselsattning.OKAND):
                out.append(("exclusive_code", f"typ[{i}]", {}))
    return out


def icf_codes(self: Funktionsnedsattning | Aktivitetsbegransning) -> list[Issue]:
    """An ICF code may be listed once."""
    out: list[Issue] = []
    for i in _duplicates(x.kod for x in self.icf or ()):
        out.append(("duplicate_value", f"icf[{i}].kod", {}))
    return out


def bedomning(self: Bedomning) -> list[Issue]:
    """Periods run forwards and do not overlap (a shared day counts); codes once."""
    out: list[Issue] = []
    periods = self.perioder or ()
    for i, p in enumerate(periods):
        if p.fran > p.till:
            out.append(("period_reversed", f"perioder[{i}].till", {}))
    for i, p in enumerate(periods):
        for j in range(i):
            q = periods[j]
            if p.fran <= q.till and q.fran <= p.till:
                out.append(("period_overlap", f"perioder[{i}]", {}))
                break
    for i in _duplicates(self.anpassningar or ()):
        out.append(("duplicate_value", f"anpassningar[{i}]", {}))
    return out


def samverkan(self: Samverkan) -> list[Issue]:
    """Each recommendation once."""
    out: list[Issue] = []
    for i in _duplicates(self.rekommendationer or ()):
        out.append(("duplicate_value", f"rekommendationer[{i}]", {}))
    return out


_NO_CENTURY = "000000-0000"
"""A 10-digit number the field check refuses as ``personid_invalid`` (no month 00 in any
century): it stands in for a number that fits no century on the certificate's date."""


def resolve_short_personid(data: Any) -> Any:
    """A 10-digit personnummer read with the century of the certificate's own date (the
    signeringsdatum), never the clock; anything else is passed on for the field checks.

    The field check reads the number without a date, so a 10-digit number is
    ``personid_century_ambiguous`` there. Where the date shows that no century fits (a ``+``
    that would make the patient older than anyone lives, a ``-`` where every reading not after
    the date makes the patient 100 or older), the number is refused as ``personid_invalid``
    instead: :data:`_NO_CENTURY` takes its place, and the field check says so."""
    if not isinstance(data, dict):
        return data
    patient = data.get("patient")
    sign = data.get("signeringsdatum")
    # JSON gives the date as text; a Python caller may give a date.
    is_date = isinstance(sign, _dt.date) and not isinstance(sign, _dt.datetime)
    if not (isinstance(patient, dict) and (isinstance(sign, str) or is_date)):
        return data
    pid = patient.get("personid")
    if not (isinstance(pid, str) and len(pid) in (10, 11)):
        return data
    try:
        on = sign if is_date else _dt.date.fromisoformat(str(sign))
    except ValueError:
        return data  # no date: the field checks report both
    try:
        full = parse_personid(pid, on=on).value
    except PersonIdError as exc:
        if exc.code != "personid_invalid":
            return data  # the field check gives the same code
        full = _NO_CENTURY
    return {**data, "patient": {**patient, "personid": full}}


RULE_INPUTS: dict[str, frozenset[str]] = {
    "date_after_sign_date": frozenset({"signeringsdatum", "grund"}),
    "personid_birth_date": frozenset({"signeringsdatum", "patient"}),
    "replaces_itself": frozenset({"intygsid", "ersatter"}),
}
"""The codes :func:`intyg` gives, each with the top-level keys it reads: a rule whose inputs are
free of error is run even when another section has one (:mod:`intyg._careful`)."""


def intyg(self: Intyg) -> list[Issue]:
    """Dates against the certificate's date (the patient's date of birth among them); a
    certificate cannot replace itself (the inputs of each are :data:`RULE_INPUTS`)."""
    out: list[Issue] = []
    sign = self.signeringsdatum
    born = birth_date_problem(self.patient.personid, sign)  # 12 digits, checked
    if born is not None:
        out.append(("personid_birth_date", "patient.personid", {"detail": born}))
    for i, u in enumerate(self.grund.underlag):
        if u.datum > sign:
            out.append(("date_after_sign_date", f"grund.underlag[{i}].datum", {}))
    if self.grund.kand_sedan is not None and self.grund.kand_sedan > sign:
        out.append(("date_after_sign_date", "grund.kand_sedan", {}))
    if self.ersatter is not None and self.ersatter.lower() == self.intygsid.lower():
        out.append(("replaces_itself", "ersatter", {}))
    return out


# The free texts of the form, in document order, in three runs around the warnings on codes
# and periods; the texts in lists (grund.underlag[].beskrivning, diagnoser[].text) are read
# apart. A free text is one line (FHIR ``string``) or several (``text``): SINGLE_LINE names
# the first kind. ``tests/test_warnings.py`` checks both against the form's question tree.
_TEXTS_HEAD = ("patient.namn",)
_TEXTS_MIDDLE = (
    "funktionsnedsattning.beskrivning",
    "aktivitetsbegransning.beskrivning",
    "behandling.beskrivning",
    "behandling.forvarrande_aktiviteter",
)
_TEXTS_TAIL = (
    "bedomning.formaga_trots_sjukdom",
    "bedomning.anpassningar_beskrivning",
    "prognos.anpassning",
    "prognos.motivering",
    "samverkan.kontakt_anledning",
    "ovrigt",
    # the single-line texts last: see warnings_for
    "utfardare.namn",
    "utfardare.befattning",
    "utfardare.vardenhet.namn",
    "utfardare.vardenhet.postadress",
    "utfardare.vardenhet.postort",
    "utfardare.ort",
)
_SINGLE_IN_TAIL = 6
SINGLE_LINE = frozenset({"patient.namn", "diagnoser[].text", *_TEXTS_TAIL[-_SINGLE_IN_TAIL:]})
"""The single-line free texts (``[]`` marks a list); every other free text may have lines."""


_get_texts = attrgetter(*_TEXTS_HEAD, *_TEXTS_MIDDLE, *_TEXTS_TAIL)
_MIDDLE_AT = len(_TEXTS_HEAD)
_TAIL_AT = _MIDDLE_AT + len(_TEXTS_MIDDLE)
_get_beskrivning = attrgetter("beskrivning")
_get_text = attrgetter("text")
_get_kod = attrgetter("kod")
_first = itemgetter(0)


def _look_plain(texts: tuple[str | None, ...], single_line: str) -> bool:
    """A cheap test that no text can warn: each starts with a character that is surely visible
    (printable, not a space, below the first invisible one that Python calls printable), and the
    single-line texts, joined, have no line break. False sends the texts to the full check."""
    firsts = "".join(map(_first, filter(None, texts)))
    return (
        firsts.isprintable()
        and " " not in firsts
        and (firsts.isascii() or max(firsts) < "\u034f")
        and not has_line_break(single_line)
    )


def _text_warning(value: str | None, single_line: bool) -> str | None:
    """The warning a free text gives, if any: nothing visible in it, or (in a field meant for
    one line) a line break. A text with nothing visible gets only the first."""
    if value is None:
        return None
    if text_not_visible(value):
        return "text_not_visible"
    if single_line and has_line_break(value):
        return "text_line_break_in_single_line"
    return None


def _text_warnings(
    out: list[Issue], paths: tuple[str, ...], values: tuple[str | None, ...]
) -> None:
    for path, value in zip(paths, values, strict=True):
        code = _text_warning(value, path in SINGLE_LINE)
        if code is not None:
            out.append((code, path, {}))


def warnings_for(intyg: Intyg, icd10: Any = None) -> list[Issue]:
    """Warnings on a valid certificate, in document order: it stays valid, but a reader should
    look.

    Runs for every certificate of a batch: the free texts are read in a few C-level calls and
    looked at one by one only when the cheap test of :func:`_look_plain` cannot clear them.
    """
    catalogue = icd10 if icd10 is not None else DEFAULT_CATALOGUE
    top = _get_texts(intyg)  # patient.namn first, the single-line texts of utfardare last
    basis = tuple(map(_get_beskrivning, intyg.grund.underlag))
    diagnoser = intyg.diagnoser
    diagnosis_texts = tuple(map(_get_text, diagnoser))
    single = "".join((top[0], *diagnosis_texts, *top[-_SINGLE_IN_TAIL:]))  # all required
    texts = not _look_plain(top + basis + diagnosis_texts, single)

    out: list[Issue] = []
    if texts:
        _text_warnings(out, _TEXTS_HEAD, top[:_MIDDLE_AT])
        for i, value in enumerate(basis):
            code = _text_warning(value, False)
            if code is not None:
                out.append((code, f"grund.underlag[{i}].beskrivning", {}))
    # The form stores a code as written, and its syntax admits one spelling only (upper case,
    # with the dot: F32.1), so codes that mean the same are the same text.
    repeated = _duplicates(map(_get_kod, diagnoser)) if len(diagnoser) > 1 else ()
    for i, d in enumerate(diagnoser):
        if checked_lookup(catalogue, d.kod) == "extension":
            out.append(("icd10_swedish_extension", f"diagnoser[{i}].kod", {}))
        if i in repeated:
            out.append(("icd10_duplicate_code", f"diagnoser[{i}].kod", {}))
        if texts:
            code = _text_warning(diagnosis_texts[i], True)
            if code is not None:
                out.append((code, f"diagnoser[{i}].text", {}))
    if texts:
        _text_warnings(out, _TEXTS_MIDDLE, top[_MIDDLE_AT:_TAIL_AT])
    for i, p in enumerate(intyg.bedomning.perioder or ()):
        if (intyg.signeringsdatum - p.fran).days > 7:
            out.append(("period_starts_before_sign_date", f"bedomning.perioder[{i}].fran", {}))
    if texts:
        _text_warnings(out, _TEXTS_TAIL, top[_TAIL_AT:])
    return out
