"""The rules of form version 1 across fields, with no pydantic.

Each section of :mod:`intyg._v1._model` with rules of its own names its function here
(``checks = _checks.grund``); :func:`intyg._formspec.check_section` runs it after the section's
fields are valid. The prebuilt validator of ``python -m intyg validate``
(:mod:`intyg._v1._prebuilt`) runs the same functions on its light stand-ins for the model
classes, so nothing here may depend on pydantic: only attribute access on the section.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._formspec import Issue
from .._icd10 import DEFAULT_CATALOGUE
from .._personid import PersonIdError, parse_personid
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


def resolve_short_personid(data: Any) -> Any:
    """A 10-digit personnummer read with the century of the certificate's own date (the
    signeringsdatum), never the clock; anything else is passed on for the field checks."""
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
        full = parse_personid(pid, on=on).value
    except (ValueError, PersonIdError):
        return data  # the field check reports it
    return {**data, "patient": {**patient, "personid": full}}


def intyg(self: Intyg) -> list[Issue]:
    """Dates against the certificate's date; a certificate cannot replace itself."""
    out: list[Issue] = []
    sign = self.signeringsdatum
    for i, u in enumerate(self.grund.underlag):
        if u.datum > sign:
            out.append(("date_after_sign_date", f"grund.underlag[{i}].datum", {}))
    if self.grund.kand_sedan is not None and self.grund.kand_sedan > sign:
        out.append(("date_after_sign_date", "grund.kand_sedan", {}))
    if self.ersatter is not None and self.ersatter.lower() == self.intygsid.lower():
        out.append(("replaces_itself", "ersatter", {}))
    return out


def warnings_for(intyg: Intyg, icd10: Any = None) -> list[Issue]:
    """Warnings on a valid certificate: it stays valid, but a reader should look."""
    catalogue = icd10 if icd10 is not None else DEFAULT_CATALOGUE
    out: list[Issue] = []
    for i, p in enumerate(intyg.bedomning.perioder or ()):
        if (intyg.signeringsdatum - p.fran).days > 7:
            out.append(("period_starts_before_sign_date", f"bedomning.perioder[{i}].fran", {}))
    for i, d in enumerate(intyg.diagnoser):
        if catalogue.lookup(d.kod) == "extension":
            out.append(("icd10_swedish_extension", f"diagnoser[{i}].kod", {}))
    return out
