"""All benchmarks in one command: ``python benchmarks/run.py [--quick]``.

Runs the core benchmark (validation, FHIR, assessment, batch throughput and memory, rendering,
start-up) and the rendering benchmark (example and 100 certificates to PDF), each printing its
table. The figures, the machine and the date are recorded in ``docs/prestanda.md``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    quick = ["--quick"] if "--quick" in sys.argv[1:] else []
    render_args = ["--n", "10", "--repeat", "2"] if quick else []
    status = 0
    for script, args in (("bench_core.py", quick), ("bench_render.py", render_args)):
        print(f"\n## {script}\n", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / script), *args]).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
