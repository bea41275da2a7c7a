"""The ``render`` subcommand: blank form, filled certificate and assessment report as HTML or PDF.

Only parses arguments and calls :func:`intyg._render.render`. The document is made in memory in
full before anything is written, and a file is written atomically (a temporary file in the target
folder, then a rename), so a failed render leaves no partial file. PDF is never written to a
terminal.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._errors import IntygError
from ._problems import make_problem
from ._read import read_checked

if TYPE_CHECKING:
    from ._render import Format, PdfVariant


def register(subparsers: Any) -> None:
    """Add ``render`` to the ``intyg`` command's subparsers."""
    from ._cli import add_icd10_list, add_input, add_output

    p = subparsers.add_parser(
        "render",
        help="skriv ut blankett, intyg eller bedömningsstöd som HTML eller PDF",
        description=(
            "Gör ett utskriftsdokument: den tomma blanketten (--blank), ett ifyllt intyg (FIL, "
            "JSON eller FHIR QuestionnaireResponse; - läser stdin) eller rapporten med "
            "bedömningsstöd för handläggaren (--assessment). HTML kan skrivas till stdout; PDF "
            "(PDF/A, kräver intyg[pdf]) skrivs till en fil med -o eller till en omdirigerad "
            "stdout, aldrig till terminalen. Slutstatus 0 klart, 1 ogiltig indata eller "
            "misslyckad utskrift, 2 felaktigt anrop."
        ),
    )
    add_input(p)
    p.add_argument("--blank", action="store_true", help="den tomma blanketten att fylla i för hand")
    p.add_argument(
        "--assessment",
        action="store_true",
        help="rapporten med bedömningsstöd för intyget, i stället för själva intyget; är FIL en "
        "sparad bedömning (assess --json, Assessment.to_json()) skrivs den ut med sitt eget "
        "bedömningsdatum",
    )
    p.add_argument(
        "--on",
        metavar="ÅÅÅÅ-MM-DD",
        help="bedömningsdatum för --assessment (standard: dagens datum i Sverige)",
    )
    p.add_argument(
        "--format",
        choices=["html", "pdf"],
        default=None,
        help="html eller pdf (standard: pdf om UT slutar på .pdf, annars html)",
    )
    add_output(p)
    p.add_argument(
        "--pdf-variant",
        choices=["pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "plain"],
        default=None,
        help="PDF-nivå (standard: pdf/a-2b för arkivering; plain ger vanlig PDF); bara för PDF",
    )
    add_icd10_list(p)
    p.set_defaults(func=_cmd_render)


def _stored_assessment(raw: bytes, assessment: bool) -> bool:
    """Whether FIL holds an assessment made before rather than a certificate, decided as
    :func:`intyg.render` decides it for the same data: with ``--assessment``, a JSON object
    with more keys only an assessment has than keys of a certificate; without, one that surely
    is one (its first keys and no ``formular``), to refuse the call. Input that cannot be read,
    or is no object, is left to the certificate's reading, which says what is wrong with it.

    Raises:
        ConversionError: ``batch_line_given``, for a whole line of ``assess --batch``.
    """
    from ._errors import IntygError
    from ._quick import refuse_batch_line
    from ._render import is_assessment, surely_assessment

    try:
        data = read_checked(raw)
    except IntygError:
        return False
    refuse_batch_line(data)  # neither a certificate nor an assessment
    return is_assessment(data) if assessment else surely_assessment(data)


def _check_stored_assessment(args: argparse.Namespace) -> None:
    """Refuse what does not apply to an assessment read from FIL: it is printed as its report
    (``--assessment``), on its own date (no ``--on``), with the codes it was made with.

    Raises:
        UsageError: ``usage_missing_argument`` at ``--assessment``, ``usage_not_applicable``
            at ``--on`` or ``--icd10-list``.
    """
    from ._cli_usage import UsageError

    if not args.assessment:
        reason = ": FIL är en sparad bedömning, som skrivs ut som rapport"
        raise UsageError("usage_missing_argument", "--assessment", reason=reason)
    when = "när FIL är ett intyg (en sparad bedömning har redan sitt datum och sina koder)"
    for option, value in (("--on", args.on), ("--icd10-list", args.icd10_list)):
        if value is not None:
            raise UsageError("usage_not_applicable", option, when=when)


def _cmd_render(args: argparse.Namespace) -> int:
    from ._cli import (
        icd10_of,
        input_of,
        load_telling_warnings,
        one_stdin,
        parse_on,
        print_problems,
        swedish_today,
        write_output,
    )
    from ._cli_process import is_stdout
    from ._cli_usage import UsageError

    sources = [args.file is not None, args.blank, args.example]
    if sum(sources) != 1:
        raise UsageError("usage_choose_one", choices="FIL, --blank eller --example")
    if args.blank and args.assessment:
        raise UsageError("usage_conflict", "--assessment", other="--blank")
    if args.blank and args.icd10_list is not None:
        raise UsageError("usage_conflict", "--icd10-list", other="--blank")
    one_stdin(args)
    if args.on is not None and not args.assessment:
        raise UsageError("usage_not_applicable", "--on", when="tillsammans med --assessment")
    try:
        on = parse_on(args.on)
    except IntygError as exc:
        print_problems(exc.problems, sys.stderr)
        return 2

    out = None if is_stdout(args.output) else str(args.output)
    pdf_name = out is not None and out.lower().endswith(".pdf")
    if args.format == "html" and pdf_name:
        raise UsageError("usage_format_mismatch", "--format", format="html", suffix=".pdf")
    if args.format == "pdf" and out is not None and out.lower().endswith((".html", ".htm")):
        suffix = "." + out.rsplit(".", 1)[-1].lower()
        raise UsageError("usage_format_mismatch", "--format", format="pdf", suffix=suffix)
    wants_pdf = args.format == "pdf" or (args.format is None and pdf_name)
    fmt: Format = "pdf" if wants_pdf else "html"
    if args.pdf_variant is not None and fmt != "pdf":
        when = "PDF (--format pdf, eller UT som slutar på .pdf)"
        raise UsageError("usage_not_applicable", "--pdf-variant", when=when)
    variant: PdfVariant = args.pdf_variant or "pdf/a-2b"
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        print_problems([make_problem("pdf_to_terminal", "")], sys.stderr)
        return 2

    from ._render import render

    if args.blank:
        data = render(blank=True, format=fmt, pdf_variant=variant)
    else:
        raw = input_of(args)
        if _stored_assessment(raw, args.assessment):  # made and saved before (to_json())
            _check_stored_assessment(args)
            data = render(read_checked(raw), format=fmt, assessment=True, pdf_variant=variant)
        else:
            icd10 = icd10_of(args)  # an unusable list stops the call before FIL is checked
            data = render(
                # read once: its warnings said, as by assess and convert, and the model rendered
                load_telling_warnings(raw, icd10),
                format=fmt,
                assessment=args.assessment,
                # The command line reads the clock (the library never does): like `intyg
                # assess`, the report is made for today unless --on says otherwise.
                on=on if on is not None or not args.assessment else swedish_today(),
                pdf_variant=variant,
            )
    # A file that cannot be written is output_unwritable; a failing standard output is
    # stdout_unwritable (reported by intyg._cli.main, which keeps a broken pipe quiet).
    write_output(data, out)
    return 0
