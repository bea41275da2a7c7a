"""Printable forms: the blank form, a filled certificate and the assessment report, as HTML or PDF.

All three are drawn by the Jinja2 templates in ``mallar/`` (autoescape on) with the one print
stylesheet inlined, so the HTML is a single self-contained file and the PDF needs nothing but the
system fonts. The question texts and help texts come from the question tree of the form version,
the same source as the JSON Schema and the FHIR Questionnaire.

>>> import intyg
>>> html = intyg.render(intyg.load(intyg.example_json()))
>>> "Läkarintyg till socialnämnden" in html
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, Literal, overload

from pydantic import BaseModel

from .._errors import RenderError
from .._form import Section
from .._load import Source, load
from .._problems import make_problem
from .._registry import FormVersion, get_form
from .._version import __version__
from ._blank import blank_form
from ._env import render_template
from ._filled import filled_certificate
from ._pdf import DEFAULT_VARIANT, PdfVariant, html_to_pdf

Format = Literal["html", "pdf"]


def _form_of(intyg: BaseModel) -> FormVersion:
    formular = getattr(intyg, "formular", None)
    if formular is None:
        return get_form()
    return get_form(str(formular.id), str(formular.version))


def _output(html: str, format: Format, pdf_variant: PdfVariant) -> str | bytes:
    if format == "html":
        return html
    if format == "pdf":
        return html_to_pdf(html, variant=pdf_variant)
    raise ValueError(f"intyg: format must be 'html' or 'pdf', not {format!r}")


def _as_certificate(source: Section | Source) -> Section:
    if isinstance(source, Section):
        return source
    return load(source)


def blank_html(form: FormVersion | None = None) -> str:
    """The blank form of ``form`` (default: the current version) as a complete HTML page."""
    form = form or get_form()
    return render_template(
        "blankett.html",
        form=form,
        blankett=blank_form(form.model),
        dokumenttitel=f"{form.title} (blankett, formulärversion {form.version})",
        dokumenttyp="blankett",
        intyg_version=__version__,
    )


def certificate_html(certificate: Section | Source) -> str:
    """A filled certificate as a complete HTML page.

    Raises:
        IntygError: the input cannot be read or is not a valid certificate.
    """
    intyg = _as_certificate(certificate)
    form = _form_of(intyg)
    view = filled_certificate(intyg)
    return render_template(
        "intyg.html",
        form=form,
        intyg=view,
        dokumenttitel=f"{form.title}, intyg {view.intygsid}",
        dokumenttyp="intyg",
        intyg_version=__version__,
    )


def assessment_html(source: Any, *, on: _dt.date | None = None) -> str:
    """The assessment report for the case officer as a complete HTML page.

    ``source`` is a certificate (model, JSON text, bytes, dict or path), which is assessed on
    ``on`` (default: the certificate's signeringsdatum), or an assessment already made (the
    model from ``intyg.assess`` or its JSON dict).

    Raises:
        IntygError: the certificate cannot be read or is not valid.
    """
    from ._report import assessment_report

    data, intyg = _assessment_data(source, on)
    form = _form_of(intyg) if intyg is not None else get_form()
    view = assessment_report(data, intyg)
    return render_template(
        "bedomning.html",
        form=form,
        rapport=view,
        dokumenttitel=f"Bedömningsstöd, {form.title}",
        dokumenttyp="bedomning",
        intyg_version=__version__,
    )


def _is_assessment(source: Any) -> bool:
    if isinstance(source, Mapping):
        return "aktiviteter" in source and "regelverk" in source
    return isinstance(source, BaseModel) and not isinstance(source, Section)


def _assess_function() -> Any:
    # Looked up at call time: the assessment engine is an independent part of intyg.
    import importlib

    try:
        module = importlib.import_module("intyg._assessment")
    except ImportError:
        module = None
    assess = getattr(module, "assess", None)
    if assess is None:
        raise RenderError([make_problem("assessment_unavailable", "")])
    return assess


def _assessment_data(source: Any, on: _dt.date | None) -> tuple[Mapping[str, Any], Section | None]:
    if _is_assessment(source):
        if isinstance(source, BaseModel):
            return source.model_dump(mode="json"), None
        return source, None
    intyg = _as_certificate(source)
    assess = _assess_function()
    day = on if on is not None else getattr(intyg, "signeringsdatum")  # noqa: B009
    result = assess(intyg, on=day)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped, intyg


@overload
def render(
    source: Any = ...,
    *,
    format: Literal["html"] = ...,
    blank: bool = ...,
    assessment: bool = ...,
    on: _dt.date | None = ...,
    pdf_variant: PdfVariant = ...,
) -> str: ...


@overload
def render(
    source: Any = ...,
    *,
    format: Literal["pdf"],
    blank: bool = ...,
    assessment: bool = ...,
    on: _dt.date | None = ...,
    pdf_variant: PdfVariant = ...,
) -> bytes: ...


def render(
    source: Any = None,
    *,
    format: Format = "html",
    blank: bool = False,
    assessment: bool = False,
    on: _dt.date | None = None,
    pdf_variant: PdfVariant = DEFAULT_VARIANT,
) -> str | bytes:
    """Render a printable document: ``str`` for HTML, ``bytes`` for PDF.

    - ``render(blank=True)``: the blank form of the current form version.
    - ``render(certificate)``: a filled certificate (model, JSON text, bytes, dict or path;
      plain JSON or a FHIR QuestionnaireResponse).
    - ``render(certificate, assessment=True, on=date)``: the assessment report; ``on`` defaults
      to the certificate's signeringsdatum (never today's date). An assessment already made
      may be given instead of a certificate.

    Args:
        format: ``"html"`` (a self-contained page) or ``"pdf"`` (needs the ``pdf`` extra).
        pdf_variant: ``"pdf/a-2b"`` (default, archival), another PDF/A level, or ``"plain"``.

    Raises:
        IntygError: the input is not a valid certificate; :class:`~intyg.RenderError` when the
            PDF cannot be made (``pdf_unavailable``, ``render_failed``).
        ValueError: the arguments do not fit together (programming error).
    """
    if blank:
        if source is not None or assessment:
            raise ValueError("intyg: render(blank=True) takes no source and no assessment")
        html = blank_html()
    elif source is None:
        raise ValueError("intyg: render() needs a certificate, or blank=True")
    elif assessment:
        html = assessment_html(source, on=on)
    else:
        if on is not None:
            raise ValueError("intyg: on= applies to the assessment report only")
        html = certificate_html(source)
    return _output(html, format, pdf_variant)


__all__ = [
    "DEFAULT_VARIANT",
    "Format",
    "PdfVariant",
    "assessment_html",
    "blank_html",
    "certificate_html",
    "html_to_pdf",
    "render",
]
