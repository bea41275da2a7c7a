"""The assessment report for the case officer, built from an assessment's JSON form.

Reads the assessment as plain JSON data (``Assessment.model_dump(mode="json")``) rather than the
model's classes, so the report keeps working while the assessment model grows, and a stored
assessment can be printed years later. Codes are shown with Swedish texts; anything the report
does not know is shown as it is, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._v1._codes import KV_ANPASSNING, KV_SYSSELSATTNING

NIVA_TEXT: dict[str, str] = {
    "KAN_DELTA": "Kan delta",
    "KAN_DELTA_DELVIS": "Kan delta delvis",
    "FORHINDRAD": "Förhindrad",
    "UNDERLAG_OTILLRACKLIGT": "Underlaget räcker inte för en bedömning",
}

AKTOR_TEXT: dict[str, str] = {
    "socialnamnd": "Socialnämnden",
    "socialnamnden": "Socialnämnden",
    "region": "Regionen (hälso- och sjukvården)",
    "forsakringskassan": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen",
}

ALLVAR_TEXT: dict[str, str] = {
    "info": "Information",
    "varning": "Varning",
    "komplettering": "Komplettering",
    "warning": "Varning",
    "error": "Fel",
}

STATUS_TEXT: dict[str, str] = {
    "gallande": "gällande rätt",
    "forslag": "förslag, inte beslutat",
    "upphavd": "upphävd",
}

DEFAULT_NOTICE = (
    "Det här är ett stöd för handläggarens bedömning, inte ett beslut. Beslutet fattas av "
    "handläggaren efter en samlad bedömning av hela ärendet."
)


@dataclass(frozen=True)
class PeriodRow:
    """Hours per week that remain for an activity type during one period."""

    period: str
    hours: str
    note: str


@dataclass(frozen=True)
class ActivityRow:
    """One activity type and what the assessment says about it."""

    typ: str
    niva: str
    perioder: tuple[PeriodRow, ...]
    anpassningar: tuple[str, ...]
    skal: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A finding for the case officer, with the question to send back to the doctor."""

    severity: str
    message: str
    question: str | None
    fields: tuple[str, ...]
    rule: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """A next step and who is responsible for it."""

    actor: str
    text: str
    others: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A legal or policy source cited by the rules."""

    id: str
    text: str


@dataclass(frozen=True)
class Report:
    """Everything the assessment template draws."""

    assessed_on: str
    ruleset: tuple[tuple[str, str], ...]
    ruleset_is_proposal: bool
    activities: tuple[ActivityRow, ...]
    findings: tuple[Finding, ...]
    steps: tuple[Step, ...]
    follow_up: str
    sources: tuple[Source, ...]
    notice: str
    patient_name: str
    patient_id: str
    intygsid: str
    signed: str


def _get(d: Any, *keys: str, default: Any = None) -> Any:
    if not isinstance(d, Mapping):
        return default
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    return default


def _list(value: Any) -> list[Any]:
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(_get(value, "text", "titel", "meddelande", "id", default=""))
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return str(value)


def _code(table: Mapping[Any, str], value: Any) -> str:
    return table.get(value, _text(value))


def _period(p: Any) -> PeriodRow:
    fran = _text(_get(p, "fran", "from", "start"))
    till = _text(_get(p, "till", "to", "slut"))
    span = f"{fran} – {till}" if fran or till else "–"
    hours = _get(p, "timmar_per_vecka", "timmar", "hours_per_week")
    hours_text = "okänt" if hours is None else _text(hours)
    omf = _get(p, "omfattning", "forhindrad_procent")
    note = f"förhindrad {omf} %" if omf is not None else _text(_get(p, "anmarkning", "text"))
    return PeriodRow(span, hours_text, note)


def _activity(a: Any) -> ActivityRow:
    typ = _get(a, "typ", "aktivitet", "aktivitetstyp")
    niva = _get(a, "niva", "level")
    perioder = tuple(_period(p) for p in _list(_get(a, "perioder", "timmar_per_period")))
    if not perioder:
        hours = _get(a, "timmar_per_vecka")
        if hours is not None:
            perioder = (PeriodRow("hela perioden", _text(hours), ""),)
    anpassningar = tuple(
        _code(KV_ANPASSNING.codes, x) for x in _list(_get(a, "anpassningar", "adaptations"))
    )
    skal = tuple(
        _text(x)
        for x in _list(_get(a, "skal", "motivering", "forklaringar", "reasons", "begransningar"))
    )
    return ActivityRow(
        typ=_code(KV_SYSSELSATTNING.codes, typ),
        niva=_code(NIVA_TEXT, niva),
        perioder=perioder,
        anpassningar=anpassningar,
        skal=skal,
    )


def _finding(f: Any) -> Finding:
    fields = _get(f, "falt", "faltvagar", "fields", default=())
    if isinstance(fields, str):
        fields = (fields,)
    return Finding(
        severity=_code(ALLVAR_TEXT, _get(f, "allvarlighet", "severity")),
        message=_text(_get(f, "meddelande", "message", "text")),
        question=_get(f, "fraga", "fraga_till_lakaren", "question"),
        fields=tuple(_text(x) for x in _list(fields)),
        rule=_text(_get(f, "regel", "regel_id", "rule")),
        sources=tuple(_text(x) for x in _list(_get(f, "kallor", "sources"))),
    )


def _step(s: Any) -> Step:
    return Step(
        actor=_code(AKTOR_TEXT, _get(s, "aktor", "actor", "ansvarig")),
        text=_text(_get(s, "text", "beskrivning", "meddelande")),
        others=tuple(
            _code(AKTOR_TEXT, x) for x in _list(_get(s, "medverkande", "others", default=()))
        ),
    )


def _source(k: Any) -> Source:
    if not isinstance(k, Mapping):
        return Source(_text(k), _text(k))
    parts = [_text(_get(k, "titel", "title"))]
    beteckning = _get(k, "beteckning")
    if beteckning:
        parts.append(_text(beteckning))
    bestammelse = _get(k, "bestammelse")
    if bestammelse:
        parts.append(_text(bestammelse))
    status = _get(k, "status")
    if status:
        parts.append(_code(STATUS_TEXT, status))
    return Source(_text(_get(k, "id", default="")), ", ".join(p for p in parts if p))


def _ruleset(r: Any) -> tuple[tuple[tuple[str, str], ...], bool]:
    if not isinstance(r, Mapping):
        return ((("Regelverk", _text(r)),) if r else ()), False
    rows: list[tuple[str, str]] = []
    labels = (
        ("titel", "Regelverk"),
        ("id", "Id"),
        ("version", "Version"),
        ("status", "Status"),
        ("giltig_fran", "Gäller från"),
        ("giltig_till", "Gäller till"),
        ("forsta_period", "Första stödmånad"),
    )
    for key, label in labels:
        value = r.get(key)
        if value is None:
            continue
        rows.append((label, _code(STATUS_TEXT, value) if key == "status" else _text(value)))
    return tuple(rows), r.get("status") == "forslag"


def assessment_report(data: Mapping[str, Any], intyg: Any = None) -> Report:
    """The printable view of an assessment (its JSON data), with the certificate if known."""
    ruleset, proposal = _ruleset(_get(data, "regelverk", "ruleset"))
    follow = _get(data, "uppfoljning", "uppfoljningsdatum", "follow_up")
    if isinstance(follow, Mapping):
        follow = _get(follow, "datum", "senast", "date")
    patient = getattr(intyg, "patient", None)
    from ._filled import format_personid

    return Report(
        assessed_on=_text(_get(data, "bedomningsdatum", "on", "datum")),
        ruleset=ruleset,
        ruleset_is_proposal=proposal,
        activities=tuple(_activity(a) for a in _list(_get(data, "aktiviteter"))),
        findings=tuple(_finding(f) for f in _list(_get(data, "fynd", "findings"))),
        steps=tuple(_step(s) for s in _list(_get(data, "steg", "nasta_steg", "next_steps"))),
        follow_up=_text(follow),
        sources=tuple(_source(k) for k in _list(_get(data, "kallor", "sources"))),
        notice=_text(_get(data, "notis", "meddelande", "notice", default=DEFAULT_NOTICE)),
        patient_name=str(getattr(patient, "namn", "")),
        patient_id=format_personid(str(getattr(patient, "personid", ""))),
        intygsid=str(_get(data, "intygsid", default=getattr(intyg, "intygsid", ""))),
        signed=_text(getattr(intyg, "signeringsdatum", None) or _get(data, "signeringsdatum")),
    )
