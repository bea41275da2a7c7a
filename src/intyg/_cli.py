"""Command line: ``python -m intyg`` / ``intyg``. Parses arguments and calls the library.

Exit codes: 0 ok, 1 the input is invalid or was rejected, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as _dt
import json
import os
import re
import signal
import sys
import threading
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import _signals
from ._cli_process import (
    NoInput,
    NoOutput,
    QuietErrors,
    buffer_stdout,
    is_stdout,
    output_is_an_input,
    output_is_stderr,
    say,
    signals_stop,
    silence_stdout,
)
from ._cli_usage import (
    LONGEST_SHOWN,
    CodedArgumentError,
    Refused,
    UsageError,
    escaped,
    from_message,
    mask,
    problem_of,
    shown,
)
from ._cli_usage import line as usage_line
from ._errors import IncompleteInstallation, IntygError
from ._problems import TOO_MANY, Problem, make_problem
from ._signals import Stopped
from ._version import __version__

Handler = Callable[[argparse.Namespace], int]


def read_input(name: str) -> bytes:
    """The bytes of FILE, or of standard input for ``-``; never more than the input limit.

    Raises:
        IntygError: ``file_unreadable`` at ``FIL`` (the message names no path contents);
            ``input_too_large`` once more than ``MAX_INPUT_BYTES`` has been read (an endless
            input such as ``/dev/zero`` is refused, not read into memory).
    """
    from ._errors import ConversionError
    from ._read import read_limited

    try:
        if name == "-":
            return read_limited(sys.stdin.buffer)
        with open(name, "rb") as stream:
            return read_limited(stream)
    except OSError:
        raise ConversionError([make_problem("file_unreadable", "FIL")]) from None


EXAMPLE_HELP = "använd det inbyggda exempelintyget i stället för FIL"
INPUT_HELP = "intyget som JSON eller FHIR QuestionnaireResponse; - läser stdin"


def given(text: str) -> str:
    """An argparse type for a file name or version: an empty one is a usage error
    (``usage_empty_value``, exit 2), not a file that cannot be read or written, nor the default."""
    if not text:
        raise Refused("usage_empty_value")
    return text


def add_input(parser: argparse.ArgumentParser) -> None:
    """FILE (optional) and ``--example``: the one certificate a command reads, given as exactly
    one of them (:func:`one_input`) and read by :func:`input_of`."""
    parser.add_argument("file", metavar="FIL", type=given, nargs="?", help=INPUT_HELP)
    parser.add_argument("--example", action="store_true", help=EXAMPLE_HELP)


def add_output(parser: argparse.ArgumentParser) -> None:
    """``-o UT`` of a command that writes one document (stdout when not given)."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="UT",
        type=given,
        help="skriv till filen UT (atomärt: den ersätts först när allt är skrivet) i stället "
        "för stdout; -, /dev/stdout och andra namn på stdouts fil (/dev/fd/1) betyder stdout",
    )


def add_icd10_list(parser: argparse.ArgumentParser, *, full: bool = False) -> None:
    """``--icd10-list FIL``, for every command that reads a certificate; ``full`` says what
    the list looks like (in ``validate``; the others refer to it)."""
    text = (
        "kontrollera diagnoskoder mot denna kodlista (till exempel ICD-10-SE) i stället för WHO:s "
        "lista: en kod först på raden, med eller utan punkt, och efter tabb, blanksteg, semikolon "
        "eller komma gärna kodens text; rader som inte börjar med en kod hoppas över; - läser "
        "stdin (då inte också indata)"
    )
    short = "kontrollera diagnoskoder mot denna kodlista i stället för WHO:s (se validate)"
    parser.add_argument("--icd10-list", metavar="FIL", type=given, help=text if full else short)


def input_of(args: argparse.Namespace) -> bytes:
    """The input of a command that reads one certificate: the embedded example for
    ``--example``, else FILE (see :func:`read_input`)."""
    if getattr(args, "example", False):
        # Not intyg.example_json: that loads pydantic's models, which `validate` does without.
        from ._registry import current_example_bytes

        return current_example_bytes()
    return read_input(args.file)


def one_input(args: argparse.Namespace, *others: str) -> None:
    """Refuse the call unless exactly one of FILE, ``--example`` and the ``others`` (option
    names whose attribute is set when given) is given.

    Raises:
        UsageError: ``usage_choose_one``.
    """
    chosen = [args.file is not None, args.example]
    chosen += [getattr(args, name.lstrip("-").replace("-", "_")) is not None for name in others]
    if sum(chosen) != 1:
        choices = ["FIL", "--example", *others]
        said = f"{', '.join(choices[:-1])} eller {choices[-1]}"
        raise UsageError("usage_choose_one", choices=said)


def write_output(data: str | bytes, out: str | None) -> None:
    """Write to ``out`` atomically (temp file + rename), or to standard output (see is_stdout).

    A symbolic link is followed; a file that is replaced keeps its permission bits.

    Raises:
        OutputError: ``output_unwritable`` (no such folder, no permission, disk full, not a
            regular file); nothing is written then.
        OSError: writing to standard output failed (:func:`main` reports it).
    """
    if is_stdout(out):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    from ._atomic import output_problem, write_atomic
    from ._errors import OutputError

    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        # as typed: Path drops a final /
        write_atomic(typing.cast(str, out), raw, on_commit=_signals.committed)
    except OSError as exc:
        raise OutputError([output_problem(exc, "-o")]) from None


def _last_sunday(year: int, month: int) -> _dt.date:
    last = _dt.date(year, month, 31)  # March and October have 31 days
    return last - _dt.timedelta(days=(last.weekday() + 1) % 7)


def swedish_today(now: _dt.datetime | None = None) -> _dt.date:
    """Today's date in Sweden, the default of ``--on``: where the decision is made, whatever
    time zone the computer runs in (a server in UTC would otherwise assess yesterday's date
    from midnight until 01:00 or 02:00 Swedish time).

    Swedish time is UTC+1, and UTC+2 (summer time) from 01:00 UTC on the last Sunday of March
    until 01:00 UTC on the last Sunday of October, as the EU's rule has it since 1996. Worked
    out here, so that no time zone database is needed.
    """
    utc = (now or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
    one = _dt.time(1, tzinfo=_dt.UTC)
    begins = _dt.datetime.combine(_last_sunday(utc.year, 3), one)
    ends = _dt.datetime.combine(_last_sunday(utc.year, 10), one)
    hours = 2 if begins <= utc < ends else 1
    return (utc + _dt.timedelta(hours=hours)).date()


def parse_on(text: str | None) -> _dt.date | None:
    """The ``--on`` date of ``assess`` and ``render`` (None when not given).

    Only ``ÅÅÅÅ-MM-DD`` is a date here (not Python's other ISO spellings, such as ``20261124``),
    and only in the years a certificate's dates may have (1900-2199).

    Raises:
        ConversionError: ``invalid_assessment_date`` at ``--on``.
    """
    if text is None:
        return None
    from ._errors import ConversionError
    from ._fieldchecks import EARLIEST_DATE, LATEST_DATE, iso_date

    on = iso_date(text)
    if on is None or not EARLIEST_DATE <= on <= LATEST_DATE:
        raise ConversionError([make_problem("invalid_assessment_date", "--on")])
    return on


_DATE_CODES = frozenset({"ruleset_not_found", "ruleset_not_valid_on_date"})


def _as_said(problems: Sequence[Problem]) -> list[Problem]:
    """Problems as the command line says them: one about the assessment date (no rule set
    for it) is at ``--on``, the option that sets that date; the library has it at ``""``, as
    no field of the certificate is wrong."""
    return [
        dataclasses.replace(p, path="--on") if p.code in _DATE_CODES and not p.path else p
        for p in problems
    ]


def print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    """Problems as readable Swedish lines: severity, field (with the question as the printed
    certificate numbers and names it), message, code."""
    problems = _as_said(problems)
    labels = _question_labels(problems)
    for p in problems:
        label = "FEL" if p.severity == "error" else "VARNING"
        if p.path:
            where = p.path + (f" ({labels[p.path]})" if p.path in labels else "")
            stream.write(f"{label}: {where}: {p.message} [{p.code}]\n")
        elif _of_the_document(p.code):
            stream.write(f"{label}: (hela dokumentet): {p.message} [{p.code}]\n")
        else:  # of the run (stdout, memory, PDF support), not of what was read
            stream.write(f"{label}: {p.message} [{p.code}]\n")


def _of_the_document(code: str) -> bool:
    from ._problems import CATALOGUE

    info = CATALOGUE.get(code)
    return info is None or info.kind in ("validation", "conversion") or code == TOO_MANY


_FIELD_PATH = re.compile(r"[a-z][a-z_]*(\[\d+\])?(\.[a-z][a-z_]*(\[\d+\])?)*")


def _question_labels(problems: Sequence[Problem]) -> dict[str, str]:
    """The question each field path names. Only looked up when some path is a field's: the
    form's model is then loaded (about 0.3 s once), which a valid certificate never needs."""
    paths = {p.path for p in problems if _FIELD_PATH.fullmatch(p.path)}
    if not paths:
        return {}
    try:
        from ._render._report import question_label
    except ImportError:  # an installation without the printed forms: paths alone
        return {}
    found = {path: question_label(path) for path in paths}
    return {path: label for path, label in found.items() if label is not None}


def _problems_json(valid: bool, problems: Sequence[Problem]) -> str:
    body = {"valid": valid, "problems": [p.to_dict() for p in _as_said(problems)]}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def emit_problems(problems: Sequence[Problem], *, as_json: bool, stream: TextIO) -> None:
    """Problems of a rejected input: as ``{"valid": false, "problems": [...]}`` or as lines."""
    if as_json:
        stream.write(_problems_json(False, problems))
    else:
        print_problems(problems, stream)


# ---------------------------------------------------------------- subcommands


def _cmd_example(args: argparse.Namespace) -> int:
    from . import example_json, load, to_fhir

    if args.format == "fhir":
        text = json.dumps(to_fhir(load(example_json())), ensure_ascii=False, indent=2) + "\n"
    else:
        text = example_json()
    write_output(text, args.output)
    return 0


def one_stdin(args: argparse.Namespace) -> None:
    """Refuse the call (``usage_stdin_twice``) when both the input (FIL or ``--batch``) and
    --icd10-list would read standard input: as ``-``, or as a name for it (``/dev/stdin``,
    ``/dev/fd/0``). Whether a second reading sees anything depends on what standard input is
    (a pipe is used up) and on the system (Linux opens a file anew, macOS shares its
    position), so it is never tried."""
    listing = getattr(args, "icd10_list", None)
    batch = getattr(args, "batch", None)
    source, name = (batch, "--batch") if batch is not None else (args.file, "FIL")
    if listing is not None and _reads_stdin(source) and _reads_stdin(listing):
        raise UsageError("usage_stdin_twice", "--icd10-list", input=name)


def _reads_stdin(name: str | None) -> bool:
    """Whether reading the file ``name`` reads the stream on standard input."""
    if name == "-":
        return True
    if not name:
        return False
    try:
        return os.path.samestat(os.stat(name), os.fstat(0))
    except OSError:  # no standard input, no such file: the reading says which
        return False


def _cmd_validate(args: argparse.Namespace) -> int:
    from ._quick import validate_quickly

    one_input(args)
    one_stdin(args)
    raw, icd10 = input_of(args), icd10_of(args)
    # The prebuilt validator spares the start-up of pydantic's models; it declines (None) what
    # only the model can check, such as a QuestionnaireResponse or another form version.
    outcome = validate_quickly(raw, icd10)
    if outcome is None:
        from ._load import validate

        report = validate(raw, icd10=icd10)
        outcome = report.valid, report.problems
    valid, problems = outcome
    if args.json:
        sys.stdout.write(_problems_json(valid, problems))
    else:
        print_problems(problems, sys.stdout)
        if valid:
            warnings = sum(p.severity == "warning" for p in problems)
            if warnings:
                noun = "varning" if warnings == 1 else "varningar"
                sys.stdout.write(f"Intyget är giltigt men har {warnings} {noun}.\n")
            else:
                sys.stdout.write("Intyget är giltigt.\n")
        else:
            errors = sum(p.severity == "error" and p.code != TOO_MANY for p in problems)
            if any(p.code == TOO_MANY for p in problems):  # the rest are counted, not listed
                sys.stdout.write(f"Intyget är inte giltigt: fler än {errors} fel.\n")
            else:
                sys.stdout.write(f"Intyget är inte giltigt: {errors} fel.\n")
    return 0 if valid else 1


_LEADING = re.compile(r"[\s;,]")
"""What ends the code at the start of a line of ``--icd10-list`` (the code's text may follow)."""
_LINE = re.compile("[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
"""A line that is not empty, as :meth:`str.splitlines` ends lines."""


def icd10_of(args: argparse.Namespace) -> Any:
    """The code list of ``--icd10-list`` (None when not given).

    Raises:
        ConversionError: at ``--icd10-list``: ``file_unreadable``, ``encoding``, or
            ``icd10_list_empty`` when no line starts with an ICD-10 code (an empty or wrong file
            would otherwise make every diagnosis unknown).
    """
    name = getattr(args, "icd10_list", None)
    if name is None:
        return None
    from dataclasses import replace

    from ._errors import ConversionError
    from ._icd10 import CodeListCatalogue

    where = "--icd10-list"  # an empty name is refused by the parser (given)
    try:
        text = read_input(name).decode("utf-8-sig")
    except IntygError as exc:  # file_unreadable or input_too_large: said of the option
        raise ConversionError([replace(p, path=where) for p in exc.problems]) from None
    except UnicodeDecodeError:
        raise ConversionError([make_problem("encoding", where)]) from None
    try:
        lines = (found.group() for found in _LINE.finditer(text))  # not a list of them all
        return CodeListCatalogue(_LEADING.split(line.strip(), 1)[0] for line in lines)
    except ValueError:  # no line starts with a code
        raise ConversionError([make_problem("icd10_list_empty", where)]) from None


def load_telling_warnings(raw: bytes, icd10: Any = None) -> Any:
    """The certificate in ``raw`` (as :func:`intyg.load`), its warnings said on stderr: a
    command that makes something of a valid certificate does not hide what ``validate`` would
    have warned of (a code to check, a period starting long before the signing date)."""
    from ._load import load_with_warnings, read_checked

    intyg, warnings = load_with_warnings(read_checked(raw), icd10)
    print_problems(warnings, sys.stderr)
    return intyg


def _cmd_convert(args: argparse.Namespace) -> int:
    from . import to_fhir, to_json

    one_input(args)
    one_stdin(args)
    intyg = load_telling_warnings(input_of(args), icd10_of(args))
    data = to_fhir(intyg) if args.to == "fhir" else to_json(intyg)
    write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from . import _publish

    if args.print and args.dir:
        raise UsageError("usage_not_applicable", "--dir", when="med --write eller --check")
    if not args.print and args.version is not None:
        raise UsageError("usage_not_applicable", "--version", when="med --print")
    if args.print == "bedomning":
        from ._assessment import assessment_json_schema

        if args.version is not None:
            when = "med --print jsonschema, questionnaire eller codesystem-ID"
            raise UsageError("usage_not_applicable", "--version", when=when)
        sys.stdout.write(_publish.dumps(assessment_json_schema()))
        return 0
    if args.print:
        from ._registry import get_form

        try:
            form = get_form(version=args.version) if args.version else get_form()
        except IntygError as exc:  # a version asked for that does not exist: the call's fault
            moved = [dataclasses.replace(p, path="--version") for p in exc.problems]
            print_problems(moved, sys.stderr)
            return 2
        files = _publish.form_files(form)
        if args.print not in files:
            choices = ", ".join([*files, "bedomning"])
            raise UsageError(
                "usage_invalid_choice", "--print", value=shown(args.print), choices=choices
            )
        sys.stdout.write(_publish.dumps(files[args.print][1]()))
        return 0
    root = Path(args.dir) if args.dir else None
    # the folder as the user named it: quoted, escaped and masked, as in a usage error
    folder = escaped(args.dir) if args.dir else "schemas/"
    if args.write:
        if root is None:
            from ._resources import checkout_root

            checkout = checkout_root()
            if checkout is None:
                reason = ": intyg körs inte från en utcheckad källkod med en schemas/"
                raise UsageError("usage_missing_argument", "--dir", reason=reason)
            root = checkout / "schemas"
        changed = _publish.write(root)
        for rel in changed:
            sys.stdout.write(f"skrev {rel}\n")
        if not changed:
            sys.stdout.write(f"{folder} är redan aktuell.\n")
        return 0
    if root is not None and not _is_folder(root):  # not every file missing: no folder to look in
        print_problems([make_problem("folder_unreadable", "--dir")], sys.stderr)
        return 1
    if root is None:
        from ._resources import checkout_root

        if checkout_root() is None:  # an installed intyg: the files shipped in its package
            folder = "Det installerade paketets schemas/"
    problems = _publish.check(root)
    print_problems(problems, sys.stdout)
    if problems:
        sys.stdout.write(f"{folder} stämmer inte med formulärdefinitionen.\n")
        return 1
    sys.stdout.write(f"{folder} stämmer med formulärdefinitionen.\n")
    return 0


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder that can be looked in (a name too long, or a folder on the
    way that may not be read, is none: Python 3.11's ``is_dir`` raises for those)."""
    try:
        return path.is_dir()
    except OSError:
        return False


# ---------------------------------------------------------------- parser


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class _Once(argparse.Action):
    """Stores an option's value, and refuses the option a second time: ``--to fhir --to json``
    is a mistake to point out, not a choice of the last one."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if self.option_strings:  # a positional is taken once by argparse itself
            given = typing.cast(_Parser, parser).given
            if self.dest in given:
                raise CodedArgumentError(self, "usage_repeated_option")
            given.add(self.dest)
        setattr(namespace, self.dest, values)


def _not_understood(arguments: Sequence[str]) -> Problem:
    """``usage_unknown_argument`` for ``arguments``, each said as :func:`shown` says it, and
    the whole cut at four times the longest value shown (a command line may be long). A
    personnummer typed with spaces is several arguments: then they are said as one text, masked
    as one."""
    joined = " ".join(arguments)
    if mask(joined) != " ".join(map(mask, arguments)):  # a number runs across arguments
        said = shown(joined)
    else:
        said = " ".join(map(shown, arguments))
    if len(said) > 4 * LONGEST_SHOWN:  # many values: the first of them
        said = said[: 4 * LONGEST_SHOWN - 1] + "…"
    return make_problem("usage_unknown_argument", "", {"arguments": said})


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish headings and help flag, and coded errors (``usage_*``, see
    :mod:`intyg._cli_usage`); an option that takes a value may be given once (:class:`_Once`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs["allow_abbrev"] = False  # --o is no flag, not a guess at --output or --on
        kwargs["exit_on_error"] = False  # its errors reach parse_known_args with their argument
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self.given: set[str] = set()  # options with a value met in this parse
        # Every storing option, also in a group (which has an add_argument of its own).
        self.register("action", None, _Once)
        self.register("action", "store", _Once)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.given = set()
        try:
            return super().parse_known_args(args, namespace)
        except argparse.ArgumentError as exc:
            self.refuse(problem_of(exc))

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            cause = exc.__context__  # what the type function raised
            if isinstance(cause, Refused):
                raise CodedArgumentError(action, cause.code, **cause.ctx) from None
            raise

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(str, action.choices))
            raise CodedArgumentError(
                action, "usage_invalid_choice", value=shown(value), choices=choices
            )

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """As argparse, but what is not understood is said by the command it was given to,
        with that command's usage, and an unknown option before any command is named as such
        (not as a missing command)."""
        given = list(sys.argv[1:] if args is None else args)
        given = self._before_command(given)
        parsed, extras = self.parse_known_args(given, namespace)
        command = None
        chosen = None
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = getattr(parsed, action.dest, None)
                command = action.choices.get(chosen) if chosen is not None else None
                if chosen is None and not extras:
                    commands = ", ".join(action.choices)
                    self.refuse(make_problem("usage_no_command", "", {"commands": commands}))
        if chosen is not None and "--" in extras:
            # The first "--" after the command only ends its options (argparse 3.11 leaves it
            # among the extras when the command takes no argument after it; one before the
            # command is gone already, see _before_command).
            extras.remove("--")
        if extras:  # what comes before the command was checked by _before_command
            (self if command is None else command).refuse(_not_understood(extras))
        return parsed

    def _before_command(self, given: list[str]) -> list[str]:
        """The arguments with what comes before the command checked (only in the parser that
        has commands): an option no command-less call knows is named as not understood (not
        the value after it as an unknown command), and a "--" there only ends the options."""
        commands = next(
            (a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if commands is None:
            return given
        options = []  # the options before the command
        ended = None  # where a "--" ends the options
        for i, arg in enumerate(given):
            if arg == "--":
                ended = i
                break
            if not arg.startswith("-") or arg == "-":
                break
            options.append(arg)
        if {"-h", "--help", "--version"} & set(options):  # those win over the rest, as before
            return given
        unknown = [a for a in options if a.split("=", 1)[0] not in self._option_string_actions]
        if unknown:
            self.refuse(_not_understood(unknown))
        if ended is None:
            return given
        after = given[ended + 1 : ended + 2]
        if after and after[0].startswith("-") and after[0] != "-":  # no option after "--"
            choices = ", ".join(commands.choices)
            value = shown(after[0])
            self.refuse(
                make_problem(
                    "usage_invalid_choice", "KOMMANDO", {"value": value, "choices": choices}
                )
            )
        return given[:ended] + given[ended + 1 :]

    def error(self, message: str) -> typing.NoReturn:
        """argparse's own refusals that are no ArgumentError (a required argument missing)."""
        self.refuse(from_message(message))

    def refuse(self, problem: Problem) -> typing.NoReturn:
        """Say a usage error with this command's usage, and exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel i anropet: {usage_line(problem)}\n")


def _plugins() -> list[Callable[[Any], None]]:
    """Subcommands defined beside their library parts (assessment, rendering)."""
    out: list[Callable[[Any], None]] = []
    for name in ("_cli_assess", "_cli_render"):
        try:
            module = __import__(f"intyg.{name}", fromlist=["register"])
        except ImportError:
            continue
        out.append(module.register)
    return out


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``intyg`` (also used to generate the CLI reference)."""
    parser = _Parser(
        prog="intyg",
        description=(
            "Läkarintyg till socialnämnden: validera, konvertera, bedöma och skriva ut intyg. "
            "Slutstatus: 0 klart, 1 ogiltig indata, 2 felaktigt anrop; 130, 143 eller 129 när "
            "körningen avbryts (Ctrl-C, SIGTERM, SIGHUP; andra signaler 128 + signalens "
            "nummer; på Windows Ctrl-Break: 149)."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"intyg {__version__}",
        help="visa versionen av intyg och avsluta",
    )
    # Not required here: _Parser.parse_args says which is missing, a command or the sense of an
    # option given before it.
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")

    p = sub.add_parser(
        "example",
        help="visa det inbyggda exempelintyget som JSON eller FHIR",
        description="Visar ett komplett, giltigt exempelintyg (aktuell formulärversion) som JSON "
        "eller FHIR QuestionnaireResponse. "
        "Slutstatus 0 klart, 1 om UT inte kan skrivas, 2 felaktigt anrop.",
    )
    p.add_argument(
        "--format",
        choices=["json", "fhir"],
        default="json",
        help="json (standard) eller fhir (QuestionnaireResponse)",
    )
    add_output(p)
    p.set_defaults(func=_cmd_example)

    p = sub.add_parser(
        "validate",
        help="kontrollera ett intyg (JSON eller QuestionnaireResponse)",
        description=(
            "Kontrollerar ett intyg mot reglerna i dess formulärversion och rapporterar alla "
            "problem på en gång. Slutstatus 0 giltigt, 1 ogiltigt, 2 felaktigt anrop."
        ),
    )
    add_input(p)
    p.add_argument(
        "--json",
        action="store_true",
        help='skriv resultatet som JSON: {"valid": …, "problems": [{"code", "path", '
        '"message", "severity"}]}',
    )
    add_icd10_list(p, full=True)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "convert",
        help="konvertera mellan JSON och FHIR QuestionnaireResponse",
        description="Läser ett intyg (JSON eller QuestionnaireResponse), kontrollerar det och "
        "skriver det i det andra formatet. Ett ogiltigt intyg skrivs inte. Slutstatus 0 klart, "
        "1 ogiltigt intyg eller UT kan inte skrivas, 2 felaktigt anrop.",
    )
    add_input(p)
    p.add_argument(
        "--to", choices=["fhir", "json"], required=True, help="format att skriva: fhir eller json"
    )
    add_output(p)
    add_icd10_list(p)
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser(
        "schema",
        help="skriv, kontrollera eller visa de publicerade schemafilerna",
        description="Schemafilerna under schemas/ genereras från formulärdefinitionen. "
        "--check misslyckas (status 1) om de avviker.",
    )
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true", help="generera filerna under schemas/")
    g.add_argument(
        "--check",
        action="store_true",
        help="kontrollera att schemas/ är aktuell (utan --dir: källkodens, eller det "
        "installerade paketets när intyg inte körs från en utcheckad källkod)",
    )
    g.add_argument(
        "--print",
        metavar="FIL",
        type=given,
        help="skriv en av filerna till stdout: jsonschema (intygets JSON Schema), "
        "questionnaire (FHIR Questionnaire), codesystem-ID (ett av formulärets FHIR "
        "CodeSystem, till exempel codesystem-prognos) eller bedomning (bedömningsstödets "
        "JSON Schema)",
    )
    p.add_argument("--dir", metavar="MAPP", type=given, help="en annan mapp än projektets schemas/")
    p.add_argument(
        "--version",
        dest="version",
        default=None,
        metavar="VERSION",
        type=given,
        help="formulärversion för --print (standard: aktuell; inte med --print bedomning, "
        "som har en egen version)",
    )
    p.set_defaults(func=_cmd_schema)

    for register in _plugins():
        register(sub)
    return parser


# ---------------------------------------------------------------- running


def _output_given(args: argparse.Namespace) -> bool:
    """Whether ``-o`` names a file (not standard output, by any of its names)."""
    out = getattr(args, "output", None)
    return out is not None and not is_stdout(out)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit:
        sys.stdout.flush()  # --help, --version: a full stdout shows here (stdout_unwritable)
        raise
    handler: Handler = args.func
    try:
        if output_is_an_input(args):  # -o when given; else stdout, which the message names
            raise UsageError("usage_output_is_input", "-o" if _output_given(args) else "")
        if output_is_stderr(getattr(args, "output", None)):
            raise UsageError("usage_output_is_stderr")
        code = handler(args)
    except UsageError as exc:
        say(f"intyg {args.command}: fel i anropet: {usage_line(exc.problem)}\n")
        code = 2
    except IntygError as exc:
        if getattr(args, "json", False):
            sys.stdout.write(_problems_json(False, exc.problems))
        else:
            print_problems(exc.problems, sys.stderr)
        code = 1
    sys.stdout.flush()  # a full disk shows here, while it can still be reported
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Standard output that cannot be written (closed, disk full) is ``stdout_unwritable`` (exit
    1); a reader that went away (a broken pipe) ends the command quietly. Ctrl-C, SIGTERM and
    SIGHUP, the other signals that end a process (SIGUSR1, SIGXCPU, ...) and Ctrl-Break on
    Windows end it with "Avbrutet." and 128 + the signal number
    (130, 143, 129; 149), after removing any temporary file.
    """
    # The command line uses no pydantic plugins; not scanning the installed packages for them
    # saves a large part of the start-up time. Set before pydantic is first imported.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    # The compiled JSON reader (jiter, Rust) panics when memory runs out. With a Rust backtrace
    # asked for, the panic handler itself needs memory and can hang the process for good, deaf
    # to SIGTERM; without it the panic is caught and said as out_of_memory. Read by Rust at its
    # first panic; the worker processes of a batch inherit it.
    os.environ["RUST_BACKTRACE"] = "0"
    if sys.stdout is None:  # closed by the shell (`>&-`): writing to it is a coded error
        sys.stdout = typing.cast(TextIO, NoOutput(fail=True))
    buffer_stdout()
    if sys.stderr is None:
        sys.stderr = typing.cast(TextIO, NoOutput(fail=False))
    if sys.stdin is None:  # closed by the shell (`<&-`): reading `-` is a coded error
        sys.stdin = typing.cast(TextIO, NoInput())
    for stream in (sys.stdout, sys.stderr):
        # backslashreplace: an argument that is no UTF-8 (a file name's bytes, held as lone
        # surrogates) is shown escaped when said back, never a UnicodeEncodeError.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(  # type: ignore[union-attr]
                encoding="utf-8", errors="backslashreplace"
            )
    errors = sys.stderr
    quiet = typing.cast(TextIO, errors if isinstance(errors, QuietErrors) else QuietErrors(errors))
    sys.stderr = quiet
    try:
        if threading.current_thread() is not threading.main_thread():
            return _finish(argv)  # signals reach only the main thread: no stop of ours to note
        _signals.reset()
        try:
            return _finish(argv)
        finally:
            _signals.reset()  # a stop ends with this command: the process may run more
    finally:
        if sys.stderr is quiet:  # else another call (a thread) or the host set it since
            sys.stderr = errors


def _finish(argv: Sequence[str] | None) -> int:
    """:func:`main` once the streams are set up: the command, and how it ended."""
    try:
        with signals_stop():
            status = _run(argv)
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT)
    except Stopped as exc:
        return _stopped(exc.signum)
    except MemoryError:
        # The run is not whole, and nothing partial was written (output is atomic).
        silence_stdout()
        print_problems([make_problem("out_of_memory", "")], sys.stderr)
        return 1
    except IncompleteInstallation:
        # Not the user's input or output: a part of intyg itself (the print templates) is gone.
        print_problems([make_problem("installation_incomplete", "")], sys.stderr)
        return 1
    except Exception as exc:
        # A stop that a library wrapped in its own error (or that broke a pipe or a write)
        # ends the command as a stop, whatever else the error says.
        signum = _signals.received()
        if signum is not None:
            return _stopped(signum)
        if isinstance(exc, BrokenPipeError):
            silence_stdout()
            return 0
        if not isinstance(exc, OSError):
            raise
        # Reading and file output turn their errors into problems in the commands; what is
        # left is standard output.
        silence_stdout()
        print_problems([make_problem("stdout_unwritable", "")], sys.stderr)  # QuietErrors
        return 1
    signum = _signals.received()
    if signum is not None and not _signals.is_committed():
        return _stopped(signum)  # a stop that a library caught: the run is not whole
    return status


def _stopped(signum: int) -> int:
    if _signals.is_committed():  # the output was in place, whole, before the stop came
        return 0
    # A second Ctrl-C while this is said changes nothing: the run is stopped already.
    with contextlib.suppress(KeyboardInterrupt):
        silence_stdout()
        if sys.stderr.isatty():  # stderr is main's QuietErrors: nothing here raises
            sys.stderr.write("\n")  # after ^C or a progress bar
        say("Avbrutet.\n")
    return 128 + signum
