"""The benchmarks still run: each piece is run once on a tiny input. No timing is asserted."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

pytestmark = pytest.mark.slow


def _benchmark_module(name: str) -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def bench_core() -> Iterator[ModuleType]:
    yield from _benchmark_module("bench_core")


def test_batch_benchmarks_run(bench_core: ModuleType) -> None:
    varied = bench_core.varied_certificates(3)
    assert len(varied) == 3
    data = bench_core.jsonl(varied, 7)
    assert data.count(b"\n") == 7
    assert bench_core.batch_throughput(data, 1) > 0
    assert bench_core.batch_peak_rss_mb(5, 1) > 0


def test_cold_start_benchmark_runs(bench_core: ModuleType, tmp_path: Path) -> None:
    env = bench_core.installed_like_env(str(tmp_path))
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert bench_core.cold_start_ms([sys.executable, "-c", "import json"], runs=1, env=env) > 0
    assert list(tmp_path.rglob("*.pyc"))  # the uncounted first run filled the cache


@pytest.mark.parametrize(
    ("script", "args", "row"),
    [
        ("bench_assess.py", ["--n", "3", "--repeat", "1"], "load + assess + to_json"),
        ("bench_render.py", ["--n", "1", "--repeat", "1"], "example -> PDF/A"),
    ],
)
def test_benchmark_scripts_run(script: str, args: list[str], row: str) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert row in out.stdout  # the table was printed


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_count_benchmark_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "icount.py"), "--lines", "2", "--stage", "write"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    row = re.search(r"\| write the output line \(json_line\) +\| +([\d,]+) \|", out.stdout)
    assert row is not None, out.stdout
    assert int(row.group(1).replace(",", "")) > 1000  # an output line takes real work


@pytest.fixture
def icount() -> Iterator[ModuleType]:
    yield from _benchmark_module("icount")


@pytest.mark.parametrize("can_switch", [True, False])
def test_instruction_count_subtracts_a_run_without_measured_passes(
    icount: ModuleType, monkeypatch: pytest.MonkeyPatch, can_switch: bool
) -> None:
    # Counting is switched on after the warm-up where callgrind_control reaches the child;
    # where it does not, both runs count everything. Either way the base run is subtracted.
    runs: list[tuple[int, bool]] = []

    def callgrind(stage: str, lines: int, passes: int, out: Path, *, switched: bool) -> bool:
        runs.append((passes, switched))
        if switched and not can_switch:
            return False
        total = 1000 + 500 * passes * lines + (0 if switched else 7000)  # 7000: start-up
        out.write_text(f"{total} {lines}")
        return True

    def by_object(profile: Path) -> dict[str, int]:
        total, lines = map(int, profile.read_text().split())
        return {"total": total, "libpython.so": total - lines}

    monkeypatch.setattr(icount, "_callgrind", callgrind)
    monkeypatch.setattr(icount, "_by_object", by_object)
    monkeypatch.setattr(icount.shutil, "which", lambda name: f"/usr/bin/{name}")
    per_line, per_object = icount.count("write", 4, 3)
    assert per_line == 500
    assert per_object == {"libpython.so": 500}
    assert runs == ([(0, True), (3, True)] if can_switch else [(0, True), (0, False), (3, False)])
