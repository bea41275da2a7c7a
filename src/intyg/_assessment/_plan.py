"""The evaluation plan of a rule set: everything about its rules that does not depend on the
certificate, worked out once when the rule set is loaded.

The rules active on a date depend only on the date, so the plan splits the calendar at every
date where a rule starts or stops and keeps, per stretch (:class:`Segment`), the rules active
there in order, the field readers and derived quantities they need, and what their output says
(texts, sources, evidence plans). Evaluating a certificate then reads each value once into a
frame and runs precompiled tests; nothing dispatches on rule or operator names per call.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any

from .._v1._codes import AKTIVITETSTYPER, KV_ANPASSNING, Anpassning
from ._fields import DERIVED, Demand, Facts, field_spec, getter
from ._operators import Test, Tri, leaf_key, leaves
from ._output import Regelverk, make
from ._ruledefs import FyndRegel, Kalla, NivaRegel, StegRegel, Uppfoljning

ACTS: tuple[str, ...] = tuple(a.value for a in AKTIVITETSTYPER)
"""The activity types, in output order (their index is used throughout)."""
RANK: dict[str, int] = {"FORHINDRAD": 1, "KAN_DELTA_DELVIS": 2, "KAN_DELTA": 3}
GENERIC_UNKNOWN = "Regeln kunde inte prövas eftersom uppgifter saknas i intyget."

NIVA, FYND, STEG = 0, 1, 2


class Step:
    """One rule, ready to evaluate and to report."""

    __slots__ = (
        "acts",
        "aktor",
        "allvarlighet",
        "evidence",
        "falskt_text",
        "falt",
        "fraga",
        "id",
        "kallor",
        "kind",
        "meddelande",
        "medverkande",
        "okant_allvarlighet",
        "okant_fraga",
        "okant_meddelande",
        "per_activity",
        "rank",
        "skal_falskt",
        "skal_okant",
        "skal_sant",
        "test",
        "text",
        "trace",
    )

    def __init__(
        self,
        regel: NivaRegel | FyndRegel | StegRegel,
        test: Test,
        per_activity: bool,
        acts: tuple[int, ...],
        evidence: tuple[tuple[str, bool], ...],
    ) -> None:
        self.id = regel.id
        self.test = test
        self.per_activity = per_activity
        self.acts = acts
        self.evidence = evidence
        falt: list[str] = []
        for key, _ in evidence:
            if key.startswith("harlett."):
                d = DERIVED.get(key[len("harlett.") :])
                falt.extend(d.falt if d else ())
            else:
                falt.append(key)
        self.falt: tuple[str, ...] = tuple(dict.fromkeys(falt))
        self.kallor: tuple[str, ...] = regel.kallor
        vo = regel.vid_okant
        self.okant_allvarlighet = vo.allvarlighet if vo else "komplettering"
        self.okant_meddelande = vo.meddelande if vo else GENERIC_UNKNOWN
        self.okant_fraga = vo.fraga if vo else None
        self.rank = 0
        self.text = ""
        self.falskt_text: str | None = None
        self.allvarlighet = ""
        self.meddelande = ""
        self.fraga: str | None = None
        self.aktor = ""
        self.medverkande: tuple[str, ...] = ()
        if isinstance(regel, NivaRegel):
            self.kind = NIVA
            self.rank = RANK[regel.tak]
            self.text = regel.text
            self.falskt_text = regel.text_om_falskt
        elif isinstance(regel, FyndRegel):
            self.kind = FYND
            self.allvarlighet = regel.allvarlighet
            self.meddelande = regel.meddelande
            self.fraga = regel.fraga
        else:
            self.kind = STEG
            self.aktor = regel.aktor
            self.medverkande = regel.medverkande
            self.text = regel.text
        rid = self.id
        self.trace: tuple[dict[Tri, dict[str, Any]], ...] = tuple(
            {
                t: {"regel": rid, "aktivitet": act, "utfall": utfall}
                for t, utfall in ((True, "sant"), (False, "falskt"), (None, "okant"))
            }
            for act in (*ACTS, None)
        )
        """``Regelutfall`` data by activity index (the last for no activity) and outcome."""
        self.skal_sant = {"regel": rid, "utfall": "sant", "text": self.text}
        self.skal_okant = {"regel": rid, "utfall": "okant", "text": self.okant_meddelande}
        self.skal_falskt = (
            {"regel": rid, "utfall": "falskt", "text": self.falskt_text}
            if self.falskt_text
            else None
        )
        """``Skal`` data by outcome (level rules); none when false without a text."""


class Segment:
    """The rules active on a stretch of dates and the values they read."""

    __slots__ = ("caps", "derived", "fields", "levels", "slots", "steps")

    def __init__(self, steps: tuple[Step, ...], keys: list[str]) -> None:
        run: list[tuple[Step, int]] = []
        caps: list[list[tuple[Step, int]]] = [[] for _ in ACTS]
        slot = 0
        for st in steps:
            run.append((st, slot))
            if st.kind == NIVA:
                for i in st.acts:
                    caps[i].append((st, slot + i if st.per_activity else slot))
                slot += len(ACTS) if st.per_activity else 1
        self.steps = tuple(run)
        """The active rules in order, each with its first slot among the level outcomes."""
        self.caps = tuple(tuple(c) for c in caps)
        """Per activity type, the level rules that may cap it, in order, with the slot of the
        outcome that counts (per activity type or not)."""
        self.slots = slot
        fields: list[tuple[str, Callable[[Any], Any]]] = []
        derived: list[tuple[str, Callable[[Facts], Any]]] = []
        levels: list[tuple[str, str]] = []
        for key in dict.fromkeys(keys):
            if key.startswith("harlett."):
                d = DERIVED[key[len("harlett.") :]]
                if d.level is not None:
                    levels.append((key, d.level))
                else:
                    assert d.compute is not None
                    derived.append((key, d.compute))
            else:
                fields.append((key, getter(key)))
        self.fields = tuple(fields)
        self.derived = tuple(derived)
        self.levels = tuple(levels)
        """Derived quantities per activity type: (key, demand level)."""


class Plan:
    """A rule set compiled for evaluation."""

    def __init__(
        self,
        compiled: tuple[Any, ...],
        *,
        regelverk: dict[str, Any],
        kallor: tuple[str, ...],
        sources: Mapping[str, Kalla],
        demand: Demand,
        uppfoljning: Uppfoljning,
    ) -> None:
        steps = [
            (
                cr,
                Step(
                    cr.regel,
                    cr.test,
                    cr.per_activity,
                    tuple(ACTS.index(a.value) for a in cr.activities),
                    cr.evidence,
                ),
            )
            for cr in compiled
        ]
        cuts: set[_dt.date] = set()
        for cr, _ in steps:
            r = cr.regel
            if r.giltig_fran is not None:
                cuts.add(r.giltig_fran)
            if r.giltig_till is not None and r.giltig_till < _dt.date.max:
                cuts.add(r.giltig_till + _dt.timedelta(days=1))
        self.cuts = tuple(sorted(cuts))
        segments = []
        for start in (_dt.date.min, *self.cuts):
            active = [(cr, st) for cr, st in steps if cr.active_on(start)]
            keys = [leaf_key(leaf) for cr, _ in active for leaf in leaves(cr.regel.villkor)]
            segments.append(Segment(tuple(st for _, st in active), keys))
        self.segments = tuple(segments)
        self.regelverk = make(Regelverk, regelverk)
        """Shared by every assessment: frozen and made of immutable values."""
        self.kallor = frozenset(kallor)
        self.sources = tuple(
            (
                sid,
                {
                    "id": k.id,
                    "hanvisning": k.citation,
                    "titel": k.titel,
                    "typ": k.typ,
                    "status": k.status,
                    "verifiering": k.verifiering,
                },
            )
            for sid, k in sources.items()
        )
        """Every source, in output order, as ``Kallhanvisning`` data (copied per output)."""
        self.demand = demand
        self.other_row = tuple(demand.other for _ in ACTS)
        self.rows: dict[str, tuple[str, ...]] = {
            area: tuple(row.get(a, demand.other) for a in AKTIVITETSTYPER)
            for area, row in demand.rows.items()
        }
        """Demand per area, as a tuple in activity order (a row the lint rejects may lack an
        activity; the catalogue is then not built at all)."""

        def asked(rows: list[tuple[str, ...]]) -> dict[str, tuple[bool, ...]]:
            # Per level: whether one of ``rows``, or a code outside the table, asks it of an
            # activity.
            return {
                level: tuple(
                    demand.other == level or any(row[i] == level for row in rows)
                    for i in range(len(ACTS))
                )
                for level in ("lag", "mattlig", "hog")
            }

        self.possible = asked(list(self.rows.values()))
        """Whether any area asks ``level`` of an activity (else its quantity is 0)."""
        self.possible_in_activities = asked(
            [row for area, row in self.rows.items() if area[0] == "d"]
        )
        """Whether an activity area (d, or a code outside the table) asks ``level`` of an
        activity: where it does, ungraded activity limitations leave the quantity unknown."""
        self.acts_at: dict[str, dict[str | None, tuple[int, ...]]] = {
            level: {
                area: tuple(i for i, d in enumerate(row) if d == level)
                for area, row in (*self.rows.items(), (None, self.other_row))
            }
            for level in ("lag", "mattlig", "hog")
        }
        """The activity types (indices) whose demand in an area (None: elsewhere) is a level."""
        self.adaptations = demand.adaptations
        self.adaptation_from_grade = demand.adaptation_from_grade
        self.adaptation_text: dict[str, str] = {
            a.value: KV_ANPASSNING.display(a.value) for a in Anpassning
        }
        self.profile_adaptations: dict[str, dict[str, Any]] = {
            code: {"kod": code, "text": text, "kalla": "kravprofil"}
            for code, text in self.adaptation_text.items()
        }
        """``Anpassningsforslag`` data suggested by the demand profile, by code."""
        self.senast_efter = _dt.timedelta(days=uppfoljning.senast_efter_dagar)
        self.senast_efter_text = (
            f"senast {uppfoljning.senast_efter_dagar} dagar efter bedömningsdatumet"
        )
        self.komplettering = _dt.timedelta(days=uppfoljning.vid_komplettering_dagar)

    def at(self, on: _dt.date) -> Segment:
        """The rules active on ``on``."""
        return self.segments[bisect_right(self.cuts, on)]


def free_text(path: str) -> bool:
    """Whether rules may only ask if the field is answered (free text, personal data)."""
    spec = field_spec(path)
    return spec is not None and spec.free_text
