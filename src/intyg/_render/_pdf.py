"""HTML to PDF through WeasyPrint: PDF/A by default, fonts embedded, tagged, nothing fetched.

WeasyPrint is imported here only, on first use, so ``import intyg`` and the other commands never
pay for it (and work without the optional ``pdf`` extra installed).
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from typing import Any, Literal, get_args

from .._args import shown
from .._errors import RenderError
from .._problems import make_problem
from ._fetcher import restricted_fetcher

PdfVariant = Literal["pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "plain"]

DEFAULT_VARIANT: PdfVariant = "pdf/a-2b"
"""PDF/A-2b: the archival level case systems and archives accept most widely."""

PDF_VARIANTS: tuple[PdfVariant, ...] = get_args(PdfVariant)


_IMPORTING = threading.Lock()
"""Held while WeasyPrint is first imported: one thread at a time swaps ``sys.stdout``, so two
first PDFs at once cannot leave a stand-in of the other's behind."""


def _weasyprint() -> Any:
    # The cause is chained: what is missing (a module, a system library) names no person.
    # WeasyPrint prints its own advice to standard output when a system library is missing,
    # which would end up in a PDF the command line writes there, or in a host's protocol on
    # stdout; it is kept, as a note on the cause, instead.
    said = io.StringIO()
    try:
        with _IMPORTING:
            # Only the first import may print; a module imported already (also by the host,
            # whose import the import system lets finish) says nothing.
            first = "weasyprint" not in sys.modules
            with _own_stdout_into(said) if first else contextlib.nullcontext():
                import weasyprint
    except Exception as exc:  # ImportError; OSError: no Pango; anything else its import raised
        if said.getvalue().strip():
            exc.add_note(said.getvalue().strip())
        raise RenderError([make_problem("pdf_unavailable", "")]) from exc
    return weasyprint


class _ThreadStdout:
    """``sys.stdout`` while one thread imports: that thread's writes go to ``into``, every
    other thread's to the standard output as before (``contextlib.redirect_stdout`` would take
    theirs too, since ``sys.stdout`` belongs to the whole process)."""

    def __init__(self, original: Any, into: io.StringIO) -> None:
        self.original = original
        self.into = into
        self.thread = threading.get_ident()

    def _target(self) -> Any:
        return self.into if threading.get_ident() == self.thread else self.original

    def write(self, text: str) -> int:
        return int(self._target().write(text))

    def flush(self) -> None:
        self._target().flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


@contextlib.contextmanager
def _own_stdout_into(into: io.StringIO) -> Iterator[None]:
    original = sys.stdout
    if original is None:  # no standard output at all (print() then writes nowhere): as it is
        yield
        return
    proxy = _ThreadStdout(original, into)
    sys.stdout = proxy
    try:
        yield
    finally:
        if sys.stdout is proxy:  # else someone set another since: theirs stays
            sys.stdout = original


def html_to_pdf(
    html: str,
    *,
    variant: PdfVariant = DEFAULT_VARIANT,
    fetcher: Any = None,
) -> bytes:
    """Lay out ``html`` and return the PDF bytes.

    Args:
        html: a complete document from one of the templates (stylesheet inlined).
        variant: ``pdf/a-2b`` (default), another PDF/A level, or ``plain``.
        fetcher: the URL fetcher to use; a fresh restricted one by default (tests pass their
            own to inspect what was asked for).

    Raises:
        RenderError: ``pdf_unavailable`` when WeasyPrint cannot be imported, ``render_failed``
            when layout or writing fails.
        ValueError: ``variant`` is not one of :data:`PDF_VARIANTS`.
    """
    if variant not in PDF_VARIANTS:
        raise ValueError(f"intyg: unknown PDF variant {shown(variant, PDF_VARIANTS)}")
    weasyprint = _weasyprint()
    fetcher = fetcher if fetcher is not None else restricted_fetcher()
    options: dict[str, Any] = {"pdf_tags": True}
    if variant != "plain":
        options["pdf_variant"] = variant
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
        # WeasyPrint opens its sRGB profile for the PDF/A output intent without closing it, which
        # gives a ResourceWarning where those are shown (python -X dev). It is not silenced
        # here: warnings.catch_warnings swaps the process's filter list without a lock, so PDFs
        # made in several threads at once could leave any application's filters changed.
        pdf = document.write_pdf(**options)
    except RenderError:
        raise
    except Exception as exc:
        # Not chained: WeasyPrint's message may quote the document, that is the certificate.
        # The kind of error is named, which is what a fault report needs first.
        cause = f"{type(exc).__name__} i WeasyPrint"
        raise RenderError([make_problem("render_failed", "", {"orsak": cause})]) from None
    if not isinstance(pdf, bytes):
        cause = "WeasyPrint gav ingen PDF"
        raise RenderError([make_problem("render_failed", "", {"orsak": cause})])
    return pdf
