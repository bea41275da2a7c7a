"""Command line: options that do not apply are refused, errors go where they belong, and every
problem with an argument is a usage error or a coded problem, never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._cli import main
from intyg._cli_assess import _worker_count
from intyg._pool import usable_cpus


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "intyg.json"
    path.write_text(intyg.example_json(), "utf-8")
    return path


def _codes(text: str) -> list[str]:
    return [p["code"] for p in json.loads(text)["problems"]]


@pytest.mark.parametrize(
    "extra",
    [["-o", "ut.txt"], ["--workers", "2"]],
    ids=["output", "workers"],
)
def test_cli_assess_batch_option_without_batch_is_usage_error(
    example_file: Path, tmp_path: Path, extra: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["assess", str(example_file), "--on", "2026-11-24", *extra]) == 2
    assert not (tmp_path / "ut.txt").exists()


def test_cli_assess_batch_with_json_is_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(intyg.example()) + "\n", "utf-8")
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--json"]) == 2
    assert not out.exists()


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
    "args",
    [
        ["validate", ""],
        ["validate", "--example", "--icd10-list", ""],
        ["convert", "", "--to", "fhir"],
        ["convert", "--example", "--to", "fhir", "-o", ""],
        ["convert", "--example", "--to", "fhir", "--icd10-list", ""],
        ["example", "-o", ""],
        ["schema", "--check", "--dir", ""],
        ["schema", "--print", "jsonschema", "--version", ""],
        ["assess", "", "--on", "2026-11-24"],
        ["assess", "--batch", "", "-o", "ut.jsonl"],
        ["assess", "--batch", "in.jsonl", "-o", ""],
        ["render", ""],
        ["render", "--example", "-o", ""],
    ],
)
def test_cli_empty_file_name_or_version_is_a_usage_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Never a file that cannot be read or written, and never the default (the current version,
    # WHO's list): what was typed is wrong, so the call is.
    captured = _usage_error(args, capsys)
    assert captured.out == ""
    assert "Traceback" not in captured.err


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


@pytest.mark.parametrize("command", ["validate", "convert"])
def test_cli_stdin_for_both_input_and_code_list_is_usage_error(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(intyg.example_json().encode())))
    extra = ["--to", "fhir"] if command == "convert" else []
    assert main([command, "-", "--icd10-list", "-", *extra]) == 2


def test_cli_abbreviated_option_is_usage_error(example_file: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["assess", str(example_file), "--o", "2026-11-24"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "--print", "jsonschema", "--dir", "x"],
        ["schema", "--check", "--version", "1.0.0"],
    ],
    ids=["print_with_dir", "check_with_version"],
)
def test_cli_schema_option_that_does_not_apply_is_usage_error(args: list[str]) -> None:
    assert main(args) == 2


def test_cli_schema_print_named_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--print", "questionnaire", "--version", "1.0.0"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "1.0.0"


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "html", "-o", "UT.pdf"],
        ["--pdf-variant", "plain"],
        ["--pdf-variant", "plain", "-o", "ut.html"],
    ],
    ids=["html_to_pdf_name", "variant_for_stdout_html", "variant_for_html_file"],
)
def test_cli_render_pdf_option_with_html_is_usage_error(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--example", *args]) == 2
    assert list(tmp_path.iterdir()) == []


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
    # Not the last one silently: which one was meant is not known.
    monkeypatch.chdir(tmp_path)
    assert _usage_error(args, capsys).out == ""  # nothing printed (the Questionnaire, say)
    assert list(tmp_path.iterdir()) == []  # nothing printed either (the Questionnaire, say)


@pytest.mark.parametrize(
    "args",
    [
        ["19121212-1212"],
        ["validate", "in.json", "191212121212"],
        ["example", "--format", "121212+1212"],
        ["assess", "--batch", "in.jsonl", "-o", "u.jsonl", "--workers", "121212-1212"],
    ],
    ids=["command", "extra", "choice", "number"],
)
def test_cli_usage_error_never_repeats_a_personnummer(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(args, capsys).err
    assert "fel i anropet" in err
    assert not re.search(r"[0-9]{6}", err)


@pytest.mark.parametrize(
    ("args", "usage", "says"),
    [
        (["--bogus"], "intyg [", "okända argument: --bogus"),
        (["--bogus", "validate", "--example"], "intyg [", "okända argument: --bogus"),
        ([], "intyg [", "ange ett kommando"),
        (["validate", "--example", "--bogus"], "intyg validate [", "okända argument: --bogus"),
        (["render", "--blank", "extra", "mer"], "intyg render [", "okända argument: mer"),
    ],
    ids=["option_before_command", "before_a_command", "no_command", "after_command", "second_file"],
)
def test_cli_what_is_not_understood_is_said_by_its_command(
    args: list[str], usage: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(args, capsys).err
    assert err.startswith(f"användning: {usage}") and says in err
