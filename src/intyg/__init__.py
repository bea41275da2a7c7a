"""intyg: läkarintyg till socialnämnden as a versioned form, with validation and FHIR conversion.

The public surface is what this module exports; everything in ``intyg._*`` is private.

>>> import intyg
>>> report = intyg.validate(intyg.example_json())
>>> report.valid
True
"""

from __future__ import annotations

import importlib as _importlib
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
from ._personid import PersonId, PersonIdError, parse_personid
from ._problems import CATALOGUE as PROBLEM_CODES
from ._problems import CodeInfo, Problem
from ._registry import CURRENT_VERSION
from ._version import __version__

if TYPE_CHECKING:
    from ._api import example, example_json, from_fhir, to_json
    from ._assessment import (
        Assessment,
        RuleSet,
        assess,
        assessment_json_schema,
        format_assessment,
        load_ruleset,
        rulesets,
    )
    from ._load import Source, ValidationReport, load, validate
    from ._publish import published as published_schema
    from ._qr import to_questionnaire_response as to_fhir
    from ._registry import FormVersion, get_form, supported_versions
    from ._render import render
    from ._v1._model import Intyg
    from ._warm import warm_up

# Everything built on pydantic loads on first use, so that `import intyg` is cheap and the
# command line decides what it needs.
_LAZY: dict[str, tuple[str, str]] = {
    "Intyg": ("._v1._model", "Intyg"),
    "Source": ("._load", "Source"),
    "ValidationReport": ("._load", "ValidationReport"),
    "load": ("._load", "load"),
    "validate": ("._load", "validate"),
    "FormVersion": ("._registry", "FormVersion"),
    "get_form": ("._registry", "get_form"),
    "supported_versions": ("._registry", "supported_versions"),
    "example": ("._api", "example"),
    "example_json": ("._api", "example_json"),
    "from_fhir": ("._api", "from_fhir"),
    "to_json": ("._api", "to_json"),
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
    "warm_up": ("._warm", "warm_up"),
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


__all__ = [
    "CURRENT_VERSION",
    "PROBLEM_CODES",
    "Assessment",
    "CodeInfo",
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
    "PersonIdError",
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
    "warm_up",
]
