"""Static checks run with the tests: mypy --strict and ruff (lint and format)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PATHS = [p for p in ("src", "tests", "benchmarks") if (ROOT / p).is_dir()]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def test_mypy_strict_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "format", "--check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_accepts_an_integrators_code() -> None:
    result = _run(sys.executable, "-m", "mypy", "--strict", "tests/typing_client.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_integrators_code_also_runs(tmp_path: Path) -> None:
    import datetime

    import intyg
    import typing_client
    from render_support import require_weasyprint

    require_weasyprint()  # the client makes a PDF too
    path = tmp_path / "intyg.json"
    path.write_text(intyg.example_json(), "utf-8")
    html, pdf, chosen = typing_client.check(path, datetime.date(2026, 11, 24), "html")
    assert html.startswith("<!DOCTYPE html>") and pdf.startswith(b"%PDF") and chosen == html
    model = typing_client.with_own_catalogue(intyg.example_json().encode())
    assert model.bedomning.perioder
    assert "%" in typing_client.period_text(model.bedomning.perioder[0])
    assessment = intyg.assess(model, datetime.date(2026, 11, 24))
    # The helpers are there to be type-checked; here they only show that they run.
    assert set(typing_client.levels(assessment)) == {a.typ for a in assessment.aktiviteter}
    assert set(typing_client.serious(list(assessment.fynd))) <= {f.regel for f in assessment.fynd}
