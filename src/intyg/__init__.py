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
from ._icd10 import CodeListCatalogue, Icd10Catalogue, Lookup, WhoCatalogue
from ._personid import PersonId, PersonIdError, parse_personid
from ._problems import CATALOGUE as PROBLEM_CODES
from ._problems import CodeInfo, Problem, Severity
from ._registry import CURRENT_VERSION
from ._version import __version__

# The errors are named as the public module in tracebacks, error trackers and pickles, not by
# the private module that defines them. (Not the classes with annotations: typing resolves
# those in the module named here.)
for _error in (
    ConversionError,
    FormVersionError,
    IntygError,
    IntygValidationError,
    OutputError,
    PersonIdError,
    RenderError,
    RuleSetError,
    SchemaDriftError,
):
    _error.__module__ = __name__
del _error

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
    from ._assessment._output import (
        Aktivitet,
        Anpassningsforslag,
        Begransning,
        Fynd,
        Kallhanvisning,
        Lasning,
        Level,
        NastaSteg,
        NivaIntervall,
        PeriodTimmar,
        Regelutfall,
        Regelverk,
        Skal,
        Uppfoljning,
    )
    from ._load import Source, ValidationReport, load, validate
    from ._publish import published_schema
    from ._qr import to_fhir
    from ._registry import FormVersion, get_form, supported_versions
    from ._render import (
        Format,
        PdfVariant,
        render,
    )
    from ._stored import load_assessment
    from ._v1._codes import (
        Anpassning,
        Grad,
        IdentitetKontroll,
        Omfattning,
        PrognosTyp,
        Rekommendation,
        Sysselsattning,
        UnderlagTyp,
    )
    from ._v1._model import (
        Aktivitetsbegransning,
        Bedomning,
        Behandling,
        Diagnos,
        Formular,
        Funktionsnedsattning,
        Grund,
        IcfB,
        IcfD,
        Intyg,
        Patient,
        Period,
        Prognos,
        Samverkan,
        SysselsattningDel,
        Underlag,
        Utfardare,
        Vardenhet,
    )
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
    "load_assessment": ("._stored", "load_assessment"),
    "rulesets": ("._assessment", "rulesets"),
    "published_schema": ("._publish", "published_schema"),
    "to_fhir": ("._qr", "to_fhir"),
    "render": ("._render", "render"),
    "warm_up": ("._warm", "warm_up"),
    # The types of a certificate's parts, its code lists and an assessment's parts, for
    # annotations (those of the current form version).
    "Formular": ("._v1._model", "Formular"),
    "Patient": ("._v1._model", "Patient"),
    "Underlag": ("._v1._model", "Underlag"),
    "Grund": ("._v1._model", "Grund"),
    "SysselsattningDel": ("._v1._model", "SysselsattningDel"),
    "Diagnos": ("._v1._model", "Diagnos"),
    "IcfB": ("._v1._model", "IcfB"),
    "IcfD": ("._v1._model", "IcfD"),
    "Funktionsnedsattning": ("._v1._model", "Funktionsnedsattning"),
    "Aktivitetsbegransning": ("._v1._model", "Aktivitetsbegransning"),
    "Behandling": ("._v1._model", "Behandling"),
    "Period": ("._v1._model", "Period"),
    "Bedomning": ("._v1._model", "Bedomning"),
    "Prognos": ("._v1._model", "Prognos"),
    "Samverkan": ("._v1._model", "Samverkan"),
    "Vardenhet": ("._v1._model", "Vardenhet"),
    "Utfardare": ("._v1._model", "Utfardare"),
    "UnderlagTyp": ("._v1._codes", "UnderlagTyp"),
    "IdentitetKontroll": ("._v1._codes", "IdentitetKontroll"),
    "Sysselsattning": ("._v1._codes", "Sysselsattning"),
    "Grad": ("._v1._codes", "Grad"),
    "Omfattning": ("._v1._codes", "Omfattning"),
    "Anpassning": ("._v1._codes", "Anpassning"),
    "PrognosTyp": ("._v1._codes", "PrognosTyp"),
    "Rekommendation": ("._v1._codes", "Rekommendation"),
    "Regelverk": ("._assessment._output", "Regelverk"),
    "Aktivitet": ("._assessment._output", "Aktivitet"),
    "Fynd": ("._assessment._output", "Fynd"),
    "NastaSteg": ("._assessment._output", "NastaSteg"),
    "Uppfoljning": ("._assessment._output", "Uppfoljning"),
    "Lasning": ("._assessment._output", "Lasning"),
    "Skal": ("._assessment._output", "Skal"),
    "PeriodTimmar": ("._assessment._output", "PeriodTimmar"),
    "Anpassningsforslag": ("._assessment._output", "Anpassningsforslag"),
    "Begransning": ("._assessment._output", "Begransning"),
    "NivaIntervall": ("._assessment._output", "NivaIntervall"),
    "Kallhanvisning": ("._assessment._output", "Kallhanvisning"),
    "Regelutfall": ("._assessment._output", "Regelutfall"),
    "Level": ("._assessment._output", "Level"),
    "Format": ("._render", "Format"),
    "PdfVariant": ("._render", "PdfVariant"),
}


if not TYPE_CHECKING:  # a type checker sees the names imported above, and no other

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
    "Aktivitet",
    "Aktivitetsbegransning",
    "Anpassning",
    "Anpassningsforslag",
    "Assessment",
    "Bedomning",
    "Begransning",
    "Behandling",
    "CodeInfo",
    "CodeListCatalogue",
    "ConversionError",
    "Diagnos",
    "FormVersion",
    "FormVersionError",
    "Format",
    "Formular",
    "Funktionsnedsattning",
    "Fynd",
    "Grad",
    "Grund",
    "Icd10Catalogue",
    "IcfB",
    "IcfD",
    "IdentitetKontroll",
    "Intyg",
    "IntygError",
    "IntygValidationError",
    "Kallhanvisning",
    "Lasning",
    "Level",
    "Lookup",
    "NastaSteg",
    "NivaIntervall",
    "Omfattning",
    "OutputError",
    "Patient",
    "PdfVariant",
    "Period",
    "PeriodTimmar",
    "PersonId",
    "PersonIdError",
    "Problem",
    "Prognos",
    "PrognosTyp",
    "Regelutfall",
    "Regelverk",
    "Rekommendation",
    "RenderError",
    "RuleSet",
    "RuleSetError",
    "Samverkan",
    "SchemaDriftError",
    "Severity",
    "Skal",
    "Source",
    "Sysselsattning",
    "SysselsattningDel",
    "Underlag",
    "UnderlagTyp",
    "Uppfoljning",
    "Utfardare",
    "ValidationReport",
    "Vardenhet",
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
    "load_assessment",
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
