"""The checks a rule file must pass before it is used (intyg._assessment._loader), one change
at a time to the shipped files: what each change is refused with, and which changes at a
boundary are still taken. From a mutation audit of the loader: each row fails when its check
is left out or loosened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from intyg._assessment._loader import build_catalogue, package_files
from intyg._errors import RuleSetError
from test_assessment_rules import FORSLAG, SOL, _files_with

KALLOR = "kallor.yaml"
PROFIL = "kravprofil.yaml"
Files = dict[str, str]


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["regler"] if r["id"] == rule_id)


def _set(name: str, key: str, value: Any) -> Callable[[], Files]:
    return lambda: _files_with(name, lambda d: d.__setitem__(key, value))


def _set_in_rule(name: str, rule_id: str, key: str, value: Any) -> Callable[[], Files]:
    return lambda: _files_with(name, lambda d: _rule(d, rule_id).__setitem__(key, value))


def _condition(condition: dict[str, Any]) -> Callable[[], Files]:
    """The condition of a finding of the current rule set (the proposal inherits it)."""
    return _set_in_rule(SOL, "FYND-PROGNOS-ATERGAR-EJ", "villkor", condition)


def _copied(name: str, as_name: str) -> Callable[[], Files]:
    def files() -> Files:
        out = package_files()
        out[as_name] = out[name]
        return out

    return files


def _source(edit: Callable[[list[dict[str, Any]]], Any]) -> Callable[[], Files]:
    return lambda: _files_with(KALLOR, lambda d: edit(d["kallor"]))


def _proposed(sources: list[dict[str, Any]]) -> dict[str, Any]:
    return next(k for k in sources if k["status"] == "forslag")


def _both(name: str, rule: str = "FYND-PROGNOS-ATERGAR-EJ") -> list[str]:
    """The path of a rule of the current rule set, in it and in the proposal built on it."""
    return [f"{FORSLAG}#{rule}", f"{SOL}#{rule}"]


def _invalid(path: str) -> list[tuple[str, str]]:
    """A file that fails its structure: the proposal built on it cannot be built either."""
    return [("ruleset_file_invalid", f"{SOL}#{path}"), ("ruleset_unknown_reference", FORSLAG)]


MISMATCH = [("ruleset_operator_mismatch", p) for p in _both(SOL)]

REFUSED: list[tuple[str, Callable[[], Files], list[tuple[str, str]]]] = [
    # the same id twice
    (
        "profile_twice",
        _copied(PROFIL, "kravprofil-kopia.yaml"),
        [("ruleset_duplicate_id", "kravprofil-kopia.yaml")],
    ),
    (
        "rule_set_twice",
        _copied(SOL, "regelverk-kopia.yaml"),
        [("ruleset_duplicate_id", "regelverk-kopia.yaml")],
    ),
    (
        "source_twice",
        _source(lambda k: k.append(dict(k[0]))),
        [("ruleset_duplicate_id", "kallor.yaml#sol-2025-400-10kap8")],
    ),
    (
        "profile_row_twice",
        lambda: _files_with(PROFIL, lambda d: d["rader"].append(dict(d["rader"][0]))),
        [("ruleset_duplicate_id", "kravprofil:kravprofil#d1")],
    ),
    # a source's dates and status
    (
        "repealed_without_end",
        _source(lambda k: k[0].__setitem__("status", "upphavd")),
        [("ruleset_date_window", "kallor.yaml#sol-2025-400-10kap8")],
    ),
    (
        "proposal_with_sfs",
        _source(lambda k: _proposed(k).__setitem__("sfs", "2026:1")),
        [("ruleset_date_window", "kallor.yaml#lr-aktivitetskrav-2025")],
    ),
    # ta_bort: only on an overlay, only of rules its base has
    ("ta_bort_on_a_root", _set(SOL, "ta_bort", ["STEG-IPS"]), [("ruleset_unknown_reference", SOL)]),
    (
        "ta_bort_unknown_rule",
        _set(FORSLAG, "ta_bort", ["INGEN-SADAN-REGEL"]),
        [("ruleset_unknown_reference", f"{FORSLAG}#ta_bort")],
    ),
    # references
    (
        "unknown_source_of_a_rule_set",
        lambda: _files_with(SOL, lambda d: d["kallor"].append("ingen")),
        [("ruleset_unknown_source", SOL)],
    ),
    (
        "activity_quantity_outside_a_level_rule",
        _condition({"harlett": "krav_hog_hogsta_grad", "op": "minst", "varde": 3}),
        [("ruleset_unknown_derived", p) for p in _both(SOL)],
    ),
    (
        "unknown_activity",
        _set_in_rule(SOL, "NIVA-OMF-HEL", "aktiviteter", ["OKAND"]),
        [("ruleset_unknown_code", p) for p in _both(SOL, "NIVA-OMF-HEL")],
    ),
    (
        "unknown_code_in_okant_om",
        _condition(
            {
                "falt": "sysselsattning.typ",
                "op": "innehaller",
                "varde": ["ARBETE"],
                "okant_om": ["NOPE"],
            }
        ),
        [("ruleset_unknown_code", p) for p in _both(SOL)],
    ),
    # a rule's window within its rule set's
    (
        "rule_beyond_its_rule_set",
        _set_in_rule(SOL, "STEG-IPS", "giltig_till", "2026-06-30"),
        [("ruleset_date_window", f"{FORSLAG}#STEG-IPS")],
    ),
    # operators that do not fit what they compare
    (
        "aggregate_on_a_derived_value",
        _condition({"harlett": "omfattning_pa_datum", "agg": "max", "op": "minst", "varde": 3}),
        MISMATCH,
    ),
    (
        "number_for_a_truth_value",
        _condition({"harlett": "period_passerad", "op": "lika", "varde": 1}),
        MISMATCH,
    ),
    (
        "truth_value_for_a_number",
        _condition({"harlett": "omfattning_pa_datum", "op": "minst", "varde": True}),
        MISMATCH,
    ),
    (
        "truth_value_for_an_answered_number",
        _condition({"falt": "prognos.manader", "op": "minst", "varde": True}),
        MISMATCH,
    ),
    (
        "okant_om_on_presence",
        _condition({"falt": "prognos.typ", "op": "finns", "okant_om": ["KAN_EJ_BEDOMAS"]}),
        MISMATCH,
    ),
    (
        "single_value_operator_on_a_list",
        _condition({"falt": "sysselsattning.typ", "op": "lika", "varde": "ARBETE"}),
        MISMATCH,
    ),
    (
        "list_without_aggregate",
        _condition({"falt": "bedomning.perioder.fran", "op": "fore_bedomningsdatum"}),
        MISMATCH,
    ),
    (
        "date_operator_with_a_value",
        _condition({"falt": "behandling.slutdatum", "op": "fore_bedomningsdatum", "varde": 3}),
        MISMATCH,
    ),
    (
        "aggregate_on_a_single_answer",
        _condition({"falt": "prognos.manader", "agg": "max", "op": "minst", "varde": 3}),
        MISMATCH,
    ),
    (
        "equal_to_a_list",
        _condition({"falt": "prognos.typ", "op": "lika", "varde": ["ATERGAR_EJ"]}),
        MISMATCH,
    ),
    # the files' structure
    (
        "unknown_key_on_a_rule",
        _set_in_rule(SOL, "NIVA-OMF-HEL", "prioritet", 1),
        _invalid("regler.1.niva.prioritet"),
    ),
    ("empty_all_of", _condition({"alla": []}), _invalid("regler.12.fynd.villkor")),
    ("empty_condition", _condition({}), _invalid("regler.12.fynd.villkor")),
    (
        "field_and_derived_in_one_leaf",
        _condition({"falt": "prognos.typ", "harlett": "omfattning_pa_datum", "op": "finns"}),
        _invalid("regler.12.fynd.villkor"),
    ),
    (
        "follow_up_after_zero_days",
        lambda: _files_with(SOL, lambda d: d["uppfoljning"].__setitem__("senast_efter_dagar", 0)),
        _invalid("uppfoljning.senast_efter_dagar"),
    ),
    ("version_of_two_parts", _set(SOL, "version", "1.0"), _invalid("version")),
    ("no_sources", _set(SOL, "kallor", []), _invalid("kallor")),
    (
        "adaptation_from_grade_five",
        _set(PROFIL, "anpassning_fran_grad", 5),
        [
            ("ruleset_file_invalid", "kravprofil.yaml#anpassning_fran_grad"),
            ("ruleset_unknown_reference", FORSLAG),
            ("ruleset_unknown_reference", SOL),
        ],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_rule_file_change_is_refused_with_its_code_and_place(
    files: Callable[[], Files], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(RuleSetError) as info:
        build_catalogue(files())
    assert sorted((p.code, p.path) for p in info.value.problems) == sorted(expected)


TAKEN: list[tuple[str, Callable[[], Files]]] = [
    (
        "source_ending_the_day_it_starts",
        _source(lambda k: k[0].__setitem__("upphor", k[0]["ikraft"])),
    ),
    (
        "rule_set_of_one_day",
        lambda: _files_with(SOL, lambda d: d.__setitem__("giltig_till", d["giltig_fran"])),
    ),
    (
        "first_period_on_the_last_day",
        lambda: _files_with(SOL, lambda d: d.__setitem__("forsta_period", d["giltig_till"])),
    ),
    ("rule_of_one_day", _set_in_rule(FORSLAG, "STEG-AK-PLAN", "giltig_till", "2026-10-01")),
    (
        "rule_from_its_rule_sets_first_day",
        _set_in_rule(FORSLAG, "STEG-AK-PLAN", "giltig_fran", "2026-07-01"),
    ),
    (
        "count_of_a_list_compared_with_a_number",
        _condition({"falt": "bedomning.perioder.fran", "agg": "antal", "op": "minst", "varde": 2}),
    ),
]


@pytest.mark.parametrize("files", [t[1] for t in TAKEN], ids=[t[0] for t in TAKEN])
def test_rule_file_change_at_a_boundary_is_taken(files: Callable[[], Files]) -> None:
    assert [r.id for r in build_catalogue(files()).rulesets] == [
        "sol-2025-400",
        "aktivitetskrav-forslag-2026",
    ]


def test_a_rule_ending_on_the_last_day_of_its_base_may_be_taken_out_by_the_overlay() -> None:
    files = _files_with(
        SOL, lambda d: _rule(d, "STEG-IPS").__setitem__("giltig_till", "2026-06-30")
    )
    data = yaml.safe_load(files[FORSLAG])
    data["ta_bort"] = ["STEG-IPS"]
    files[FORSLAG] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    overlay = build_catalogue(files).rulesets[1]
    assert "STEG-IPS" not in {r.id for r in overlay.regler}


def test_ta_bort_takes_the_rule_out_of_the_overlay_only() -> None:
    shipped = build_catalogue(package_files()).rulesets
    base, overlay = build_catalogue(_set(FORSLAG, "ta_bort", ["STEG-IPS"])()).rulesets
    assert "STEG-IPS" in {r.id for r in base.regler}
    assert {r.id for r in overlay.regler} == {r.id for r in shipped[1].regler} - {"STEG-IPS"}


def test_a_source_named_only_by_the_rule_set_is_among_its_sources_and_in_its_checksum() -> None:
    shipped = build_catalogue(package_files()).rulesets[0]
    files = _files_with(SOL, lambda d: d["kallor"].append("sou-2025-15"))
    changed = build_catalogue(files).rulesets[0]
    assert "sou-2025-15" not in shipped.sources
    assert "sou-2025-15" in changed.sources
    assert changed.checksumma != shipped.checksumma


@pytest.mark.parametrize(
    "text",
    [
        "id: a\nid: b\n",  # YAML would keep the last, silently
        "id: a\nregler:\n  - {id: X, id: Y}\n",
        "a: " + "[" * 1000 + "]" * 1000 + "\n",  # deeper than Python reads
    ],
    ids=["key_twice", "key_twice_in_a_rule", "deep"],
)
def test_rule_file_that_yaml_reads_loosely_is_refused_at_the_file(text: str) -> None:
    # Refused as YAML, at the file (the model's problems would name a place in it).
    files = package_files()
    files[SOL] = text
    with pytest.raises(RuleSetError) as info:
        build_catalogue(files)
    assert [p.code for p in info.value.problems if p.path == SOL] == ["ruleset_file_invalid"]
