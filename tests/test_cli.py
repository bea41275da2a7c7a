"""The command line: exit codes, JSON output, stdin, atomic output files."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import intyg
from cli_support import refused
from intyg._cli import main


def _stdin(monkeypatch: pytest.MonkeyPatch, data: str | bytes) -> None:
    raw = data.encode() if isinstance(data, str) else data
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def test_cli_example_prints_valid_certificate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    assert intyg.validate(out).valid
    assert json.loads(out) == intyg.example()


def test_cli_example_fhir_is_a_response(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example", "--format", "fhir"]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "QuestionnaireResponse"


def test_cli_validate_valid_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, intyg.example_json())
    assert main(["validate", "-"]) == 0


def test_cli_validate_invalid_exit_1_with_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], example: dict[str, Any]
) -> None:
    example["bedomning"]["perioder"][0]["omfattning"] = 60
    _stdin(monkeypatch, json.dumps(example))
    assert main(["validate", "--json", "-"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["valid"] is False
    assert body["problems"] == [
        {
            "code": "invalid_code",
            "path": "bedomning.perioder[0].omfattning",
            "message": body["problems"][0]["message"],
            "severity": "error",
        }
    ]


def test_cli_validate_broken_json_exit_1_coded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "{")
    assert main(["validate", "--json", "-"]) == 1
    assert json.loads(capsys.readouterr().out)["problems"][0]["code"] == "json_syntax"


def test_cli_validate_text_output_names_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example: dict[str, Any]
) -> None:
    del example["patient"]["namn"]
    path = tmp_path / "i.json"
    path.write_text(json.dumps(example), "utf-8")
    assert main(["validate", str(path)]) == 1
    assert "[required]" in capsys.readouterr().out


def test_cli_validate_missing_file_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/nonexistent/intyg.json"]) == 1
    assert "[file_unreadable]" in capsys.readouterr().err


def test_cli_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(["validate"], capsys) == [("usage_choose_one", "")]  # no FILE, no --example
    args = ["convert", "x.json", "--to", "xml"]
    assert refused(args, capsys) == [("usage_invalid_choice", "--to")]


def test_cli_convert_round_trip_through_files(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(intyg.example_json(), "utf-8")
    fhir = tmp_path / "out.fhir.json"
    back = tmp_path / "back.json"
    assert main(["convert", str(src), "--to", "fhir", "-o", str(fhir)]) == 0
    assert main(["convert", str(fhir), "--to", "json", "-o", str(back)]) == 0
    assert json.loads(back.read_text("utf-8")) == intyg.example()


def test_cli_convert_invalid_writes_nothing(tmp_path: Path, example: dict[str, Any]) -> None:
    example["signeringsdatum"] = "2026-13-01"
    src = tmp_path / "in.json"
    src.write_text(json.dumps(example), "utf-8")
    out = tmp_path / "out.json"
    assert main(["convert", str(src), "--to", "fhir", "-o", str(out)]) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_cli_schema_prints_every_published_file(capsys: pytest.CaptureFixture[str]) -> None:
    # Each file under schemas/ byte for byte: the form's (as published_schema names them, the
    # CodeSystems among them) and the assessment's schema.
    root = Path(__file__).resolve().parent.parent / "schemas"
    form = root / "lakarintyg-socialnamnd" / "1.0.0"
    kinds = {"jsonschema": form / "intyg.schema.json", "questionnaire": form / "questionnaire.json"}
    kinds.update({p.stem: p for p in form.glob("codesystem-*.json")})
    kinds["bedomning"] = root / "bedomning" / "1.0.0" / "bedomning.schema.json"
    assert len(kinds) == len(list(form.iterdir())) + 1
    for kind, path in kinds.items():
        assert main(["schema", "--print", kind]) == 0
        printed = capsys.readouterr().out
        assert printed == path.read_text("utf-8"), kind
        if kind != "bedomning":
            assert json.loads(printed) == intyg.published_schema(kind)


def test_cli_schema_print_of_no_published_file_names_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema", "--print", "codesystem-okand"]) == 2
    err = capsys.readouterr().err
    assert re.findall(r": (--\S+): .*\[([a-z_]+)\]$", err, re.M) == [
        ("--print", "usage_invalid_choice")
    ]
    assert "codesystem-prognos" in err and "bedomning" in err


def test_cli_schema_print_unknown_version_is_a_usage_error_at_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema", "--print", "jsonschema", "--version", "3.0.0"]) == 2
    err = capsys.readouterr().err
    assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", err, re.M) == [
        ("--version", "unsupported_form_version")
    ]


def test_cli_schema_check_of_a_folder_that_is_not_there_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not every file "missing": there is no folder to look in.
    assert main(["schema", "--check", "--dir", str(tmp_path / "saknas")]) == 1
    err = capsys.readouterr().err
    assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", err, re.M) == [
        ("--dir", "folder_unreadable")
    ]


@pytest.mark.parametrize("why", ["too long", "not readable", "refused"])
def test_cli_schema_check_of_a_folder_that_cannot_be_looked_in_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    # Python 3.11's is_dir raises for these: it was said as "standard output unwritable".
    if why == "too long":
        folder = tmp_path / ("d" * 300)
    elif why == "not readable":
        if os.geteuid() == 0:
            pytest.skip("root may read any folder (the case 'refused' stands in)")
        closed = tmp_path / "stangd"
        closed.mkdir(mode=0)
        folder = closed / "schemas"
    else:  # as the system refuses a user a folder on the way, also for root
        folder = tmp_path / "stangd" / "schemas"

        def refused(self: Path) -> bool:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "is_dir", refused)
    assert main(["schema", "--check", "--dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", err, re.M) == [
        ("--dir", "folder_unreadable")
    ]


def test_cli_validate_icd10_list(tmp_path: Path, example: dict[str, Any]) -> None:
    codes = tmp_path / "icd.txt"
    codes.write_text("F32.1\nF41.1\n", "utf-8")
    example["diagnoser"][0]["kod"] = "M54.5"
    src = tmp_path / "in.json"
    src.write_text(json.dumps(example), "utf-8")
    assert main(["validate", str(src)]) == 0
    assert main(["validate", "--icd10-list", str(codes), str(src)]) == 1


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert intyg.__version__ in capsys.readouterr().out


def test_cli_convert_unwritable_output_is_coded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.json"
    src.write_text(intyg.example_json(), "utf-8")
    assert main(["convert", str(src), "--to", "fhir", "-o", str(tmp_path / "saknas" / "x")]) == 1
    assert "[output_unwritable]" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [src]


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--json"],
        ["convert", "--to", "fhir"],
        ["assess", "--json", "--on", "2026-11-24"],
    ],
    ids=["validate", "convert", "assess"],
)
def test_cli_example_flag_reads_the_embedded_example(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "exempel.json"
    path.write_text(intyg.example_json(), "utf-8")
    assert main([*args, str(path)]) == 0
    from_file = capsys.readouterr().out
    assert main([*args, "--example"]) == 0
    assert capsys.readouterr().out == from_file


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--example", "x.json"],
        ["convert", "--to", "json"],
        ["convert", "--to", "json", "--example", "x.json"],
        ["assess"],
        ["assess", "--example", "x.json"],
        ["assess", "--example", "--batch", "in.jsonl", "-o", "out.jsonl"],
    ],
    ids=["validate_both", "convert_none", "convert_both", "assess_none", "assess_both", "batch"],
)
def test_cli_example_flag_and_file_are_one_or_the_other(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(args, capsys) == [("usage_choose_one", "")]


def test_cli_validate_valid_with_warnings_counts_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], example: dict[str, Any]
) -> None:
    # "Intyget är giltigt." under a warning read as if nothing needed a look.
    example["diagnoser"][0]["kod"] = "F43.8A"  # a Swedish extension: valid, with a warning
    _stdin(monkeypatch, json.dumps(example))
    assert main(["validate", "-"]) == 0
    out = capsys.readouterr().out
    assert "icd10_swedish_extension" in out
    assert out.rstrip().endswith("1 varning.")


def test_cli_validate_names_the_question_beside_the_field(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], example: dict[str, Any]
) -> None:
    # A doctor finds "3.2" on the form; "sysselsattning.timmar_per_vecka" is for systems.
    example["sysselsattning"]["timmar_per_vecka"] = 80
    example["diagnoser"][1]["kod"] = "X"
    _stdin(monkeypatch, json.dumps(example))
    assert main(["validate", "-"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^FEL: sysselsattning\.timmar_per_vecka \(3\.2 ”[^”]+”\): ", out, re.M)
    assert re.search(r"^FEL: diagnoser\[1\]\.kod \(\d+ ”Diagnoser” / ”[^”]+”\): ", out, re.M)


def test_schema_folder_named_like_a_personnummer_is_not_said_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "19121212-1212"
    assert main(["schema", "--write", "--dir", str(folder)]) == 0
    assert main(["schema", "--check", "--dir", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "19121212-1212" not in out + err
    assert (folder / "SHA256SUMS").is_file() or any(folder.rglob("SHA256SUMS"))


def test_schema_folder_name_is_said_back_with_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder name could clear the terminal or forge a line of output.
    folder = tmp_path / "x\x1b[2J\rFALSKT\u202e"
    assert main(["schema", "--write", "--dir", str(folder)]) == 0
    assert main(["schema", "--check", "--dir", str(folder)]) == 0
    out, err = capsys.readouterr()
    said = out + err
    assert not {"\x1b", "\r", "\u202e"} & set(said)
    assert "\\x1b[2J\\rFALSKT\\u202e" in said


def _with_a_warning(tmp_path: Path, example: dict[str, Any]) -> Path:
    """A valid certificate with a warning: a code to check against ICD-10-SE."""
    example["diagnoser"][0]["kod"] = "R53.9"
    cert = tmp_path / "intyg.json"
    cert.write_text(json.dumps(example), "utf-8")
    return cert


def _codes_said(err: str) -> list[str]:
    return re.findall(r"\[([a-z0-9_]+)\]$", err, flags=re.MULTILINE)


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "{cert}", "--on", "2026-11-24"],
        ["assess", "{cert}", "--on", "2026-11-24", "--json"],
        ["convert", "{cert}", "--to", "fhir"],
        ["convert", "{cert}", "--to", "json"],
    ],
    ids=" ".join,
)
def test_cli_a_valid_certificates_warnings_are_said_beside_what_is_made_of_it(
    tmp_path: Path, example: dict[str, Any], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # What validate would warn of goes to stderr; stdout holds the result alone.
    cert = _with_a_warning(tmp_path, example)
    assert main([a.format(cert=cert) for a in args]) == 0
    captured = capsys.readouterr()
    assert _codes_said(captured.err) == ["icd10_swedish_extension"]
    assert captured.err.startswith("VARNING: diagnoser[0].kod")
    if "--json" in args or "convert" in args:
        json.loads(captured.out)
    assert "icd10_swedish_extension" not in captured.out
    example_args = [a if a != "{cert}" else "--example" for a in args]
    assert main(example_args) == 0
    assert capsys.readouterr().err == ""  # no warning, nothing said


@pytest.mark.parametrize(
    "args",
    [["render", "{cert}", "-o", "{out}"], ["render", "{cert}", "--assessment", "-o", "{out}"]],
    ids=" ".join,
)
def test_cli_render_says_a_valid_certificates_warnings_too(
    tmp_path: Path, example: dict[str, Any], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    cert = _with_a_warning(tmp_path, example)
    out = tmp_path / "ut.html"
    assert main([a.format(cert=cert, out=out) for a in args]) == 0
    assert _codes_said(capsys.readouterr().err) == ["icd10_swedish_extension"]
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
