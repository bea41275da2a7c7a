"""Golden outputs of ``assess(...).to_json()`` over a few hundred varied certificates.

The certificates are made by a small deterministic generator (``random.Random(1234)``) that
mutates the example across the fields the rules read: extent, periods, ICF items and grades,
basis types, prognosis, diagnoses, activity types, hours and dates. Each is assessed on dates at
and around every rule set boundary; where no rule set applies, the ``RuleSetError`` codes are
recorded instead.

The golden file ``tests/bedomning/golden.json.gz`` holds the certificates as well as the
outputs, so that it does not depend on the generator or on the example staying the same. It is
written by running this test with ``INTYG_WRITE_GOLDEN=1`` (refused where ``CI`` is set, as a run
that writes the file cannot fail); it was written before the evaluator was optimised and any
difference means that an output changed. ``motorversion`` (the package version) is compared
separately, so that a version bump does not invalidate the file.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._assessment._evaluate import assess_shared
from intyg._assessment._output import json_line
from strategies import AKTIVITETER, ANPASSNING, REKOMMENDATION, UNDERLAG

GOLDEN = Path(__file__).parent / "bedomning" / "golden.json.gz"
WRITE = os.environ.get("INTYG_WRITE_GOLDEN") == "1"
COUNT = 320
DATES = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2025-06-30",
        "2025-07-01",
        "2026-06-30",
        "2026-07-01",
        "2026-09-30",
        "2026-10-01",
        "2026-12-31",
        "2027-01-01",
        "2027-06-01",
    )
)
VERSION_PLACEHOLDER = "<motorversion>"

DIAGNOSER = ("F32.1", "F41.1", "F20.0", "F43.2A", "F90.0", "M54.5", "G43.0", "I63.9", "J45.9")
# Codes in the demand table's areas (chapters, the d240 row) and outside it (d5, b4, b5).
ICF_D = ("d110", "d166", "d210", "d230", "d240", "d2401", "d310", "d350", "d450", "d540")
ICF_D += ("d720", "d845", "d850")
ICF_B = ("b130", "b134", "b140", "b152", "b210", "b280", "b455", "b530", "b710", "b730")
ICF_D_TEXT = "Har svårt att hålla en daglig rutin."


def _d(day: dt.date) -> str:
    return day.isoformat()


def _pick(rng: random.Random, pool: tuple[str, ...], lo: int, hi: int) -> list[str]:
    return rng.sample(pool, rng.randint(lo, min(hi, len(pool))))


def _icf(rng: random.Random, pool: tuple[str, ...]) -> list[dict[str, Any]] | None:
    if rng.random() < 0.2:
        return None
    grades = rng.choice(((0, 1), (0, 1, 2), (2, 3), (3, 4), (0, 1, 2, 3, 4), (4,)))
    return [{"kod": k, "grad": rng.choice(grades)} for k in _pick(rng, pool, 1, 5)]


def _periods(rng: random.Random) -> list[dict[str, Any]]:
    start = dt.date(2025, 5, 1) + dt.timedelta(days=rng.randint(0, 800))
    out = []
    for _ in range(rng.randint(1, 4)):
        start += dt.timedelta(days=rng.choice((0, 1, 1, 1, 10, 40)))
        end = start + dt.timedelta(days=rng.choice((0, 6, 29, 44, 89, 120, 200)))
        out.append(
            {"fran": _d(start), "till": _d(end), "omfattning": rng.choice((25, 50, 75, 100))}
        )
        start = end + dt.timedelta(days=1)
    return out


def _certificate(rng: random.Random, base: dict[str, Any], n: int) -> dict[str, Any]:
    d = copy.deepcopy(base)
    d["intygsid"] = f"00000000-0000-4000-8000-{n:012d}"
    # basis
    types = _pick(rng, UNDERLAG, 1, 3) if rng.random() < 0.7 else ["TELEFONKONTAKT"]
    d["grund"]["underlag"] = [
        {
            "typ": t,
            "datum": "2026-11-18",
            **({"beskrivning": "Arbetsterapeut."} if t == "ANNAT" else {}),
        }
        for t in types
    ]
    # occupation and hours
    r = rng.random()
    if r < 0.1:
        d["sysselsattning"] = {"typ": ["OKAND"]}
    elif r < 0.2:
        d["sysselsattning"] = {"typ": ["INGEN"]}
    else:
        occ: dict[str, Any] = {"typ": _pick(rng, AKTIVITETER, 1, 3)}
        if rng.random() < 0.6:
            occ["timmar_per_vecka"] = rng.choice((1, 10, 20, 30, 37, 40))
        d["sysselsattning"] = occ
    # diagnoses
    d["diagnoser"] = [{"kod": k, "text": "Diagnos"} for k in _pick(rng, DIAGNOSER, 1, 3)]
    # ICF items
    fn_icf = _icf(rng, ICF_B)
    ab_icf = _icf(rng, ICF_D)
    for part, items in (("funktionsnedsattning", fn_icf), ("aktivitetsbegransning", ab_icf)):
        d[part].pop("icf", None)
        if items is not None:
            d[part]["icf"] = items
    if ab_icf is None and rng.random() < 0.3:
        d["aktivitetsbegransning"]["beskrivning"] = ICF_D_TEXT
    # treatment
    if rng.random() < 0.6:
        d["behandling"]["slutdatum"] = _d(dt.date(2025, 6, 1) + dt.timedelta(rng.randint(0, 800)))
    else:
        d["behandling"].pop("slutdatum", None)
    if rng.random() < 0.5:
        d["behandling"]["kan_forvarras"] = False
        d["behandling"].pop("forvarrande_aktiviteter", None)
    # the doctor's assessment
    bed = d["bedomning"]
    if rng.random() < 0.2:
        bed["forhindrad"] = False
        bed.pop("perioder", None)
    else:
        bed["forhindrad"] = True
        bed["perioder"] = _periods(rng)
    if rng.random() < 0.3:
        bed.pop("anpassningar", None)
        bed.pop("anpassningar_beskrivning", None)
    else:
        bed["anpassningar"] = _pick(rng, ANPASSNING, 1, 4)
        if "ANNAN" not in bed["anpassningar"] and rng.random() < 0.5:
            bed.pop("anpassningar_beskrivning", None)
        else:
            bed["anpassningar_beskrivning"] = "Kortare pass."
    # prognosis
    typ = rng.choice(
        ("ATERGAR_UTAN_ANPASSNING", "ATERGAR_MED_ANPASSNING", "ATERGAR_EJ", "KAN_EJ_BEDOMAS")
    )
    prog: dict[str, Any] = {"typ": typ}
    if typ == "ATERGAR_MED_ANPASSNING":
        prog["anpassning"] = "Stegvis ökad tid."
    if typ == "KAN_EJ_BEDOMAS":
        prog["motivering"] = "Utredning pågår."
    if typ.startswith("ATERGAR_") and typ != "ATERGAR_EJ" and rng.random() < 0.5:
        prog["manader"] = rng.randint(1, 12)
    d["prognos"] = prog
    # collaboration
    sam: dict[str, Any] = {"kontakt_onskas": rng.random() < 0.4}
    if sam["kontakt_onskas"]:
        sam["kontakt_anledning"] = "Vill stämma av."
    if rng.random() < 0.6:
        sam["rekommendationer"] = _pick(rng, REKOMMENDATION, 1, 3)
    d["samverkan"] = sam
    return d


def generate_certificates(count: int = COUNT) -> list[dict[str, Any]]:
    """``count`` valid certificates, deterministically (invalid draws are skipped)."""
    rng = random.Random(1234)
    base = intyg.example()
    out: list[dict[str, Any]] = []
    n = 0
    while len(out) < count:
        n += 1
        d = _certificate(rng, base, n)
        if intyg.validate(d).valid:
            out.append(d)
        assert n < count * 20, "the generator makes too many invalid certificates"
    return out


def outcome(cert: intyg.Intyg, on: dt.date) -> dict[str, Any]:
    """The assessment as JSON data (version normalised), or the error codes."""
    try:
        a = intyg.assess(cert, on)
    except intyg.RuleSetError as exc:
        return {"error": [p.code for p in exc.problems]}
    out = a.to_json()
    assert out["motorversion"] == intyg.__version__
    # to_json is model_dump(mode="json"), key order included, also for a validated copy.
    text = json.dumps(out, ensure_ascii=False)
    assert json.dumps(a.model_dump(mode="json"), ensure_ascii=False) == text
    assert json.dumps(intyg.Assessment.model_validate(out).to_json(), ensure_ascii=False) == text
    # The batch writes the model straight to JSON text (json_line): the same data, same order.
    line = json_line({"assessment": a})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.dumps(json.loads(line)["assessment"], ensure_ascii=False) == text
    # The batch assesses without copying what results may share: the same line, byte for byte.
    assert json_line({"assessment": assess_shared(cert, on)}) == line
    out["motorversion"] = VERSION_PLACEHOLDER
    return out


def _build_golden() -> dict[str, Any]:
    certs = generate_certificates()
    results = []
    for d in certs:
        cert = intyg.load(d)
        results.append({on.isoformat(): outcome(cert, on) for on in DATES})
    return {"certificates": certs, "results": results}


def _read_golden() -> dict[str, Any]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def test_assessment_golden_outputs_unchanged() -> None:
    if WRITE:
        # Written and then read back, the file agrees with itself: a run that writes it proves
        # nothing, so CI (where CI is set) must never be one.
        if "CI" in os.environ:
            pytest.fail(
                "INTYG_WRITE_GOLDEN=1 rewrites the golden file instead of checking it; it is "
                "refused where CI is set. Write the file locally (without CI) and commit it."
            )
        data = _build_golden()
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        with (
            open(GOLDEN, "wb") as fh,
            gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz,
        ):
            gz.write(raw.encode("utf-8"))
    data = _read_golden()
    certs, results = data["certificates"], data["results"]
    assert len(certs) == len(results) >= 300
    mismatches: list[str] = []
    for i, (d, expected) in enumerate(zip(certs, results, strict=True)):
        cert = intyg.load(d)
        for on in DATES:
            got = outcome(cert, on)
            if got != expected[on.isoformat()]:
                mismatches.append(f"certificate {i} ({d['intygsid']}) on {on}")
    assert not mismatches, f"{len(mismatches)} outputs differ, first: {mismatches[:5]}"


def test_assessment_golden_covers_the_rules() -> None:
    """The golden set exercises every rule outcome that the rule sets can produce."""
    data = _read_golden()
    seen: set[tuple[str, str]] = set()
    errors = 0
    for per_date in data["results"]:
        for out in per_date.values():
            if "error" in out:
                errors += 1
                continue
            seen.update((r["regel"], r["utfall"]) for r in out["regelutfall"])
    assert errors == len(data["results"])  # 2025-06-30: no rule set
    rules = {r.regel.id for rs in intyg.rulesets() for r in rs.compiled}
    assert {rid for rid, u in seen if u == "sant"} == rules
    assert {rid for rid, u in seen if u == "falskt"} == rules


def test_assessment_golden_unknown_findings_say_what_is_missing() -> None:
    """A rule that cannot be evaluated reports its own message (and komplettering only with a
    question for the doctor), never the generic fallback."""
    from intyg._assessment._plan import GENERIC_UNKNOWN

    generic: set[str] = set()
    unasked: set[str] = set()
    for per_date in _read_golden()["results"]:
        for out in per_date.values():
            for f in out.get("fynd", ()):
                if f["utfall"] != "okant":
                    continue
                if f["meddelande"] == GENERIC_UNKNOWN:
                    generic.add(f["regel"])
                if f["allvarlighet"] == "komplettering" and not f["fraga"]:
                    unasked.add(f["regel"])
    assert generic == set()
    assert unasked == set()


@pytest.mark.parametrize("count", [5])
def test_assessment_golden_generator_is_deterministic(count: int) -> None:
    assert generate_certificates(count) == generate_certificates(count)


def test_assessment_results_share_no_dictionary() -> None:
    """Each result of intyg.assess has its own dictionaries: changing one changes no other
    result (the evaluation shares them; assess copies before handing the result out)."""
    certs = generate_certificates(40)
    on = DATES[-1]
    first = [intyg.assess(intyg.load(d), on) for d in certs]
    second = [intyg.assess(intyg.load(d), on) for d in certs]
    before = [a.to_json() for a in second]
    seen: set[int] = set()
    for a in first:
        parts: list[Any] = [*a.kallor, *a.regelutfall]
        for x in a.aktiviteter:
            parts += [x.niva_intervall, *x.perioder, *x.anpassningar, *x.begransningar, *x.skal]
        for f in a.fynd:
            parts += [f.falt, f.varden, *f.varden, f.kallor, f.aktiviteter]
        for s in a.nasta_steg:
            parts += [s.medverkande, s.kallor]
        for part in parts:
            assert id(part) not in seen, f"shared within or between results: {part}"
            seen.add(id(part))
            part.clear()
    assert [a.to_json() for a in second] == before


def test_to_json_gives_fresh_data_each_call() -> None:
    """Changing what to_json() returned changes neither the assessment nor the next call's
    result: every dictionary and list in it is its own (evidence values, level ranges,
    adaptations and rule outcomes among them)."""
    for d in generate_certificates(20):
        a = intyg.assess(intyg.load(d), DATES[-1])
        before, expected = a.model_dump(mode="json"), a.to_json()
        spoilt = a.to_json()
        stack: list[Any] = [spoilt]
        while stack:
            part = stack.pop()
            children = list(part.values()) if isinstance(part, dict) else list(part)
            stack += [c for c in children if isinstance(c, dict | list)]
            if isinstance(part, dict):
                for key in list(part):
                    part[key] = "X" if not isinstance(part[key], dict | list) else part[key]
            else:
                part.append("X")
        assert a.model_dump(mode="json") == before
        assert a.to_json() == expected


def test_aktivitet_finds_each_activity_type_by_its_code() -> None:
    a = intyg.assess(intyg.load(intyg.example()), DATES[-1])
    for x in a.aktiviteter:
        assert a.aktivitet(x.typ) is x
    with pytest.raises(KeyError):
        a.aktivitet(a.aktiviteter[0].typ.lower())
