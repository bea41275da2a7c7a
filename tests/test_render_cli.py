"""``intyg render``: sources, formats, atomic output, refusals and exit codes."""

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
from intyg._errors import RenderError
from intyg._problems import make_problem
from render_support import require_weasyprint


def _codes(err: str) -> list[str]:
    """The problem codes printed on stderr (``[code]`` at the end of each line)."""
    return re.findall(r"\[([a-z0-9_]+)\]$", err, flags=re.MULTILINE)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "intyg.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_render_blank_html_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--blank"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_cli_render_file_html_to_file(tmp_path: Path, example: dict[str, Any]) -> None:
    out = tmp_path / "intyg.html"
    assert main(["render", str(_write(tmp_path, example)), "-o", str(out)]) == 0
    assert example["intygsid"] in out.read_text("utf-8")


def test_cli_render_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(intyg.example_json().encode("utf-8")))
    assert main(["render", "-"]) == 0
    assert intyg.example()["intygsid"] in capsys.readouterr().out


def test_cli_render_example_pdf_by_suffix(tmp_path: Path) -> None:
    require_weasyprint()
    out = tmp_path / "exempel.pdf"
    assert main(["render", "--example", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["exempel.pdf"]


def test_cli_render_pdf_refused_on_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["render", "--blank", "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _codes(captured.err) == ["pdf_to_terminal"]


def test_cli_render_invalid_certificate_exit_1_without_file(
    tmp_path: Path, example: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    example["patient"]["personid"] = "191212121213"
    out = tmp_path / "ut.html"
    assert main(["render", str(_write(tmp_path, example)), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "personid_invalid" in _codes(err)
    assert "191212121213" not in err and "Traceback" not in err
    assert not out.exists()


def test_cli_render_failed_pdf_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*args: Any, **kwargs: Any) -> bytes:
        raise RenderError([make_problem("render_failed", "", {"orsak": "prov"})])

    monkeypatch.setattr("intyg._render.html_to_pdf", fail)
    out = tmp_path / "ut.pdf"
    out_dir_before = sorted(tmp_path.iterdir())
    assert main(["render", "--blank", "-o", str(out)]) == 1
    assert _codes(capsys.readouterr().err) == ["render_failed"]
    assert sorted(tmp_path.iterdir()) == out_dir_before


def test_cli_render_unwritable_output_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "saknas" / "ut.html"
    assert main(["render", "--blank", "-o", str(out)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]


@pytest.mark.parametrize("on", ["2026-13-01", "20261124", "2026-W48-2"])
@pytest.mark.parametrize("command", ["render", "assess"])
def test_cli_bad_on_date_is_coded_the_same_in_render_and_assess(
    command: str, on: str, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--assessment"] if command == "render" else []
    argv = [command, "--example", *extra] if command == "render" else [command]
    if command == "assess":
        argv.append(str(Path(intyg.__file__).parent / "_v1" / "exempel.json"))
    assert main([*argv, "--on", on]) == 2
    captured = capsys.readouterr()
    # Problems for a person go to stderr in both commands (stdout holds the result).
    shown = captured.err
    assert "--on" in shown and "[invalid_assessment_date]" in shown


@pytest.mark.parametrize("command", ["render", "assess"])
def test_cli_date_with_no_rule_set_is_said_at_on(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The library says ruleset_not_found of the whole call (""); the command line names the
    # option that sets the date (today when --on is not typed), in both commands.
    extra = ["--assessment"] if command == "render" else []
    assert main([command, "--example", *extra, "--on", "2024-01-01"]) == 1
    shown = capsys.readouterr().err
    assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", shown, re.M) == [
        ("--on", "ruleset_not_found")
    ]


@pytest.fixture
def stored_assessment(tmp_path: Path) -> Path:
    """An assessment made before and saved as its JSON data (``assess --json``)."""
    made = intyg.assess(intyg.load(intyg.example()), intyg.load(intyg.example()).signeringsdatum)
    path = tmp_path / "bedomning.json"
    path.write_text(json.dumps(made.to_json(), ensure_ascii=False), "utf-8")
    return path


def test_cli_render_prints_a_stored_assessment_as_its_report(
    stored_assessment: Path, tmp_path: Path
) -> None:
    # As the library does with the same data: not 24 problems of a certificate.
    out = tmp_path / "rapport.html"
    assert main(["render", "--assessment", str(stored_assessment), "-o", str(out)]) == 0
    expected = intyg.render(intyg.load_assessment(stored_assessment), assessment=True)
    assert out.read_text("utf-8") == expected


@pytest.mark.parametrize(
    ("extra", "refusal"),
    [
        ([], ("usage_missing_argument", "--assessment")),
        (["--assessment", "--on", "2026-11-24"], ("usage_not_applicable", "--on")),
        (["--assessment", "--icd10-list", "koder.txt"], ("usage_not_applicable", "--icd10-list")),
    ],
    ids=["without-assessment", "on", "icd10-list"],
)
def test_cli_render_of_a_stored_assessment_refuses_what_does_not_apply(
    stored_assessment: Path,
    extra: list[str],
    refusal: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert refused(["render", str(stored_assessment), *extra], capsys) == [refusal]


def test_cli_render_of_a_broken_stored_assessment_names_the_field(
    stored_assessment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(stored_assessment.read_text("utf-8"))
    data["schemaversion"] = "9.9.9"
    stored_assessment.write_text(json.dumps(data), "utf-8")
    assert main(["render", "--assessment", str(stored_assessment)]) == 1
    said = capsys.readouterr()
    assert said.out == ""
    assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", said.err, re.M) == [
        ("schemaversion", "invalid_code")
    ]


@pytest.mark.parametrize(
    "text", ["[1]", "null", "5", '"{}"'], ids=["array", "null", "number", "text"]
)
@pytest.mark.parametrize("extra", [[], ["--assessment"]], ids=["certificate", "assessment"])
def test_cli_render_of_json_that_is_no_object_is_not_an_object(
    tmp_path: Path, text: str, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # As validate, convert and assess say it; a JSON text holding a certificate's JSON text is
    # no certificate either (it was read twice, and printed).
    if text == '"{}"':
        text = json.dumps(intyg.example_json())
    path = tmp_path / "in.json"
    path.write_text(text, "utf-8")
    on = ["--on", "2026-11-24"] if extra else []
    assert main(["render", str(path), *extra, *on]) == 1
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    assert _codes(said.err) == ["not_an_object"]


def test_cli_render_decides_what_is_a_stored_assessment_as_the_library_does(
    stored_assessment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # With --assessment, any key only an assessment has makes it one: a broken one is said as
    # such (one problem), not as a certificate missing every part.
    data = json.loads(stored_assessment.read_text("utf-8"))
    del data["regelverk"]
    stored_assessment.write_text(json.dumps(data), "utf-8")
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    expected = [(p.path, p.code) for p in info.value.problems]
    assert main(["render", "--assessment", str(stored_assessment)]) == 1
    said = capsys.readouterr().err
    assert (
        re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", said, re.M)
        == expected
        == [("regelverk", "required")]
    )


@pytest.mark.parametrize("stray", ["kallor", "motorversion", "fynd"])
def test_cli_render_of_a_certificate_with_a_stray_key_of_an_assessment_is_a_certificate(
    tmp_path: Path, stray: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # One unknown field, as without --assessment; not a stored assessment missing every part.
    data = intyg.example()
    data[stray] = "x"
    path = tmp_path / "intyg.json"
    path.write_text(json.dumps(data), "utf-8")
    for extra in (["--assessment", "--on", "2026-11-24"], []):
        assert main(["render", str(path), *extra]) == 1
        said = capsys.readouterr().err
        assert re.findall(r"^FEL: (\S+): .*\[([a-z_]+)\]$", said, re.M) == [
            (stray, "unknown_field")
        ]
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.render(data, assessment=True)
    assert [(p.path, p.code) for p in info.value.problems] == [(stray, "unknown_field")]


def test_a_stored_assessment_with_a_stray_key_of_a_certificate_is_an_assessment(
    stored_assessment: Path,
) -> None:
    data = json.loads(stored_assessment.read_text("utf-8"))
    data["formular"] = {"id": "lakarintyg-socialnamnd", "version": "1.0.0"}
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert [(p.path, p.code) for p in info.value.problems] == [("formular", "unknown_field")]


def test_render_reads_a_stored_assessment_from_a_path_text_or_bytes_as_from_its_data(
    stored_assessment: Path,
) -> None:
    # A path, JSON text or bytes was read as a certificate (every part missing) whatever it
    # held; without assessment=True it was not told apart either.
    text = stored_assessment.read_text("utf-8")
    expected = intyg.render(json.loads(text), assessment=True)
    for source in (stored_assessment, text, text.encode("utf-8")):
        assert intyg.render(source, assessment=True) == expected
        with pytest.raises(ValueError, match="assessment=True"):
            intyg.render(source)


@pytest.mark.parametrize("which", ["assessed", "invalid"])
def test_a_whole_line_of_a_batch_is_said_to_be_one(
    tmp_path: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a certificate missing every part: the line holds the assessment in a field.
    src = tmp_path / "in.jsonl"
    src.write_text(intyg.example_json().replace("\n", "") + "\n{}\n", "utf-8")
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    capsys.readouterr()
    line = out.read_text("utf-8").splitlines()[0 if which == "assessed" else 1]
    path = tmp_path / "rad.json"
    path.write_text(line, "utf-8")
    for extra in (["--assessment"], []):
        assert main(["render", str(path), *extra, "-o", str(tmp_path / "r.html")]) == 1
        assert _codes(capsys.readouterr().err) == ["batch_line_given"]
    for call in (
        intyg.load_assessment,
        lambda source: intyg.render(source, assessment=True),
        intyg.render,
    ):
        for source in (path, json.loads(line)):
            with pytest.raises(intyg.ConversionError) as info:
                call(source)
            assert info.value.codes == ["batch_line_given"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "rad.json", "ut.jsonl"]


def test_cli_render_refuses_an_unusable_code_list_before_checking_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As assess and convert do: the call's fault is said first, not the input's.
    broken = tmp_path / "trasig.json"
    broken.write_text('{"a": ', "utf-8")
    empty = tmp_path / "tom.txt"
    empty.write_text("", "utf-8")
    for command in (["render"], ["assess", "--on", "2026-11-24"]):
        assert main([command[0], str(broken), *command[1:], "--icd10-list", str(empty)]) == 1
        assert _codes(capsys.readouterr().err) == ["icd10_list_empty"]


def test_cli_render_format_mismatch_names_the_last_suffix_in_lower_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mitt.intyg.HTM"
    assert main(["render", "--example", "--format", "pdf", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert " .htm" in err and ".HTM" not in err and ".intyg.htm" not in err
    assert not out.exists()


def test_cli_render_assessment_without_on_is_made_for_today_in_sweden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    import intyg._cli

    monkeypatch.setattr(intyg._cli, "swedish_today", lambda: dt.date(2026, 12, 1))
    assert main(["render", "--example", "--assessment"]) == 0
    page = capsys.readouterr().out
    # Not on the certificate's own date (2026-11-20), as intyg.render would assess it.
    assert "<th>Bedömningsdatum</th><td>2026-12-01</td>" in page


def test_cli_render_of_json_with_keys_of_an_assessment_but_not_surely_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # More keys of an assessment than of a certificate, but not its three first ones: without
    # --assessment it is read as a certificate, not refused as an assessment given (exit 2).
    src = tmp_path / "halv.json"
    src.write_text('{"bedomningsdatum": "2026-11-24", "fynd": [], "nasta_steg": []}', "utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "ut.html")]) == 1
    assert "[unknown_field]" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["halv.json"]


def test_a_broken_installation_is_said_as_such_not_as_a_stdout_failure(tmp_path: Path) -> None:
    # A copy of the package alone, without the print templates (src/intyg outside its
    # checkout): an OSError there was said as stdout_unwritable.
    import shutil
    import subprocess

    package = Path(intyg.__file__).parent
    shutil.copytree(package, tmp_path / "lib" / "intyg", ignore=shutil.ignore_patterns("mallar"))
    out = tmp_path / "ut.html"
    done = subprocess.run(
        [sys.executable, "-m", "intyg", "render", "--example", "-o", str(out)],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "lib")},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert re.findall(r"\[(\w+)\]", done.stderr) == ["installation_incomplete"]
    assert "Traceback" not in done.stderr and not out.exists()
