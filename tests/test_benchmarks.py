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


@pytest.fixture(scope="module")
def bench_core() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("bench_core")
    finally:
        sys.path.remove(str(BENCHMARKS))


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
