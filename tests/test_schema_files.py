"""Published files under schemas/: generated from the form, frozen by checksum, valid."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import intyg
from intyg import _publish

ROOT = Path(__file__).resolve().parent.parent


def test_schema_check_command_passes_on_the_repository() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "intyg", "schema", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_changed_frozen_file_is_said_once(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    target = copy / "lakarintyg-socialnamnd" / "1.0.0" / "intyg.schema.json"
    target.write_text(target.read_text("utf-8").replace("Patient", "Patienten"), "utf-8")
    # It also differs from what is generated; the checksum says more: a frozen file was edited.
    found = [(p.code, p.path) for p in _publish.check(copy)]
    assert found == [("schema_checksum", "lakarintyg-socialnamnd/1.0.0/intyg.schema.json")]


def test_schema_check_detects_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The definitions changed, the file did not: it matches its checksum but not the source.
    rel = "lakarintyg-socialnamnd/1.0.0/intyg.schema.json"
    generated = _publish.generated_files()
    changed = {**generated, rel: generated[rel].replace("Patient", "Patienten")}
    monkeypatch.setattr(_publish, "generated_files", lambda: changed)
    assert [(p.code, p.path) for p in _publish.check(ROOT / "schemas")] == [("schema_drift", rel)]


def test_schema_check_detects_missing_file(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    (copy / "lakarintyg-socialnamnd" / "1.0.0" / "questionnaire.json").unlink()
    # Generated and frozen alike, it is said once.
    found = [(p.code, p.path) for p in _publish.check(copy)]
    assert found == [("schema_missing", "lakarintyg-socialnamnd/1.0.0/questionnaire.json")]


def test_schema_check_malformed_sums_and_undecodable_file_are_problems(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    with (copy / "SHA256SUMS").open("a", encoding="utf-8") as fh:
        fh.write("bara-ett-falt\n")
    rel = "lakarintyg-socialnamnd/1.0.0/questionnaire.json"
    (copy / rel).write_bytes(b"\xff\xfe{}")
    found = [(p.code, p.path) for p in _publish.check(copy)]
    assert sorted(found) == [("file_unreadable", rel), ("schema_checksum", "SHA256SUMS")]


def test_schema_write_refuses_to_change_a_frozen_file(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    sums = copy / "SHA256SUMS"
    rel = "lakarintyg-socialnamnd/1.0.0/questionnaire.json"
    lines = [
        ("0" * 64 + "  " + rel) if line.endswith(rel) else line
        for line in sums.read_text("utf-8").splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n", "utf-8")
    before = (copy / rel).read_bytes()
    with pytest.raises(intyg.SchemaDriftError) as info:
        _publish.write(copy)
    assert info.value.codes == ["schema_checksum"]
    assert (copy / rel).read_bytes() == before


def test_schema_write_into_empty_folder_then_check_passes(tmp_path: Path) -> None:
    written = _publish.write(tmp_path)
    assert "SHA256SUMS" in written
    assert _publish.check(tmp_path) == []
    assert _publish.write(tmp_path) == []


def test_every_published_file_is_frozen() -> None:
    sums = (ROOT / "schemas" / "SHA256SUMS").read_text("utf-8")
    for rel in _publish.generated_files():
        assert rel in sums, rel


def test_jsonschema_passes_its_metaschema() -> None:
    schema = intyg.published_schema("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(":1.0.0")


def test_jsonschema_accepts_the_example() -> None:
    schema = intyg.published_schema("jsonschema")
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(intyg.example())) == []


def test_published_schema_unknown_version_is_coded() -> None:
    with pytest.raises(intyg.FormVersionError) as info:
        intyg.published_schema("jsonschema", version="0.9.0")
    assert info.value.codes == ["unsupported_form_version"]


def test_schema_write_over_a_copy_of_the_published_files_changes_nothing(tmp_path: Path) -> None:
    # Also SHA256SUMS byte for byte: its line format and order are the published ones, and a
    # blank line at its end is no broken line.
    import shutil

    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    assert _publish.write(copy) == []
    sums = copy / "SHA256SUMS"
    sums.write_text(sums.read_text("utf-8") + "\n", "utf-8")
    assert _publish.check(copy) == []


def test_schema_write_puts_back_a_line_taken_out_of_the_sums(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    sums = copy / "SHA256SUMS"
    original = sums.read_text("utf-8")
    sums.write_text("".join(original.splitlines(keepends=True)[1:]), "utf-8")
    assert _publish.write(copy) == ["SHA256SUMS"]
    assert sums.read_text("utf-8") == original


def test_schema_check_two_changed_frozen_files_are_both_said(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    changed = [
        "lakarintyg-socialnamnd/1.0.0/intyg.schema.json",
        "bedomning/1.0.0/bedomning.schema.json",
    ]
    for rel in changed:
        (copy / rel).write_text((copy / rel).read_text("utf-8") + " ", "utf-8")
    found = sorted((p.code, p.path) for p in _publish.check(copy))
    assert found == sorted(("schema_checksum", rel) for rel in changed)


@pytest.mark.parametrize("how", ["changed", "deleted"])
def test_schema_check_guards_a_frozen_file_no_longer_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # A published version stays published when its definitions are gone from the source (a
    # later release may stop generating it): its checksum still guards the file on disk.
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    rel = "lakarintyg-socialnamnd/1.0.0/codesystem-prognos.json"
    generated = {k: v for k, v in _publish.generated_files().items() if k != rel}
    monkeypatch.setattr(_publish, "generated_files", lambda: generated)
    assert _publish.check(copy) == []
    if how == "changed":
        (copy / rel).write_text((copy / rel).read_text("utf-8") + " ", "utf-8")
        expected = [("schema_checksum", rel)]
    else:
        (copy / rel).unlink()
        expected = [("schema_missing", rel)]
    assert [(p.code, p.path) for p in _publish.check(copy)] == expected


def test_generated_files_come_in_path_order() -> None:
    # SHA256SUMS and the files written are listed in this order; a new form version or code
    # list must not reorder the published lines.
    files = list(_publish.generated_files())
    assert files == sorted(files)
    assert len(files) == len(set(files)) > 3
