"""intyg: läkarintyg till socialnämnden as a versioned form, with validation and FHIR conversion.

The public surface is what this module exports; everything in ``intyg._*`` is private.

>>> import intyg
>>> report = intyg.validate(intyg.example_json())
>>> report.valid
True
"""

from __future__ import annotations

import importlib as _importlib
import json as _json
from typing import TYPE_CHECKING, Any

from ._errors import (
    ConversionError,
    FormVersionError,
    IntygError,
    IntygValidationError,
    OutputError,
    RenderError,
    RuleSetError,
    SchemaDriftError,
)
from ._icd10 import CodeListCatalogue, Icd10Catalogue, WhoCatalogue
from ._load import Source, ValidationReport, load, validate
from ._load import read_source as _read_source
from ._personid import PersonId, parse_personid
from ._problems import CATALOGUE as PROBLEM_CODES
from ._problems import Problem
from ._problems import make_problem as _make_problem
from ._registry import CURRENT_VERSION, FormVersion, get_form, supported_versions
from ._v1._model import Intyg
from ._version import __version__

if TYPE_CHECKING:
    from ._assessment import (
        Assessment,
        RuleSet,
        assess,
        assessment_json_schema,
        format_assessment,
        load_ruleset,
        rulesets,
    )
    from ._publish import published as published_schema
    from ._qr import to_questionnaire_response as to_fhir
    from ._render import render

# Heavier parts load on first use, so that `import intyg` and `intyg validate` start fast.
_LAZY: dict[str, tuple[str, str]] = {
    "Assessment": ("._assessment", "Assessment"),
    "RuleSet": ("._assessment", "RuleSet"),
    "assess": ("._assessment", "assess"),
    "assessment_json_schema": ("._assessment", "assessment_json_schema"),
    "format_assessment": ("._assessment", "format_assessment"),
    "load_ruleset": ("._assessment", "load_ruleset"),
    "rulesets": ("._assessment", "rulesets"),
    "published_schema": ("._publish", "published"),
    "to_fhir": ("._qr", "to_questionnaire_response"),
    "render": ("._render", "render"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'intyg' has no attribute {name!r}") from None
    value = getattr(_importlib.import_module(module, __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def example() -> dict[str, Any]:
    """The embedded example certificate (current form version), as a fresh dict."""
    return get_form().example()


def example_json() -> str:
    """The embedded example certificate as pretty-printed JSON text."""
    return _json.dumps(example(), ensure_ascii=False, indent=2) + "\n"


def from_fhir(response: dict[str, Any] | str | bytes) -> Intyg:
    """Read a FHIR QuestionnaireResponse (JSON data or text) and validate it as a certificate.

    Raises:
        ConversionError, FormVersionError, IntygValidationError: see :func:`load`.
    """
    from ._qr import questionnaire_response_to_dict

    data = _read_source(response)
    if not isinstance(data, dict) or "resourceType" not in data:
        raise ConversionError([_make_problem("fhir_wrong_resource_type", "resourceType")])
    return load(questionnaire_response_to_dict(data))


def to_json(intyg: Intyg) -> dict[str, Any]:
    """A certificate as plain JSON data (unanswered optional questions left out)."""
    return intyg.model_dump(mode="json", exclude_none=True)


__all__ = [
    "CURRENT_VERSION",
    "PROBLEM_CODES",
    "Assessment",
    "CodeListCatalogue",
    "ConversionError",
    "FormVersion",
    "FormVersionError",
    "Icd10Catalogue",
    "Intyg",
    "IntygError",
    "IntygValidationError",
    "OutputError",
    "PersonId",
    "Problem",
    "RenderError",
    "RuleSet",
    "RuleSetError",
    "SchemaDriftError",
    "Source",
    "ValidationReport",
    "WhoCatalogue",
    "__version__",
    "assess",
    "assessment_json_schema",
    "example",
    "example_json",
    "format_assessment",
    "from_fhir",
    "get_form",
    "load",
    "load_ruleset",
    "parse_personid",
    "published_schema",
    "render",
    "rulesets",
    "supported_versions",
    "to_fhir",
    "to_json",
    "validate",
]
