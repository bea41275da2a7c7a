"""The assessment report for the case officer, built from an assessment's JSON form.

Reads the assessment as plain JSON data (``Assessment.model_dump(mode="json")``) rather than the
model's classes, so the report keeps working while the assessment model grows, and a stored
assessment can be printed years later. Codes are shown with Swedish texts; anything the report
does not know is shown as it is, never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .._labels import ACTOR, LEVEL, NOTICE
from .._numbers import swedish_number
from .._v1._codes import KV_ANPASSNING, KV_SYSSELSATTNING

if TYPE_CHECKING:
    from .._tree import Node


ALLVAR_TEXT: dict[str, str] = {
    "info": "Information",
    "varning": "Varning",
    "komplettering": "Komplettering",
    "warning": "Varning",
    "error": "Fel",
}


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
    mojliga: str
    timmar_idag: str
    perioder: tuple[PeriodRow, ...]
    anpassningar: tuple[str, ...]
    begransningar: tuple[str, ...]
    skal: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A finding for the case officer, with the question to send back to the doctor; the
    rules that said the same (:func:`_said_once`)."""

    severity: str
    message: str
    question: str | None
    fields: tuple[str, ...]
    rules: tuple[str, ...]
    sources: tuple[str, ...]
    activities: tuple[str, ...]
    readings: tuple[str, ...] = ()


def _joined(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for part in parts for x in part))


def _said_once(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings that say the same thing (severity, message, question) shown once, at the first,
    with the rules, fields, sources, activity types and values of all of them: several rules
    that could not be tried for the same missing data ask the doctor one question."""
    out: dict[tuple[str, str, str | None], Finding] = {}
    for f in findings:
        key = (f.severity, f.message, f.question)
        first = out.get(key)
        if first is None:
            out[key] = f
            continue
        out[key] = Finding(
            severity=f.severity,
            message=f.message,
            question=f.question,
            fields=_joined(first.fields, f.fields),
            rules=_joined(first.rules, f.rules),
            sources=_joined(first.sources, f.sources),
            activities=_joined(first.activities, f.activities),
            readings=_joined(first.readings, f.readings),
        )
    return tuple(out.values())


@dataclass(frozen=True)
class Step:
    """A next step and who is responsible for it."""

    actor: str
    text: str
    others: tuple[str, ...]
    rule: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """How one rule came out (every rule is tried), for an activity type or for all."""

    rule: str
    activity: str
    result: str
    title: str = ""
    """The rule's title, when the rule set that made the assessment is this installation's."""


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
    ruleset_line: str
    """The rule set in one line for the first page: title, id, version and status."""
    activities: tuple[ActivityRow, ...]
    findings: tuple[Finding, ...]
    steps: tuple[Step, ...]
    follow_up: str
    follow_up_notes: tuple[str, ...]
    board_note: str
    """What the board follows up over all cases (the equality note), printed apart from this
    person's follow-up."""
    sources: tuple[Source, ...]
    notice: str
    patient_name: str
    patient_id: str
    intygsid: str
    signed: str
    outcomes: tuple[Outcome, ...] = ()


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
    if isinstance(value, int | float):  # bool is handled above
        return swedish_number(value)
    return str(value)


def _code(table: Mapping[Any, str], value: Any) -> str:
    if isinstance(value, Mapping):
        return _text(value)
    return table.get(value, _text(value))


def _period(p: Any) -> PeriodRow:
    fran = _text(_get(p, "fran", "from", "start"))
    till = _text(_get(p, "till", "to", "slut"))
    span = f"{fran} – {till}" if fran or till else "–"
    hours = _get(p, "timmar_per_vecka", "timmar", "hours_per_week")
    hours_text = "okänt" if hours is None else _text(hours)
    omf = _get(p, "omfattning", "forhindrad_procent")
    note = f"förhindrad {omf} %" if omf is not None else _text(_get(p, "anmarkning"))
    return PeriodRow(span, hours_text, note)


def _anpassning(x: Any) -> str:
    if not isinstance(x, Mapping):
        return _code(KV_ANPASSNING.codes, x)
    text = _text(_get(x, "text", default=KV_ANPASSNING.codes.get(_get(x, "kod"), "")))
    from .._assessment._text import ADAPTATION_SOURCE

    kalla = ADAPTATION_SOURCE.get(_get(x, "kalla"), "")
    return f"{text} ({kalla})" if kalla else text


_LISTA = {
    "aktivitetsbegransning": "aktivitetsbegränsning",
    "funktionsnedsattning": "funktionsnedsättning",
}
_KRAV = {"lag": "lågt", "mattlig": "måttligt", "hog": "högt"}


def _begransning(x: Any, areas: Mapping[str, str]) -> str:
    if not isinstance(x, Mapping):
        return _text(x)
    parts = [f"{_text(_get(x, 'kod'))} grad {_text(_get(x, 'grad'))}"]
    lista = _get(x, "lista")
    if lista:
        parts.append(_LISTA.get(lista, _text(lista)))
    omrade = _get(x, "omrade")
    krav = _get(x, "krav")
    if omrade and krav:
        area = _text(omrade)
        if area in areas:  # named as the demand profile names it
            area += f" {areas[area]}"
        parts.append(f"{area}, {_KRAV.get(krav, _text(krav))} krav")
    elif krav:
        parts.append(f"{_KRAV.get(krav, _text(krav))} krav")
    return "; ".join(parts)


def _skal(reasons: Sequence[Any]) -> tuple[str, ...]:
    """The reasons for a level, each said once with every rule that gave it (two rules that
    could not be tried for the same missing data give the same reason)."""
    rules: dict[tuple[str, bool], list[str]] = {}
    for x in reasons:
        unknown = isinstance(x, Mapping) and x.get("utfall") == "okant"
        said = rules.setdefault((_text(x), unknown), [])
        rule = _text(_get(x, "regel"))
        if rule and rule not in said:
            said.append(rule)
    out = []
    for (text, unknown), ids in rules.items():
        if unknown:
            text += " (kunde inte prövas: uppgifter saknas)"
        if ids:
            text += f" [{', '.join(ids)}]"
        out.append(text)
    return tuple(out)


def _activity(a: Any, areas: Mapping[str, str]) -> ActivityRow:
    typ = _get(a, "typ", "aktivitet", "aktivitetstyp")
    niva = _get(a, "niva", "level")
    perioder = tuple(_period(p) for p in _list(_get(a, "perioder")))
    hours = _get(a, "timmar_per_vecka")
    base = _get(a, "timmar_bas")
    intervall = _get(a, "niva_intervall")
    if hours is not None:
        timmar = _text(hours)
    elif niva == "UNDERLAG_OTILLRACKLIGT" and _get(intervall, "lagsta") == "FORHINDRAD":
        timmar = "okänt, eftersom förhindrad är en av de möjliga nivåerna"
    else:
        timmar = "okänt, eftersom förhindret på bedömningsdatumet är okänt"
    if base is not None:
        from .._assessment._text import counted_on

        timmar += f" ({'av' if hours is not None else 'grund:'} {counted_on(base, _text(base))})"
    mojliga = ""
    if isinstance(intervall, Mapping):
        low = _code(LEVEL, _get(intervall, "lagsta"))
        high = _code(LEVEL, _get(intervall, "hogsta"))
        mojliga = low if low == high else f"från {low.lower()} till {high.lower()}"
    return ActivityRow(
        typ=_code(KV_SYSSELSATTNING.codes, typ),
        niva=_code(LEVEL, niva),
        mojliga=mojliga,
        timmar_idag=timmar,
        perioder=perioder,
        anpassningar=tuple(_anpassning(x) for x in _list(_get(a, "anpassningar"))),
        begransningar=tuple(_begransning(x, areas) for x in _list(_get(a, "begransningar"))),
        skal=_skal(_list(_get(a, "skal", "reasons"))),
    )


UTFALL_TEXT: dict[str, str] = {
    "sant": "uppfylld",
    "falskt": "inte uppfylld",
    "okant": "kunde inte prövas (uppgifter saknas)",
}


@cache
def _questions() -> dict[str, tuple[str, Node]]:
    """Each question of the current form version (whose fields the rule sets read) by its
    field path: how a case officer finds it on the printed certificate (``7.3 ”Kan vissa
    aktiviteter försämra patientens sjukdom?”``; a question in a repeating group with the
    group's, ``8.2 ”Perioder och omfattning” / ”Från och med”``), and the question itself."""
    from .._registry import get_form
    from .._tree import question_tree
    from ._numbering import layout

    tree = question_tree(get_form().model)
    numbers = layout(tree).numbers
    found: dict[str, tuple[str, Node]] = {}

    def walk(nodes: Sequence[Node], group: str | None) -> None:
        for node in nodes:
            number = numbers.get(node.link_id)
            title = f"”{node.title}”"
            if number is not None:
                label = f"{number} {title}"
            else:
                label = title if group is None else f"{group} / {title}"
            found[node.link_id] = (label, node)
            walk(node.children, label)

    walk(tree, None)
    return found


def question_label(path: str) -> str | None:
    """The question a problem's path names, as the printed certificate shows it
    (``3.2 ”Sysselsättningens omfattning, timmar per vecka”``); None for a path that names
    none (a FHIR element, a command-line option). List positions are left out: the path
    keeps them."""
    question = _questions().get(re.sub(r"\[\d+\]", "", path))
    return question[0] if question is not None else None


def _field(path: Any) -> str:
    """A field path as the question on the printed certificate; the path if it is none."""
    return question_label(_text(path)) or _text(path)


def _reading(x: Any) -> str:
    """A value a rule read, as ``name: value``, named and shown as the case officer reads them:
    a question by its number and title, its codes by their texts, a derived quantity by its
    short name (free text is never among them, only whether it was given)."""
    if not isinstance(x, Mapping):
        return _text(x)
    name = _text(_get(x, "namn"))
    value = x.get("varde")
    question = _questions().get(name)
    kodverk = question[1].kodverk if question is not None else None

    def shown_value(v: Any) -> str:
        if isinstance(v, bool) and question is not None and question[1].kind != "boolean":
            # a rule asked only whether a text or list was given, not what it says
            return "ifylld" if v else "inte ifylld"
        if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
            v = int(v)  # 75.0 is the code 75, as JSON reads it
        if kodverk is not None and isinstance(v, str | int) and not isinstance(v, bool):
            return kodverk.codes.get(v, _text(v))
        if isinstance(v, Mapping | list):  # no value a rule reads: shown as the file has it
            return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
        return _text(v)

    if value is None:  # a derived quantity unknown, or a question unanswered
        shown = "okänt" if name.startswith(_DERIVED_PREFIX) else "saknas"
    elif isinstance(value, Mapping) and set(value) == {"minst"}:  # known only from below
        least = value["minst"]
        loose = isinstance(least, Mapping | list)
        shown = f"minst {shown_value(least) if loose else _text(least)}"
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        shown = ", ".join(shown_value(v) for v in value) if value else "inga"
    else:
        shown = shown_value(value)
    if question is not None:
        label = question[0]
    elif name.startswith(_DERIVED_PREFIX):
        from .._assessment._fields import DERIVED

        derived = DERIVED.get(name.removeprefix(_DERIVED_PREFIX))
        label = derived.etikett if derived is not None and derived.etikett else name
    else:
        label = name
    return f"{label}: {shown}"


_DERIVED_PREFIX = "harlett."
"""How the assessment names a derived quantity among the values a rule read."""


def _outcome(r: Any, titles: Mapping[str, str]) -> Outcome:
    activity = _get(r, "aktivitet")
    rule = _text(_get(r, "regel", "rule"))
    return Outcome(
        rule=rule,
        activity="alla (gäller hela intyget)"
        if activity is None
        else _code(KV_SYSSELSATTNING.codes, activity),
        result=_code(UTFALL_TEXT, _get(r, "utfall")),
        title=titles.get(rule, ""),
    )


def _installed(ruleset: Any) -> Any:
    """This installation's rule set of the assessment's id, when its checksum is the
    assessment's (the same rules, demand profile and sources); else None."""
    if not isinstance(ruleset, Mapping):
        return None
    try:
        from .._assessment import rulesets
    except ImportError:  # no assessment support installed: the ids alone
        return None

    for rs in rulesets():
        if rs.id == ruleset.get("id") and rs.checksumma == ruleset.get("checksumma"):
            return rs
    return None


def _finding(f: Any, cited: Mapping[str, str]) -> Finding:
    fields = _get(f, "falt", "fields", default=())
    if isinstance(fields, str):
        fields = (fields,)
    severity = _code(ALLVAR_TEXT, _get(f, "allvarlighet", "severity"))
    if isinstance(f, Mapping) and f.get("utfall") == "okant":
        severity += " (uppgifter saknas)"
    return Finding(
        severity=severity,
        message=_text(_get(f, "meddelande", "message", "text")),
        question=_get(f, "fraga", "question"),
        fields=tuple(_field(x) for x in _list(fields)),
        rules=tuple(x for x in (_text(_get(f, "regel", "rule")),) if x),
        sources=tuple(cited.get(_text(x), _text(x)) for x in _list(_get(f, "kallor", "sources"))),
        activities=tuple(_code(KV_SYSSELSATTNING.codes, x) for x in _list(_get(f, "aktiviteter"))),
        readings=tuple(_reading(x) for x in _list(_get(f, "varden"))),
    )


def _step(s: Any, cited: Mapping[str, str]) -> Step:
    return Step(
        actor=_code(ACTOR, _get(s, "aktor", "actor")),
        text=_text(_get(s, "text", "beskrivning")),
        others=tuple(_code(ACTOR, x) for x in _list(_get(s, "medverkande", "others", default=()))),
        rule=_text(_get(s, "regel", "rule")),
        sources=tuple(cited.get(_text(x), _text(x)) for x in _list(_get(s, "kallor", "sources"))),
    )


def _source(k: Any) -> Source:
    if not isinstance(k, Mapping):
        return Source(_text(k), _text(k))
    from .._assessment._text import source_names, source_status, verification_note

    reference = _text(_get(k, "hanvisning"))
    parts = source_names(reference, _text(_get(k, "titel", "title")))
    for key in ("beteckning", "bestammelse"):
        value = _get(k, key)
        if value and _text(value) not in parts:
            parts.append(_text(value))
    status = _get(k, "status")
    if status:
        parts.append(source_status(_text(status), _get(k, "typ")))
    note = verification_note(reference, _get(k, "verifiering"))
    if note:
        parts.append(note)
    return Source(_text(_get(k, "id", default="")), ", ".join(p for p in parts if p))


def _ruleset_line(r: Any) -> str:
    if not isinstance(r, Mapping):
        return _text(r) if r else ""
    from .._assessment._text import PRINTED_STATUS

    named = " ".join(_text(r[k]) for k in ("id", "version") if r.get(k) is not None)
    line = _text(r.get("titel")) if r.get("titel") is not None else ""
    if named:
        line = f"{line} ({named})" if line else named
    if r.get("status") is not None:
        line += f", {_code(PRINTED_STATUS, r['status'])}"
    return line


def _ruleset(r: Any) -> tuple[tuple[tuple[str, str], ...], bool]:
    if not isinstance(r, Mapping):
        return ((("Regelverk", _text(r)),) if r else ()), False
    rows: list[tuple[str, str]] = []
    labels = (
        ("titel", "Regelverk"),
        ("id", "Id"),
        ("version", "Version"),
        ("status", "Status"),
        ("giltig_fran", "Gäller för bedömningsdatum från och med"),
        ("giltig_till", "Gäller till och med"),
        ("forsta_period", "Första bedömda period"),
        ("bygger_pa", "Bygger på regelverket"),
        ("checksumma", "Kontrollsumma (sha256)"),
    )
    from .._assessment._text import PRINTED_STATUS

    for key, label in labels:
        value = r.get(key)
        if value is None:
            continue
        rows.append((label, _code(PRINTED_STATUS, value) if key == "status" else _text(value)))
    return tuple(rows), r.get("status") == "forslag"


def assessment_report(data: Mapping[str, Any], intyg: Any = None) -> Report:
    """The printable view of an assessment (its JSON data), with the certificate if known."""
    ruleset, proposal = _ruleset(_get(data, "regelverk", "ruleset"))
    engine = _get(data, "motorversion")
    if engine is not None:  # the release needed to make the assessment again exactly
        ruleset += (("Gjord med intyg, version", _text(engine)),)
    follow = _get(data, "uppfoljning", "follow_up")
    follow_notes: tuple[str, ...] = ()
    board_note = ""
    if isinstance(follow, Mapping):
        follow_notes = tuple(_text(follow[k]) for k in ("skal",) if follow.get(k) is not None)
        board_note = _text(follow.get("jamstalldhet"))
        follow = _get(follow, "datum", "date")
    patient = getattr(intyg, "patient", None)
    from ._filled import format_personid

    # Rule titles and ICF area names only from this installation's rule set of the same id and
    # checksum (the same rules, demand profile and sources); else the ids alone.
    installed = _installed(_get(data, "regelverk", "ruleset"))
    titles = {} if installed is None else {rule.id: rule.titel for rule in installed.regler}
    areas = {} if installed is None else dict(installed.demand.names)
    # a finding's sources by their reference (SFS 2025:400 12 kap. 4 §), not their ids
    cited = {
        _text(_get(k, "id")): _text(_get(k, "hanvisning"))
        for k in _list(_get(data, "kallor", "sources"))
        if isinstance(k, Mapping) and _get(k, "id") and _get(k, "hanvisning")
    }

    return Report(
        assessed_on=_text(_get(data, "bedomningsdatum", "on", "datum")),
        ruleset=ruleset,
        ruleset_is_proposal=proposal,
        ruleset_line=_ruleset_line(_get(data, "regelverk", "ruleset")),
        activities=tuple(_activity(a, areas) for a in _list(_get(data, "aktiviteter"))),
        findings=_said_once([_finding(f, cited) for f in _list(_get(data, "fynd", "findings"))]),
        steps=tuple(_step(s, cited) for s in _list(_get(data, "nasta_steg", "steg", "next_steps"))),
        follow_up=_text(follow),
        follow_up_notes=follow_notes,
        board_note=board_note,
        sources=tuple(_source(k) for k in _list(_get(data, "kallor", "sources"))),
        notice=_text(_get(data, "meddelande", "notice", default=NOTICE)),
        patient_name=str(getattr(patient, "namn", "")),
        patient_id=format_personid(str(getattr(patient, "personid", ""))),
        intygsid=str(_get(data, "intygsid", default=getattr(intyg, "intygsid", ""))),
        signed=_text(getattr(intyg, "signeringsdatum", None) or _get(data, "signeringsdatum")),
        outcomes=tuple(_outcome(r, titles) for r in _list(_get(data, "regelutfall", default=()))),
    )
