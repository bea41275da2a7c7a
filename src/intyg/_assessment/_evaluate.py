"""Evaluation: ``assess(intyg, on, ruleset)``, a pure function of its arguments.

Every rule active on the date is evaluated once (per activity type for rules that read the demand
profile); nothing short-circuits. The level of an activity type is the lowest cap among the level
rules that hold. A rule that cannot be evaluated (unknown) might cap too, so the engine keeps the
interval of levels consistent with the certificate: its top is the lowest cap that holds, its
bottom the lowest cap that holds or is unknown. One level is given only when the two meet;
otherwise the level is ``UNDERLAG_OTILLRACKLIGT`` and a komplettering finding names the rule.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Any, cast

from .._v1._codes import AKTIVITETSTYPER, KV_ANPASSNING, Sysselsattning
from .._v1._model import Intyg
from .._version import __version__
from ._fields import DERIVED, Ctx, graded_items, period_on
from ._loader import catalogue
from ._operators import Reads, Tri
from ._output import (
    NOTICE,
    Aktivitet,
    Anpassningsforslag,
    Assessment,
    Begransning,
    Definite,
    Fynd,
    Kallhanvisning,
    Lasning,
    Level,
    NastaSteg,
    NivaIntervall,
    PeriodTimmar,
    Regelutfall,
    Regelverk,
    Skal,
    Uppfoljning,
    Utfall,
)
from ._ruledefs import FyndRegel, NivaRegel
from ._ruleset import CompiledRule, RuleSet
from ._select import select_ruleset

RANK: dict[Definite, int] = {"FORHINDRAD": 1, "KAN_DELTA_DELVIS": 2, "KAN_DELTA": 3}
BY_RANK: dict[int, Definite] = {v: k for k, v in RANK.items()}
UNDERLAG: Level = "UNDERLAG_OTILLRACKLIGT"
FULL_TIME = 40
JAMSTALLDHET = (
    "Följ upp insatser, nivåer och utfall uppdelat på kön, så att kvinnor och män med liknande "
    "begränsningar får likvärdigt stöd och likvärdiga krav."
)
_GENERIC_UNKNOWN = "Regeln kunde inte prövas eftersom uppgifter saknas i intyget."


def _utfall(t: Tri) -> Utfall:
    return "okant" if t is None else ("sant" if t else "falskt")


def _evidence(reads: Reads) -> tuple[list[str], list[Lasning]]:
    fields: list[str] = []
    for key in reads:
        if key.startswith("harlett."):
            d = DERIVED.get(key[len("harlett.") :])
            fields.extend(d.falt if d else ())
        else:
            fields.append(key)
    values = [Lasning(namn=k, varde=v) for k, v in reads.items()]
    return list(dict.fromkeys(fields)), values


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

    The result supports the case officer; it decides nothing.
    """
    if not isinstance(intyg, Intyg):
        raise TypeError("intyg.assess: expected a validated certificate (intyg.load(...))")
    if not isinstance(on, _dt.date) or isinstance(on, _dt.datetime):
        raise TypeError("intyg.assess: on must be a datetime.date")
    rs = select_ruleset(catalogue().rulesets, on, ruleset)
    ctx = Ctx(intyg, on, rs.demand)

    trace: list[Regelutfall] = []
    caps: dict[Sysselsattning, list[tuple[CompiledRule, Tri, Reads]]] = defaultdict(list)
    findings: list[Fynd] = []
    steps: list[NastaSteg] = []
    cited: set[str] = set(rs.kallor)

    for cr in rs.compiled:
        if not cr.active_on(on):
            continue
        r = cr.regel
        if isinstance(r, NivaRegel):
            if cr.per_activity:
                for a in cr.activities:
                    ctx.activity = a
                    reads: Reads = {}
                    t = cr.evaluate(ctx, reads)
                    caps[a].append((cr, t, reads))
                    trace.append(Regelutfall(regel=r.id, aktivitet=a.value, utfall=_utfall(t)))
                ctx.activity = None
            else:
                reads = {}
                t = cr.evaluate(ctx, reads)
                for a in cr.activities:
                    caps[a].append((cr, t, reads))
                trace.append(Regelutfall(regel=r.id, aktivitet=None, utfall=_utfall(t)))
            continue
        reads = {}
        t = cr.evaluate(ctx, reads)
        trace.append(Regelutfall(regel=r.id, aktivitet=None, utfall=_utfall(t)))
        if t is False:
            continue
        cited.update(r.kallor)
        if t is None:
            findings.append(_unknown_finding(cr, reads, []))
        elif isinstance(r, FyndRegel):
            fields, values = _evidence(reads)
            findings.append(
                Fynd.model_construct(
                    regel=r.id,
                    utfall="sant",
                    allvarlighet=r.allvarlighet,
                    meddelande=r.meddelande,
                    fraga=r.fraga,
                    falt=fields,
                    varden=values,
                    kallor=list(r.kallor),
                    aktiviteter=[],
                )
            )
        else:
            steps.append(
                NastaSteg.model_construct(
                    regel=r.id,
                    aktor=r.aktor,
                    medverkande=list(r.medverkande),
                    text=r.text,
                    kallor=list(r.kallor),
                )
            )

    activities, level_findings = _activities(intyg, ctx, rs, caps, cited)
    findings = level_findings + findings
    return Assessment.model_construct(
        schemaversion="1.0.0",
        intygsid=intyg.intygsid,
        bedomningsdatum=on,
        regelverk=Regelverk.model_construct(
            id=rs.id,
            titel=rs.titel,
            version=rs.version,
            status=rs.status,
            giltig_fran=rs.giltig_fran,
            giltig_till=rs.giltig_till,
            forsta_period=rs.forsta_period,
            bygger_pa=rs.bygger_pa,
            checksumma=rs.checksumma,
        ),
        motorversion=__version__,
        meddelande=NOTICE,
        aktiviteter=activities,
        fynd=findings,
        nasta_steg=steps,
        uppfoljning=_follow_up(intyg, on, rs, findings),
        kallor=[
            Kallhanvisning(
                id=k.id,
                hanvisning=k.citation,
                titel=k.titel,
                typ=k.typ,
                status=k.status,
                verifiering=k.verifiering,
            )
            for sid, k in rs.sources.items()
            if sid in cited
        ],
        regelutfall=trace,
    )


def _unknown_finding(cr: CompiledRule, reads: Reads, activities: list[str]) -> Fynd:
    r = cr.regel
    fields, values = _evidence(reads)
    vo = r.vid_okant
    return Fynd.model_construct(
        regel=r.id,
        utfall="okant",
        allvarlighet=vo.allvarlighet if vo else "komplettering",
        meddelande=vo.meddelande if vo else _GENERIC_UNKNOWN,
        fraga=vo.fraga if vo else None,
        falt=fields,
        varden=values,
        kallor=list(r.kallor),
        aktiviteter=activities,
    )


def _activities(
    intyg: Intyg,
    ctx: Ctx,
    rs: RuleSet,
    caps: dict[Sysselsattning, list[tuple[CompiledRule, Tri, Reads]]],
    cited: set[str],
) -> tuple[list[Aktivitet], list[Fynd]]:
    base = intyg.sysselsattning.timmar_per_vecka or FULL_TIME
    extent_on = ctx.derived("omfattning_pa_datum")
    items = graded_items(intyg) or []
    area_of = {kod: rs.demand.area(kod) for kod, _, _ in items}
    doctor = [a.value for a in intyg.bedomning.anpassningar or ()]
    unknown_rules: dict[str, tuple[CompiledRule, Reads, list[str]]] = {}
    out: list[Aktivitet] = []
    for act in AKTIVITETSTYPER:
        hi = lo = RANK["KAN_DELTA"]
        demand_hi = RANK["KAN_DELTA"]
        for cr, t, _ in caps[act]:
            rank = RANK[cr.regel.tak]  # type: ignore[union-attr]
            if t is True:
                hi = min(hi, rank)
                lo = min(lo, rank)
                if cr.per_activity:
                    demand_hi = min(demand_hi, rank)
            elif t is None:
                lo = min(lo, rank)
        reasons: list[Skal] = []
        for cr, t, reads in caps[act]:
            r = cr.regel
            assert isinstance(r, NivaRegel)
            rank = RANK[r.tak]
            if t is True:
                reasons.append(Skal(regel=r.id, utfall="sant", text=r.text))
                cited.update(r.kallor)
            elif t is None and rank < hi:
                text = r.vid_okant.meddelande if r.vid_okant else _GENERIC_UNKNOWN
                reasons.append(Skal(regel=r.id, utfall="okant", text=text))
                cited.update(r.kallor)
                entry = unknown_rules.setdefault(r.id, (cr, reads, []))
                entry[2].append(act.value)
            elif t is False and r.text_om_falskt:
                reasons.append(Skal(regel=r.id, utfall="falskt", text=r.text_om_falskt))
                cited.update(r.kallor)
        level: Level = BY_RANK[hi] if hi == lo else UNDERLAG
        prevented = hi == lo == RANK["FORHINDRAD"]
        if extent_on is None:
            hours: float | None = None
        elif prevented:
            hours = 0.0
        else:
            hours = base * (100 - extent_on) / 100
        periods = [
            PeriodTimmar(
                fran=p.fran,
                till=p.till,
                omfattning=int(p.omfattning),
                timmar_per_vecka=0.0
                if demand_hi == RANK["FORHINDRAD"]
                else base * (100 - int(p.omfattning)) / 100,
            )
            for p in intyg.bedomning.perioder or ()
        ]
        bearing = sorted(
            (
                (kod, grad, lista, demand)
                for kod, grad, lista in items
                if grad >= 1 and (demand := _demand(rs, area_of[kod], act)) in ("mattlig", "hog")
            ),
            key=lambda x: (-x[1], x[0]),
        )
        adapt = [
            Anpassningsforslag(kod=c, text=KV_ANPASSNING.display(c), kalla="intyg") for c in doctor
        ]
        seen = set(doctor)
        for kod, grad, _, _ in bearing:
            area = area_of[kod]
            if area is None or grad < rs.demand.adaptation_from_grade:
                continue
            for c in rs.demand.adaptations.get(area, ()):
                if c not in seen:
                    seen.add(c)
                    adapt.append(
                        Anpassningsforslag(kod=c, text=KV_ANPASSNING.display(c), kalla="kravprofil")
                    )
        out.append(
            Aktivitet.model_construct(
                typ=act.value,
                niva=level,
                niva_intervall=NivaIntervall(lagsta=BY_RANK[lo], hogsta=BY_RANK[hi]),
                timmar_per_vecka=hours,
                timmar_bas=base,
                perioder=periods,
                anpassningar=adapt,
                begransningar=[
                    Begransning(
                        kod=k,
                        grad=g,
                        omrade=area_of[k],
                        krav=cast(Any, d),
                        lista=cast(Any, li),
                    )
                    for k, g, li, d in bearing
                ],
                skal=reasons,
            )
        )
    findings = [_unknown_finding(cr, reads, acts) for cr, reads, acts in unknown_rules.values()]
    return out, findings


def _demand(rs: RuleSet, area: str | None, act: Sysselsattning) -> str:
    return rs.demand.other if area is None else rs.demand.rows[area][act]


def _follow_up(intyg: Intyg, on: _dt.date, rs: RuleSet, findings: list[Fynd]) -> Uppfoljning:
    u = rs.uppfoljning
    cands: list[tuple[_dt.date, str]] = [
        (
            on + _dt.timedelta(days=u.senast_efter_dagar),
            f"senast {u.senast_efter_dagar} dagar efter bedömningsdatumet",
        )
    ]
    p = period_on(intyg, on) if intyg.bedomning.forhindrad else None
    if p is not None:
        cands.append((p.till, "när perioden som gäller på bedömningsdatumet slutar"))
    end = intyg.behandling.slutdatum
    if end is not None and end >= on:
        cands.append((end, "när behandlingen väntas vara avslutad"))
    if any(f.allvarlighet == "komplettering" for f in findings):
        cands.append(
            (on + _dt.timedelta(days=u.vid_komplettering_dagar), "intyget behöver kompletteras")
        )
    date, why = min(cands, key=lambda c: c[0])
    return Uppfoljning.model_construct(datum=date, skal=why, jamstalldhet=JAMSTALLDHET)
