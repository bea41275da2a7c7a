"""Benchmark of the printable forms: ``python benchmarks/bench_render.py [--n 100]``.

Renders the embedded example to HTML and to PDF, the blank form to PDF, and N certificates to PDF
(each with its own id and name, so nothing is cached between them), and prints a table of the
times. Timings belong here only; the tests assert none.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
import uuid
from collections.abc import Callable

import intyg
from intyg._render import render


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="certificates in the batch (100)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the single renders")
    args = parser.parse_args()

    example = intyg.load(intyg.example_json())
    render(example)  # warm up: templates compiled, fonts found
    render(example, format="pdf")

    rows: list[tuple[str, int, list[float]]] = []
    rows.append(("example -> HTML", 1, _time(lambda: render(example), args.repeat * 20)))
    rows.append(("example -> PDF/A", 1, _time(lambda: render(example, format="pdf"), args.repeat)))
    rows.append(
        ("blank form -> PDF/A", 1, _time(lambda: render(blank=True, format="pdf"), args.repeat))
    )

    batch = []
    for i in range(args.n):
        data = copy.deepcopy(intyg.example())
        data["intygsid"] = str(uuid.UUID(int=i + 1))
        data["patient"]["namn"] = f"Person {i + 1}"
        batch.append(intyg.load(data))

    def run_batch() -> None:
        for cert in batch:
            render(cert, format="pdf")

    rows.append((f"{args.n} certificates -> PDF/A", args.n, _time(run_batch, 1)))

    print(f"{'what':<30} {'runs':>5} {'median ms':>11} {'min ms':>9} {'per doc ms':>11}")
    print("-" * 70)
    for name, docs, times in rows:
        med = statistics.median(times) * 1000
        low = min(times) * 1000
        print(f"{name:<30} {len(times):>5} {med:>11.1f} {low:>9.1f} {med / docs:>11.1f}")


if __name__ == "__main__":
    main()
