"""The bad-input corpus: every entry gives its coded problem naming the field, and nothing else
goes wrong: no exception other than the documented ones, no personnummer or free text echoed,
bounded memory."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intyg._cli import main
from korpus import CORPUS, Bad, validate_traced

MEMORY_LIMIT = 400 * 1024 * 1024  # bytes traced while validating one input (10 MB inputs included)
HANG_GUARD_SECONDS = 60  # a guard against a hang, not a performance target
PERSONID_LIKE = re.compile(rb"(?<![0-9])(?:[0-9]{6}|[0-9]{8})[-+]?[0-9]{4}(?![0-9])")
"""Ten or twelve digits, with or without the separator: every personnummer or
samordningsnummer an input carries, valid or not."""


def _personids_in(raw: bytes) -> set[str]:
    """Every personnummer-like number in ``raw``, also without its separator."""
    found = {m.group().decode("ascii") for m in PERSONID_LIKE.finditer(raw)}
    return found | {f.replace("-", "").replace("+", "") for f in found}


@pytest.fixture(autouse=True)
def _hang_guard() -> Iterator[None]:
    def fail(signum: int, frame: object) -> None:
        raise AssertionError("input took longer than the hang guard")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(HANG_GUARD_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 150
    assert len({b.id for b in CORPUS}) == len(CORPUS)
    assert sum(b.id.startswith("qr_") for b in CORPUS) >= 30


@pytest.mark.parametrize("bad", CORPUS, ids=[b.id for b in CORPUS])
def test_corpus_entry_gives_coded_problem_naming_the_field(bad: Bad) -> None:
    raw = bad.build()
    report, peak = validate_traced(raw)
    assert not report.valid
    found = {(p.code, p.path) for p in report.problems}
    if bad.path is None:
        assert bad.code in {c for c, _ in found}, found
    else:
        assert (bad.code, bad.path) in found, found
    assert peak < MEMORY_LIMIT
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert "Tolvan" not in text
    assert [p for p in _personids_in(raw) if p in text] == []
    assert len(text) < 100_000


@pytest.mark.parametrize("bad", CORPUS[::7], ids=[b.id for b in CORPUS[::7]])
def test_corpus_entry_through_cli_exit_1_without_traceback(
    bad: Bad, tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.json"  # type: ignore[operator]
    path.write_bytes(bad.build())
    assert main(["validate", "--json", str(path)]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["valid"] is False
    assert "Traceback" not in out.err
    assert main(["convert", str(path), "--to", "fhir"]) == 1


REAL_MEMORY_LIMIT_MB = 100
"""Resident memory (MB) that validating one large corpus input may add: tracemalloc above sees
only Python's allocations, not what the compiled readers and validators take."""
_LARGE = [b for b in CORPUS if len(b.build()) > 100_000]
_HIGH_WATER = """
import sys, intyg
def high_water_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
raw = open(sys.argv[1], "rb").read()
intyg.validate(intyg.example_json())  # everything loaded and built once
before = high_water_mb()
assert not intyg.validate(raw).valid
print(high_water_mb() - before)
"""


def test_large_corpus_entries_are_there() -> None:
    assert len(_LARGE) >= 8  # the huge texts, deep nesting, many keys and linkIds


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("bad", _LARGE, ids=[b.id for b in _LARGE])
def test_large_corpus_entry_bounded_in_resident_memory(bad: Bad, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(bad.build())
    out = subprocess.run(
        [sys.executable, "-c", _HIGH_WATER, str(path)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) < REAL_MEMORY_LIMIT_MB
