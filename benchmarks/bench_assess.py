"""Benchmark of the assessment: ``python benchmarks/bench_assess.py [--repeat 7] [--n 2000]``.

Times, on one core and for the embedded example assessed on 2026-11-24: ``assess`` alone,
``Assessment.to_json`` alone, ``assess`` + ``to_json``, ``load`` (validation) alone, and the whole
path from JSON text (``load`` + ``assess`` + ``to_json``). Also the assess + to_json path over a
set of varied certificates (the golden test's generator). Each row is the median of ``--repeat``
runs of ``--n`` calls; certificates per second follow from the median. Timings belong here only;
the tests assert none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable

from _inputs import varied_certificates

import intyg

ON = dt.date(2026, 11, 24)


def _per_call(fn: Callable[[], object], n: int, repeat: int) -> list[float]:
    """Seconds per call, one value per repeat."""
    out = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - start) / n)
    return out


def _varied(count: int) -> list[intyg.Intyg]:
    return [intyg.load(d) for d in varied_certificates(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="calls per repeat (2000)")
    parser.add_argument("--repeat", type=int, default=7, help="repeats; the median is shown (7)")
    args = parser.parse_args()
    n, repeat = args.n, args.repeat

    text = intyg.example_json()
    cert = intyg.load(text)
    result = intyg.assess(cert, ON)
    for _ in range(200):  # warm up: rule catalogue loaded, caches filled
        intyg.assess(cert, ON).to_json()
        intyg.load(text)

    rows: list[tuple[str, list[float]]] = [
        ("assess (example)", _per_call(lambda: intyg.assess(cert, ON), n, repeat)),
        ("to_json (example)", _per_call(result.to_json, n, repeat)),
        (
            "assess + to_json (example)",
            _per_call(lambda: intyg.assess(cert, ON).to_json(), n, repeat),
        ),
        ("load = validate (JSON text)", _per_call(lambda: intyg.load(text), n, repeat)),
        (
            "load + assess + to_json (JSON text)",
            _per_call(lambda: intyg.assess(intyg.load(text), ON).to_json(), n, repeat),
        ),
    ]
    varied = _varied(300)
    if varied:

        def run_varied() -> None:
            for c in varied:
                intyg.assess(c, ON).to_json()

        per = [t / len(varied) for t in _per_call(run_varied, max(1, n // len(varied)), repeat)]
        rows.append((f"assess + to_json ({len(varied)} varied)", per))

    print(f"intyg {intyg.__version__}, Python {sys.version.split()[0]}, median of {repeat} x {n}")
    print(f"{'what':<40} {'median us':>10} {'min us':>8} {'per s (1 core)':>15}")
    for name, times in rows:
        med = statistics.median(times)
        print(f"{name:<40} {med * 1e6:>10.1f} {min(times) * 1e6:>8.1f} {1 / med:>15,.0f}")


if __name__ == "__main__":
    main()
