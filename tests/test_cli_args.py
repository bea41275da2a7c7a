"""Command line: options that do not apply are refused, errors go where they belong, and every
problem with an argument is a usage error or a coded problem, never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import intyg
from cli_support import refused, usage_errors
from intyg._cli import main, swedish_today
from intyg._cli_assess import _worker_count, _workers
from intyg._cli_usage import from_message
from intyg._pool import usable_cpus


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "intyg.json"
    path.write_text(intyg.example_json(), "utf-8")
    return path


def _codes(text: str) -> list[str]:
    return [p["code"] for p in json.loads(text)["problems"]]


def test_cli_assess_errors_go_to_stderr_not_into_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(tmp_path / "finns-inte.json"), "--on", "2026-11-24"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[file_unreadable]" in captured.err


def test_cli_assess_errors_with_json_are_the_result_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(tmp_path / "finns-inte.json"), "--on", "2026-11-24", "--json"]) == 1
    assert _codes(capsys.readouterr().out) == ["file_unreadable"]


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1899-12-31"])
def test_cli_on_outside_supported_years_is_coded_usage_error(
    example_file: Path, day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(example_file), "--on", day, "--json"]) == 2
    assert _codes(capsys.readouterr().out) == ["invalid_assessment_date"]
    assert main(["render", str(example_file), "--assessment", "--on", day]) == 2
    assert "[invalid_assessment_date]" in capsys.readouterr().err


def test_assess_on_outside_supported_years_is_value_error() -> None:
    model = intyg.load(intyg.example())
    with pytest.raises(ValueError, match=r"^intyg\.assess"):
        intyg.assess(model, dt.date(9999, 12, 31))
    assert intyg.assess(model, dt.date(2199, 12, 31)).uppfoljning.datum.year == 2200


def test_cli_workers_never_more_than_cores() -> None:
    cores = usable_cpus()
    assert _worker_count(None) == 1
    assert _worker_count(0) == cores
    assert _worker_count(1) == 1
    assert _worker_count(10_000) == cores


def test_cli_workers_count_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)  # taskset -c 0
    assert _worker_count(0) == 1
    assert _worker_count(4) == 1


def _usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> pytest.CaptureResult[str]:
    """What ``main(args)`` printed, having refused the call (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    return capsys.readouterr()


def _icd10_codes(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    status = main(["validate", "--json", *args])
    return status, [(p["code"], p["path"]) for p in json.loads(capsys.readouterr().out)["problems"]]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "file_unreadable"),
        (b"", "icd10_list_empty"),
        (b"\xff\xfe\x00garbage\x80", "encoding"),
        (b"kod\tbeskrivning\nnagot annat\n", "icd10_list_empty"),
    ],
    ids=["missing", "empty", "binary", "no_codes"],
)
def test_cli_icd10_list_unusable_is_coded_at_the_option(
    example_file: Path,
    tmp_path: Path,
    content: bytes | None,
    code: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    listing = tmp_path / "koder.txt"
    if content is not None:
        listing.write_bytes(content)
    status, problems = _icd10_codes([str(example_file), "--icd10-list", str(listing)], capsys)
    assert status == 1
    assert problems == [(code, "--icd10-list")]


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["validate", ""], "FIL"),
        (["validate", "--example", "--icd10-list", ""], "--icd10-list"),
        (["convert", "", "--to", "fhir"], "FIL"),
        (["convert", "--example", "--to", "fhir", "-o", ""], "-o/--output"),
        (["convert", "--example", "--to", "fhir", "--icd10-list", ""], "--icd10-list"),
        (["example", "-o", ""], "-o/--output"),
        (["schema", "--check", "--dir", ""], "--dir"),
        (["schema", "--print", "jsonschema", "--version", ""], "--version"),
        (["assess", "", "--on", "2026-11-24"], "FIL"),
        (["assess", "--batch", "", "-o", "ut.jsonl"], "--batch"),
        (["assess", "--batch", "in.jsonl", "-o", ""], "-o/--output"),
        (["render", ""], "FIL"),
        (["render", "--example", "-o", ""], "-o/--output"),
    ],
)
def test_cli_empty_file_name_or_version_is_a_usage_error(
    args: list[str], path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Never a file that cannot be read or written, and never the default (the current version,
    # WHO's list): what was typed is wrong, so the call is.
    assert refused(args, capsys) == [("usage_empty_value", path)]


@pytest.mark.parametrize("codes", [("F32.1", "F41.1"), ("F321", "F411")], ids=["dot", "no_dot"])
def test_cli_icd10_list_with_codes_is_used(
    example_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    codes: tuple[str, str],
) -> None:
    # A code list may write its codes with or without the dot, as CodeListCatalogue reads them.
    listing = tmp_path / "koder.txt"
    listing.write_text(f"Kod\tText\n{codes[0]}\tDepression\n{codes[1]}\tÅngest\n", "utf-8")
    status, problems = _icd10_codes([str(example_file), "--icd10-list", str(listing)], capsys)
    assert status == 0
    assert not [c for c, _ in problems if c.startswith("icd10")]


@pytest.mark.parametrize("separator", ["\t", " ", "  ", ";", ","], ids=repr)
def test_cli_icd10_list_code_may_be_followed_by_its_text_after_any_usual_separator(
    example_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], separator: str
) -> None:
    # The example's codes are F32.1 and F41.1; a heading line is read past.
    listing = tmp_path / "koder.txt"
    lines = ["Kapitel V", f"F32.1{separator}Depression", f" F411{separator}Ångest", ""]
    listing.write_text("\n".join(lines), "utf-8")
    status, problems = _icd10_codes([str(example_file), "--icd10-list", str(listing)], capsys)
    assert status == 0
    assert not [c for c, _ in problems if c.startswith("icd10")]


@pytest.mark.parametrize("command", ["validate", "convert"])
def test_cli_stdin_for_both_input_and_code_list_is_usage_error(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(intyg.example_json().encode())))
    extra = ["--to", "fhir"] if command == "convert" else []
    args = [command, "-", "--icd10-list", "-", *extra]
    assert refused(args, capsys) == [("usage_stdin_twice", "--icd10-list")]


def test_cli_abbreviated_option_is_usage_error(
    example_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["assess", str(example_file), "--o", "2026-11-24"]
    assert refused(args, capsys) == [("usage_unknown_argument", "")]


def test_cli_schema_print_named_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--print", "questionnaire", "--version", "1.0.0"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "1.0.0"


def test_fhir_structure_problem_is_named_in_swedish_without_internal_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["subject"] = "191212121212"
    qr["item"][0] = "intygsid"
    problems = intyg.validate(qr).problems
    assert {(p.code, p.path) for p in problems} >= {
        ("fhir_invalid_resource", "subject"),
        ("fhir_invalid_resource", "item[0]"),
    }
    assert not [p for p in problems if "_type" in p.message or "root" in p.path]


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "--example", "--to", "fhir", "--to", "json"],
        ["example", "-o", "a.json", "--output", "b.json"],
        ["assess", "--batch", "a.jsonl", "--batch", "b.jsonl", "-o", "u.jsonl"],
        ["render", "--example", "--format", "html", "--format", "pdf"],
        ["schema", "--print", "jsonschema", "--print", "questionnaire"],
    ],
    ids=["to", "output", "batch", "format", "in_a_group"],
)
def test_cli_option_given_twice_is_a_usage_error(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Not the last one silently: which one was meant is not known. Nothing printed (the
    # Questionnaire, say), nor written.
    monkeypatch.chdir(tmp_path)
    assert [code for code, _ in refused(args, capsys)] == ["usage_repeated_option"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["19121212-1212"],
        ["validate", "in.json", "191212121212"],
        ["example", "--format", "121212+1212"],
        ["assess", "--batch", "in.jsonl", "-o", "u.jsonl", "--workers", "121212-1212"],
        ["validate", "a.json", "19121212_1212.json"],
        ["validate", "a.json", "19121212.1212"],
        ["validate", "a.json", "19121212 1212"],
        ["validate", "a.json", "19121212\u20131212"],  # en dash, as word processors write it
        ["validate", "a.json", "19121212\u20111212"],  # non-breaking hyphen
        ["validate", "a.json", "19121212\u22121212"],  # minus sign
        ["validate", "a.json", "1912-12-12-1212"],
        ["validate", "a.json", "191212 - 1212"],  # three between two digits
        ["validate", "a.json", "19121212", "1212.json"],  # an unquoted name with a space
        ["validate", "a.json", "191212", "-", "1212"],
        ["validate", "a.json", "19121212\u200b-1212"],  # a zero-width space, said as \u200b
        [
            "example",
            "--format",
            "\uff11\uff19\uff11\uff12\uff11\uff12\uff11\uff12-\uff11\uff12\uff11\uff12",
        ],
    ],
    ids=[
        "command",
        "extra",
        "choice",
        "number",
        "underscore",
        "dot",
        "space",
        "en-dash",
        "nb-hyphen",
        "minus",
        "dashed-date",
        "spaced-dash",
        "two-words",
        "three-words",
        "zero-width",
        "full-width",
    ],
)
def test_cli_usage_error_never_repeats_a_personnummer(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(args, capsys).err
    assert "fel i anropet" in err
    digits = "".join(str(int(c)) if c.isdecimal() else " " for c in err)
    assert "1212" not in digits  # of any script, however separated


@pytest.mark.parametrize("extra", [["x" * 100_000], ["x" * 80] * 200], ids=["long", "many"])
def test_cli_usage_error_cuts_a_long_value(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(["validate", "a.json", *extra], capsys).err
    [said] = [line for line in err.splitlines() if "fel i anropet" in line]
    assert len(said) < 500
    assert usage_errors(err) == [("usage_unknown_argument", "")]


def test_cli_workers_for_every_core_stays_within_what_the_pool_can_wait_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Windows before Python 3.13: --workers 0 on a large machine asks for no more workers than
    # the pool starts, so no "fewer workers than asked" notice follows.
    from intyg import _pool

    monkeypatch.setattr(_pool, "WAIT_LIMITED", True)
    monkeypatch.setattr(_pool, "usable_cpus", lambda: 64)
    assert _worker_count(0) == _pool.MOST_WORKERS_WAITED
    assert _worker_count(40) == _pool.MOST_WORKERS_WAITED
    assert _worker_count(3) == 3


def test_cli_usage_error_masks_a_personnummer_in_a_windows_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # repr writes a backslash as two, and a quote beside another as \'
    for value in ["C:\\patienter\\19121212\\1212.json", "19121212'1212\"x"]:
        err = _usage_error(["validate", "a.json", value], capsys).err
        assert "1212" not in err


@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="needs /dev/stdin")
@pytest.mark.parametrize("alias", ["/dev/stdin", "/dev/fd/0"])
@pytest.mark.parametrize("stdin", ["pipe", "file"])
def test_cli_stdin_by_another_name_for_both_input_and_code_list_is_usage_error(
    alias: str, stdin: str, tmp_path: Path
) -> None:
    # Through a pipe the first reading would use up what the second one needs; a file is
    # opened anew on Linux but shares its position on macOS: neither is tried.
    cert = tmp_path / "intyg.json"
    cert.write_text(intyg.example_json(), "utf-8")
    with cert.open("rb") as file:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", "validate", "--icd10-list", alias, "-"],
            input=cert.read_bytes() if stdin == "pipe" else None,
            stdin=file if stdin == "file" else None,
            capture_output=True,
            check=False,
        )
    assert done.returncode == 2
    assert usage_errors(done.stderr.decode()) == [("usage_stdin_twice", "--icd10-list")]


@pytest.mark.parametrize(
    ("args", "usage", "code", "says"),
    [
        (["--bogus"], "intyg [", "usage_unknown_argument", "'--bogus'"),
        (["--bogus", "validate", "--example"], "intyg [", "usage_unknown_argument", "'--bogus'"),
        ([], "intyg [", "usage_no_command", "validate"),
        (
            ["validate", "--example", "--bogus"],
            "intyg validate [",
            "usage_unknown_argument",
            "'--bogus'",
        ),
        (
            ["render", "--blank", "extra", "mer"],
            "intyg render [",
            "usage_unknown_argument",
            "'mer'",
        ),
    ],
    ids=["option_before_command", "before_a_command", "no_command", "after_command", "second_file"],
)
def test_cli_what_is_not_understood_is_said_by_its_command(
    args: list[str], usage: str, code: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(args, capsys).err
    assert err.startswith(f"användning: {usage}")
    assert usage_errors(err) == [(code, "")]
    assert says in err  # what was not understood is named (not an argument before it)
    assert "'extra'" not in err


@pytest.mark.parametrize(
    ("args", "usage", "says", "not_said"),
    [
        (["-o", "x", "validate"], "intyg [", "'-o'", "'x'"),
        (["--bogus", "--", "validate"], "intyg [", "'--bogus'", "'validate'"),
        (["example", "--", "-o"], "intyg example [", "'-o'", "'--'"),
        (["example", "--", "--"], "intyg example [", "'--'", "'--' '--'"),
    ],
    ids=["value_before_command", "end_of_options_before_command", "after_end", "second_end"],
)
def test_cli_an_option_before_the_command_and_the_end_of_options_are_said_as_given(
    args: list[str], usage: str, says: str, not_said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unknown option before the command is named itself (not the value after it as an
    # unknown command), and the "--" that ends the options is no argument of its own.
    err = _usage_error(args, capsys).err
    assert err.startswith(f"användning: {usage}")
    assert usage_errors(err) == [("usage_unknown_argument", "")]
    assert says in err
    assert not_said not in err


@pytest.mark.parametrize("args", [["--", "-h"], ["--", "--version"], ["--", "-x", "validate"]])
def test_cli_after_the_end_of_options_before_the_command_comes_the_command(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(args, capsys) == [("usage_invalid_choice", "KOMMANDO")]


@pytest.mark.parametrize(
    "args", [["-h", "-x"], ["-x", "-h"], ["--version", "-x"], ["-x", "--help"]]
)
def test_cli_help_and_version_win_over_an_unknown_option_before_the_command(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith(("användning: intyg", "intyg "))


def test_cli_many_unknown_options_before_the_command_are_said_briefly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _usage_error(["-" + "a" * 70] * 2000 + ["validate"], capsys).err
    assert usage_errors(err) == [("usage_unknown_argument", "")]
    assert len(err) < 1000


@pytest.mark.parametrize(
    "args",
    [["example", "--"], ["--", "example"], ["--", "validate", "--example"]],
    ids=["after_command", "before_command", "before_command_with_options"],
)
def test_cli_a_lone_end_of_options_changes_nothing(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 0
    assert capsys.readouterr().err == ""


def test_cli_after_the_end_of_options_a_dash_name_is_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "--json").write_text(intyg.example_json(), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--", "--json"]) == 0
    assert not capsys.readouterr().out.startswith("{")  # read as the file, not the flag


REFUSALS = [
    (["nytt"], "usage_invalid_choice", "KOMMANDO"),
    (["example", "--format", "xml"], "usage_invalid_choice", "--format"),
    (["convert", "--example"], "usage_missing_argument", "--to"),
    (["schema"], "usage_missing_argument", "--write/--check/--print"),
    (["assess", "--batch", "in.jsonl"], "usage_missing_argument", "-o"),
    (["validate", "--example", "--icd10-list"], "usage_missing_value", "--icd10-list"),
    (["validate", "--example", "--json=ja"], "usage_unexpected_value", "--json"),
    (["validate", ""], "usage_empty_value", "FIL"),
    (["example", "-o", ""], "usage_empty_value", "-o/--output"),
    (["schema", "--write", "--check"], "usage_conflict", "--check"),
    (["render", "--blank", "--assessment"], "usage_conflict", "--assessment"),
    (["convert", "--example", "--to", "fhir", "--to", "json"], "usage_repeated_option", "--to"),
    (["validate"], "usage_choose_one", ""),
    (["render", "--blank", "--example"], "usage_choose_one", ""),
    (["render", "x.json", "--blank"], "usage_choose_one", ""),
    (["render"], "usage_choose_one", ""),
    (["assess", "--example", "-o", "ut.jsonl"], "usage_not_applicable", "-o"),
    (["assess", "--example", "--workers", "2"], "usage_not_applicable", "--workers"),
    (["assess", "--batch", "in.jsonl", "-o", "u", "--json"], "usage_not_applicable", "--json"),
    (["schema", "--print", "jsonschema", "--dir", "x"], "usage_not_applicable", "--dir"),
    (["schema", "--check", "--version", "1.0.0"], "usage_not_applicable", "--version"),
    (["schema", "--print", "bedomning", "--version", "1.0.0"], "usage_not_applicable", "--version"),
    (["render", "--example", "--on", "2026-11-24"], "usage_not_applicable", "--on"),
    (["render", "--example", "--pdf-variant", "plain"], "usage_not_applicable", "--pdf-variant"),
    (
        ["render", "--example", "--pdf-variant", "plain", "-o", "u.html"],
        "usage_not_applicable",
        "--pdf-variant",
    ),
    (
        ["render", "--example", "--format", "html", "-o", "u.pdf"],
        "usage_format_mismatch",
        "--format",
    ),
    (
        ["render", "--example", "--format", "pdf", "-o", "u.HTM"],
        "usage_format_mismatch",
        "--format",
    ),
    (
        ["render", "--blank", "--format", "pdf", "-o", "u.html"],
        "usage_format_mismatch",
        "--format",
    ),
]


@pytest.mark.parametrize(("args", "code", "path"), REFUSALS)
def test_cli_each_refusal_has_its_code_at_the_argument(
    args: list[str],
    code: str,
    path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert refused(args, capsys) == [(code, path)]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("workers", ["-1", "två", "+2", "2_0", "٢", " 2", "2.0", ""])
def test_cli_workers_is_ascii_digits_or_refused(
    workers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # int() reads "+2", "2_0", " 2" and Arabic-Indic digits; a count on the command line is
    # digits only.
    args = ["assess", "--batch", "in.jsonl", "-o", "u", "--workers", workers]
    assert refused(args, capsys) == [("usage_invalid_number", "--workers")]


def test_cli_workers_above_any_machine_is_every_core() -> None:
    assert _workers("0") == 0 and _workers("007") == 7 and _workers("0" * 30 + "1") == 1
    assert _worker_count(_workers("9" * 40)) == usable_cpus()


def test_cli_schema_write_outside_a_checkout_needs_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("intyg._resources.checkout_root", lambda: None)
    assert refused(["schema", "--write"], capsys) == [("usage_missing_argument", "--dir")]


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("the following arguments are required: --to, FIL", "usage_missing_argument"),
        ("one of the arguments --write --check --print is required", "usage_missing_argument"),
        ("expected one argument", "usage_missing_value"),
        ("expected at least one argument", "usage_missing_value"),
        ("ignored explicit argument 'ja'", "usage_unexpected_value"),
        ("not allowed with argument --write", "usage_conflict"),
        ("ambiguous option: --o could match --on, --output", "usage_unclear"),
    ],
)
def test_argparse_messages_are_coded(message: str, code: str) -> None:
    assert from_message(message).code == code


def test_argparse_message_said_back_is_escaped_and_masked() -> None:
    # Should argparse ever repeat a typed value in a message intyg does not know: no terminal
    # control characters, no personnummer.
    said = from_message("odd option: \x1b[2J19121212-1212").message
    assert "\x1b" not in said and "1212" not in said


def _instants() -> Iterator[dt.datetime]:
    """Every hour around each change of Swedish time and each New Year, 1996-2100."""
    for year in range(1996, 2101):
        for month, day in ((3, 31), (10, 31), (12, 31)):
            last = dt.datetime(year, month, day, 23, tzinfo=dt.UTC)
            for back in range(8 * 24):  # the last week of the month, every hour and 30 min
                yield last - dt.timedelta(hours=back, minutes=30)
                yield last - dt.timedelta(hours=back)


def test_swedish_today_is_the_date_in_stockholm() -> None:
    from zoneinfo import ZoneInfo

    stockholm = ZoneInfo("Europe/Stockholm")
    checked = 0
    for instant in _instants():
        assert swedish_today(instant) == instant.astimezone(stockholm).date(), instant
        checked += 1
    assert checked > 100_000


@pytest.mark.parametrize("args", [["assess", "--example"], ["assess", "--example", "--json"]])
def test_cli_on_defaults_to_the_swedish_date(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import intyg._cli

    monkeypatch.setattr(intyg._cli, "swedish_today", lambda: dt.date(2026, 12, 3))
    assert main(args) == 0
    assert "2026-12-03" in capsys.readouterr().out


@pytest.fixture
def swedish_only(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate whose first diagnosis (F32.7) is in no WHO list, and a code list that has
    it (as a region's ICD-10-SE file would have its own codes)."""
    data = intyg.example()
    data["diagnoser"][0]["kod"] = "F32.7"
    cert = tmp_path / "intyg.json"
    cert.write_text(json.dumps(data), "utf-8")
    listing = tmp_path / "koder.txt"
    listing.write_text("F32.7\tEgen kod\nF41.1\tÅngest\n", "utf-8")
    return cert, listing


@pytest.mark.parametrize(
    "command",
    [
        ["assess", "--on", "2026-11-24"],
        ["assess", "--on", "2026-11-24", "--json"],
        ["render"],
        ["render", "--assessment", "--on", "2026-11-24"],
    ],
    ids=["assess", "assess-json", "render", "render-assessment"],
)
def test_cli_every_command_that_reads_a_certificate_takes_the_code_list(
    swedish_only: tuple[Path, Path], command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    cert, listing = swedish_only
    assert main([command[0], str(cert), *command[1:]]) == 1  # WHO's list: icd10_unknown
    said = capsys.readouterr()
    assert "icd10_unknown" in said.out + said.err
    assert main([command[0], str(cert), *command[1:], "--icd10-list", str(listing)]) == 0
    said = capsys.readouterr()
    assert "icd10_unknown" not in said.out + said.err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_batch_validates_every_line_against_the_code_list(
    swedish_only: tuple[Path, Path], tmp_path: Path, workers: str
) -> None:
    # Each worker process gets the list once, as it starts.
    cert, listing = swedish_only
    batch = tmp_path / "in.jsonl"
    batch.write_text((json.dumps(json.loads(cert.read_text("utf-8"))) + "\n") * 300, "utf-8")
    out = tmp_path / "ut.jsonl"
    argv = ["assess", "--batch", str(batch), "-o", str(out), "--on", "2026-11-24"]
    assert main([*argv, "--workers", workers]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {p["code"] for r in rows for p in r["problems"]} == {"icd10_unknown"}
    assert main([*argv, "--workers", workers, "--icd10-list", str(listing)]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 300 and all(r["valid"] and not r["problems"] for r in rows)


def test_cli_code_list_refusals_in_assess_and_render(
    swedish_only: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cert, listing = swedish_only
    empty = tmp_path / "tom.txt"
    empty.write_text("", "utf-8")
    out = tmp_path / "ut.jsonl"
    for argv in (
        ["assess", str(cert), "--icd10-list", str(empty)],
        ["assess", "--batch", str(cert), "-o", str(out), "--icd10-list", str(empty)],
        ["render", str(cert), "--icd10-list", str(empty)],
    ):
        assert main(argv) == 1
        said = capsys.readouterr().err
        assert re.findall(r"^FEL: (\S+): .*\[([a-z0-9_]+)\]$", said, re.M) == [
            ("--icd10-list", "icd10_list_empty")
        ]
    assert not out.exists()
    assert refused(["render", "--blank", "--icd10-list", str(listing)], capsys) == [
        ("usage_conflict", "--icd10-list")
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    for argv in (
        ["assess", "-", "--icd10-list", "-"],
        ["assess", "--batch", "-", "-o", str(out), "--icd10-list", "-"],
        ["render", "-", "--icd10-list", "-"],
    ):
        assert main(argv) == 2
        said = capsys.readouterr().err
        assert usage_errors(said) == [("usage_stdin_twice", "--icd10-list")]
        # The input is named as typed: --batch, or FIL.
        assert ("--batch och" in said) is ("--batch" in argv)


def test_cli_schema_check_outside_a_checkout_says_it_checked_the_installed_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not "schemas/" as if a folder of the working directory had been checked.
    assert main(["schema", "--check"]) == 0
    in_checkout = capsys.readouterr().out
    # As an installed intyg sees itself (the files checked stay the checkout's here).
    monkeypatch.setattr("intyg._resources.checkout_root", lambda: None)
    assert main(["schema", "--check"]) == 0
    installed = capsys.readouterr().out
    assert in_checkout.startswith("schemas/ ") and not installed.startswith("schemas/")


@pytest.mark.parametrize(
    "value",
    ["191212121212", "19121212-1212", "19121212\x7f1212", "19121212\U000e00011212"],
    ids=["twelve_digits", "hyphen", "control_character", "tag_character"],
)
def test_a_personnummer_said_back_is_masked_whole(value: str) -> None:
    # Also when a character that repr escapes stands between its digits: nothing of it shows.
    from intyg._cli_usage import escaped

    assert escaped(value) == "'…'"


def test_a_value_said_back_is_cut_at_eighty_characters_with_its_quote() -> None:
    from intyg._cli_usage import shown

    assert shown("x" * 78) == repr("x" * 78)  # 80 characters with the quotes: whole
    assert shown("x" * 79) == "'" + "x" * 77 + "…'"
    assert len(shown("x" * 1000)) == 80


def test_argparse_conflict_names_the_other_option() -> None:
    problem = from_message("not allowed with argument --write", "--check")
    assert (problem.code, problem.path) == ("usage_conflict", "--check")
    assert "--write" in problem.message


def test_an_argparse_message_intyg_does_not_know_is_said_back_without_quotes() -> None:
    said = from_message("odd option: --x").message
    assert "odd option: --x" in said and "'odd option" not in said
