"""Reading certificates: JSON text, bytes, dicts, files and FHIR QuestionnaireResponses.

Pure functions apart from reading a file when given a path. Every problem comes back coded;
nothing is defaulted and nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._careful import Careful
from ._errors import ConversionError, IntygError, IntygValidationError
from ._icd10 import Icd10Catalogue
from ._problems import Problem, make_problem
from ._quick import check
from ._read import (
    Source,
    check_shape,
    is_questionnaire_response,
    read_checked,
    read_source,
    too_deep,
)
from ._registry import FormVersion, get_form, named_version
from ._v1._model import Intyg


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        valid: True when no problem has severity ``error``.
        problems: the problems found, errors and warnings, in the order found (at most
            100; then a last ``too_many_problems`` counts the rest).
        intyg: the certificate when valid, else None.
        form: the form version the input was checked against: the one it names, or the
            current one when it names none (``formular`` left out, or not an object). None
            when the input could not be read, or names a form or version intyg does not
            support (``unsupported_form_version`` says which, when it is spelt as a version).
    """

    valid: bool
    problems: tuple[Problem, ...] = field(default=())
    intyg: Intyg | None = field(default=None, repr=False)
    """Left out of ``repr``: a report may be logged, the certificate may not."""
    form: FormVersion | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems with severity ``error``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems with severity ``warning``."""
        return tuple(p for p in self.problems if p.severity == "warning")

    def to_dict(self) -> dict[str, Any]:
        """``{"valid": bool, "problems": [{"code", "path", "message", "severity"}]}``."""
        return {"valid": self.valid, "problems": [p.to_dict() for p in self.problems]}


def form_of(data: Mapping[str, Any]) -> FormVersion:
    """The form version a plain JSON certificate names (see :func:`named_version`).

    Raises:
        FormVersionError: the named form or version is not supported.
    """
    return get_form(*named_version(data))


def check_catalogue(icd10: Any, caller: str) -> None:
    if icd10 is not None and not callable(getattr(icd10, "lookup", None)):
        raise TypeError(
            f"intyg.{caller}: icd10 must be a code catalogue with a lookup(code) method "
            f"(intyg.CodeListCatalogue, intyg.WhoCatalogue), not {type(icd10).__name__}"
        )


def _validate_data(data: Any, icd10: Icd10Catalogue | None) -> ValidationReport:
    """Validate read data; the one path of :func:`validate`, :func:`load` and
    :func:`intyg.from_fhir`.

    Data too deep or too large for :func:`check_shape` is refused as such whatever else is wrong
    with it: short JSON text is not measured as it is read (that would slow every valid
    certificate down), so it is measured when the input turns out not to be valid, here when it
    cannot be read as a certificate and by :func:`intyg._quick.check` when it is an invalid one;
    deep content can only be in the wrong place. A ``RecursionError`` from anything recursive
    below (only possible when the caller's own stack is nearly spent) becomes ``json_too_deep``.

    Raises:
        ConversionError, FormVersionError: the input cannot be read as a certificate.
    """
    try:
        report = _validate_read_data(data, icd10)
    except IntygError:
        check_shape(data)
        raise
    except RecursionError:
        raise too_deep("") from None
    return report


def _validate_read_data(data: Any, icd10: Icd10Catalogue | None) -> ValidationReport:
    if is_questionnaire_response(data):
        from ._qr import questionnaire_response_to_dict

        data = questionnaire_response_to_dict(data)
    if not isinstance(data, Mapping):
        raise ConversionError([make_problem("not_an_object", "")])
    form = form_of(data)
    careful = _CAREFUL.get(form.model) or _careful(form)
    valid, problems, model = check(form.model.model_validate, form.warnings, data, icd10, careful)
    return ValidationReport(valid, problems, model, form)


_CAREFUL: dict[type, Careful] = {}
"""The second look at an invalid certificate (:func:`intyg._quick.check`), one per form, by its
model (looked up for every certificate: a class hashes faster than a FormVersion)."""


def _careful(form: FormVersion) -> Careful:
    model = form.model

    def schema() -> Any:  # the model's, built when first needed
        return model.__pydantic_core_schema__

    careful = Careful(schema, None, form.example, form._rule_inputs)
    return _CAREFUL.setdefault(model, careful)


def load_data(data: Any, icd10: Icd10Catalogue | None = None) -> Intyg:
    """:func:`load` of data already read (:func:`read_checked`)."""
    return load_with_warnings(data, icd10)[0]


def load_with_warnings(
    data: Any, icd10: Icd10Catalogue | None = None
) -> tuple[Intyg, tuple[Problem, ...]]:
    """:func:`load_data`, and the warnings of the valid certificate (which the command line
    shows beside what it makes of it)."""
    report = _validate_data(data, icd10)
    if not report.valid:
        raise IntygValidationError(report.errors)
    # Only form version 1 exists; with a second major version this becomes a union.
    if not isinstance(report.intyg, Intyg):  # pragma: no cover - no other version yet
        raise TypeError("intyg.load: only form version 1 is typed here")
    return report.intyg, report.warnings


def validate(source: Source, *, icd10: Icd10Catalogue | None = None) -> ValidationReport:
    """Check a certificate (plain JSON or QuestionnaireResponse) against its form version.

    Never raises on bad input: every problem, including unreadable JSON or an unsupported
    version, is in the report.

    Args:
        source: JSON text, UTF-8 bytes, a dict or a :class:`pathlib.Path`.
        icd10: a diagnosis code catalogue (default: WHO ICD-10 with Swedish extensions).

    Raises:
        TypeError: a mistake in the call: ``source`` of no accepted kind, or ``icd10`` with no
            ``lookup``. (A ``str`` is JSON text: a file name given as one is ``json_syntax``;
            give a file as :class:`pathlib.Path`.)

    >>> import intyg
    >>> intyg.validate(intyg.example_json()).valid
    True
    """
    check_catalogue(icd10, "validate")
    try:
        return _validate_data(read_checked(source), icd10)
    except IntygError as exc:
        return ValidationReport(False, exc.problems)


def load(source: Source, *, icd10: Icd10Catalogue | None = None) -> Intyg:
    """Read and validate a certificate; return the immutable model.

    Raises:
        ConversionError: the input cannot be read as JSON or mapped from FHIR.
        FormVersionError: the form version is not supported.
        IntygValidationError: the certificate breaks rules of its form (``.problems``).

    >>> import intyg
    >>> intyg.load(intyg.example_json()).patient.namn
    'Tolvan Tolvansson'
    """
    check_catalogue(icd10, "load")
    return load_data(read_checked(source), icd10)


__all__ = [
    "Source",
    "ValidationReport",
    "form_of",
    "load",
    "load_data",
    "load_with_warnings",
    "read_checked",
    "read_source",
    "validate",
]
