"""Property tests of the assessment (hypothesis).

Orders used:
- ability order of definite levels: FORHINDRAD < KAN_DELTA_DELVIS < KAN_DELTA;
- every result carries the interval ``niva_intervall`` [lagsta, hogsta] of levels consistent with
  the certificate; ``niva`` is that level when lagsta == hogsta, else UNDERLAG_OTILLRACKLIGT
  ("unknown", which is not placed in the ability order).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pydantic
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import intyg
from _hypothesis_profiles import share
from intyg._assessment import Assessment, assess
from intyg._errors import IntygError

RANK = {"FORHINDRAD": 1, "KAN_DELTA_DELVIS": 2, "KAN_DELTA": 3}
EXAMPLE = intyg.example()
D_CODES = ["d155", "d166", "d220", "d230", "d240", "d310", "d350", "d450", "d720", "d850", "d510"]
B_CODES = ["b130", "b140", "b152", "b280", "b710", "b455"]
SIGN = dt.date(2026, 11, 20)


@st.composite
def certificates(draw: st.DrawFn) -> dict[str, Any]:
    """Valid variations of the example: periods, extents, ICF items, basis, prognosis."""
    d = copy.deepcopy(EXAMPLE)
    prevented = draw(st.booleans())
    d["bedomning"]["forhindrad"] = prevented
    if prevented:
        n = draw(st.integers(1, 4))
        start = SIGN - dt.timedelta(days=draw(st.integers(0, 5)))
        periods = []
        for _ in range(n):
            length = draw(st.integers(1, 120))
            end = start + dt.timedelta(days=length - 1)
            periods.append(
                {
                    "fran": start.isoformat(),
                    "till": end.isoformat(),
                    "omfattning": draw(st.sampled_from([25, 50, 75, 100])),
                }
            )
            start = end + dt.timedelta(days=draw(st.integers(1, 20)))
        d["bedomning"]["perioder"] = periods
    else:
        d["bedomning"].pop("perioder", None)
    for key, codes in (("aktivitetsbegransning", D_CODES), ("funktionsnedsattning", B_CODES)):
        chosen = draw(
            st.one_of(
                st.none(), st.lists(st.sampled_from(codes), min_size=1, max_size=4, unique=True)
            )
        )
        if chosen is None:
            d[key].pop("icf", None)
        else:
            d[key]["icf"] = [{"kod": c, "grad": draw(st.integers(0, 4))} for c in chosen]
    d["grund"]["underlag"] = [
        {"typ": t, "datum": "2026-11-18"}
        for t in draw(
            st.lists(
                st.sampled_from(["UNDERSOKNING", "TELEFONKONTAKT", "JOURNALUPPGIFTER"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
    ]
    if draw(st.booleans()):
        d["prognos"] = {"typ": "KAN_EJ_BEDOMAS", "motivering": "Utredning pågår."}
    recs = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.sampled_from(["SIP", "IPS", "KOORDINERINGSINSATS", "ARBETSFORMEDLINGEN"]),
                min_size=1,
                max_size=3,
                unique=True,
            ),
        )
    )
    if recs is None:
        d["samverkan"].pop("rekommendationer", None)
    else:
        d["samverkan"]["rekommendationer"] = recs
    if draw(st.booleans()):
        d["behandling"].pop("slutdatum", None)
    if draw(st.booleans()):
        d["bedomning"].pop("anpassningar", None)
        d["bedomning"].pop("anpassningar_beskrivning", None)
    return d


dates = st.dates(dt.date(2025, 7, 1), dt.date(2027, 12, 31))


def _assess(d: dict[str, Any], on: dt.date) -> Assessment:
    try:
        cert = intyg.load(d)
    except IntygError:
        assume(False)
        raise
    return assess(cert, on)


def _by_type(a: Assessment) -> dict[str, tuple[str, int, int]]:
    return {
        x.typ: (x.niva, RANK[x.niva_intervall["lagsta"]], RANK[x.niva_intervall["hogsta"]])
        for x in a.aktiviteter
    }


def _models_in(value: Any) -> list[pydantic.BaseModel]:
    """``value`` and each model within it."""
    if isinstance(value, pydantic.BaseModel):
        return [
            value,
            *(m for k in type(value).model_fields for m in _models_in(getattr(value, k))),
        ]
    if isinstance(value, list | tuple):
        return [m for x in value for m in _models_in(x)]
    if isinstance(value, dict):
        return [m for x in value.values() for m in _models_in(x)]
    return []


SETTINGS = share(0.15)  # 150 under CI (the same draw each run), 50 otherwise


@SETTINGS
@given(certificates(), dates)
def test_assess_valid_certificate_never_raises(d: dict[str, Any], on: dt.date) -> None:
    a = _assess(d, on)
    # the result is consistent with its own model and interval, built as validation builds it
    # (every field set, no extra or private state), though it was built without validation
    assert Assessment.model_validate(a.model_dump(mode="json")) == a
    for model in _models_in(a):
        assert model.model_fields_set == set(type(model).model_fields), type(model)
        assert (model.__pydantic_extra__, model.__pydantic_private__) == (None, None)
    for typ, (level, lo, hi) in _by_type(a).items():
        assert lo <= hi, typ
        assert (level == "UNDERLAG_OTILLRACKLIGT") == (lo != hi), typ


@SETTINGS
@given(certificates(), dates, st.data())
def test_assess_raising_qualifier_never_raises_level(
    d: dict[str, Any], on: dt.date, data: st.DataObject
) -> None:
    """Raising one ICF qualifier never moves either end of any activity's interval up.

    In particular, when both results are definite levels, the new level is not higher in the
    ability order; UNDERLAG_OTILLRACKLIGT is compared through its interval, never as a level.
    """
    lists = [k for k in ("aktivitetsbegransning", "funktionsnedsattning") if d[k].get("icf")]
    assume(lists)
    key = data.draw(st.sampled_from(lists))
    i = data.draw(st.integers(0, len(d[key]["icf"]) - 1))
    assume(d[key]["icf"][i]["grad"] < 4)
    before = _by_type(_assess(d, on))
    raised = copy.deepcopy(d)
    raised[key]["icf"][i]["grad"] = data.draw(st.integers(d[key]["icf"][i]["grad"] + 1, 4))
    after = _by_type(_assess(raised, on))
    for typ in before:
        assert after[typ][1] <= before[typ][1], typ
        assert after[typ][2] <= before[typ][2], typ


@SETTINGS
@given(certificates(), dates, st.data())
def test_assess_raising_extent_never_raises_level(
    d: dict[str, Any], on: dt.date, data: st.DataObject
) -> None:
    """Raising the prevented extent of one period never moves an interval end up."""
    periods = d["bedomning"].get("perioder")
    assume(periods)
    i = data.draw(st.integers(0, len(periods) - 1))
    assume(periods[i]["omfattning"] < 100)
    before = _by_type(_assess(d, on))
    raised = copy.deepcopy(d)
    higher = [x for x in (25, 50, 75, 100) if x > periods[i]["omfattning"]]
    raised["bedomning"]["perioder"][i]["omfattning"] = data.draw(st.sampled_from(higher))
    after = _by_type(_assess(raised, on))
    for typ in before:
        assert after[typ][1] <= before[typ][1], typ
        assert after[typ][2] <= before[typ][2], typ


def _extent_ceiling(d: dict[str, Any], on: dt.date) -> int | None:
    """The level the doctor's stated extent alone supports on ``on`` (None: no statement)."""
    if not d["bedomning"]["forhindrad"]:
        return RANK["KAN_DELTA"]
    for p in d["bedomning"]["perioder"]:
        if dt.date.fromisoformat(p["fran"]) <= on <= dt.date.fromisoformat(p["till"]):
            return RANK["FORHINDRAD"] if p["omfattning"] == 100 else RANK["KAN_DELTA_DELVIS"]
    return None


@SETTINGS
@given(certificates(), dates, st.data())
def test_assess_deleting_optional_item_never_gives_firmer_verdict(
    d: dict[str, Any], on: dt.date, data: st.DataObject
) -> None:
    """Delete one optional structured item (an ICF item, an adaptation, a recommendation).

    Exactly, for every activity type, with c the certificate and c' = c minus the item:
    (a) if c gives UNDERLAG_OTILLRACKLIGT, c' gives UNDERLAG_OTILLRACKLIGT: less evidence never
        settles an open question;
    (b) if c' gives a definite level, it is not higher than the level the doctor's stated extent
        on the date alone supports (KAN_DELTA when not prevented, KAN_DELTA_DELVIS for 25-75 %,
        FORHINDRAD for 100 %), and when no period covers the date it is FORHINDRAD: a verdict is
        never more favourable than the certificate states;
    (c) if both give definite levels, c' is not lower than c: taking away a stated limitation
        never makes the verdict more restrictive.
    """
    choices: list[tuple[str, str]] = []
    for key in ("aktivitetsbegransning", "funktionsnedsattning"):
        choices += [(key, "icf")] if d[key].get("icf") else []
    if d["bedomning"].get("anpassningar"):
        choices.append(("bedomning", "anpassningar"))
    if d["samverkan"].get("rekommendationer"):
        choices.append(("samverkan", "rekommendationer"))
    assume(choices)
    section, field = data.draw(st.sampled_from(choices))
    smaller = copy.deepcopy(d)
    items = smaller[section][field]
    del items[data.draw(st.integers(0, len(items) - 1))]
    if not items:
        del smaller[section][field]
        if field == "anpassningar":
            smaller["bedomning"].pop("anpassningar_beskrivning", None)
    if field == "anpassningar" and "ANNAN" not in items:
        smaller["bedomning"].pop("anpassningar_beskrivning", None)
    before = _by_type(_assess(d, on))
    after = _by_type(_assess(smaller, on))
    ceiling = _extent_ceiling(smaller, on)
    for typ, (level, _, _) in before.items():
        new = after[typ][0]
        if level == "UNDERLAG_OTILLRACKLIGT":
            assert new == "UNDERLAG_OTILLRACKLIGT", typ
        if new != "UNDERLAG_OTILLRACKLIGT":
            assert RANK[new] <= (ceiling or RANK["FORHINDRAD"]), typ
            if level != "UNDERLAG_OTILLRACKLIGT":
                assert RANK[new] >= RANK[level], typ


def _impairments_only(grades: dict[str, int]) -> dict[str, Any]:
    """The example, not prevented, with only these impairments (b) graded and no activity
    limitation (d) coded: how heavily limitations weigh is known only from below."""
    data = intyg.example()
    data["bedomning"]["forhindrad"] = False
    data["bedomning"].pop("perioder", None)
    data["aktivitetsbegransning"].pop("icf", None)
    data["funktionsnedsattning"]["icf"] = [{"kod": k, "grad": g} for k, g in grades.items()]
    return data


def _outcomes(data: dict[str, Any]) -> dict[tuple[str, str | None], str]:
    result = intyg.assess(intyg.load(data), dt.date(2026, 11, 24))
    return {(r["regel"], r["aktivitet"]): r["utfall"] for r in result.regelutfall}


def test_an_impairments_grade_is_a_lower_bound_of_the_activity_limitations() -> None:
    # b130 at grade 3 in an area where work demands much: "the highest grade there is at least
    # 3" holds whatever the activity limitations are, so the rule is true, not unknown.
    data = _impairments_only({"b130": 3})
    result = intyg.assess(intyg.load(data), dt.date(2026, 11, 24))
    outcomes = {(r["regel"], r["aktivitet"]): r["utfall"] for r in result.regelutfall}
    assert outcomes[("NIVA-KRAV-HOG-STOR", "ARBETE")] == "sant"
    work = next(a for a in result.aktiviteter if a.typ == "ARBETE")
    assert work.niva_intervall["hogsta"] == "KAN_DELTA_DELVIS"
    read = [v for f in result.fynd for v in f.varden if v["namn"].startswith("harlett.krav_")]
    assert {"minst": 3} in [v["varde"] for v in read]  # what is known, as it is known


@pytest.mark.parametrize("grade", [1, 2, 3])
def test_what_impairments_alone_settle_no_activity_limitation_changes(grade: int) -> None:
    # Sound: an outcome of the rules on how heavily limitations weigh (NIVA-KRAV-*), known
    # from the impairments alone, stays when any graded activity limitation is added; only
    # unknown outcomes may become known. (Other rules read the codes themselves.)
    known = {
        k: v
        for k, v in _outcomes(_impairments_only({"b130": grade})).items()
        if v != "okant" and k[0].startswith("NIVA-KRAV-")
    }
    assert grade < 3 or known  # b130 at 3 settles NIVA-KRAV-HOG-STOR
    for code in ("d110", "d166", "d230", "d240", "d350", "d450", "d720", "d850"):
        for d_grade in range(5):
            data = _impairments_only({"b130": grade})
            data["aktivitetsbegransning"]["icf"] = [{"kod": code, "grad": d_grade}]
            after = _outcomes(data)
            changed = {k: (v, after[k]) for k, v in known.items() if after[k] != v}
            assert not changed, (code, d_grade, changed)


@pytest.mark.parametrize(
    ("op", "varde", "low", "expected"),
    [
        ("minst", 3, 3, True),
        ("minst", 3, 2, None),
        ("hogst", 2, 3, False),
        ("hogst", 3, 3, None),
        ("lika", 2, 3, False),
        ("lika", 3, 3, None),
        ("en_av", (1, 2), 3, False),
        ("en_av", (2, 4), 3, None),
        ("inte_en_av", (1, 2), 3, True),
        ("inte_en_av", (2, 4), 3, None),
        ("innehaller", (4,), 3, None),
    ],
)
def test_a_number_known_from_below_decides_only_what_every_larger_one_would(
    op: str, varde: Any, low: int, expected: bool | None
) -> None:
    from intyg._assessment._operators import _as_set, _at_least

    assert _at_least(op, varde, _as_set(varde), low) is expected
    if expected is None:
        return
    for value in range(low, 5):  # what is decided holds for every number it may be
        truth = {
            "minst": value >= varde if op == "minst" else None,
            "hogst": value <= varde if op == "hogst" else None,
            "lika": value == varde if op == "lika" else None,
            "en_av": value in varde if op == "en_av" else None,
            "inte_en_av": value not in varde if op == "inte_en_av" else None,
        }[op]
        assert truth is expected


def test_a_finding_for_several_activity_types_reads_what_holds_for_all() -> None:
    # b140 at 3 weighs in areas work demands much of, and moderately for job seeking: the
    # highest grade where demand is high is "at least 3" for work and unknown for job seeking.
    # A finding for both says what holds for both: unknown, never work's "at least 3".
    data = intyg.example()
    data["aktivitetsbegransning"].pop("icf")
    data["funktionsnedsattning"]["icf"] = [{"kod": "b140", "grad": 3}, {"kod": "b130", "grad": 2}]
    result = intyg.assess(intyg.load(data), dt.date(2026, 11, 24))
    total = next(f for f in result.fynd if f.regel == "NIVA-KRAV-HOG-TOTAL")
    assert {"ARBETE", "JOBBSOKANDE"} <= set(total.aktiviteter)
    assert total.varden == [{"namn": "harlett.krav_hog_hogsta_grad", "varde": None}]


def test_an_unknown_finding_for_two_activity_types_reads_only_what_both_share() -> None:
    # A quantity read per activity type that differs between the two types a finding is for
    # is unknown for the finding as a whole (null), not the first type's value.
    from intyg._assessment._catalogue import catalogue
    from intyg._assessment._evaluate import _unknown_finding
    from intyg._assessment._operators import AtLeast
    from intyg._assessment._select import select_ruleset

    on = dt.date(2026, 11, 24)
    seg = select_ruleset(catalogue().rulesets, on, None)._plan.at(on)
    step = next(st for st, _ in seg.steps if st.id == "NIVA-KRAV-HOG-STOR")
    [(key, _)] = step.evidence
    shared = {k: None for k, _ in step.evidence}
    apart = _unknown_finding(
        step, [{**shared, key: AtLeast(2)}, {**shared, key: None}], ["ARBETE", "JOBBSOKANDE"]
    )
    alike = _unknown_finding(
        step, [{**shared, key: AtLeast(2)}, {**shared, key: AtLeast(2)}], ["ARBETE", "JOBBSOKANDE"]
    )
    assert [v["varde"] for v in apart.varden] == [None]
    assert [v["varde"] for v in alike.varden] != [None]
    assert apart.aktiviteter == ["ARBETE", "JOBBSOKANDE"]
