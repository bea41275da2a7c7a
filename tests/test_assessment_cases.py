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
from intyg._assessment import assess, rulesets
from intyg._errors import RuleSetError
from strategies import AKTIVITETER

CASE_DIR = Path(__file__).parent / "bedomning"
ACTIVITIES = list(AKTIVITETER)


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
