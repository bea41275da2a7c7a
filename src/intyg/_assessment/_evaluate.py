"""Evaluation: ``assess(intyg, on, ruleset)``, a pure function of its arguments.

Every rule active on the date is evaluated once (per activity type for rules that read the demand
profile); nothing is skipped. The level of an activity type is the lowest cap among the level
rules that hold. A rule that cannot be evaluated (unknown) might cap too, so the engine keeps the
interval of levels consistent with the certificate: its top is the lowest cap that holds, its
bottom the lowest cap that holds or is unknown. One level is given only when the two meet;
otherwise the level is ``UNDERLAG_OTILLRACKLIGT`` and a komplettering finding names the rule.

How it runs: the rule set's :class:`~._plan.Plan` gives the rules active on the date with their
compiled tests; the certificate's values are read once into a frame (field paths and derived
quantities, per activity type where needed); the evidence of a rule is put together only when
the rule produces output. The result is built from plain data and wrapped in the output models
once.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .._args import require_date
from .._fieldchecks import EARLIEST_DATE, LATEST_DATE
from .._labels import NOTICE
from .._v1._model import Intyg
from .._version import __version__
from ._fields import Facts, extent_on
from ._loader import catalogue
from ._operators import ON, AtLeast, Frame, Tri, evidence
from ._output import (
    Aktivitet,
    Assessment,
    Fynd,
    NastaSteg,
    Uppfoljning,
    make,
)
from ._plan import ACTS, FYND, NIVA, Plan, Segment, Step
from ._ruleset import RuleSet
from ._select import select_ruleset

FULL_TIME = 40
JAMSTALLDHET = (
    "Följ upp insatser, nivåer och utfall uppdelat på kön, så att kvinnor och män med liknande "
    "begränsningar får likvärdigt stöd och likvärdiga krav (delmålet jämställd hälsa)."
)
_BY_RANK = {1: "FORHINDRAD", 2: "KAN_DELTA_DELVIS", 3: "KAN_DELTA"}
_INTERVAL = {
    (lo, hi): {"lagsta": _BY_RANK[lo], "hogsta": _BY_RANK[hi]} for lo in _BY_RANK for hi in _BY_RANK
}
_copy = dict.copy
_DICT_LISTS = ("perioder", "anpassningar", "begransningar", "skal")
"""The lists of dictionaries in an :class:`Aktivitet` (Fynd and NastaSteg hold none that are
shared: their evidence is built per result)."""


def _most_limiting(item: Item) -> tuple[int, str]:
    return -item[1], item[0]


_UNDERLAG = "UNDERLAG_OTILLRACKLIGT"
_BEARS = ("mattlig", "hog")
_FORHINDRAD = 1
_KAN_DELTA = 3
_WHY_PERIOD = "när perioden som gäller på bedömningsdatumet slutar"
_WHY_TREATMENT = "när behandlingen väntas vara avslutad"
_WHY_KOMPLETTERING = "intyget behöver kompletteras"

Item = tuple[str, int, str, "str | None", tuple[str, ...]]
"""An ICF item: code, grade, list, demand-table area, demand per activity type."""


def assess(intyg: Intyg, on: _dt.date, ruleset: RuleSet | str | None = None) -> Assessment:
    """Assessment support for a validated certificate on a given date.

    Args:
        intyg: a validated certificate (from :func:`intyg.load`).
        on: the date assessed; it chooses the rule set (never the clock).
        ruleset: a rule set or its id to use instead of the one for ``on``; it must be valid on
            ``on``.

    Raises:
        RuleSetError: ``ruleset_not_found``, ``ruleset_unknown`` or ``ruleset_not_valid_on_date``.
        TypeError: ``intyg`` is not a certificate or ``on`` is not a date.
        ValueError: ``on`` is outside 1900-01-01 to 2199-12-31, the dates a certificate may
            carry (the follow-up date is computed from it).

    The result supports the case officer; it decides nothing.
    """
    return _detached(assess_shared(intyg, on, ruleset))


def assess_shared(intyg: Intyg, on: _dt.date, ruleset: RuleSet | str | None = None) -> Assessment:
    """:func:`assess`, but the dictionaries in the result's lists (and ``niva_intervall``)
    may be shared with the rule set's plan, with other results and between the activity
    types of this one: for a caller that only writes the result out and then drops it (the
    batch path), never to be handed to anyone else. Nothing here mutates them."""
    if not isinstance(intyg, Intyg):
        raise TypeError(
            "intyg.assess: expected a validated certificate (intyg.load(...)), "
            f"not {type(intyg).__name__}"
        )
    require_date(on, "intyg.assess: on")
    if not EARLIEST_DATE <= on <= LATEST_DATE:
        raise ValueError(
            f"intyg.assess: on must be between {EARLIEST_DATE} and {LATEST_DATE}, not {on}"
        )
    rs = select_ruleset(catalogue().rulesets, on, ruleset)
    plan = rs._plan
    seg = plan.at(on)
    facts, frame, frames, items = _read(plan, seg, intyg, on)
    trace, outcomes, findings, steps, cited = _run(plan, seg, frame, frames)
    activities, level_findings = _activities(
        intyg, facts, plan, seg, items, outcomes, frame, frames, cited
    )
    if level_findings:
        findings = level_findings + findings
    return make(
        Assessment,
        {
            "schemaversion": "1.0.0",
            "intygsid": intyg.intygsid,
            "bedomningsdatum": on,
            "regelverk": plan.regelverk,
            "motorversion": __version__,
            "meddelande": NOTICE,
            "aktiviteter": activities,
            "fynd": findings,
            "nasta_steg": steps,
            "uppfoljning": _follow_up(intyg, facts, plan, findings),
            "kallor": [src for sid, src in plan.sources if sid in cited],
            "regelutfall": trace,
        },
    )


def _read(
    plan: Plan, seg: Segment, intyg: Intyg, on: _dt.date
) -> tuple[Facts, Frame, list[Frame], list[Item] | None]:
    """Every value the active rules read: one frame, and one per activity type."""
    facts = Facts(intyg, on)
    frame: Frame = {key: get(intyg) for key, get in seg.fields}
    for key, compute in seg.derived:
        frame[key] = compute(facts)
    frame[ON] = on
    items = _items(plan, facts)
    frames = [frame] * len(ACTS)
    if seg.levels:
        per_level: list[tuple[str, list[int | AtLeast | None]]] = []
        for key, level in seg.levels:
            if items is None:
                # unknown, unless no area asks this much of the activity (then 0)
                values: list[int | AtLeast | None] = [
                    None if p else 0 for p in plan.possible[level]
                ]
            else:
                top = [0] * len(ACTS)
                acts_at = plan.acts_at[level]
                for it in items:
                    grade = it[1]
                    for i in acts_at[it[3]]:
                        if grade > top[i]:
                            top[i] = grade
                values = list(top)
                if not facts.activities_graded:
                    # Only impairments (b) are graded: an ungraded activity area could still
                    # hold a higher grade, so below the top grade (4) the quantity is known
                    # only from below: at least the highest impairment's grade (none: unknown).
                    open_ = plan.possible_in_activities[level]
                    values = [
                        (AtLeast(grade) if grade else None) if open_[i] and grade < 4 else grade
                        for i, grade in enumerate(top)
                    ]
            per_level.append((key, values))
        frames = []
        for i in range(len(ACTS)):
            f = frame.copy()
            for key, values in per_level:
                f[key] = values[i]
            frames.append(f)
    return facts, frame, frames, items


def _run(
    plan: Plan, seg: Segment, frame: Frame, frames: list[Frame]
) -> tuple[list[Any], list[Tri], list[Fynd], list[NastaSteg], set[str]]:
    """Every active rule evaluated, in order: the trace, the outcomes of the level rules (by
    slot), the findings and next steps, and the sources cited so far."""
    trace: list[Any] = []
    outcomes: list[Tri] = [None] * seg.slots
    findings: list[Fynd] = []
    steps: list[NastaSteg] = []
    cited = set(plan.kallor)
    none = len(ACTS)  # the trace index for no activity
    for st, slot in seg.steps:
        if st.kind == NIVA:
            if st.per_activity:
                for i in st.acts:
                    t = outcomes[slot + i] = st.test(frames[i])
                    trace.append(st.trace[i][t])
            else:
                t = outcomes[slot] = st.test(frame)
                trace.append(st.trace[none][t])
            continue
        t = st.test(frame)
        trace.append(st.trace[none][t])
        if t is False:
            continue
        cited.update(st.kallor)
        if t is None:
            findings.append(_unknown_finding(st, [frame], []))
        elif st.kind == FYND:
            findings.append(
                make(
                    Fynd,
                    {
                        "regel": st.id,
                        "utfall": "sant",
                        "allvarlighet": st.allvarlighet,
                        "meddelande": st.meddelande,
                        "fraga": st.fraga,
                        "falt": list(st.falt),
                        "varden": evidence(st.evidence, frame),
                        "kallor": list(st.kallor),
                        "aktiviteter": [],
                    },
                )
            )
        else:
            steps.append(
                make(
                    NastaSteg,
                    {
                        "regel": st.id,
                        "aktor": st.aktor,
                        "medverkande": list(st.medverkande),
                        "text": st.text,
                        "kallor": list(st.kallor),
                    },
                )
            )

    return trace, outcomes, findings, steps, cited


def _items(plan: Plan, facts: Facts) -> list[Item] | None:
    """The graded ICF items with their area and demand per activity type."""
    if facts.items is None:
        return None
    area_of = plan.demand.area
    rows, other = plan.rows, plan.other_row
    out: list[Item] = []
    for kod, grad, lista in facts.items:
        area = area_of(kod)
        out.append((kod, grad, lista, area, other if area is None else rows[area]))
    return out


def _unknown_finding(st: Step, frames: list[Frame], activities: list[str]) -> Fynd:
    """The finding of a level rule that could not be tried, for ``activities`` (one frame
    each, or one for all): a value read that differs between them is unknown for the group."""
    first = frames[0]
    varden = evidence(st.evidence, first)
    if len(frames) > 1:  # only the per-activity quantities can differ between the frames
        for entry, (key, answered) in zip(varden, st.evidence, strict=True):
            value = first[key]
            if answered:  # only whether it is known is read
                differ = any((f[key] is None) is not (value is None) for f in frames)
            else:
                differ = any(f[key] != value for f in frames)
            if differ:
                entry["varde"] = None
    return make(
        Fynd,
        {
            "regel": st.id,
            "utfall": "okant",
            "allvarlighet": st.okant_allvarlighet,
            "meddelande": st.okant_meddelande,
            "fraga": st.okant_fraga,
            "falt": list(st.falt),
            "varden": varden,
            "kallor": list(st.kallor),
            "aktiviteter": activities,
        },
    )


def _activities(
    intyg: Intyg,
    facts: Facts,
    plan: Plan,
    seg: Segment,
    items: list[Item] | None,
    outcomes: list[Tri],
    frame: Frame,
    frames: list[Frame],
    cited: set[str],
) -> tuple[list[Aktivitet], list[Fynd]]:
    base = intyg.sysselsattning.timmar_per_vecka or FULL_TIME
    extent = extent_on(facts)
    text_of = plan.adaptation_text
    profile = plan.profile_adaptations
    adaptations = plan.adaptations
    from_grade = plan.adaptation_from_grade
    # The items that bear on each activity type (grade 1 or more where the activity asks a
    # moderate or high demand), most limiting first and, at equal grades, by ICF code (so the
    # order does not depend on the certificate's), as Begransning data, and the adaptations
    # their areas suggest.
    limits_at: list[list[dict[str, Any]]] = [[] for _ in ACTS]
    suggest_at: list[list[tuple[str | None, tuple[str, ...]]]] = [[] for _ in ACTS]
    acts_at = plan.acts_at
    for kod, grad, lista, area, _ in sorted(items or (), key=_most_limiting):
        if grad < 1:
            continue
        suggest = adaptations.get(area, ()) if area is not None and grad >= from_grade else ()
        for krav in _BEARS:
            acts = acts_at[krav][area]
            if not acts:
                continue
            limit = {"kod": kod, "grad": grad, "omrade": area, "krav": krav, "lista": lista}
            for i in acts:
                limits_at[i].append(limit)
                if suggest:
                    suggest_at[i].append((area, suggest))
    doctor = [a._value_ for a in intyg.bedomning.anpassningar or ()]
    doctor_adapt = [{"kod": c, "text": text_of[c], "kalla": "intyg"} for c in doctor]
    periods = [
        (p.fran, p.till, int(p.omfattning), base * (100 - int(p.omfattning)) / 100)
        for p in facts.periods
    ]
    period_hours = [
        {"fran": fr, "till": to, "omfattning": om, "timmar_per_vecka": h}
        for fr, to, om, h in periods
    ]
    period_zero = [
        {"fran": fr, "till": to, "omfattning": om, "timmar_per_vecka": 0.0}
        for fr, to, om, _ in periods
    ]
    unknown_rules: dict[str, tuple[Step, list[Frame], list[str]]] = {}
    out: list[Aktivitet] = []
    for i, act in enumerate(ACTS):
        hi = lo = demand_hi = _KAN_DELTA
        capped = seg.caps[i]
        reasons: list[Any] = []
        unknown = False
        for st, slot in capped:
            t = outcomes[slot]
            rank = st.rank
            if t is True:
                if rank < hi:
                    hi = rank
                if rank < lo:
                    lo = rank
                if st.per_activity and rank < demand_hi:
                    demand_hi = rank
                reasons.append(st.skal_sant)
                cited.update(st.kallor)
            elif t is None:
                unknown = True
                if rank < lo:
                    lo = rank
            elif st.skal_falskt is not None:
                reasons.append(st.skal_falskt)
                cited.update(st.kallor)
        if unknown:  # an unknown rule gives a reason if it could lower the level: again, in order
            reasons = []
            for st, slot in capped:
                t = outcomes[slot]
                if t is True:
                    reasons.append(st.skal_sant)
                elif t is None:
                    if st.rank < hi:
                        reasons.append(st.skal_okant)
                        cited.update(st.kallor)
                        entry = unknown_rules.get(st.id)
                        if entry is None:
                            entry = unknown_rules[st.id] = (st, [], [])
                        if st.per_activity or not entry[1]:
                            entry[1].append(frames[i] if st.per_activity else frame)
                        entry[2].append(act)
                elif st.skal_falskt is not None:
                    reasons.append(st.skal_falskt)
        if hi == _FORHINDRAD:  # prevented (then lo is too): none, whatever the extent
            hours: float | None = 0.0
        elif extent is None or lo == _FORHINDRAD:
            # Possibly prevented (the level is open down to FORHINDRAD): the hours are as
            # unknown as the level, never the doctor's extent as if it held.
            hours = None
        else:
            hours = base * (100 - extent) / 100
        adapt = doctor_adapt.copy()
        suggestions = suggest_at[i]
        if suggestions:
            seen = set(doctor)
            areas: set[str | None] = set()  # areas whose adaptations are in
            for area, suggest in suggestions:
                if area in areas:
                    continue
                areas.add(area)
                for c in suggest:
                    if c not in seen:
                        seen.add(c)
                        adapt.append(profile[c])
        out.append(
            make(
                Aktivitet,
                {
                    "typ": act,
                    "niva": _BY_RANK[hi] if hi == lo else _UNDERLAG,
                    "niva_intervall": _INTERVAL[lo, hi],
                    "timmar_per_vecka": hours,
                    "timmar_bas": base,
                    "perioder": period_zero if demand_hi == _FORHINDRAD else period_hours,
                    "anpassningar": adapt,
                    "begransningar": limits_at[i],
                    "skal": reasons,
                },
            )
        )
    findings = [_unknown_finding(st, f, acts) for st, f, acts in unknown_rules.values()]
    return out, findings


def _detached(a: Assessment) -> Assessment:
    """``a`` (fresh from :func:`assess_shared`, seen by no one yet) with its own copy of every
    dictionary a caller could change, so that no result shares one with another or with the
    plan. The only place that copies: the evaluation itself shares freely."""
    for x in a.aktiviteter:
        d = x.__dict__
        d["niva_intervall"] = d["niva_intervall"].copy()
        for key in _DICT_LISTS:
            d[key] = list(map(_copy, d[key]))
    d = a.__dict__
    d["kallor"] = list(map(_copy, d["kallor"]))
    d["regelutfall"] = list(map(_copy, d["regelutfall"]))
    return a


def _follow_up(intyg: Intyg, facts: Facts, plan: Plan, findings: list[Fynd]) -> Uppfoljning:
    on = facts.on
    date, why = on + plan.senast_efter, plan.senast_efter_text
    if facts.forhindrad:
        for p in facts.periods:
            if p.fran <= on <= p.till:
                if p.till < date:
                    date, why = p.till, _WHY_PERIOD
                break
    end = intyg.behandling.slutdatum
    if end is not None and end >= on and end < date:
        date, why = end, _WHY_TREATMENT
    if any(f.allvarlighet == "komplettering" for f in findings):
        due = on + plan.komplettering
        if due < date:
            date, why = due, _WHY_KOMPLETTERING
    return make(Uppfoljning, {"datum": date, "skal": why, "jamstalldhet": JAMSTALLDHET})
