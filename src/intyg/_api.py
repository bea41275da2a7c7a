"""Small public helpers: the embedded example, plain JSON, and reading FHIR."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._errors import ConversionError
from ._icd10 import Icd10Catalogue
from ._load import check_catalogue, load_data, read_checked
from ._problems import make_problem
from ._read import Source
from ._registry import get_form
from ._v1._model import Intyg


def example() -> dict[str, Any]:
    """The embedded example certificate (current form version), as a fresh dict."""
    return get_form().example()


def example_json() -> str:
    """The embedded example certificate as pretty-printed JSON text."""
    return json.dumps(example(), ensure_ascii=False, indent=2) + "\n"


def from_fhir(response: Source, *, icd10: Icd10Catalogue | None = None) -> Intyg:
    """Read a FHIR QuestionnaireResponse (JSON data, text, bytes or a :class:`pathlib.Path`)
    and validate it as a certificate; ``icd10`` as for :func:`load`. Unlike :func:`load`, it
    refuses a certificate in plain JSON (``fhir_wrong_resource_type``).

    Raises:
        ConversionError, FormVersionError, IntygValidationError: see :func:`load`.
        TypeError: ``icd10`` is not a code catalogue.
    """
    check_catalogue(icd10, "from_fhir")
    data = read_checked(response)
    if not isinstance(data, Mapping) or "resourceType" not in data:
        raise ConversionError([make_problem("fhir_wrong_resource_type", "resourceType")])
    return load_data(data, icd10)


def to_json(intyg: Intyg) -> dict[str, Any]:
    """A certificate as plain JSON data (unanswered optional questions left out).

    Raises:
        TypeError: ``intyg`` is not a validated certificate.
    """
    if not isinstance(intyg, Intyg):
        raise TypeError(
            "intyg.to_json: expected a validated certificate (intyg.load(...)), "
            f"not {type(intyg).__name__}"
        )
    return intyg.model_dump(mode="json", exclude_none=True)
