"""Instructions per batch line, counted by valgrind: a figure that noise does not move.

``python benchmarks/icount.py`` prints a table: the machine instructions one line of
``assess --batch`` costs (read + validate, assess, write the output line, and the whole line as
the batch runs it), and where the whole line's instructions are spent (the Python interpreter,
pydantic-core, orjson, jiter, the C library).

Timings on a shared machine drift by a third between runs (docs/prestanda.md); an instruction
count is the same for the same code, inputs and environment whatever else the machine does.
So it is the figure to compare two versions of the code with (A/B): run it on each. It is not
a time: an instruction that misses the cache costs more than one that hits.

How: each stage runs in a child process under ``valgrind --tool=callgrind``, once with no
measured passes and once with ``--passes`` passes over the same lines (after one pass to warm
up); the difference, divided by the lines measured, is the cost of one line. Start-up and setup
are the same in both runs and drop out. ``PYTHONHASHSEED`` is fixed so that both runs hash
alike. Callgrind's instrumentation is off while the child starts and warms up, and the child
switches it on (``callgrind_control``) just before the measured passes: counting the start-up
only to subtract it would take five times as long. Where that cannot reach the child (a
system that forbids ``ptrace``), both runs count everything instead, with the same result.
Needs valgrind (Debian package ``valgrind``); about 10 seconds per stage by default.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The child: builds its inputs, warms up with one pass, then runs ``passes`` passes of a stage.
# Only the passes differ between the two runs of a stage.
_CHILD = """
import datetime as dt, json, sys
sys.path.insert(0, {here!r})
from _inputs import varied_certificates
from intyg._assessment._evaluate import assess_shared
from intyg._assessment._output import json_line
from intyg._batch import _work, assess_line
from intyg._load import validate

ON = dt.date(2026, 11, 24)
certificates = varied_certificates({lines})
if not certificates:
    sys.exit("icount: the golden test's generator was not found beside the benchmarks")
raws = [json.dumps(c, ensure_ascii=False).encode() for c in certificates]
numbered = list(enumerate(raws, start=1))
reports = [validate(r) for r in raws]
results = [assess_line(r, ON, n) for n, r in numbered]
stage = {stage!r}

def one_pass():
    if stage == "validate":
        for r in raws:
            validate(r)
    elif stage == "assess":
        for rep in reports:
            assess_shared(rep.intyg, ON)
    elif stage == "write":
        for x in results:
            json_line(x)
    else:
        _work(numbered, ON)

one_pass()
if {switched}:  # count from here on: the start-up and the warm-up are not counted
    import os, subprocess
    switch = ["callgrind_control", "--instr=on", str(os.getpid())]
    if subprocess.run(switch, capture_output=True).returncode != 0:
        sys.exit({not_switched})
for _ in range({passes}):
    one_pass()
"""

_NOT_SWITCHED = 3
"""The child's exit status when ``callgrind_control`` could not switch counting on."""

STAGES = (
    ("validate", "read + validate (intyg.validate)"),
    ("assess", "assess (assess_shared)"),
    ("write", "write the output line (json_line)"),
    ("line", "whole line, as the batch runs it (_work)"),
)

# Where the whole line's instructions go: shared objects matched by name.
_PARTS = (
    ("Python interpreter (libpython)", re.compile(r"libpython|/bin/python|/Python-3\.[0-9]+")),
    ("pydantic-core", re.compile(r"_pydantic_core")),
    ("orjson", re.compile(r"orjson")),
    ("jiter", re.compile(r"jiter")),
    ("C library (libc)", re.compile(r"libc\.so")),
)
_LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?)(?: \[(.+)\])?$")
_TOTAL = re.compile(r"^\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS")


def _callgrind(stage: str, lines: int, passes: int, out: Path, *, switched: bool) -> bool:
    """Run ``stage`` under callgrind into ``out``; ``switched``: count only from the measured
    passes on. False when counting could not be switched on (nothing was measured)."""
    code = _CHILD.format(
        here=str(HERE),
        lines=lines,
        stage=stage,
        passes=passes,
        switched=switched,
        not_switched=_NOT_SWITCHED,
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    if switched:
        cmd.append("--instr-atstart=no")
    cmd += [sys.executable, "-c", code]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if switched and run.returncode == _NOT_SWITCHED:
        return False
    if run.returncode != 0:
        raise RuntimeError(f"icount: stage {stage} failed:\n{run.stderr[-2000:]}")
    return True


def _by_object(profile: Path) -> dict[str, int]:
    """Instructions per shared object (self cost), with ``"total"`` for the whole program."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=no", "--threshold=100", str(profile)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, int] = {}
    for row in text.splitlines():
        total = _TOTAL.match(row)
        if total:
            found["total"] = int(total.group(1).replace(",", ""))
            continue
        m = _LINE.match(row)
        if m:
            obj = m.group(3) or m.group(2)  # no object named: the source file
            found[obj] = found.get(obj, 0) + int(m.group(1).replace(",", ""))
    return found


def count(stage: str, lines: int, passes: int) -> tuple[float, dict[str, float]]:
    """Instructions per line for ``stage``, and per shared object."""
    with tempfile.TemporaryDirectory() as tmp:
        base, measured = Path(tmp) / "base.out", Path(tmp) / "measured.out"
        switched = shutil.which("callgrind_control") is not None and _callgrind(
            stage, lines, 0, base, switched=True
        )
        if not switched:
            _callgrind(stage, lines, 0, base, switched=False)
        if not _callgrind(stage, lines, passes, measured, switched=switched):
            raise RuntimeError(f"icount: stage {stage}: callgrind_control stopped working")
        a, b = _by_object(base), _by_object(measured)
    n = lines * passes
    per_object = {k: (b.get(k, 0) - a.get(k, 0)) / n for k in set(a) | set(b) if k != "total"}
    return (b["total"] - a["total"]) / n, per_object


def _parts(per_object: dict[str, float]) -> list[tuple[str, float]]:
    rows: list[tuple[str, float]] = []
    left = dict(per_object)
    for name, pattern in _PARTS:
        rows.append((name, sum(left.pop(k) for k in list(left) if pattern.search(k))))
    rows.append(("everything else", sum(left.values())))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines", type=int, default=160, help="varied certificates per pass (default 160)"
    )
    parser.add_argument(
        "--passes", type=int, default=1, help="measured passes over them (default 1)"
    )
    parser.add_argument(
        "--stage",
        choices=[s for s, _ in STAGES],
        action="append",
        help="only this stage (may be repeated; default: all)",
    )
    args = parser.parse_args()
    if args.lines < 1 or args.passes < 1:
        parser.error("--lines and --passes must be 1 or more")
    if shutil.which("valgrind") is None or shutil.which("callgrind_annotate") is None:
        print(
            "icount: valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr
        )
        return 2
    chosen = args.stage or [s for s, _ in STAGES]
    passes = f"{args.passes} measured pass" + ("es" if args.passes > 1 else "")
    print(f"instructions per line: {args.lines} varied certificates, {passes}\n")
    print(f"| {'stage':<44} | {'instructions':>12} |")
    print(f"| {'-' * 44} | {'-' * 12} |")
    split: dict[str, float] | None = None
    for stage, what in STAGES:
        if stage not in chosen:
            continue
        total, per_object = count(stage, args.lines, args.passes)
        print(f"| {what:<44} | {total:>12,.0f} |", flush=True)
        if stage == "line":
            split = per_object
    if split is not None:
        whole = sum(split.values()) or 1.0
        print(f"\n| {'whole line, by where it runs':<44} | {'instructions':>12} | {'share':>5} |")
        print(f"| {'-' * 44} | {'-' * 12} | {'-' * 5} |")
        for name, value in _parts(split):
            print(f"| {name:<44} | {value:>12,.0f} | {value / whole:>5.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
