"""CLI subcommands ``assess`` and ``rules``; registered by :mod:`intyg._cli`.

They only parse arguments and call the library. Exit codes: 0 ok, 1 invalid input, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from typing import Any

from ._errors import IntygError
from ._problems import Problem, make_problem


def _print_problems(problems: tuple[Problem, ...] | list[Problem], as_json: bool) -> None:
    # JSON is the command's result, on stdout; lines for a person go to stderr, so that
    # `intyg assess FIL > rapport.txt` never puts an error in the report.
    from ._cli import emit_problems

    emit_problems(problems, as_json=as_json, stream=sys.stdout if as_json else sys.stderr)


def _cmd_assess(args: argparse.Namespace) -> int:
    from ._assessment import assess, format_assessment
    from ._cli import icd10_of, input_of, load_telling_warnings, one_input, one_stdin
    from ._cli_usage import UsageError

    one_input(args, "--batch")
    one_stdin(args)
    if args.batch is not None and args.output is None:
        reason = ": --batch skriver sitt resultat till en fil (-o UT.jsonl)"
        raise UsageError("usage_missing_argument", "-o", reason=reason)
    for option, value in (("-o", args.output), ("--workers", args.workers)):
        if args.batch is None and value is not None:
            raise UsageError("usage_not_applicable", option, when="med --batch")
    if args.batch is not None and args.json:
        raise UsageError(
            "usage_not_applicable", "--json", when="utan --batch (utfilen är redan JSON Lines)"
        )
    from ._cli import parse_on, swedish_today

    try:
        # The edge may read the clock; the library never does.
        on = parse_on(args.on) or swedish_today()
    except IntygError as exc:
        _print_problems(exc.problems, args.json)
        return 2
    try:
        icd10 = icd10_of(args)  # before the input: an unusable list is the call's fault
    except IntygError as exc:
        _print_problems(exc.problems, args.json)
        return 1
    if args.batch is not None:
        return _run_batch(args, on, icd10)
    try:
        result = assess(load_telling_warnings(input_of(args), icd10), on)
    except IntygError as exc:
        _print_problems(exc.problems, args.json)
        return 1
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_assessment(result))
    return 0


def _run_batch(args: argparse.Namespace, on: _dt.date, icd10: Any) -> int:
    import os
    import stat

    from ._assessment import load_ruleset
    from ._batch import FAULTS, is_fault_of_intyg, run_batch, self_check, terminal_progress
    from ._numbers import swedish_number

    try:  # a date no rule set covers, or a broken rule file, is the run's fault, not each line's
        load_ruleset(on=on)
        self_check(on, icd10)  # and so is a broken installation (a data file missing, say)
    except IntygError as exc:
        _print_problems(exc.problems, args.json)
        return 1
    except FAULTS as exc:
        if not is_fault_of_intyg(exc):  # out of memory, or a stop: main says those
            raise
        detail = {"detail": type(exc).__name__}
        _print_problems([make_problem("batch_internal_error", "", detail)], args.json)
        return 1
    try:
        if args.batch == "-":
            source = sys.stdin.buffer
            total = None
        else:
            source = open(args.batch, "rb")  # noqa: SIM115 - closed below
            status = os.fstat(source.fileno())
            # A pipe or FIFO named by path has no size to count towards (st_size is 0).
            total = status.st_size if stat.S_ISREG(status.st_mode) else None
    except OSError:
        _print_problems([make_problem("file_unreadable", "--batch")], args.json)
        return 1
    from ._cli_process import is_stdout

    # -o - (or /dev/stdout): the lines go to standard output as they come, not atomically.
    to_stdout = is_stdout(args.output)
    target = sys.stdout.buffer if to_stdout else args.output  # as typed: Path drops a final /
    progress = None if to_stdout and sys.stdout.isatty() else terminal_progress(total)
    workers = _worker_count(args.workers)
    try:
        try:
            summary = run_batch(
                source, target, on=on, workers=workers, progress=progress, icd10=icd10
            )
        finally:
            if progress is not None:  # the final count, and the line ended before any error
                progress.finish()
            if source is not sys.stdin.buffer:
                source.close()
    except IntygError as exc:  # unreadable input, unwritable output: no output file is left
        _print_problems(exc.problems, args.json)
        return 1
    lines = f"{swedish_number(summary.lines)} {'rad' if summary.lines == 1 else 'rader'}"
    valid = f"{swedish_number(summary.valid)} {'bedömd' if summary.valid == 1 else 'bedömda'}"
    sys.stderr.write(
        f"{lines}: {valid}, {swedish_number(summary.invalid)} med fel "
        f"({swedish_number(summary.seconds, 1)} s).\n"
    )
    if summary.internal_errors:
        n = summary.internal_errors
        sys.stderr.write(
            f"Obs: {swedish_number(n)} {'rad' if n == 1 else 'rader'} kunde inte bedömas på "
            "grund av ett fel i intyg, inte i indata (batch_internal_error i utfilen). "
            "Rapportera felet; rader utan det felet är bedömda som vanligt.\n"
        )
    started = summary.worker_processes
    if workers > 1 and started < workers:  # a limit of the system: same result, only slower
        what = f"bara {started} kunde startas" if started else "ingen kunde startas"
        sys.stderr.write(
            f"Obs: {workers} arbetsprocesser begärdes men {what} (en gräns för antalet "
            "processer, öppna filer eller minnet?), så det tar längre tid. Resultatet är "
            "detsamma.\n"
        )
    return 0


def _workers(text: str) -> int:
    """``--workers``: ASCII digits only (not ``+2``, ``2_0`` or ``٢``, which int() reads). Any
    count above the cores means every core (:func:`_worker_count`), so a very long one is read
    as just large."""
    from ._cli_usage import Refused, shown

    if not (text.isascii() and text.isdigit()):
        raise Refused("usage_invalid_number", value=shown(text))
    digits = text.lstrip("0") or "0"  # 0001 is one, not a long number
    return int(digits) if len(digits) <= 18 else 10**18


def _worker_count(given: int | None) -> int:
    """Processes for ``--workers``: 1 by default, 0 for every core this process may use, and
    never more than those (each process holds a copy of the rule engine; more only wait for a
    core). The cores are those the process may run on (``taskset``, a container's cpuset)."""
    from ._pool import MOST_WORKERS_WAITED, WAIT_LIMITED, usable_cpus

    if given is None:
        return 1
    cores = usable_cpus()
    if WAIT_LIMITED:  # Windows before Python 3.13: the pool waits on at most this many
        cores = min(cores, MOST_WORKERS_WAITED)
    return cores if given == 0 else min(given, cores)


def _cmd_rules(args: argparse.Namespace) -> int:
    from ._assessment import rulesets
    from ._assessment._text import STATUS_TEXT, date_span

    try:
        sets = rulesets()
    except IntygError as exc:
        _print_problems(exc.problems, args.json)
        return 1
    if args.json:
        data: list[dict[str, Any]] = [
            {
                "id": rs.id,
                "titel": rs.titel,
                "version": rs.version,
                "status": rs.status,
                "giltig_fran": rs.giltig_fran.isoformat(),
                "giltig_till": rs.giltig_till.isoformat() if rs.giltig_till else None,
                "forsta_period": rs.forsta_period.isoformat(),
                "checksumma": rs.checksumma,
                "regler": [
                    {
                        "id": r.id,
                        "typ": r.typ,
                        "titel": r.titel,
                        "kallor": [rs.sources[s].citation for s in r.kallor],
                        "giltig_fran": r.giltig_fran.isoformat() if r.giltig_fran else None,
                        "giltig_till": r.giltig_till.isoformat() if r.giltig_till else None,
                    }
                    for r in rs.regler
                ],
            }
            for rs in sets
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    for rs in sets:
        status = STATUS_TEXT[rs.status]
        sys.stdout.write(
            f"{rs.id} {rs.version} ({status}): {rs.titel}\n"
            f"  gäller {date_span(rs.giltig_fran, rs.giltig_till)}, första bedömda period "
            f"{rs.forsta_period.isoformat()}\n"
        )
        for r in rs.regler:
            window = ""
            if r.giltig_fran and r.giltig_till:
                window = f" [{date_span(r.giltig_fran, r.giltig_till)}]"
            elif r.giltig_fran:
                window = f" [från {r.giltig_fran.isoformat()}]"
            elif r.giltig_till:
                window = f" [till och med {r.giltig_till.isoformat()}]"
            cites = "; ".join(rs.sources[s].citation for s in r.kallor)
            sys.stdout.write(f"  {r.id}: {r.titel}{window}\n    källor: {cites}\n")
        sys.stdout.write("\n")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``assess`` and ``rules`` subcommands to an argparse subparsers object."""
    from ._cli import add_icd10_list, add_input, given

    p = subparsers.add_parser(
        "assess",
        help="bedömningsstöd för ett intyg",
        description=(
            "Ger stöd för handläggarens bedömning av ett giltigt intyg: nivå och timmar per "
            "aktivitetstyp, fynd, nästa steg och uppföljning. Stödet fattar inga beslut. "
            "Slutstatus 0 klart, 1 ogiltigt intyg eller inget regelverk för datumet, "
            "2 felaktigt anrop (för --batch, se där)."
        ),
    )
    add_input(p)
    p.add_argument(
        "--batch",
        metavar="IN.jsonl",
        type=given,
        help="bedöm ett intyg per rad (JSON Lines); varje rad ger exakt en rad i -o, ett ogiltigt "
        "intyg en felrad; slutstatus 0 också när rader är ogiltiga, 1 när körningen inte kan "
        "göras (inget regelverk för datumet, filer som inte kan läsas eller skrivas)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="UT.jsonl",
        type=given,
        help="utfil för --batch, skrivs atomärt (finns bara när hela körningen är klar); - "
        "skriver raderna till stdout allteftersom",
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="processer för --batch (standard 1; 0 = alla kärnor som processen får använda, "
        "till exempel under taskset; aldrig fler än så)",
    )
    p.add_argument(
        "--on",
        metavar="ÅÅÅÅ-MM-DD",
        help="bedömningsdatum; väljer regelverk (standard: dagens datum i Sverige)",
    )
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    add_icd10_list(p)
    p.set_defaults(func=_cmd_assess)

    r = subparsers.add_parser(
        "rules",
        help="lista regelkatalogen",
        description="Listar regelverken och deras regler med källor och giltighet. "
        "Slutstatus 0 klart, 1 om stdout inte kan skrivas, 2 felaktigt anrop.",
    )
    r.add_argument("--json", action="store_true", help="skriv katalogen som JSON")
    r.set_defaults(func=_cmd_rules)
