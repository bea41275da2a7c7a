"""Boundaries pinned one by one: the command line's handling of arguments before and after the
command, problem paths, the report's and the text output's wording of reasons, hours and the
rule set. Each test stands for a small change of the code that no other test noticed
(mutation testing, 2026-12-07)."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import pytest

import intyg
from cli_support import refused, usage_errors
from intyg._args import shown
from intyg._cli import main, print_problems, swedish_today
from intyg._problems import UNNAMED, format_path, safe_link_id, safe_name
from intyg._render._report import assessment_report

ON = dt.date(2026, 11, 24)


def _said_arguments(err: str) -> str:
    """What a usage_unknown_argument line quotes."""
    line = next(ln for ln in err.splitlines() if ln.endswith("[usage_unknown_argument]"))
    return line.split("här: ", 1)[1].rsplit(". [usage_unknown_argument]", 1)[0]


def _stopped(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Any, str, str]:
    try:
        status: Any = main(args)
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ---------------------------------------------------------------- the command line


def test_swedish_today_of_a_time_given_in_another_zone() -> None:
    new_york = dt.timezone(dt.timedelta(hours=-5))
    # 20:00 in New York on 1 June is 03:00 on 2 June in Stockholm
    assert swedish_today(dt.datetime(2026, 6, 1, 20, 0, tzinfo=new_york)) == dt.date(2026, 6, 2)


def test_a_problem_of_an_unknown_code_without_path_is_of_the_document() -> None:
    import io

    out = io.StringIO()
    print_problems([intyg.Problem("made_up_code", "", "Något.")], out)
    assert out.getvalue() == "FEL: (hela dokumentet): Något. [made_up_code]\n"


def test_too_many_problems_is_said_of_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = intyg.example()
    data.update({f"k{i}": 0 for i in range(105)})
    src = tmp_path / "c.json"
    src.write_text(json.dumps(data), "utf-8")
    status, out, _ = _stopped(["validate", str(src)], capsys)
    assert status == 1
    [line] = [ln for ln in out.splitlines() if ln.endswith("[too_many_problems]")]
    assert line.startswith("FEL: (hela dokumentet): ")


def test_convert_checks_against_the_given_code_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "c.json"
    src.write_text(intyg.example_json(), "utf-8")
    codes = tmp_path / "koder.txt"
    codes.write_text("A00\n", "utf-8")
    out = tmp_path / "o.json"
    args = ["convert", str(src), "--to", "fhir", "--icd10-list", str(codes), "-o", str(out)]
    status, _, err = _stopped(args, capsys)
    assert status == 1 and "[icd10_unknown]" in err and not out.exists()


def test_render_assessment_defaults_to_the_swedish_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import intyg._cli

    monkeypatch.setattr(intyg._cli, "swedish_today", lambda: dt.date(2026, 12, 3))
    src = tmp_path / "c.json"
    src.write_text(intyg.example_json(), "utf-8")
    out = tmp_path / "r.html"
    status, _, err = _stopped(["render", str(src), "--assessment", "-o", str(out)], capsys)
    assert status == 0, err
    assert "2026-12-03" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("values", "cut"),
    [
        (["x" * 80] * 200, True),
        (["x" * 78] * 4 + ["y"], True),  # shown as 4 × 80 + 3, with spaces 327 characters
        (["x" * 78] * 3 + ["y" * 75], False),  # 80 + 80 + 80 + 77 + 3 spaces: exactly 320
    ],
    ids=["many", "just_over", "at_the_limit"],
)
def test_unknown_arguments_are_cut_at_four_times_the_longest_value_shown(
    values: list[str], cut: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = _stopped(["validate", "a.json", *values], capsys)
    said = _said_arguments(err)
    assert len(said) == 320
    assert said.endswith("…") == cut


def test_a_lone_dash_before_the_command_is_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(["-", "validate"], capsys) == [("usage_invalid_choice", "KOMMANDO")]


def test_a_value_given_to_version_is_refused_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(["--version=1"], capsys) == [("usage_unexpected_value", "--version")]


@pytest.mark.parametrize("args", [["-h", "--", "-"], ["-h", "--", "--bogus"], ["-h", "--", "--"]])
def test_help_wins_over_what_follows_the_end_of_options(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _stopped(args, capsys)
    assert status == 0 and out.startswith("användning: intyg") and not usage_errors(err)


# ---------------------------------------------------------------- problem paths


def test_a_made_up_key_holding_a_personnummer_is_unnamed_in_a_response_too() -> None:
    response = intyg.to_fhir(intyg.load(intyg.example()))
    response["pnr_191212121212"] = None
    with pytest.raises(intyg.IntygError) as info:
        intyg.from_fhir(response)
    assert [p.path for p in info.value.problems] == [UNNAMED]
    assert safe_name("pnr_191212121212") == UNNAMED


def test_a_link_id_may_hold_five_digits_in_all() -> None:
    assert safe_link_id("a12.b345") == "a12.b345"
    assert safe_link_id("a123.b456") == UNNAMED


def test_a_list_index_is_shown_up_to_99999() -> None:
    assert format_path(("a", 99_999)) == "a[99999]"
    assert format_path(("a", 100_000)) == f"a[{UNNAMED}]"


def test_shown_compares_without_case_on_both_sides_and_up_to_forty_characters() -> None:
    assert shown("pdf", ("PDF",)) == "'pdf'"
    assert shown("a" * 40, ("a" * 40,)) == repr("a" * 40)
    assert shown("a" * 41, ("a" * 41,)) == "str"


# ---------------------------------------------------------------- the report and the text


def _made(on: dt.date = ON) -> dict[str, Any]:
    return intyg.assess(intyg.load(intyg.example_json()), on).to_json()


def _one_activity(**changed: Any) -> dict[str, Any]:
    result = _made()
    result["aktiviteter"] = [{**result["aktiviteter"][0], **changed}]
    return result


def test_report_says_a_reason_that_could_not_be_tried_as_such() -> None:
    result = _made(dt.date(2027, 7, 1))
    work = result["aktiviteter"][0]
    said = assessment_report(result).activities[0].skal
    untried = [x for x in work["skal"] if x["utfall"] == "okant"]
    assert untried
    for x in untried:
        rules = ", ".join(dict.fromkeys(y["regel"] for y in work["skal"] if y["text"] == x["text"]))
        assert f"{x['text']} (kunde inte prövas: uppgifter saknas) [{rules}]" in said


def test_report_names_a_rule_once_and_no_brackets_without_one() -> None:
    twice = _one_activity(skal=[{"regel": "R1", "utfall": "sant", "text": "T"}] * 2)
    assert assessment_report(twice).activities[0].skal == ("T [R1]",)
    none = _one_activity(skal=[{"utfall": "sant", "text": "T"}])
    assert assessment_report(none).activities[0].skal == ("T",)


def test_report_rule_set_line_exactly() -> None:
    result = _made()
    rs = result["regelverk"]
    line = f"{rs['titel']} ({rs['id']} {rs['version']}), förslag, inte beslutat"
    assert assessment_report(result).ruleset_line == line
    result["regelverk"] = {"id": "x", "version": "1"}
    assert assessment_report(result).ruleset_line == "x 1"
    result["regelverk"] = "fk-2026"
    assert assessment_report(result).ruleset_line == "fk-2026"


def test_report_unknown_hours_when_prevention_itself_is_certain() -> None:
    result = _one_activity(
        niva="FORHINDRAD",
        niva_intervall={"lagsta": "FORHINDRAD", "hogsta": "FORHINDRAD"},
        timmar_per_vecka=None,
    )
    shown_hours = assessment_report(result).activities[0].timmar_idag
    assert shown_hours.startswith("okänt, eftersom förhindret på bedömningsdatumet är okänt")


def test_report_one_hour_in_the_singular_and_full_time_only_at_forty() -> None:
    own = "sysselsättningen enligt intyget"
    one = _one_activity(timmar_per_vecka=1, timmar_bas=1)
    assert assessment_report(one).activities[0].timmar_idag == f"1 (av 1 timme per vecka, {own})"
    part = _one_activity(timmar_per_vecka=39, timmar_bas=39)
    shown = assessment_report(part).activities[0].timmar_idag
    assert shown == f"39 (av 39 timmar per vecka, {own})"
    full = _one_activity(timmar_per_vecka=40, timmar_bas=40)
    assert (
        assessment_report(full).activities[0].timmar_idag == "40 (av 40 timmar per vecka, heltid)"
    )


def test_report_shows_a_steps_sources_also_without_a_rule() -> None:
    result = _made()
    result["nasta_steg"] = [{**result["nasta_steg"][0], "regel": ""}]
    cited = {k["id"]: k["hanvisning"] for k in result["kallor"]}
    page = intyg.render(result, assessment=True)
    assert isinstance(page, str)
    text = html.escape(result["nasta_steg"][0]["text"], quote=False)
    cell = page.split(text, 1)[1].split("</td>", 1)[0]
    first = cited[result["nasta_steg"][0]["kallor"][0]]
    assert f"Källor: {html.escape(first, quote=False)}" in cell


def _text_with(**changed: Any) -> str:
    a = intyg.assess(intyg.load(intyg.example_json()), ON)
    act = a.aktiviteter[0].model_copy(update=changed)
    return intyg.format_assessment(a.model_copy(update={"aktiviteter": [act]}))


def test_text_hours_below_one_are_plural_and_one_is_singular() -> None:
    assert "0,5 timmar per vecka på bedömningsdatumet" in _text_with(timmar_per_vecka=0.5)
    assert "1 timme per vecka på bedömningsdatumet" in _text_with(timmar_per_vecka=1)


def test_text_names_a_rule_once_when_it_gave_a_reason_twice() -> None:
    reason = {"regel": "R1", "utfall": "sant", "text": "T"}
    assert "    skäl: T [R1]\n" in _text_with(skal=[reason, reason])
