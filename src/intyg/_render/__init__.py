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
import math
import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, cast, overload

from pydantic import BaseModel, ValidationError

from .._args import shown
from .._errors import ConversionError, RenderError
from .._fieldchecks import CONTROL_CHARACTERS
from .._fieldtypes import UUID_PATTERN
from .._form import Section
from .._load import Source, load
from .._problems import (
    Problem,
    expected_type,
    format_path,
    limit_problems,
    make_problem,
    problems_from_pydantic,
)
from .._quick import refuse_batch_line, surely_assessment_data
from .._read import BEYOND_EVERY_BOUND, check_shape, json_shaped, read_checked
from .._registry import FormVersion, all_forms, get_form
from .._version import __version__
from ._blank import blank_form
from ._env import render_template
from ._filled import filled_certificate
from ._pdf import DEFAULT_VARIANT, PDF_VARIANTS, PdfVariant, html_to_pdf

Format = Literal["html", "pdf"]

FORMATS: tuple[Format, ...] = ("html", "pdf")

ASSESSMENT_KEYS = frozenset(
    {
        "schemaversion",
        "bedomningsdatum",
        "regelverk",
        "motorversion",
        "meddelande",
        "aktiviteter",
        "fynd",
        "nasta_steg",
        "uppfoljning",
        "kallor",
        "regelutfall",
    }
)
"""Top-level keys of an assessment's JSON data that a certificate never has: a mapping with any
of them is taken for an assessment (and checked as one), never for a certificate."""


def _form_of(intyg: BaseModel) -> FormVersion:
    formular = getattr(intyg, "formular", None)
    if formular is None:
        return get_form()
    return get_form(str(formular.id), str(formular.version))


def _output(html: str, format: Format, pdf_variant: PdfVariant) -> str | bytes:
    if format == "pdf":
        return html_to_pdf(html, variant=pdf_variant)
    return html


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
    model from ``intyg.assess`` or its JSON data as a dict), which is checked against
    :class:`~intyg.Assessment` first and has its own date (``on`` must then be None).

    Raises:
        IntygError: the certificate cannot be read or is not valid; :class:`~intyg.ConversionError`
            when an assessment given as such does not follow the assessment's schema.
        ValueError: ``on`` given with an assessment already made.
    """
    from ._report import assessment_report

    data, intyg = _assessment_data(source, on)
    form = _form_of(intyg) if intyg is not None else get_form()
    view = assessment_report(data, intyg)
    return render_template(
        "bedomning.html",
        form=form,
        rapport=view,
        # The certificate's id, as in the certificate's own title: an archived report (a PDF's
        # title) can be matched to the certificate it is about.
        dokumenttitel=f"Bedömningsstöd, {form.title}"
        + (f", intyg {view.intygsid}" if view.intygsid else ""),
        dokumenttyp="bedomning",
        intyg_version=__version__,
    )


Renderable = Source | BaseModel
"""What ``render`` prints: a certificate or an assessment, as a model (``Intyg``,
``Assessment``), a dict, JSON text or bytes, or a path."""


def is_assessment(source: Any) -> bool:
    """With ``assessment=True``: whether ``source`` is an assessment already made rather than a
    certificate to assess. JSON data is one when it has more keys that only an assessment has
    than keys of a certificate: a stored assessment with keys missing is still one, and so is a
    certificate with a stray key of an assessment still a certificate (each then gets its own
    problems, not the other's).

    Raises:
        TypeError: a pydantic model that is neither a certificate nor intyg's ``Assessment``.
    """
    if isinstance(source, Mapping):
        keys = source.keys()
        return len(ASSESSMENT_KEYS & keys) > len(_certificate_keys() & keys)
    if surely_assessment(source):
        return True
    if not isinstance(source, BaseModel) or isinstance(source, Section):
        return False
    raise TypeError(
        "intyg: render(assessment=True) takes a certificate or an intyg.Assessment, "
        f"not {type(source).__name__}"
    )


def surely_assessment(source: Any) -> bool:
    """An assessment given where a certificate was expected: the model, or its JSON data (no
    ``formular``, and the three keys every assessment starts with). A certificate with a stray
    key of an assessment is still a certificate, with an ``unknown_field``."""
    if isinstance(source, Mapping):
        return surely_assessment_data(source)
    if not isinstance(source, BaseModel) or isinstance(source, Section):
        return False
    try:
        return isinstance(source, _assessment_part("Assessment"))
    except RenderError:  # no assessment support installed: then it cannot be one
        return False


@cache
def _certificate_keys() -> frozenset[str]:
    """The top-level keys of a certificate, of every form version."""
    return frozenset(key for form in all_forms() for key in form.model.model_fields)


def _read_text(source: Any) -> Any:
    """JSON text, bytes or a path holding a JSON object, read as a certificate's are read (the
    same reader and limits), so that what it holds decides whether it is an assessment;
    anything else as given (what is no object is said as a certificate's reading says it).
    A whole line of ``assess --batch`` is refused (:func:`refuse_batch_line`)."""
    if isinstance(source, str | bytes | bytearray | os.PathLike):
        data = read_checked(source)
        source = data if isinstance(data, Mapping) else source
    refuse_batch_line(source)
    return source


def _assessment_part(name: str) -> Any:
    # Looked up at call time: the assessment engine is an independent part of intyg.
    import importlib

    try:
        module = importlib.import_module("intyg._assessment")
    except ImportError:
        module = None
    part = getattr(module, name, None)
    if part is None:
        raise RenderError([make_problem("assessment_unavailable", "")])
    return part


def _assess_function() -> Any:
    return _assessment_part("assess")


def check_assessment(source: Mapping[str, Any] | BaseModel) -> tuple[Any, dict[str, Any]]:
    """An assessment given as such (the model or its JSON data), checked against the model and
    against what a printout needs: the :class:`~intyg.Assessment` and its JSON data.

    Raises:
        ConversionError: the problems, with codes and field paths (never the values).
        RenderError: ``assessment_unavailable``.
    """
    model: type[BaseModel] = _assessment_part("Assessment")
    # A model a caller built or changed may hold anything in its Any fields, as data may.
    given: Any = source.model_dump() if isinstance(source, BaseModel) else source
    # Nothing below sees it too deep, cyclic or too large, reads an endless iterator, or meets
    # what no JSON value is (which a JSON dump would not survive).
    check_shape(given, on_iterator=_iterator_problem)
    foreign = _foreign_values(json_shaped(given))
    if foreign:
        raise ConversionError(foreign)
    data = source.model_dump(mode="json") if isinstance(source, BaseModel) else dict(source)
    try:
        checked = model.model_validate(data)
    except ValidationError as exc:
        errors: list[Any] = exc.errors()
    else:
        errors = [] if isinstance(source, BaseModel) else _json_type_errors(model, data)
    if errors:
        errors = [
            {**err, "type": "invalid_date"} if str(err["type"]).startswith("date_") else err
            for err in errors
        ]
        raise ConversionError(problems_from_pydantic(errors))
    dumped: dict[str, Any] = checked.model_dump(mode="json")
    problems = _unprintable(dumped)
    if problems:
        raise ConversionError(problems)
    return checked, dumped


def _json_type_errors(model: type[BaseModel], data: Mapping[str, Any]) -> list[Any]:
    """Where an assessment given as data, which the model's own (lax) check accepted, holds a
    value of another JSON type than its schema's: a number for a date, a text or ``true`` for
    a number. A number with no fraction part is an integer, as in JSON Schema. Collections
    other than ``dict`` and ``list`` are read as those, as the model reads them
    (:func:`json_shaped`; ``data`` has passed :func:`check_shape`)."""
    import pydantic_core

    try:
        text = pydantic_core.to_json(json_shaped(data))
    except pydantic_core.PydanticSerializationError:
        return []  # a value of no JSON type that the model took as its own: its reading stands
    try:
        model.model_validate_json(text, strict=True)
    except ValidationError as exc:
        return [
            e
            for e in exc.errors()
            if not (
                e["type"] == "int_type"
                and isinstance(e["input"], float)
                and e["input"].is_integer()
            )
        ]
    return []


def _foreign_values(data: Any) -> list[Problem]:
    """Where an assessment given as data (:func:`json_shaped`) holds what no JSON value is: a
    key that is no text, bytes or an object of another kind (``Decimal``, ``complex``), a
    number that is not finite, an integer of more digits than Python reads from text (4 300;
    ``out_of_range``, as in a certificate). The model would take them or convert them (bytes
    as text, ``Decimal("1.1")`` as ``"1.1"``), and they could not be written back as JSON. A
    date object is a model's own dump (:meth:`~pydantic.BaseModel.model_dump`), which the
    model reads."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):  # never said: it may be anything
                    problems.append(make_problem("wrong_type", format_path((*loc, "")), _ANY))
            entries = [(v, (*loc, k)) for k, v in value.items() if isinstance(k, str)]
            stack.extend(reversed(entries))
        elif isinstance(value, list):
            stack.extend(reversed([(v, (*loc, i)) for i, v in enumerate(value)]))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(
                    make_problem("wrong_type", format_path(loc), expected_type("number"))
                )
        elif isinstance(value, int):
            if abs(value) >= BEYOND_EVERY_BOUND:  # more digits than JSON's readers read back
                problems.append(make_problem("out_of_range", format_path(loc), {"bound": ""}))
        elif not isinstance(value, str | _dt.date) and value is not None:
            problems.append(make_problem("wrong_type", format_path(loc), _ANY))
    return limit_problems(problems)


_ANY = {"expected": ""}
"""``wrong_type``'s context where any JSON value would do (the message names none)."""


def _iterator_problem(path: str) -> Problem:
    # The assessment's arrays have no maximum, and pydantic reads an iterator to its end.
    return make_problem("wrong_type", path, expected_type("array"))


ASSESSMENT_TEXT_MAX = 4000
"""The longest text an assessment given to print may hold (intyg's own are under 400
characters): a long unbroken word costs the PDF layout time that grows with its square."""
ASSESSMENT_TOTAL_TEXT_MAX = 200_000
"""The most text, all strings together, that an assessment given to print may hold (intyg's
own hold about 10 000 characters): a dict can carry up to 20 000 texts, and every page of text
costs the PDF layout time."""
_NOT_PRINTABLE = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff\ufffe\uffff]")
"""Characters no page can hold: the control characters a certificate's texts may not have, lone
surrogates, and the two noncharacters that XML refuses."""
_UUID = re.compile(UUID_PATTERN)


def _unprintable(data: dict[str, Any]) -> list[Problem]:
    """What the model of the assessment lets through but a printout cannot show truthfully:
    another schema version, an id that is no UUID (the running header shows it whole), an empty
    notice that it is support and not a decision, an activity type given twice, a text too long
    or with characters no page holds (a number that is not finite never gets here:
    :func:`_foreign_values`). Checked only on an assessment given to print (intyg's own pass by
    construction)."""
    from .._assessment._output import SCHEMA_VERSION

    problems: list[Problem] = []
    if data["schemaversion"] != SCHEMA_VERSION:
        problems.append(
            make_problem("invalid_code", "schemaversion", {"allowed": f": {SCHEMA_VERSION}"})
        )
    if not _UUID.fullmatch(data["intygsid"]):
        problems.append(make_problem("invalid_uuid", "intygsid"))
    if not data["meddelande"].strip():
        problems.append(make_problem("blank_text", "meddelande"))
    # One section per activity type: a second one for the same type would print two differing
    # supports for it. (An unknown type is kept: a later release may assess more types.)
    seen: set[str] = set()
    for i, activity in enumerate(data["aktiviteter"]):
        if activity["typ"] in seen:
            problems.append(make_problem("duplicate_value", f"aktiviteter[{i}].typ"))
        seen.add(activity["typ"])
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]  # checked by check_shape
    total = 0
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            total += len(value)
            if len(value) > ASSESSMENT_TEXT_MAX:
                problems.append(
                    make_problem(
                        "text_too_long", format_path(loc), {"max_length": ASSESSMENT_TEXT_MAX}
                    )
                )
            elif _NOT_PRINTABLE.search(value):
                problems.append(make_problem("invalid_character", format_path(loc)))
        elif isinstance(value, dict):
            stack.extend(reversed([(v, (*loc, k)) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(v, (*loc, i)) for i, v in enumerate(value)]))
    if total > ASSESSMENT_TOTAL_TEXT_MAX:  # the whole document: too much to print
        problems.append(
            make_problem("text_too_long", "", {"max_length": ASSESSMENT_TOTAL_TEXT_MAX})
        )
    return limit_problems(problems)


def _assessment_data(source: Any, on: _dt.date | None) -> tuple[Mapping[str, Any], Section | None]:
    source = _read_text(source)
    if is_assessment(source):
        if on is not None:
            raise ValueError(
                "intyg: on= applies when a certificate is assessed; an assessment already made "
                "has its own date (bedomningsdatum)"
            )
        return check_assessment(source)[1], None
    intyg = _as_certificate(source)
    assess = _assess_function()
    day = on if on is not None else getattr(intyg, "signeringsdatum")  # noqa: B009
    result = assess(intyg, on=day)
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped, intyg


@overload
def render(
    source: Renderable | None = ...,
    *,
    format: Literal["html"] = ...,
    blank: bool = ...,
    assessment: bool = ...,
    on: _dt.date | None = ...,
    pdf_variant: str = ...,  # one of PDF_VARIANTS, checked when called (it may come from settings)
) -> str: ...


@overload
def render(
    source: Renderable | None = ...,
    *,
    format: Literal["pdf"],
    blank: bool = ...,
    assessment: bool = ...,
    on: _dt.date | None = ...,
    pdf_variant: str = ...,  # one of PDF_VARIANTS, checked when called (it may come from settings)
) -> bytes: ...


@overload
def render(
    source: Renderable | None = ...,
    *,
    format: str,
    blank: bool = ...,
    assessment: bool = ...,
    on: _dt.date | None = ...,
    pdf_variant: str = ...,
) -> str | bytes: ...


def render(
    source: Renderable | None = None,
    *,
    format: str = "html",
    blank: bool = False,
    assessment: bool = False,
    on: _dt.date | None = None,
    pdf_variant: str = DEFAULT_VARIANT,
) -> str | bytes:
    """Render a printable document: ``str`` for HTML, ``bytes`` for PDF.

    - ``render(blank=True)``: the blank form of the current form version.
    - ``render(certificate)``: a filled certificate (model, JSON text, bytes, dict or path;
      plain JSON or a FHIR QuestionnaireResponse).
    - ``render(certificate, assessment=True, on=date)``: the assessment report; ``on`` defaults
      to the certificate's signeringsdatum (never today's date).
    - ``render(assessment_made, assessment=True)``: the report of an assessment already made
      (the model from ``intyg.assess`` or its JSON data: a dict, text, bytes or path; checked
      against :class:`~intyg.Assessment`); it has its own date, so ``on`` is not given. The
      assessment names the certificate by its id only, so the report shows no patient.

    Args:
        format: ``"html"`` (a self-contained page) or ``"pdf"`` (needs the ``pdf`` extra).
        pdf_variant: ``"pdf/a-2b"`` (default, archival), another PDF/A level, or ``"plain"``.
            Used for PDF only; any of these is accepted with HTML too, so a caller can pass its
            setting along whatever the format, but an unknown one is always refused.

    Raises:
        IntygError: the input is not a valid certificate; :class:`~intyg.ConversionError` when
            an assessment given as such does not follow its schema; :class:`~intyg.RenderError`
            when the PDF cannot be made (``pdf_unavailable``, ``render_failed``).
        ValueError: the arguments do not fit together or have no such value (programming
            error): an unknown ``format`` or ``pdf_variant``; ``source``, ``assessment`` or
            ``on`` with ``blank=True``; ``on`` without ``assessment`` or with an assessment
            already made; an assessment (the model or its JSON data) without
            ``assessment=True``.
        TypeError: ``source`` is none of what render reads, for example another pydantic
            model than a certificate or (with ``assessment=True``) an :class:`~intyg.Assessment`;
            ``blank`` or ``assessment`` is not a ``bool``.
    """
    if format not in FORMATS:
        raise ValueError(f"intyg: format must be 'html' or 'pdf', not {shown(format, FORMATS)}")
    for name, flag in (("blank", blank), ("assessment", assessment)):
        if not isinstance(flag, bool):  # "nej" would count as True
            # The type only: what was passed may be a certificate or an assessment.
            raise TypeError(
                f"intyg: render({name}=...) must be True or False, not {type(flag).__name__}"
            )
    if pdf_variant not in PDF_VARIANTS:
        raise ValueError(
            f"intyg: pdf_variant must be one of {', '.join(PDF_VARIANTS)}, "
            f"not {shown(pdf_variant, PDF_VARIANTS)}"
        )
    if blank:
        if source is not None or assessment or on is not None:
            raise ValueError("intyg: render(blank=True) takes no source, assessment or on=")
        html = blank_html()
    elif source is None:
        raise ValueError("intyg: render() needs a certificate, or blank=True")
    elif assessment:
        html = assessment_html(source, on=on)
    else:
        if on is not None:
            raise ValueError("intyg: on= applies to the assessment report only")
        source = _read_text(source)
        if surely_assessment(source):
            raise ValueError(
                "intyg: render() was given an assessment; pass assessment=True to print its report"
            )
        # Another model than a certificate is refused there (TypeError), as any other source.
        html = certificate_html(cast("Section | Source", source))
    return _output(html, format, pdf_variant)


__all__ = [
    "ASSESSMENT_KEYS",
    "DEFAULT_VARIANT",
    "FORMATS",
    "PDF_VARIANTS",
    "Format",
    "PdfVariant",
    "assessment_html",
    "blank_html",
    "certificate_html",
    "html_to_pdf",
    "render",
]
