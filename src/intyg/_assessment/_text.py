"""The assessment as readable Swedish text (the CLI's default output)."""

from __future__ import annotations

import datetime as _dt

from .._labels import ACTOR, ACTOR_IN_TEXT, LEVEL
from .._numbers import swedish_number
from .._v1._codes import KV_SYSSELSATTNING
from ._output import Assessment

SEVERITY_TEXT = {"komplettering": "KOMPLETTERING", "varning": "VARNING", "info": "INFORMATION"}
"""A finding's severity in the text output: the report's labels (Komplettering, Varning,
Information) in capitals, to stand out in plain text."""


def date_span(fran: _dt.date, till: _dt.date | None) -> str:
    """Two dates as Swedish writes a span of them: a spaced dash between dates that have
    hyphens of their own (``2026-07-01 – 2026-12-31``), or ``från 2026-07-01 tills vidare``."""
    if till is None:
        return f"från {fran.isoformat()} tills vidare"
    return f"{fran.isoformat()} – {till.isoformat()}"


ADAPTATION_SOURCE = {"intyg": "angiven i intyget", "kravprofil": "föreslås av stödet"}
"""Where an adaptation to consider comes from, as the report and the text output mark it."""


def per_week(value: object, shown: str) -> str:
    """``shown`` (``value`` as written) hours per week, in the singular for one."""
    return f"{shown} {'timme' if value == 1 else 'timmar'} per vecka"


def counted_on(base: object, shown: str) -> str:
    """The hours per week the hours are counted on (``shown``, ``base`` as written), and what
    they are: full time (40), or the person's own hours as the certificate gives them
    (question 3.2 of form 1.0.0). For the report and the text output alike."""
    note = "heltid" if base == 40 else "sysselsättningen enligt intyget"
    return f"{per_week(base, shown)}, {note}"


def _per_week(h: float) -> str:
    return per_week(h, swedish_number(h))


def _hours(h: float | None) -> str:
    return "okänt" if h is None else _per_week(h)


def format_assessment(a: Assessment) -> str:
    """The assessment as plain Swedish text for a case officer.

    Raises:
        TypeError: ``a`` is not an :class:`Assessment` (from :func:`intyg.assess`).
    """
    if not isinstance(a, Assessment):
        raise TypeError(
            "intyg.format_assessment: expected an assessment (intyg.assess(...)), "
            f"not {type(a).__name__}"
        )
    rv = a.regelverk
    lines = [
        f"Bedömningsstöd för intyg {a.intygsid}, bedömningsdatum {a.bedomningsdatum.isoformat()}",
        f"Regelverk: {rv.titel}, version {rv.version} ({STATUS_TEXT[rv.status]}), gäller "
        f"{date_span(rv.giltig_fran, rv.giltig_till)}, första bedömda period "
        f"{rv.forsta_period.isoformat()}",
        f"Regelverkets id {rv.id}, kontrollsumma {rv.checksumma}",
        "",
        a.meddelande,
        "",
        "Per aktivitetstyp",
    ]
    for act in a.aktiviteter:
        # A code this version does not know (an assessment made elsewhere) is shown as it is.
        name = KV_SYSSELSATTNING.codes.get(act.typ, act.typ)
        level = LEVEL[act.niva]
        if act.niva == "UNDERLAG_OTILLRACKLIGT":
            low, high = (LEVEL[act.niva_intervall[k]].lower() for k in ("lagsta", "hogsta"))
            level += (
                f" (möjlig nivå: {low})"
                if low == high
                else f" (möjliga nivåer: från {low} till {high})"
            )
        lines.append(
            f"- {name}: {level}; {_hours(act.timmar_per_vecka)} på bedömningsdatumet "
            f"(räknat på {counted_on(act.timmar_bas, swedish_number(act.timmar_bas))})"
        )
        if act.perioder:  # this activity type's own hours: the demand profile may lower them
            per = "; ".join(
                f"{date_span(p['fran'], p['till'])}: {_hours(p['timmar_per_vecka'])}"
                for p in act.perioder
            )
            lines.append(f"    per period: {per}")
        reasons: dict[str, list[str]] = {}  # each reason once, with every rule that gave it
        for s in act.skal:
            given_by = reasons.setdefault(s["text"], [])
            if s["regel"] not in given_by:
                given_by.append(s["regel"])
        for text, rules in reasons.items():
            lines.append(f"    skäl: {text} [{', '.join(rules)}]")
        if act.begransningar:
            lim = ", ".join(f"{b['kod']} grad {b['grad']}" for b in act.begransningar)
            lines.append(f"    begränsningar som påverkar: {lim}")
        if act.anpassningar:
            ad = "; ".join(
                f"{x['text']} ({ADAPTATION_SOURCE[x['kalla']]})"
                if x["kalla"] in ADAPTATION_SOURCE
                else x["text"]
                for x in act.anpassningar
            )
            lines.append(f"    anpassningar att överväga: {ad}")
    periods = a.aktiviteter[0].perioder if a.aktiviteter else []
    if periods:  # the dates and extents, the same for every activity type
        lines += ["", "Perioder enligt intyget"]
        for p in periods:
            lines.append(f"- {date_span(p['fran'], p['till'])}: förhindrad {p['omfattning']} %")
    lines += ["", "Fynd"]
    if not a.fynd:
        lines.append("- Inga fynd.")
    # Rules that say the same (several that could not be tried for the same missing data):
    # said once, with every rule's id, as in the printed report.
    said: dict[tuple[str, str, str, str | None], list[str]] = {}
    for f in a.fynd:
        said.setdefault((f.allvarlighet, f.utfall, f.meddelande, f.fraga), []).append(f.regel)
    for (severity, _, message, question), rules in said.items():
        lines.append(f"- {SEVERITY_TEXT[severity]}: {message} [{', '.join(rules)}]")
        if question:
            lines.append(f"    fråga till läkaren: {question}")
    lines += ["", "Nästa steg"]
    if not a.nasta_steg:
        lines.append("- Inga förslag.")
    for step in a.nasta_steg:
        who = ACTOR.get(step.aktor, step.aktor)
        if step.medverkande:
            others = [ACTOR_IN_TEXT.get(m, m) for m in step.medverkande]
            joined = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} och {others[-1]}"
            who += f" (tillsammans med {joined})"
        lines.append(f"- {who}: {step.text} [{step.regel}]")
    u = a.uppfoljning
    lines += [
        "",
        f"Uppföljning senast {u.datum.isoformat()} ({u.skal}). {u.jamstalldhet}",
        "",
        "Källor",
    ]
    for k in a.kallor:
        names = " – ".join(source_names(k["hanvisning"], k["titel"]))
        status = [source_status(k["status"], k.get("typ"))]
        status += filter(None, [verification_note(k["hanvisning"], k.get("verifiering"))])
        lines.append(f"- {names} ({', '.join(status)})")
    return "\n".join(lines) + "\n"


_BINDING = frozenset({"lag", "foreskrift"})
"""Kinds of source that are law when in force (laws, and the authorities' regulations)."""
_IN_FORCE_NOT_LAW = {
    "riktlinje": "gäller, vägledning som inte är bindande",
    "regeringsbeslut": "gäller, regeringsbeslut",
}
PRINTED_STATUS = {
    "gallande": "gällande rätt",
    "forslag": "förslag, inte beslutat",
    "upphavd": "upphävd",
}
"""A rule set's or a law's status as the case officer's printout says it."""

STATUS_TEXT = {**PRINTED_STATUS, "forslag": "FÖRSLAG, inte beslutat"}
"""A rule set's status in the text output: the printout's words, a proposal in capitals."""


def verification_note(reference: str, verifiering: object) -> str | None:
    """The caveat for a source whose reference is not yet checked, unless its citation already
    ends by saying so ("(bestämmelse att verifiera)")."""
    from ._ruledefs import PROVISION_TO_VERIFY

    if verifiering != "att_verifiera" or reference.endswith(PROVISION_TO_VERIFY):
        return None
    return "hänvisningen ska verifieras"


def source_status(status: str, typ: str | None) -> str:
    """A source's status as a case officer reads it: only laws and regulations in force are
    "gällande rätt" (a guideline or a government decision in force is not law)."""
    if status == "gallande" and typ not in _BINDING:
        return _IN_FORCE_NOT_LAW.get(typ or "", "gäller")
    return PRINTED_STATUS.get(status, status)


def source_names(reference: str, title: str) -> list[str]:
    """A source's reference and title, the title left out when the reference says all it
    does (a lagrådsremiss is named by its title and date)."""
    if reference and all(w.strip("()") in reference for w in title.split()):
        return [reference]
    return [n for n in (reference, title) if n]
