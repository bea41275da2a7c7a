"""Core benchmarks: validation, FHIR reading, assessment, batch throughput and memory, start-up.

``python benchmarks/bench_core.py`` prints a table; ``--quick`` uses small batches. Each figure
is measured here on the machine it runs on; the tests assert no timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _inputs import varied_certificates

import intyg

ON = dt.date(2026, 11, 24)
Row = tuple[str, float, str, str]  # what, value, unit, target


def per_second(fn: Callable[[], object], seconds: float = 2.0) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (best of three rounds)."""
    fn()
    best = 0.0
    for _ in range(3):
        n = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            fn()
            n += 1
        best = max(best, n / elapsed)
    return best


def jsonl(certificates: list[dict[str, Any]], lines: int) -> bytes:
    """``lines`` lines of JSON Lines, going round ``certificates``."""
    texts = [json.dumps(c, ensure_ascii=False).encode() + b"\n" for c in certificates]
    return b"".join(texts[i % len(texts)] for i in range(lines))


def batch_throughput(data: bytes, workers: int) -> float:
    """Certificates per second for validate + assess through the batch path (``assess --batch``
    as the library runs it: read, validate, assess, write the output file)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_bytes(data)
        code = textwrap.dedent(
            f"""
            import datetime as dt, sys, time
            from pathlib import Path
            from intyg._batch import run_batch
            with open({str(src)!r}, "rb") as fh:
                s = run_batch(fh, Path({tmp!r}) / "out.jsonl", on=dt.date(2026, 11, 24),
                              workers={workers})
            assert s.valid == s.lines, s  # a figure for error lines would measure something else
            print(s.lines / s.seconds)
            """
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr)
        return float(out.stdout.strip())


def batch_peak_rss_mb(lines: int, workers: int) -> float:
    """Peak resident memory (MB, process and workers) for a batch of ``lines`` certificates.

    The input is generated on the fly and the output goes to a temporary folder, so the figure
    is what intyg itself holds, not the size of the files.
    """
    code = textwrap.dedent(
        f"""
        import datetime as dt, json, resource, tempfile
        from pathlib import Path
        import intyg
        from intyg._batch import run_batch
        line = json.dumps(intyg.example(), ensure_ascii=False).encode() + b"\\n"
        class Source:
            def __iter__(self):
                for _ in range({lines}):
                    yield line
        with tempfile.TemporaryDirectory() as tmp:
            run_batch(Source(), Path(tmp) / "out.jsonl", on=dt.date(2026, 11, 24),
                      workers={workers})
        # Linux keeps the parent's high-water mark in ru_maxrss across fork and exec, so a
        # process started by a big parent would report the parent's size; VmHWM is this
        # process's own peak.
        try:
            with open("/proc/self/status") as fh:
                own = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:"))
        except OSError:
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(own + kids)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return int(out.stdout.strip()) / 1024


def cold_start_ms(cmd: list[str], runs: int = 10, env: dict[str, str] | None = None) -> float:
    """Median wall time of a fresh process, in ms (after one run that is not counted)."""
    subprocess.run(cmd, capture_output=True, check=False, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def installed_like_env(pycache: str) -> dict[str, str]:
    """The environment for start-up runs: bytecode is written to, and read from, ``pycache``.

    An installed package has compiled bytecode (pip writes it), and so do pydantic and the
    other dependencies here; an editable checkout run with ``PYTHONDONTWRITEBYTECODE`` would
    compile intyg's sources at every start and compare unlike with like. Both commands share
    the cache, and the uncounted first run fills it.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small batches (a quick look)")
    args = parser.parse_args()
    throughput_lines = 2_000 if args.quick else 20_000
    memory_lines = 20_000 if args.quick else 1_000_000

    text = intyg.example_json()
    model = intyg.load(text)
    qr_text = json.dumps(intyg.to_fhir(model))
    from intyg._assessment import assess

    rows: list[Row] = []
    rows.append(("validate JSON (one core)", per_second(lambda: intyg.validate(text)), "/s", ""))
    rows.append(
        ("QuestionnaireResponse -> certificate", per_second(lambda: intyg.load(qr_text)), "/s", "")
    )
    rows.append(("assess (one core)", per_second(lambda: assess(model, ON)), "/s", ""))
    cores = os.cpu_count() or 1
    inputs = [("example", jsonl([intyg.example()], throughput_lines))]
    varied = varied_certificates(320)
    if varied:
        inputs.append((f"{len(varied)} varied", jsonl(varied, throughput_lines)))
    for what, workers, target in (("1 core", 1, ">= 10000"), (f"{cores} cores", 0, "")):
        for name, data in inputs:
            speed = batch_throughput(data, workers)
            rows.append((f"validate + assess, JSONL ({name}), {what}", speed, "/s", target))
    rows.append(
        (
            "peak RSS, batch of " + f"{memory_lines:,}".replace(",", " ") + " (1 core)",
            batch_peak_rss_mb(memory_lines, 1),
            "MB",
            "< 300",
        )
    )
    try:
        from intyg._render import render

        rows.append(("render HTML", per_second(lambda: render(model)), "/s", ""))
        start = time.perf_counter()
        render(model, format="pdf")
        n = 5
        start = time.perf_counter()
        for _ in range(n):
            render(model, format="pdf")
        rows.append(("render PDF/A", (time.perf_counter() - start) / n, "s", "<= 0.5"))
    except Exception as exc:  # the PDF engine may be missing here
        rows.append((f"render ({type(exc).__name__})", float("nan"), "", ""))

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        fh.write(text)
    with tempfile.TemporaryDirectory() as pycache:
        env = installed_like_env(pycache)
        validate_ms = cold_start_ms([sys.executable, "-m", "intyg", "validate", fh.name], env=env)
        pydantic_ms = cold_start_ms([sys.executable, "-c", "import pydantic"], env=env)
    os.unlink(fh.name)
    rows.append(("cold start: python -m intyg validate", validate_ms, "ms", ""))
    rows.append(("cold start: python -c 'import pydantic'", pydantic_ms, "ms", ""))
    rows.append(("cold start ratio validate / pydantic", validate_ms / pydantic_ms, "x", "<= 2"))

    print(
        f"machine: {os.uname().machine}, {cores} cores, Python {sys.version.split()[0]}, "
        f"{dt.date.today().isoformat()}"
    )
    print(f"| {'what':<52} | {'value':>12} | {'unit':<4} | {'target':<9} |")
    print(f"| {'-' * 52} | {'-' * 12} | {'-' * 4} | {'-' * 9} |")
    for what, value, unit, target in rows:
        shown = f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.2f}"
        print(f"| {what:<52} | {shown:>12} | {unit:<4} | {target:<9} |")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark process itself peaked at {own:.0f} MB)")


if __name__ == "__main__":
    main()
