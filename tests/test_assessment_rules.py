"""Rule files, load-time lint, rule set choice, the output schema, the catalogue and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import intyg
from intyg._assessment import (
    SCHEMA_ID,
    assess,
    assessment_json_schema,
    format_assessment,
    load_ruleset,
    rulesets,
)
from intyg._assessment._loader import build_catalogue, package_files
from intyg._errors import RuleSetError

ROOT = Path(__file__).resolve().parents[1]
ON = dt.date(2026, 12, 1)


def _files_with(name: str, edit: Any) -> dict[str, str]:
    files = package_files()
    data = yaml.safe_load(files[name])
    edit(data)
    files[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return files


def _lint_codes(files: dict[str, str]) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        build_catalogue(files)
    return info.value.codes


SOL = "regelverk-sol-2025-400.yaml"
FORSLAG = "regelverk-aktivitetskrav-forslag-2026.yaml"


def test_rules_package_files_pass_lint() -> None:
    cat = build_catalogue(package_files())
    assert [r.id for r in cat.rulesets] == ["sol-2025-400", "aktivitetskrav-forslag-2026"]


def test_rules_duplicate_rule_id_is_rejected() -> None:
    files = _files_with(SOL, lambda d: d["regler"].append(dict(d["regler"][0])))
    assert "ruleset_duplicate_id" in _lint_codes(files)


def test_rules_unknown_field_path_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][-1]["villkor"] = {"falt": "samverkan.finns_inte", "op": "finns"}

    assert "ruleset_unknown_field" in _lint_codes(_files_with(SOL, edit))


def test_rules_unknown_source_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][0]["kallor"] = ["sol-2025-400-99kap1"]

    assert "ruleset_unknown_source" in _lint_codes(_files_with(SOL, edit))


def test_rules_free_text_compared_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][-1]["villkor"] = {"falt": "ovrigt", "op": "lika", "varde": "x"}

    assert "ruleset_operator_mismatch" in _lint_codes(_files_with(SOL, edit))


def test_rules_unknown_code_value_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][-1]["villkor"] = {"falt": "prognos.typ", "op": "lika", "varde": "OKLAR"}

    assert "ruleset_unknown_code" in _lint_codes(_files_with(SOL, edit))


def test_rules_list_operator_on_single_answer_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][-1]["villkor"] = {
            "falt": "prognos.typ",
            "op": "innehaller",
            "varde": ["ATERGAR_EJ"],
        }

    assert "ruleset_operator_mismatch" in _lint_codes(_files_with(SOL, edit))


def test_rules_unknown_derived_quantity_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][0]["villkor"] = {"harlett": "arbetsformaga", "op": "minst", "varde": 1}

    assert "ruleset_unknown_derived" in _lint_codes(_files_with(SOL, edit))


def test_rules_overlapping_rule_sets_are_rejected() -> None:
    files = _files_with(SOL, lambda d: d.update(giltig_till="2026-07-01"))
    assert "ruleset_overlap" in _lint_codes(files)


def test_rules_overlapping_rules_on_same_subject_are_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        for r in d["regler"]:
            if r["id"] == "STEG-SIP":
                r["giltig_till"] = "2027-01-01"

    assert "ruleset_overlap" in _lint_codes(_files_with(FORSLAG, edit))


def test_rules_rule_window_outside_rule_set_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][0]["giltig_fran"] = "2026-12-01"

    assert "ruleset_date_window" in _lint_codes(_files_with(SOL, edit))


def test_rules_reversed_rule_set_window_is_rejected() -> None:
    files = _files_with(SOL, lambda d: d.update(giltig_till="2025-01-01"))
    assert "ruleset_date_window" in _lint_codes(files)


def test_rules_unverified_provision_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        for k in d["kallor"]:
            if k["id"] == "lr-aktivitetskrav-2025":
                k["bestammelse"] = "12 kap. 3 a §"

    assert "ruleset_unverified_provision" in _lint_codes(_files_with("kallor.yaml", edit))


def test_rules_missing_base_rule_set_is_rejected() -> None:
    files = _files_with(FORSLAG, lambda d: d.update(bygger_pa="sol-2001-453"))
    assert "ruleset_unknown_reference" in _lint_codes(files)


def test_rules_expression_string_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["regler"][0]["villkor"] = "omfattning >= 25"

    assert "ruleset_file_invalid" in _lint_codes(_files_with(SOL, edit))


def test_rules_demand_profile_missing_activity_is_rejected() -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["rader"][0]["krav"]["ARBETE"]

    assert "ruleset_demand_profile" in _lint_codes(_files_with("kravprofil.yaml", edit))


def test_rules_every_rule_cites_a_source_in_the_catalogue() -> None:
    for rs in rulesets():
        for r in rs.regler:
            assert r.kallor
            assert all(s in rs.sources for s in r.kallor)


def test_rules_proposal_sources_have_no_provision() -> None:
    for rs in rulesets():
        for k in rs.sources.values():
            if k.status == "forslag":
                assert k.bestammelse is None
                assert k.sfs is None


def test_ruleset_checksum_is_stable_and_distinct() -> None:
    sums = [rs.checksumma for rs in rulesets()]
    again = [rs.checksumma for rs in build_catalogue(package_files()).rulesets]
    assert sums == again
    assert len(set(sums)) == len(sums)
    assert all(s.startswith("sha256:") for s in sums)


def test_load_ruleset_by_date_picks_window() -> None:
    assert load_ruleset(on=dt.date(2026, 6, 30)).id == "sol-2025-400"
    assert load_ruleset(on=dt.date(2026, 7, 1)).id == "aktivitetskrav-forslag-2026"
    assert load_ruleset(on=dt.date(2026, 7, 1)).forsta_period == dt.date(2026, 7, 1)


def test_load_ruleset_unknown_id_raises() -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset("finns-inte")
    assert info.value.codes == ["ruleset_unknown"]


@pytest.mark.parametrize("asked", ["19121212-1212", "tolvan.tolvansson"])
def test_unknown_ruleset_id_is_not_repeated_but_the_known_ones_are_named(
    example: dict[str, Any], asked: str
) -> None:
    # An id that is not known may be anything a caller passed: a personnummer fits the pattern
    # of an id. The message names the rule sets there are instead.
    cert = intyg.load(example)
    for call in (lambda: load_ruleset(asked), lambda: assess(cert, ON, asked)):
        with pytest.raises(RuleSetError) as info:
            call()
        assert info.value.codes == ["ruleset_unknown"]
        message = info.value.problems[0].message
        assert asked not in message
        assert all(rs.id in message for rs in intyg.rulesets())


def test_load_ruleset_date_as_id_is_a_type_error_pointing_to_on() -> None:
    with pytest.raises(TypeError):
        load_ruleset(dt.date(2026, 11, 24))  # type: ignore[arg-type]


@pytest.mark.parametrize("ruleset_id", [5, b"sol-2025-400", ["sol-2025-400"]], ids=repr)
def test_load_ruleset_id_not_a_str_is_a_type_error(ruleset_id: Any) -> None:
    with pytest.raises(TypeError):
        load_ruleset(ruleset_id)


def test_assess_explicit_ruleset_outside_window_raises(example: dict[str, Any]) -> None:
    with pytest.raises(RuleSetError) as info:
        assess(intyg.load(example), ON, ruleset="sol-2025-400")
    assert info.value.codes == ["ruleset_not_valid_on_date"]


def test_assess_explicit_ruleset_inside_window_is_used(example: dict[str, Any]) -> None:
    rs = load_ruleset("aktivitetskrav-forslag-2026")
    assert assess(intyg.load(example), ON, ruleset=rs).regelverk.id == rs.id


def test_assess_non_date_on_raises_type_error(example: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        assess(intyg.load(example), "2026-12-01")  # type: ignore[arg-type]


def test_assess_is_deterministic(example: dict[str, Any]) -> None:
    cert = intyg.load(example)
    assert assess(cert, ON).model_dump(mode="json") == assess(cert, ON).model_dump(mode="json")


def test_assess_every_active_rule_is_evaluated(example: dict[str, Any]) -> None:
    a = assess(intyg.load(example), ON)
    rs = load_ruleset(on=ON)
    active = {r.regel.id for r in rs.compiled if r.active_on(ON)}
    assert {t["regel"] for t in a.regelutfall} == active


def test_assess_output_has_keys_other_tools_rely_on(example: dict[str, Any]) -> None:
    data = assess(intyg.load(example), ON).model_dump(mode="json")
    assert data["regelverk"]["version"] == "0.1.0"
    assert data["regelverk"]["status"] == "forslag"
    first = data["aktiviteter"][0]
    assert {"typ", "niva", "timmar_per_vecka", "perioder"} <= set(first)
    assert all({"regel", "falt"} <= set(f) for f in data["fynd"])


def test_assess_finding_never_echoes_free_text(example: dict[str, Any]) -> None:
    example["aktivitetsbegransning"].pop("icf")
    data = json.dumps(assess(intyg.load(example), ON).model_dump(mode="json"), ensure_ascii=False)
    assert example["aktivitetsbegransning"]["beskrivning"] not in data
    assert example["patient"]["personid"] not in data


def test_assessment_schema_validates_output(example: dict[str, Any]) -> None:
    schema = assessment_json_schema()
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    for on in (dt.date(2025, 12, 1), ON, dt.date(2027, 3, 15)):
        if on.year == 2025:
            continue
        data = assess(intyg.load(example), on).model_dump(mode="json")
        jsonschema.Draft202012Validator(schema).validate(data)


def test_assessment_schema_rejects_unknown_level(example: dict[str, Any]) -> None:
    data = assess(intyg.load(example), ON).model_dump(mode="json")
    data["aktiviteter"][0]["niva"] = "KANSKE"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(assessment_json_schema()).validate(data)


def test_format_assessment_names_every_rule_that_fired(example: dict[str, Any]) -> None:
    a = assess(intyg.load(example), ON)
    text = format_assessment(a)
    assert all(f"[{f.regel}]" in text for f in a.fynd)
    assert all(f"[{s.regel}]" in text for s in a.nasta_steg)


def test_format_assessment_gives_each_activity_types_own_hours_per_period(
    example: dict[str, Any],
) -> None:
    # A total limitation in an area work demands much of: work is prevented, language studies
    # are not. The text used to give work's hours (0) for every period as "the certificate's".
    example["aktivitetsbegransning"]["icf"].append({"kod": "d240", "grad": 4})
    a = assess(intyg.load(example), ON)
    hours = {x.typ: [p["timmar_per_vecka"] for p in x.perioder] for x in a.aktiviteter}
    assert set(hours["ARBETE"]) == {0} and 0 not in hours["SPRAKINSATS"]
    text = format_assessment(a)
    lines = text.splitlines()
    per_period = [ln for ln in lines if ln.strip().startswith("per period:")]
    assert len(per_period) == len(a.aktiviteter)
    assert len(set(per_period)) > 1  # not one activity type's hours for all
    certificate_part = text.split("Perioder enligt intyget", 1)[1].split("\n\n", 1)[0]
    assert "timmar per vecka" not in certificate_part  # dates and extents only


def test_format_assessment_says_a_reason_once_with_every_rule(example: dict[str, Any]) -> None:
    # After every period two rules could not be tried for the same missing extent.
    a = assess(intyg.load(example), dt.date(2027, 7, 1))
    work = a.aktiviteter[0]
    texts = [x["text"] for x in work.skal]
    assert len(texts) > len(set(texts))
    block = format_assessment(a).split("\n- ")[1]  # the first activity type's lines
    said = [ln.strip() for ln in block.splitlines() if ln.strip().startswith("skäl:")]
    assert len(said) == len(set(texts))
    for text in set(texts):
        rules = ", ".join(x["regel"] for x in work.skal if x["text"] == text)
        assert f"skäl: {text} [{rules}]" in said


def test_format_assessment_says_one_hour_in_the_singular(example: dict[str, Any]) -> None:
    example["sysselsattning"]["timmar_per_vecka"] = 1
    text = format_assessment(assess(intyg.load(example), ON))
    assert "räknat på 1 timme per vecka" in text and "1 timmar" not in text


def test_format_assessment_names_the_rule_sets_id_and_checksum(example: dict[str, Any]) -> None:
    a = assess(intyg.load(example), ON)
    head = format_assessment(a).split("\n\n", 1)[0]
    assert a.regelverk.id in head
    assert a.regelverk.checksumma.startswith("sha256:")
    assert a.regelverk.checksumma in head


# ---------------------------------------------------------------- CLI


def _run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str]:
    import argparse
    import io
    import sys

    from intyg._cli_assess import register

    parser = argparse.ArgumentParser(prog="intyg")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")))
    try:
        code = args.func(args)
    finally:
        sys.stdin = old
    return code, capsys.readouterr().out


def test_cli_assess_json_gives_levels(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["assess", "-", "--on", "2026-12-01", "--json"], capsys, intyg.example_json())
    assert code == 0
    data = json.loads(out)
    assert {a["niva"] for a in data["aktiviteter"]} == {"KAN_DELTA_DELVIS"}


def test_cli_assess_text_names_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["assess", "-", "--on", "2026-12-01"], capsys, intyg.example_json())
    assert code == 0
    assert "[NIVA-OMF-DELVIS]" in out


def test_cli_assess_invalid_certificate_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["assess", "-", "--on", "2026-12-01", "--json"], capsys, "{}")
    assert code == 1
    assert json.loads(out)["valid"] is False


def test_cli_assess_date_without_ruleset_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["assess", "-", "--on", "2024-01-01", "--json"], capsys, intyg.example_json())
    assert code == 1
    problems = json.loads(out)["problems"]
    # At the option that sets the date (the library's path is "": no field is wrong).
    assert [(p["code"], p["path"]) for p in problems] == [("ruleset_not_found", "--on")]


def test_cli_assess_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["assess", "-", "--on", "2026-13-01", "--json"], capsys, "")
    assert code == 2
    assert [p["code"] for p in json.loads(out)["problems"]] == ["invalid_assessment_date"]


def test_cli_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["rules", "--json"], capsys)
    assert code == 0
    listed = {(rs["id"], r["id"]) for rs in json.loads(out) for r in rs["regler"]}
    assert listed == {(rs.id, r.id) for rs in rulesets() for r in rs.regler}


def test_rulesets_loaded_twice_are_equal() -> None:
    from intyg._assessment._loader import build_catalogue, catalogue, package_files

    again = build_catalogue(package_files()).rulesets
    assert again == catalogue().rulesets  # compiled tests are functions of the rule, not data
    assert all(a is not b for a, b in zip(again, catalogue().rulesets, strict=True))


def test_rule_catalogue_is_built_once_when_threads_ask_first_together() -> None:
    code = textwrap.dedent(
        """
        import threading
        import intyg
        from intyg._assessment import _loader

        builds = []
        real = _loader.build_catalogue

        def counting(files):
            builds.append(1)
            return real(files)

        _loader.build_catalogue = counting
        start = threading.Barrier(16)
        seen = []

        def first_use():
            start.wait()
            seen.append(intyg.rulesets())

        threads = [threading.Thread(target=first_use) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(len(builds), len({id(s[0]) for s in seen}))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]


def test_ruleset_pickles_as_the_packages_own() -> None:
    import pickle

    for rs in intyg.rulesets():
        assert pickle.loads(pickle.dumps(rs)) is rs
    forged = pickle.dumps(intyg.rulesets()[0]).replace(b"sha256:", b"sha257:")
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(forged)


def test_ruleset_tables_are_read_only() -> None:
    # A rule set is shared by every assessment in the process: a caller who changed its tables
    # would change every later assessment.
    rs = intyg.rulesets()[0]
    tables: list[Any] = [rs.sources, rs.demand.rows, rs.demand.names, rs.demand.adaptations]
    tables.append(next(iter(rs.demand.rows.values())))
    # the demand profile as read from its file, too (a row's demands were a plain dict)
    tables += [row.krav for row in rs.profile.rader]
    for table in tables:
        with pytest.raises(TypeError):
            table["x"] = None
        with pytest.raises(TypeError):
            table.update({"x": None})
    # ... and still copies, pickles and turns into plain data as a dict does
    import copy
    import dataclasses
    import pickle

    assert copy.deepcopy(rs.demand) == rs.demand
    assert dataclasses.asdict(rs.demand)["names"] == dict(rs.demand.names)
    assert pickle.loads(pickle.dumps(rs.demand.rows)) == rs.demand.rows
    assert json.loads(json.dumps(rs.demand.names)) == dict(rs.demand.names)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_process_forked_while_the_catalogue_is_built_builds_its_own() -> None:
    # The child of a fork has only the forking thread: a lock another thread held at the fork
    # would never be released there.
    code = textwrap.dedent(
        """
        import os, threading
        import intyg
        from intyg._assessment import _loader

        inside = threading.Event()
        leave = threading.Event()
        real = _loader.build_catalogue

        def slow(files):
            inside.set()
            leave.wait()
            return real(files)

        _loader.build_catalogue = slow
        builder = threading.Thread(target=_loader.catalogue)
        builder.start()
        inside.wait()  # the builder holds the lock now
        pid = os.fork()
        if pid == 0:
            _loader.build_catalogue = real
            os._exit(0 if intyg.rulesets() else 3)
        leave.set()
        builder.join()
        print(os.waitpid(pid, 0)[1])
        """
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["0"]
