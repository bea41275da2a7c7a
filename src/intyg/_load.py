"""Reading certificates: JSON text, bytes, dicts, files and FHIR QuestionnaireResponses.

Pure functions apart from reading a file when given a path. Every problem comes back coded;
nothing is defaulted and nothing is dropped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jiter
from pydantic import ValidationError

from ._errors import ConversionError, IntygError, IntygValidationError
from ._form import Section
from ._icd10 import Icd10Catalogue
from ._problems import Problem, make_problem, problems_from_pydantic, safe_name
from ._registry import CURRENT_VERSION, DEFAULT_FORM_ID, FormVersion, get_form
from ._v1._model import Intyg

Source = str | bytes | bytearray | Mapping[str, Any] | os.PathLike[str]
"""What the readers accept: JSON text (str), UTF-8 bytes, a parsed dict, or a file path."""

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger input is refused before parsing (``input_too_large``)."""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        valid: True when no problem has severity ``error``.
        problems: every problem found, errors and warnings, in document order.
        intyg: the certificate when valid, else None.
        form: the form version the input named, when it could be read.
    """

    valid: bool
    problems: tuple[Problem, ...] = field(default=())
    intyg: Section | None = None
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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constant {name}")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return out


def parse_json(text: str | bytes | bytearray) -> Any:
    """Parse JSON strictly: UTF-8 only, no NaN/Infinity, no duplicate keys, bounded size.

    Raises:
        ConversionError: ``input_too_large``, ``encoding``, ``json_syntax``,
            ``json_duplicate_key`` or ``json_too_deep``.
    """
    if len(text) > MAX_INPUT_BYTES:
        raise ConversionError([make_problem("input_too_large", "", {"max_bytes": MAX_INPUT_BYTES})])
    try:
        return _quick_parse(text.encode() if isinstance(text, str) else text)
    except ValueError:  # incl. UnicodeEncodeError: the careful reader below tells what is wrong
        pass
    return _careful_parse(text)


def _quick_parse(data: bytes | bytearray) -> Any:
    # jiter (Rust) is about twice as fast as json.loads with a duplicate check. It is stricter
    # than the careful reader: it refuses duplicate keys, NaN and Infinity, a byte-order mark,
    # lone surrogates and nesting deeper than its own limit. Whatever it refuses goes to the
    # careful reader, which names the problem or, for what only jiter refuses, reads it the same
    # way as before; whatever it accepts, the careful reader reads the same (test_load proves
    # it on arbitrary text).
    return jiter.from_json(
        bytes(data), allow_inf_nan=False, cache_mode="keys", catch_duplicate_keys=True
    )


def _careful_parse(text: str | bytes | bytearray) -> Any:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConversionError([make_problem("encoding", "")]) from None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
    except _DuplicateKey as exc:
        raise ConversionError([make_problem("json_duplicate_key", safe_name(exc.key))]) from None
    except json.JSONDecodeError as exc:
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": exc.lineno, "column": exc.colno})]
        ) from None
    except ValueError:  # NaN, Infinity
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": "?", "column": "?"})]
        ) from None
    except RecursionError:
        raise ConversionError(
            [make_problem("json_too_deep", "", {"max_depth": "tillåtna"})]
        ) from None


def read_source(source: Source) -> Any:
    """Turn any accepted source into parsed JSON data (not yet validated)."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str | bytes | bytearray):
        return parse_json(source)
    if isinstance(source, os.PathLike):
        try:
            raw = Path(source).read_bytes()
        except OSError:
            raise ConversionError([make_problem("file_unreadable", "")]) from None
        return parse_json(raw)
    raise TypeError(
        "intyg: source must be JSON text (str), bytes, a dict or a path, "
        f"not {type(source).__name__}"
    )


def is_questionnaire_response(data: Any) -> bool:
    """True for a FHIR resource (it has ``resourceType``); plain certificates do not."""
    return isinstance(data, Mapping) and "resourceType" in data


def form_of(data: Mapping[str, Any]) -> FormVersion:
    """The form version a plain JSON certificate names.

    A certificate without ``formular`` is read as the current version, so every other problem
    is reported too; the missing ``formular`` itself is reported by the model as ``required``.

    Raises:
        FormVersionError: the named form or version is not supported.
    """
    formular = data.get("formular")
    if not isinstance(formular, Mapping):
        return get_form(DEFAULT_FORM_ID, CURRENT_VERSION)
    form_id = formular.get("id", DEFAULT_FORM_ID)
    version = formular.get("version", CURRENT_VERSION)
    if not isinstance(form_id, str) or not isinstance(version, str):
        return get_form(DEFAULT_FORM_ID, CURRENT_VERSION)
    return get_form(form_id, version)


def _context(icd10: Icd10Catalogue | None) -> dict[str, Any] | None:
    return {"icd10": icd10} if icd10 is not None else None


def _validate_data(data: Any, icd10: Icd10Catalogue | None) -> ValidationReport:
    if is_questionnaire_response(data):
        from ._qr import questionnaire_response_to_dict

        data = questionnaire_response_to_dict(data)
    if not isinstance(data, Mapping):
        raise ConversionError([make_problem("not_an_object", "")])
    form = form_of(data)
    try:
        model = form.model.model_validate(data, context=_context(icd10))
    except ValidationError as exc:
        return ValidationReport(False, tuple(problems_from_pydantic(exc.errors())), None, form)
    warnings = [make_problem(c, p, ctx) for c, p, ctx in form.warnings(model, icd10)]
    return ValidationReport(True, tuple(warnings), model, form)


def validate(source: Source, *, icd10: Icd10Catalogue | None = None) -> ValidationReport:
    """Check a certificate (plain JSON or QuestionnaireResponse) against its form version.

    Never raises on bad input: every problem, including unreadable JSON or an unsupported
    version, is in the report.

    Args:
        source: JSON text, UTF-8 bytes, a dict or a path.
        icd10: a diagnosis code catalogue (default: WHO ICD-10 with Swedish extensions).

    >>> import intyg
    >>> intyg.validate(intyg.example_json()).valid
    True
    """
    try:
        return _validate_data(read_source(source), icd10)
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
    report = _validate_data(read_source(source), icd10)
    if not report.valid:
        raise IntygValidationError(report.errors)
    # Only form version 1 exists; with a second major version this becomes a union.
    if not isinstance(report.intyg, Intyg):  # pragma: no cover - no other version yet
        raise TypeError("intyg.load: only form version 1 is typed here")
    return report.intyg
