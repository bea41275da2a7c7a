"""Validation for ``python -m intyg validate`` that starts without pydantic's model machinery.

A plain JSON certificate of the version the prebuilt validator covers
(:mod:`intyg._v1._prebuilt`, generated from the model) is checked by it: the same core schema,
field checks, conditions and cross-field rules as :func:`intyg.validate`, on light stand-ins
instead of pydantic models. Everything else (a QuestionnaireResponse, another form version) is
left to :func:`intyg.validate`. ``tests/test_prebuilt.py`` shows that both give the same
problems.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pydantic_core
from pydantic_core import SchemaError, SchemaValidator, ValidationError

from ._careful import Careful
from ._errors import ConversionError, IntygError
from ._icd10 import Icd10Catalogue
from ._problems import Problem, make_problem, problems_from_pydantic
from ._read import holds_iterator, is_questionnaire_response, read_source
from ._registry import example_bytes, named_version

Checked = tuple[bool, tuple[Problem, ...], Any]
"""Valid or not, the problems (errors, or the warnings on a valid certificate), the result."""


def check(
    validate: Callable[..., Any],
    warnings: Callable[[Any, Icd10Catalogue | None], list[Any]],
    data: Mapping[str, Any],
    icd10: Icd10Catalogue | None,
    careful: Careful,
) -> Checked:
    """Validate ``data`` with ``validate`` (a model's or the prebuilt validator); on success,
    add the form's ``warnings``. Shared by :func:`intyg.validate` and :func:`validate_quickly`,
    so both turn the same errors into the same problems.

    On errors, a whole line of ``assess --batch``'s output or an assessment is refused as such
    (:func:`refuse_what_is_no_certificate`); else ``data`` is measured (:func:`check_shape`:
    too deep or too large is refused as such, whatever else is wrong with it, since short JSON
    text is not measured as it is read), and ``careful`` looks again for what pydantic's first
    pass left out (:mod:`intyg._careful`), unless ``data`` holds an iterator, which the first
    pass used up. A valid certificate is validated once and not measured.

    Raises:
        ConversionError: ``batch_line_given``, ``assessment_given``, ``json_too_deep`` or
            ``json_too_many_elements`` (invalid data only).
    """
    context = {"icd10": icd10} if icd10 is not None else None
    try:
        result = validate(data, context=context)
    except ValidationError as exc:
        refuse_what_is_no_certificate(data)  # not a certificate missing every part
        errors = exc.errors()
        if not holds_iterator(data):
            errors = careful.errors(validate, data, context, errors)
        return False, tuple(problems_from_pydantic(errors)), None
    found = tuple(make_problem(c, p, ctx) for c, p, ctx in warnings(result, icd10))
    return True, found, result


_BATCH_LINE_KEYS = frozenset({"line", "valid", "problems", "assessment"})
"""The keys of a line that ``assess --batch`` writes (:mod:`intyg._batch`)."""


def refuse_batch_line(source: Any) -> None:
    """Refuse a whole line of ``assess --batch``'s output given where a certificate or an
    assessment is read: it is neither, and read as one it would be missing every part.

    Raises:
        ConversionError: ``batch_line_given``.
    """
    if isinstance(source, Mapping) and "line" in source and source.keys() <= _BATCH_LINE_KEYS:
        raise ConversionError([make_problem("batch_line_given", "")])


ASSESSMENT_HEAD = frozenset({"schemaversion", "bedomningsdatum", "regelverk"})
"""The keys every assessment's JSON starts with, none of which a certificate has."""


def surely_assessment_data(data: Mapping[str, Any]) -> bool:
    """JSON data that is surely an assessment, not a certificate: no ``formular`` and the three
    keys every assessment starts with. A certificate with a stray key of an assessment is still
    a certificate, with an ``unknown_field``."""
    return "formular" not in data and data.keys() >= ASSESSMENT_HEAD


def refuse_what_is_no_certificate(data: Mapping[str, Any]) -> None:
    """Refuse, as such, what was given as a certificate but is output of intyg: a whole line
    of ``assess --batch`` or an assessment. Read as a certificate either would be missing
    every part (and have a dozen unknown fields).

    Raises:
        ConversionError: ``batch_line_given`` or ``assessment_given``.
    """
    refuse_batch_line(data)
    if surely_assessment_data(data):
        raise ConversionError([make_problem("assessment_given", "")])


def release_series(version: str) -> str:
    """``major.minor`` of a version string (``2.50.5`` -> ``2.50``)."""
    return ".".join(version.split(".")[:2])


@cache
def _prebuilt() -> tuple[tuple[str, str], SchemaValidator, Careful] | None:
    """The form version the prebuilt validator covers, and the validator; None when the
    installed pydantic-core is of another release series than the one the schema was generated
    and tested with (a schema is only trusted where it was tested: the model then checks every
    certificate). Any patch release of that series is used."""
    from ._v1 import _prebuilt
    from ._v1._checks import RULE_INPUTS

    if release_series(pydantic_core.__version__) != _prebuilt.PYDANTIC_CORE_SERIES:
        return None
    try:
        validator = SchemaValidator(_prebuilt.CORE_SCHEMA, _prebuilt.CONFIG)
    except SchemaError:  # pragma: no cover - only with a pydantic-core the versions hide
        return None
    careful = Careful(
        lambda: _prebuilt.CORE_SCHEMA,
        _prebuilt.CONFIG,
        lambda: json.loads(example_bytes(_prebuilt.FORM_ID, _prebuilt.FORM_VERSION)),
        RULE_INPUTS,
    )
    return (_prebuilt.FORM_ID, _prebuilt.FORM_VERSION), validator, careful


def validate_quickly(
    source: bytes, icd10: Icd10Catalogue | None = None
) -> tuple[bool, tuple[Problem, ...]] | None:
    """Validity and problems of a certificate, as :func:`intyg.validate` gives them; None when
    only :func:`intyg.validate` can tell (a QuestionnaireResponse, another form version, input
    that is not a JSON object, or a pydantic-core other than the prebuilt schema's)."""
    from ._v1._checks import warnings_for

    try:
        data = read_source(source)
    except IntygError as exc:
        return False, exc.problems
    if not isinstance(data, Mapping) or is_questionnaire_response(data):
        return None
    prebuilt = _prebuilt()
    if prebuilt is None or named_version(data) != prebuilt[0]:
        return None
    _, validator, careful = prebuilt
    try:
        valid, problems, _ = check(validator.validate_python, warnings_for, data, icd10, careful)
    except IntygError as exc:  # as intyg.validate: too deep or too large is refused as such
        return False, exc.problems
    return valid, problems
