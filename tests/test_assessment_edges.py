"""Edges of the assessment engine that the shipped rule sets do not reach.

Each test loads a small synthetic rule set the way the rule files are loaded (``build_catalogue``
over the package's source catalogue and demand profile plus one rule file of its own) and
assesses a certificate with it through :func:`intyg.assess`. The cases are those a future rule
set could meet: an operator other than ``minst`` on a demand-level quantity, a rule that stops
before the rule set does, a demand profile whose other areas ask more than a low demand, and a
presence test on an optional answer inside a repeating group.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

import intyg
from intyg._assessment._loader import build_catalogue, package_files

SOURCE = "sol-2025-400-12kap3"
ON = dt.date(2026, 11, 24)
"""An assessment date inside the example's first period."""
HIGH = "harlett.krav_hog_hogsta_grad"

# ---------------------------------------------------------------- building synthetic rule sets


def _ruleset(rules: list[dict[str, Any]], profile: dict[str, Any] | None = None) -> intyg.RuleSet:
    """A rule set holding only ``rules``, loaded as the package's rule files are, with the
    package's demand profile or ``profile`` (the rule set's own demand profile)."""
    shipped = package_files()
    files = {"kallor.yaml": shipped["kallor.yaml"], "kravprofil.yaml": shipped["kravprofil.yaml"]}
    head: dict[str, Any] = {
        "id": "test-kanter",
        "titel": "Syntetiskt regelverk",
        "beskrivning": "Regler för testerna av motorns kanter.",
        "version": "1.0.0",
        "status": "forslag",
        "giltig_fran": dt.date(2025, 7, 1),
        "forsta_period": dt.date(2025, 7, 1),
        "kallor": [SOURCE],
        "uppfoljning": {"senast_efter_dagar": 90, "vid_komplettering_dagar": 14},
        "regler": rules,
    }
    if profile is not None:
        files["kravprofil-test.yaml"] = yaml.safe_dump(profile, allow_unicode=True)
        head["kravprofil"] = profile["id"]
    files["regelverk-test-kanter.yaml"] = yaml.safe_dump(head, allow_unicode=True)
    [rs] = build_catalogue(files).rulesets
    return rs


def _level_rule(
    rule_id: str, villkor: dict[str, Any], tak: str = "KAN_DELTA_DELVIS"
) -> dict[str, Any]:
    """A level rule for work (ARBETE) only: its outcome and evidence are work's alone."""
    return {
        "id": rule_id,
        "typ": "niva",
        "titel": rule_id,
        "kallor": [SOURCE],
        "villkor": villkor,
        "tak": tak,
        "aktiviteter": ["ARBETE"],
        "text": "Regeln håller.",
    }


def _finding_rule(rule_id: str, villkor: dict[str, Any], **window: dt.date) -> dict[str, Any]:
    """A finding rule, valid in ``window`` (``giltig_fran``, ``giltig_till``) if given."""
    return {
        "id": rule_id,
        "typ": "fynd",
        "titel": rule_id,
        "kallor": [SOURCE],
        "villkor": villkor,
        "allvarlighet": "info",
        "meddelande": "Regeln håller.",
        **window,
    }


def _outcomes(a: intyg.Assessment) -> dict[tuple[str, str | None], str]:
    return {(r["regel"], r["aktivitet"]): r["utfall"] for r in a.regelutfall}


def _read(a: intyg.Assessment, rule_id: str) -> dict[str, Any]:
    """What the finding of ``rule_id`` read, by name."""
    [finding] = [f for f in a.fynd if f.regel == rule_id]
    return {v["namn"]: v["varde"] for v in finding.varden}


def _impairments_only(grades: dict[str, int]) -> intyg.Intyg:
    """The example with only these impairments (b) graded and no activity limitation (d)
    coded."""
    data = intyg.example()
    data["aktivitetsbegransning"].pop("icf")
    data["funktionsnedsattning"]["icf"] = [{"kod": k, "grad": g} for k, g in grades.items()]
    return intyg.load(data)


# ---------------------------------------------------------------- a quantity known from below
# When only impairments are graded, the highest grade where work asks much (b1 asks much of
# work, and so do activity areas that are not graded) is known only from below while it is
# under 4; at 4, the top grade, it is known exactly.

_TOP_GRADE_RULES: list[tuple[str, dict[str, Any], str]] = [
    ("LIKA-4", {"harlett": "krav_hog_hogsta_grad", "op": "lika", "varde": 4}, "sant"),
    ("EN-AV-4", {"harlett": "krav_hog_hogsta_grad", "op": "en_av", "varde": [4]}, "sant"),
    ("HOGST-3", {"harlett": "krav_hog_hogsta_grad", "op": "hogst", "varde": 3}, "falskt"),
    ("INTE-4", {"harlett": "krav_hog_hogsta_grad", "op": "inte_en_av", "varde": [4]}, "falskt"),
    ("MINST-4", {"harlett": "krav_hog_hogsta_grad", "op": "minst", "varde": 4}, "sant"),
]


def test_an_impairment_at_the_top_grade_gives_an_exact_demand_level_quantity() -> None:
    rs = _ruleset([_level_rule(rid, villkor) for rid, villkor, _ in _TOP_GRADE_RULES])
    a = intyg.assess(_impairments_only({"b130": 4}), ON, ruleset=rs)
    outcomes = _outcomes(a)
    assert {rid: outcomes[rid, "ARBETE"] for rid, _, _ in _TOP_GRADE_RULES} == {
        rid: expected for rid, _, expected in _TOP_GRADE_RULES
    }


def test_an_exact_top_grade_is_read_as_a_number_in_the_evidence() -> None:
    # The grade rule holds but the rule is unknown (no period covers the date): its finding
    # lists the quantity as the number 4, not as a lower bound.
    rule = _level_rule(
        "TOPP-OCH-OMFATTNING",
        {
            "alla": [
                {"harlett": "krav_hog_hogsta_grad", "op": "lika", "varde": 4},
                {"harlett": "omfattning_pa_datum", "op": "minst", "varde": 25},
            ]
        },
    )
    after_the_periods = dt.date(2027, 3, 15)
    a = intyg.assess(_impairments_only({"b130": 4}), after_the_periods, ruleset=_ruleset([rule]))
    assert _outcomes(a)["TOPP-OCH-OMFATTNING", "ARBETE"] == "okant"
    assert _read(a, "TOPP-OCH-OMFATTNING") == {HIGH: 4, "harlett.omfattning_pa_datum": None}


@pytest.mark.parametrize("grade", [1, 2, 3])
def test_an_impairment_below_the_top_grade_gives_only_a_lower_bound(grade: int) -> None:
    rules = [
        # LIKA and OVER cap lower than MINST, which holds: unknown, each could still lower
        # work's level, so each has a finding.
        _level_rule(
            "LIKA", {"harlett": "krav_hog_hogsta_grad", "op": "lika", "varde": grade}, "FORHINDRAD"
        ),
        _level_rule("MINST", {"harlett": "krav_hog_hogsta_grad", "op": "minst", "varde": grade}),
        _level_rule(
            "OVER", {"harlett": "krav_hog_hogsta_grad", "op": "minst", "varde": 4}, "FORHINDRAD"
        ),
        _level_rule(
            "UNDER", {"harlett": "krav_hog_hogsta_grad", "op": "hogst", "varde": grade - 1}
        ),
    ]
    a = intyg.assess(_impairments_only({"b130": grade}), ON, ruleset=_ruleset(rules))
    outcomes = _outcomes(a)
    assert {rid: outcomes[rid, "ARBETE"] for rid in ("LIKA", "MINST", "OVER", "UNDER")} == {
        "LIKA": "okant",  # an ungraded activity area may hold a higher grade
        "MINST": "sant",
        "OVER": "okant",
        "UNDER": "falskt",
    }
    assert _read(a, "LIKA") == {HIGH: {"minst": grade}}
    assert _read(a, "OVER") == {HIGH: {"minst": grade}}


def test_no_impairment_in_a_demanding_area_leaves_the_quantity_unknown_not_at_least_zero() -> None:
    # b280 (b2) asks only a moderate demand of work: where work asks much, no impairment is
    # graded, and the activity areas are not graded at all.
    rule = _level_rule("LIKA-0", {"harlett": "krav_hog_hogsta_grad", "op": "lika", "varde": 0})
    a = intyg.assess(_impairments_only({"b280": 3}), ON, ruleset=_ruleset([rule]))
    assert _outcomes(a)["LIKA-0", "ARBETE"] == "okant"
    assert _read(a, "LIKA-0") == {HIGH: None}


# ---------------------------------------------------------------- a rule's own validity window

_LAST_DAY = dt.date(2026, 11, 30)


def _always(rule_id: str, **window: dt.date) -> dict[str, Any]:
    """A finding that holds for every certificate (whether the person is prevented is always
    answered)."""
    return _finding_rule(rule_id, {"falt": "bedomning.forhindrad", "op": "finns"}, **window)


def test_a_rule_applies_on_its_last_day_and_not_on_the_day_after() -> None:
    rs = _ruleset([_always("SLUTAR", giltig_till=_LAST_DAY), _always("ALLTID")])
    cert = intyg.load(intyg.example())
    for on, expected in [
        (_LAST_DAY - dt.timedelta(days=1), {"SLUTAR", "ALLTID"}),
        (_LAST_DAY, {"SLUTAR", "ALLTID"}),
        (_LAST_DAY + dt.timedelta(days=1), {"ALLTID"}),
        (_LAST_DAY + dt.timedelta(days=2), {"ALLTID"}),
        (dt.date(2199, 12, 31), {"ALLTID"}),
    ]:
        a = intyg.assess(cert, on, ruleset=rs)
        assert {r["regel"] for r in a.regelutfall} == expected, on
        assert {f.regel for f in a.fynd} == expected, on


def test_a_rule_valid_to_the_last_representable_day_loads_and_applies() -> None:
    rs = _ruleset([_always("SIST", giltig_till=dt.date.max)])
    cert = intyg.load(intyg.example())
    for on in (dt.date(2025, 7, 1), ON, dt.date(2199, 12, 31)):
        assert _outcomes(intyg.assess(cert, on, ruleset=rs)) == {("SIST", None): "sant"}, on


# ---------------------------------------------------------------- the demand of other areas


def _profile(ovriga: str) -> dict[str, Any]:
    """A demand profile with two low-demand rows (d1, b1) and ``ovriga`` for every other
    area."""
    shipped = yaml.safe_load(package_files()["kravprofil.yaml"])
    low = dict.fromkeys(shipped["rader"][0]["krav"], "lag")  # every activity type
    return {
        "id": f"kravprofil-ovriga-{ovriga}",
        "version": "1.0.0",
        "beskrivning": "Alla andra områden ställer samma krav.",
        "ovriga": ovriga,
        "anpassning_fran_grad": 2,
        "rader": [
            {"omrade": "d1", "namn": "Lärande", "krav": low},
            {"omrade": "b1", "namn": "Psykiska funktioner", "krav": low},
        ],
    }


def _demand_rules(grade: int, ovriga: str) -> list[dict[str, Any]]:
    """``lika grade`` on the high and the moderate demand quantity; the one of the level other
    areas ask caps lower, so that it has a finding whenever it is unknown."""
    return [
        _level_rule(
            f"{level.upper()}-LIKA",
            {"harlett": f"krav_{level}_hogsta_grad", "op": "lika", "varde": grade},
            "FORHINDRAD" if level == ovriga else "KAN_DELTA_DELVIS",
        )
        for level in ("hog", "mattlig")
    ]


@pytest.mark.parametrize("ovriga", ["hog", "mattlig"])
def test_an_other_area_that_asks_a_level_leaves_it_unknown_without_icf_items(
    ovriga: str,
) -> None:
    # No ICF item at all: the quantity of the level other areas ask is unknown (an item could
    # be in any of them); no area asks the third level, so its quantity is 0.
    data = intyg.example()
    data["aktivitetsbegransning"].pop("icf")
    data["funktionsnedsattning"].pop("icf")
    rs = _ruleset(_demand_rules(0, ovriga), _profile(ovriga))
    outcomes = _outcomes(intyg.assess(intyg.load(data), ON, ruleset=rs))
    other = "mattlig" if ovriga == "hog" else "hog"
    assert outcomes[f"{ovriga.upper()}-LIKA", "ARBETE"] == "okant"
    assert outcomes[f"{other.upper()}-LIKA", "ARBETE"] == "sant"


@pytest.mark.parametrize("ovriga", ["hog", "mattlig"])
def test_an_other_area_that_asks_a_level_keeps_ungraded_activities_open(ovriga: str) -> None:
    # b130 (b1) asks little; no activity limitation is graded, and an ungraded one outside
    # the table would ask ``ovriga``: the quantity of that level is unknown, not 0.
    rs = _ruleset(_demand_rules(0, ovriga), _profile(ovriga))
    a = intyg.assess(_impairments_only({"b130": 3}), ON, ruleset=rs)
    other = "mattlig" if ovriga == "hog" else "hog"
    assert _outcomes(a)[f"{ovriga.upper()}-LIKA", "ARBETE"] == "okant"
    assert _outcomes(a)[f"{other.upper()}-LIKA", "ARBETE"] == "sant"
    assert _read(a, f"{ovriga.upper()}-LIKA") == {f"harlett.krav_{ovriga}_hogsta_grad": None}


@pytest.mark.parametrize("ovriga", ["hog", "mattlig"])
def test_an_impairment_outside_the_table_is_a_lower_bound_of_the_other_areas_level(
    ovriga: str,
) -> None:
    # b280 (b2) is not in the table, so it asks ``ovriga`` of every activity: its grade is
    # what is known of that level, from below.
    rs = _ruleset(_demand_rules(2, ovriga), _profile(ovriga))
    a = intyg.assess(_impairments_only({"b280": 2}), ON, ruleset=rs)
    assert _outcomes(a)[f"{ovriga.upper()}-LIKA", "ARBETE"] == "okant"
    assert _read(a, f"{ovriga.upper()}-LIKA") == {
        f"harlett.krav_{ovriga}_hogsta_grad": {"minst": 2}
    }


@pytest.mark.parametrize(("activity_area_asks", "outcome"), [("lag", "sant"), ("hog", "okant")])
def test_only_an_activity_area_that_asks_a_level_leaves_an_impairments_grade_open(
    activity_area_asks: str, outcome: str
) -> None:
    # b1 asks much of every activity; only impairments are graded (b130: 3). Whether the high
    # demand's top grade is exactly 3 or only at least 3 depends on whether an activity area
    # (d, ungraded here) also asks much, not on the impairment's own row.
    profile = _profile("lag")
    for row in profile["rader"]:
        asks = "hog" if row["omrade"] == "b1" else activity_area_asks
        row["krav"] = dict.fromkeys(row["krav"], asks)
    rs = _ruleset(_demand_rules(3, "lag"), profile)
    a = intyg.assess(_impairments_only({"b130": 3}), ON, ruleset=rs)
    assert _outcomes(a)["HOG-LIKA", "ARBETE"] == outcome
    assert _outcomes(a)["MATTLIG-LIKA", "ARBETE"] == "falskt"  # no area asks it: 0


# ---------------------------------------------------------------- an optional answer in a group

_DESCRIBED = [
    _finding_rule("BESKRIVNING-FINNS", {"falt": "grund.underlag.beskrivning", "op": "finns"}),
    _finding_rule("BESKRIVNING-SAKNAS", {"falt": "grund.underlag.beskrivning", "op": "saknas"}),
]


def test_an_optional_answer_given_in_no_group_entry_reads_as_absent() -> None:
    # The example's bases are an examination and records: none is "other", so none is
    # described (the description is asked only of "other").
    cert = intyg.load(intyg.example())
    a = intyg.assess(cert, ON, ruleset=_ruleset(_DESCRIBED))
    assert _outcomes(a) == {
        ("BESKRIVNING-FINNS", None): "falskt",
        ("BESKRIVNING-SAKNAS", None): "sant",
    }
    assert _read(a, "BESKRIVNING-SAKNAS") == {"grund.underlag.beskrivning": False}


def test_an_optional_answer_given_in_one_group_entry_reads_as_present() -> None:
    data = intyg.example()
    data["grund"]["underlag"].append(
        {"typ": "ANNAT", "datum": "2026-11-19", "beskrivning": "Utlåtande från arbetsterapeut."}
    )
    a = intyg.assess(intyg.load(data), ON, ruleset=_ruleset(_DESCRIBED))
    assert _outcomes(a) == {
        ("BESKRIVNING-FINNS", None): "sant",
        ("BESKRIVNING-SAKNAS", None): "falskt",
    }
    assert _read(a, "BESKRIVNING-FINNS") == {"grund.underlag.beskrivning": True}


# ---------------------------------------------------------------- pinned by mutation testing
# Paths of the engine that no shipped rule takes: each test below failed on a mutant that the
# rest of the suite let through.


def test_a_rule_with_a_negated_condition_loads_and_is_evaluated() -> None:
    rs = _ruleset(
        [
            _finding_rule(
                "INTE", {"inte": {"falt": "behandling.kan_forvarras", "op": "lika", "varde": False}}
            )
        ]
    )
    a = intyg.assess(intyg.load(intyg.example()), ON, ruleset=rs)  # kan_forvarras: true
    [finding] = [f for f in a.fynd if f.regel == "INTE"]
    assert (finding.utfall, finding.falt) == ("sant", ["behandling.kan_forvarras"])
    assert rs.compiled[0].fields == ("behandling.kan_forvarras",)  # what it may read


def test_a_compiled_rule_names_the_fields_of_its_derived_quantities_once() -> None:
    # The fields of a derived quantity, and those read under a negation, each once.
    villkor = {
        "nagon": [
            {"harlett": "omfattning_pa_datum", "op": "minst", "varde": 25},
            {"inte": {"falt": "behandling.kan_forvarras", "op": "lika", "varde": False}},
            {"falt": "bedomning.forhindrad", "op": "lika", "varde": True},
        ]
    }
    [rule] = _ruleset([_finding_rule("FALT", villkor)]).compiled
    assert rule.fields == (
        "bedomning.forhindrad",
        "bedomning.perioder.fran",
        "bedomning.perioder.till",
        "bedomning.perioder.omfattning",
        "behandling.kan_forvarras",
    )


def test_an_unknown_outcome_without_vid_okant_is_a_request_to_complete() -> None:
    # DESIGN: what cannot be told from the certificate asks for it to be completed.
    rule = _finding_rule("OKAND", {"harlett": "omfattning_pa_datum", "op": "minst", "varde": 25})
    a = intyg.assess(intyg.load(intyg.example()), dt.date(2027, 3, 15), ruleset=_ruleset([rule]))
    [finding] = [f for f in a.fynd if f.regel == "OKAND"]  # no period covers the date
    assert (finding.utfall, finding.allvarlighet) == ("okant", "komplettering")


@pytest.mark.parametrize(
    ("limit", "on"),
    [(100, ON), (25, dt.date(2027, 3, 15))],
    ids=["false-with-its-text", "unknown"],
)
def test_a_level_rule_that_gives_a_reason_cites_its_sources(limit: int, on: dt.date) -> None:
    # A source cited only by the rule (not by its rule set) is among the assessment's sources
    # when the rule's reason is given: false with a text of its own, or unknown.
    rule = _level_rule("KALLA", {"harlett": "omfattning_pa_datum", "op": "minst", "varde": limit})
    rule["kallor"] = ["hslf-fs-2018-54"]
    rule["text_om_falskt"] = "Regeln håller inte."
    a = intyg.assess(intyg.load(intyg.example()), on, ruleset=_ruleset([rule]))
    assert "hslf-fs-2018-54" in [k["id"] for k in a.kallor]


def test_assess_takes_the_earliest_date_a_certificate_may_have_and_not_the_day_before() -> None:
    cert = intyg.load(intyg.example())
    with pytest.raises(intyg.RuleSetError) as info:  # in range: no rule set that early
        intyg.assess(cert, dt.date(1900, 1, 1))
    assert info.value.codes == ["ruleset_not_found"]
    with pytest.raises(ValueError) as refused:  # out of range: a mistake in the call
        intyg.assess(cert, dt.date(1899, 12, 31))
    assert not isinstance(refused.value, intyg.IntygError)


# ---------------------------------------------------------------- the follow-up date and reason
# The earliest of: the rule set's latest day (90 days here), the end of the period that holds
# on the assessment date, the treatment's end, and the date to complete by (14 days) when a
# finding asks to complete. On a tie the reason found first stays: the dates are the same, but
# the reason a case officer reads is not.


def _asks_to_complete(rule_id: str) -> dict[str, Any]:
    return {**_always(rule_id), "allvarlighet": "komplettering"}


@pytest.mark.parametrize(
    ("treatment_end", "complete", "date", "why"),
    [
        (None, False, dt.date(2026, 12, 31), "_WHY_PERIOD"),
        (dt.date(2026, 12, 31), False, dt.date(2026, 12, 31), "_WHY_PERIOD"),  # a tie
        (dt.date(2026, 12, 30), False, dt.date(2026, 12, 30), "_WHY_TREATMENT"),
        (dt.date(2026, 11, 23), False, dt.date(2026, 12, 31), "_WHY_PERIOD"),  # ended already
        (ON, False, ON, "_WHY_TREATMENT"),  # ends on the assessment date
        (None, True, ON + dt.timedelta(days=14), "_WHY_KOMPLETTERING"),
        (ON + dt.timedelta(days=14), True, ON + dt.timedelta(days=14), "_WHY_TREATMENT"),  # tie
        (ON + dt.timedelta(days=15), True, ON + dt.timedelta(days=14), "_WHY_KOMPLETTERING"),
    ],
)
def test_the_follow_up_is_the_earliest_date_and_a_tie_keeps_the_first_reason(
    treatment_end: dt.date | None, complete: bool, date: dt.date, why: str
) -> None:
    from intyg._assessment import _evaluate

    data = intyg.example()  # prevented; its first period holds on ON and ends 2026-12-31
    data["behandling"].pop("slutdatum")
    if treatment_end is not None:
        data["behandling"]["slutdatum"] = treatment_end.isoformat()
    rules = [_asks_to_complete("KOMPLETTERA")] if complete else [_always("ALLTID")]
    follow_up = intyg.assess(intyg.load(data), ON, ruleset=_ruleset(rules)).uppfoljning
    assert (follow_up.datum, follow_up.skal) == (date, getattr(_evaluate, why))


@pytest.mark.parametrize("till", [ON + dt.timedelta(days=90), ON + dt.timedelta(days=91)])
def test_a_period_ending_on_or_after_the_latest_day_leaves_the_rule_sets_reason(
    till: dt.date,
) -> None:
    from intyg._assessment import _evaluate

    data = intyg.example()
    period = {"fran": "2026-11-18", "till": till.isoformat(), "omfattning": 75}
    data["bedomning"]["perioder"] = [period]
    data["behandling"].pop("slutdatum")
    follow_up = intyg.assess(
        intyg.load(data), ON, ruleset=_ruleset([_always("ALLTID")])
    ).uppfoljning
    assert follow_up.datum == ON + dt.timedelta(days=90)
    others = {_evaluate._WHY_PERIOD, _evaluate._WHY_TREATMENT, _evaluate._WHY_KOMPLETTERING}
    assert follow_up.skal not in others  # the rule set's own "at the latest ... days after"
