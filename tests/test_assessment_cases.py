"""YAML example cases of the assessment (tests/bedomning/*.yaml) and rule coverage.

A case names its situation in a sentence, gives the assessment date and a patch of the embedded
example (``andra``: path -> new value, ``ta_bort``: paths), and the expected rule set, levels,
hours and rule ids. Tests assert ids and levels, never wording.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

import intyg
from intyg._assessment import assess, load_ruleset, rulesets
from intyg._assessment._operators import ON
from intyg._assessment._ruleset import CompiledRule
from intyg._errors import RuleSetError
from strategies import AKTIVITETER

CASE_DIR = Path(__file__).parent / "bedomning"
ACTIVITIES = list(AKTIVITETER)

# A rule a case names under inte_fynd/inte_steg must have been tried and found false: absence
# alone would also pass if the rule were not in force that day or never evaluated. The
# exceptions are listed here, each with its reason, and checked against the rule files.

INACTIVE_ON: frozenset[tuple[str, dt.date]] = frozenset(
    {
        # Only in the proposal rule set, which applies from 2026-07-01.
        ("FYND-AK-LAKARINTYG", dt.date(2026, 6, 30)),
        ("STEG-AK-PLAN", dt.date(2026, 6, 30)),
        # giltig_fran 2026-10-01.
        ("STEG-AK-PLAN", dt.date(2026, 7, 1)),
        ("STEG-AK-PLAN", dt.date(2026, 9, 30)),
        # giltig_fran 2027-01-01.
        ("STEG-SIP-FK-AF", dt.date(2026, 12, 31)),
        ("STEG-REHAB-KRAV", dt.date(2026, 12, 31)),
        # giltig_till 2026-12-31 in the proposal rule set (STEG-SIP-FK-AF takes over).
        ("STEG-SIP", dt.date(2027, 1, 1)),
    }
)
"""(rule id, date): the rule is not in force on the date, so it has no outcome at all."""

_NO_HIGH_DEMAND = "ARBETSLIVSINRIKTAD_REHABILITERING"  # the demand profile asks little everywhere

UNKNOWN_WITHOUT_FINDING: dict[tuple[str, str], dict[str | None, str]] = {
    # No ICF items: the highest grade where an activity's demand is high is unknown, except where
    # no area asks much of the activity (0). The rule is unknown, but the level is FORHINDRAD
    # already (100 %), so an unknown rule that could only cap it there gives no finding.
    (
        "nivaer: Utan ICF-poster vid helt förhinder är nivån ändå förhindrad",
        "NIVA-KRAV-HOG-TOTAL",
    ): {t: "falskt" if t == _NO_HIGH_DEMAND else "okant" for t in AKTIVITETER},
}
"""(case, rule id): the rule's outcome per activity type when a case expects no finding from it
although it is not false for every activity type."""


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for f in sorted(CASE_DIR.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text("utf-8"))["fall"]:
            out.append((f"{f.stem}: {case['namn']}", case))
    return out


CASES = _load_cases()


def _json(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_json(x) for x in v]
    return v


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        out.append(int(index) if index else name)
    return out


def patched(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """The example with the case's changes applied."""
    data = copy.deepcopy(base)
    for path, value in (case.get("andra") or {}).items():
        *head, last = _parts(path)
        node: Any = data
        for p in head:
            node = node[p]
        node[last] = _json(value)
    for path in case.get("ta_bort") or []:
        *head, last = _parts(path)
        node = data
        for p in head:
            node = node[p]
        del node[last]
    return data


def run_case(case: dict[str, Any]) -> Any:
    """The assessment of a case (raises RuleSetError when no rule set applies)."""
    cert = intyg.load(patched(intyg.example(), case))
    return assess(cert, case["datum"])


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_assessment_case_matches_expectation(name: str, case: dict[str, Any]) -> None:
    exp = case["forvantat"]
    if "fel" in exp:
        with pytest.raises(RuleSetError) as info:
            run_case(case)
        assert info.value.codes == [exp["fel"]]
        return
    a = run_case(case)
    if "regelverk" in exp:
        assert a.regelverk.id == exp["regelverk"]
    if "status" in exp:
        assert a.regelverk.status == exp["status"]
    levels = {x.typ: x.niva for x in a.aktiviteter}
    for typ, level in (exp.get("niva") or {}).items():
        for t in ACTIVITIES if typ == "ALLA" else [typ]:
            assert levels[t] == level, t
    hours = {x.typ: x.timmar_per_vecka for x in a.aktiviteter}
    for typ, h in (exp.get("timmar") or {}).items():
        for t in ACTIVITIES if typ == "ALLA" else [typ]:
            assert hours[t] == (None if h is None else pytest.approx(h)), t
    found = {f.regel for f in a.fynd}
    steps = {s.regel for s in a.nasta_steg}
    assert set(exp.get("fynd") or []) <= found
    assert not set(exp.get("inte_fynd") or []) & found
    assert set(exp.get("steg") or []) <= steps
    assert not set(exp.get("inte_steg") or []) & steps
    levels_by_type: dict[str | None, str] = {x.typ: x.niva for x in a.aktiviteter}
    for rule in [*(exp.get("inte_fynd") or []), *(exp.get("inte_steg") or [])]:
        got = rule_outcomes(a, rule)
        if (rule, case["datum"]) in INACTIVE_ON:
            assert got == {}, rule
        elif (name, rule) in UNKNOWN_WITHOUT_FINDING:
            assert got == UNKNOWN_WITHOUT_FINDING[name, rule], rule
            unknown_for = [t for t, u in got.items() if u == "okant"]
            assert all(levels_by_type[t] == "FORHINDRAD" for t in unknown_for), rule
        else:
            assert got, f"{rule} was not evaluated"
            assert set(got.values()) == {"falskt"}, (rule, got)


def rule_outcomes(a: Any, rule: str) -> dict[str | None, str]:
    """A rule's outcomes in ``regelutfall``, by activity type (None: not per activity type)."""
    out: dict[str | None, str] = {}
    for r in a.regelutfall:
        if r["regel"] == rule:
            assert r["aktivitet"] not in out, (rule, r["aktivitet"])  # one outcome each
            out[r["aktivitet"]] = r["utfall"]
    return out


def _named_absent() -> set[tuple[str, str, dt.date]]:
    out = set()
    for name, case in CASES:
        exp = case["forvantat"]
        for rule in [*(exp.get("inte_fynd") or []), *(exp.get("inte_steg") or [])]:
            out.add((name, rule, case["datum"]))
    return out


def test_every_inactive_exception_is_used_and_true_of_the_rule_files() -> None:
    used = {(rule, on) for _, rule, on in _named_absent()}
    assert INACTIVE_ON - used == set()  # no stale entry
    defined = {r.id for rs in rulesets() for r in rs.regler}
    for rule, on in sorted(INACTIVE_ON):
        assert rule in defined, rule  # a real rule, in force on some other day
        rs = load_ruleset(on=on)
        active = [c for c in rs.compiled if c.regel.id == rule and c.active_on(on)]
        assert active == [], (rule, on, rs.id)


def test_every_unknown_without_finding_exception_is_used() -> None:
    used = {(name, rule) for name, rule, _ in _named_absent()}
    assert set(UNKNOWN_WITHOUT_FINDING) - used == set()


def test_assessment_cases_cover_every_rule_both_ways() -> None:
    outcomes: dict[str, set[str]] = defaultdict(set)
    for _, case in CASES:
        if "fel" in case["forvantat"]:
            continue
        for r in run_case(case).regelutfall:
            outcomes[r["regel"]].add(r["utfall"])
    missing = []
    for rs in rulesets():
        for rule in rs.regler:
            seen = outcomes[rule.id]
            if not {"sant", "falskt"} <= seen:
                missing.append((rs.id, rule.id, sorted(seen)))
    assert missing == []


def test_assessment_cases_cross_every_date_boundary() -> None:
    boundaries: set[dt.date] = set()
    for rs in rulesets():
        boundaries.add(rs.giltig_fran)
        if rs.giltig_till is not None:
            boundaries.add(rs.giltig_till + dt.timedelta(days=1))
        for rule in rs.regler:
            if rule.giltig_fran is not None:
                boundaries.add(rule.giltig_fran)
            if rule.giltig_till is not None:
                boundaries.add(rule.giltig_till + dt.timedelta(days=1))
    dates = {case["datum"] for _, case in CASES}
    missing = [b for b in sorted(boundaries) if not {b, b - dt.timedelta(days=1)} <= dates]
    assert missing == []


# ------------------------------------------------------------------ rules with a 3-part alla
#
# No certificate can make these three rules unknown: every part of their 3-part ``alla`` that
# could be unknown is guarded by a part that is false exactly when it is unknown (the ICF grade
# is unknown only when neither ICF list is answered, and then the ``nagon`` of ``finns`` is
# false; an unanswered end of treatment makes ``finns`` false; ``bedomning.forhindrad`` and the
# largest extent are always answered). So the unknown case is tested on the compiled rule with
# a frame of values, and the guard on certificates from the example.

THREE_PART_DAY = dt.date(2026, 12, 1)
_ICF = [{"kod": "d230", "grad": 1}]  # an answered ICF list (finns reads only that it is answered)

THREE_PART_FRAMES: list[tuple[str, str, dict[str, Any]]] = [
    # rule id, the value left unknown, a frame on which every part of the 3-part alla is true
    (
        "FYND-HEL-LATTA-BEGR",
        "harlett.icf_hogsta_grad",
        {
            "harlett.storsta_omfattning": 100,
            "aktivitetsbegransning.icf": _ICF,
            "funktionsnedsattning.icf": None,
            "harlett.icf_hogsta_grad": 1,
        },
    ),
    (
        "FYND-HEL-LATTA-BEGR",
        "harlett.storsta_omfattning",
        {
            "harlett.storsta_omfattning": 100,
            "aktivitetsbegransning.icf": None,
            "funktionsnedsattning.icf": _ICF,
            "harlett.icf_hogsta_grad": 0,
        },
    ),
    (
        "FYND-EJ-FORHINDRAD-STOR-BEGR",
        "harlett.icf_hogsta_grad",
        {
            "bedomning.forhindrad": False,
            "aktivitetsbegransning.icf": _ICF,
            "funktionsnedsattning.icf": _ICF,
            "harlett.icf_hogsta_grad": 3,
        },
    ),
    (
        "FYND-EJ-FORHINDRAD-STOR-BEGR",
        "bedomning.forhindrad",
        {
            "bedomning.forhindrad": False,
            "aktivitetsbegransning.icf": _ICF,
            "funktionsnedsattning.icf": None,
            "harlett.icf_hogsta_grad": 4,
        },
    ),
    (
        # No recommendation: the other alternative of the rule's nagon is false.
        "STEG-KOORDINERING",
        "harlett.storsta_omfattning",
        {
            "samverkan.rekommendationer": None,
            "harlett.storsta_omfattning": 50,
            "behandling.slutdatum": THREE_PART_DAY,
            ON: THREE_PART_DAY,
        },
    ),
]


def _compiled(rule: str) -> CompiledRule:
    rs = load_ruleset(on=THREE_PART_DAY)
    return next(c for c in rs.compiled if c.regel.id == rule)


def test_the_three_part_alla_rules_are_those_named_here() -> None:
    def three_part(v: Any) -> bool:
        subs = (v.alla or ()) + (v.nagon or ()) + ((v.inte,) if v.inte else ())
        return (v.alla is not None and len(v.alla) >= 3) or any(three_part(x) for x in subs)

    found = {r.id for rs in rulesets() for r in rs.regler if three_part(r.villkor)}
    assert found == {rule for rule, _, _ in THREE_PART_FRAMES}


@pytest.mark.parametrize(
    ("rule", "unknown", "frame"),
    THREE_PART_FRAMES,
    ids=[f"{r}-{k}" for r, k, _ in THREE_PART_FRAMES],
)
def test_a_three_part_alla_rule_with_one_unknown_part_and_none_false_is_unknown(
    rule: str, unknown: str, frame: dict[str, Any]
) -> None:
    test = _compiled(rule).test
    assert set(frame) >= {k for k, _ in _compiled(rule).evidence}  # the frame holds every value
    assert test(frame) is True  # every part true
    assert test({**frame, unknown: None}) is None  # one unknown, none false: unknown, not true


def _three_part_guarded(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The example with, for each rule, the other parts true and the value that could make it
    unknown unanswered (the guard then makes a part false)."""
    out: dict[str, dict[str, Any]] = {}
    d = copy.deepcopy(data)  # 100 %, no ICF items: icf_hogsta_grad unknown
    d["bedomning"]["perioder"][0]["omfattning"] = 100
    del d["aktivitetsbegransning"]["icf"]
    del d["funktionsnedsattning"]["icf"]
    out["FYND-HEL-LATTA-BEGR"] = d
    d = copy.deepcopy(data)  # not prevented, no ICF items: icf_hogsta_grad unknown
    d["bedomning"]["forhindrad"] = False
    del d["bedomning"]["perioder"]
    del d["aktivitetsbegransning"]["icf"]
    del d["funktionsnedsattning"]["icf"]
    out["FYND-EJ-FORHINDRAD-STOR-BEGR"] = d
    d = copy.deepcopy(data)  # no recommendation, 75 %, no end of treatment
    del d["samverkan"]["rekommendationer"]
    del d["behandling"]["slutdatum"]
    out["STEG-KOORDINERING"] = d
    return out


@pytest.mark.parametrize("rule", sorted({r for r, _, _ in THREE_PART_FRAMES}))
def test_a_three_part_alla_rule_is_false_not_unknown_when_its_guard_fails(rule: str) -> None:
    a = assess(intyg.load(_three_part_guarded(intyg.example())[rule]), THREE_PART_DAY)
    assert rule_outcomes(a, rule) == {None: "falskt"}
    assert rule not in {f.regel for f in a.fynd} | {s.regel for s in a.nasta_steg}
