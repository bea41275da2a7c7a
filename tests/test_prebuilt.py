"""The prebuilt validator of ``python -m intyg validate`` is the model's, without pydantic's models.

It is generated from the model (``python -m intyg._v1._prebuild``); these tests keep the
generated module current and show that it reports exactly what :func:`intyg.validate` reports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import intyg
from intyg import _quick as quick_module
from intyg._cli import main
from intyg._form import CheckedSection
from intyg._icd10 import CodeListCatalogue
from intyg._quick import validate_quickly
from intyg._v1 import _model, _prebuild, _prebuilt
from korpus import CORPUS, Bad
from strategies import mutated_certificates, valid_certificates

EXAMPLES = sorted((Path(__file__).parent / "exempel" / "1.0.0").glob("*.json"))


def _full(raw: bytes, icd10: Any = None) -> tuple[bool, list[tuple[str, str, str]]]:
    report = intyg.validate(raw, icd10=icd10)
    return report.valid, [(p.code, p.path, p.message) for p in report.problems]


def _quick(raw: bytes, icd10: Any = None) -> tuple[bool, list[tuple[str, str, str]]] | None:
    outcome = validate_quickly(raw, icd10)
    if outcome is None:
        return None
    valid, problems = outcome
    return valid, [(p.code, p.path, p.message) for p in problems]


def test_generated_module_is_current() -> None:
    assert _prebuild.generate() == _prebuild.TARGET.read_text("utf-8")
    assert _prebuild.main(["--check"]) == 0


def test_stand_ins_carry_the_models_conditions_and_rules() -> None:
    def plan(cls: type) -> list[tuple[Any, ...]]:
        # every part of the plan but the bound test, which is compared through its condition
        return [(*p[:2], p[2].__self__, *p[3:]) for p in cls._villkor_plan]  # type: ignore[attr-defined]

    models = {
        cls.__name__: cls
        for cls in vars(_model).values()
        if isinstance(cls, type)
        and issubclass(cls, _model.Section)
        and cls.__module__ == _model.__name__
    }
    parts = {
        name: cls
        for name, cls in vars(_prebuilt).items()
        if isinstance(cls, type) and issubclass(cls, _prebuilt.Part) and cls is not _prebuilt.Part
    }
    assert set(parts) == set(models)
    for name, model in models.items():
        part = parts[name]
        if issubclass(model, CheckedSection):
            assert plan(part) == plan(model), name
            assert part._has_checks == model._has_checks, name
            if model._has_checks:
                assert part.checks is model.checks, name
        else:
            assert part._villkor_plan == () and not part._has_checks, name


def _left_to_full_validator(raw: bytes) -> bool:
    """Not an object, a QuestionnaireResponse, or a certificate naming another form."""
    data = json.loads(raw, parse_int=lambda digits: 0)  # any length; only the form is read
    if not isinstance(data, dict) or "resourceType" in data:
        return True
    formular = data.get("formular")
    if not isinstance(formular, dict):
        return False
    form_id = formular.get("id", "lakarintyg-socialnamnd")
    version = formular.get("version", "1.0.0")
    if not isinstance(form_id, str) or not isinstance(version, str):
        return False
    return (form_id, version) != ("lakarintyg-socialnamnd", "1.0.0")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_same_outcome(path: Path) -> None:
    raw = path.read_bytes()
    quick = _quick(raw)
    if _left_to_full_validator(raw):
        assert quick is None
    else:
        assert quick == _full(raw)


@pytest.mark.parametrize("bad", CORPUS, ids=[b.id for b in CORPUS])
def test_bad_corpus_same_problems(bad: Bad) -> None:
    raw = bad.build()
    quick = _quick(raw)
    if quick is None:
        assert _left_to_full_validator(raw)
        return
    assert quick == _full(raw)
    assert quick[0] is False


def test_own_icd10_catalogue_is_used() -> None:
    raw = intyg.example_json().encode()
    narrow = CodeListCatalogue(["A00"])
    assert _quick(raw, narrow) == _full(raw, narrow)
    assert _quick(raw, narrow)[0] is False  # type: ignore[index]


@settings(max_examples=150, deadline=None)
@given(st.one_of(valid_certificates(), mutated_certificates()))
def test_generated_certificates_same_problems(data: dict[str, Any]) -> None:
    raw = json.dumps(data).encode()  # ASCII: a lone surrogate stays a \u escape
    assert _quick(raw) == _full(raw)


@pytest.mark.parametrize("example", [False, True], ids=["file", "example_flag"])
def test_validate_command_starts_without_pydantic_models(tmp_path: Path, example: bool) -> None:
    path = tmp_path / "intyg.json"
    path.write_text(intyg.example_json(), "utf-8")
    args = ["validate", "--example"] if example else ["validate", str(path)]
    code = (
        "import sys\n"
        "from intyg._cli import main\n"
        f"rc = main({args!r})\n"
        "print(rc, sorted(m for m in sys.modules if m == 'pydantic' or m.startswith('pydantic.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "0 []"


def test_other_pydantic_core_falls_back_to_the_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_prebuilt, "PYDANTIC_CORE_SERIES", "0.0")
    quick_module._prebuilt.cache_clear()
    try:
        raw = intyg.example_json().encode()
        assert validate_quickly(raw) is None
        path = tmp_path / "intyg.json"
        path.write_bytes(raw)
        assert main(["validate", "--json", str(path)]) == 0
        assert json.loads(capsys.readouterr().out)["valid"] is True
    finally:
        quick_module._prebuilt.cache_clear()


def test_other_patch_of_the_same_pydantic_core_series_uses_the_prebuilt_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pydantic_core

    major, minor = _prebuilt.PYDANTIC_CORE_SERIES.split(".")
    monkeypatch.setattr(pydantic_core, "__version__", f"{major}.{minor}.999")
    quick_module._prebuilt.cache_clear()
    try:
        assert validate_quickly(intyg.example_json().encode()) == (True, ())
        monkeypatch.setattr(pydantic_core, "__version__", f"{major}.{int(minor) + 1}.0")
        quick_module._prebuilt.cache_clear()
        assert validate_quickly(intyg.example_json().encode()) is None
    finally:
        quick_module._prebuilt.cache_clear()


def test_validate_command_falls_back_for_fhir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(intyg.to_fhir(intyg.load(intyg.example_json()))), "utf-8")
    assert main(["validate", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
