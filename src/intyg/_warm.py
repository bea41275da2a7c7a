"""Do at once what first use would do later: for a server that forks or starts threads."""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import importlib
from typing import Any

from ._errors import IntygError


def warm_up(*, pdf: bool = False) -> None:
    """Import, build and load now everything a call may need on first use: the models and
    their validators (also those that list every problem of an invalid certificate), the
    FHIR reader (also its full check with ``fhir.resources``), the rule sets, the ICD-10 list,
    the templates and the published schemas; with ``pdf=True`` also WeasyPrint.

    First use takes locks that belong to Python's import system and to pydantic. A process
    that forks (``multiprocessing`` with its default start method on Linux, a pre-forking
    server) while another of its threads is making a first call leaves the child waiting for a
    lock no thread in it will release. Call this once before forking or before starting
    threads, as a pre-forking server's preload does; it takes about a second (more with PDF).
    Calling it again does nothing new.

    Raises:
        RenderError: ``pdf=True`` and PDF cannot be made here (``pdf_unavailable``).
        TypeError: ``pdf`` is not a ``bool``.
    """
    if not isinstance(pdf, bool):  # "nej" would count as True
        raise TypeError(f"intyg.warm_up(pdf=...) must be True or False, not {type(pdf).__name__}")
    from . import _api, _load, _qr
    from ._personid import parse_personid
    from ._publish import published_schema
    from ._render import render

    data = _api.example()
    text = _api.example_json()
    certificate = _load.load(text)
    _load.validate(text.encode())
    _load.validate(("\ufeff" + text).encode())  # the careful reader (a byte-order mark)
    for broken in _broken(data):
        _load.validate(broken)  # the careful path: every problem of an invalid certificate
    _qr.import_fhir_models()
    response = _qr.to_fhir(certificate)
    _api.from_fhir(response)
    full = {**copy.deepcopy(response), "language": "sv", "text": _NARRATIVE}
    _api.from_fhir(full)  # beyond the quick check: fhir.resources and the narrative check
    for wrong in ({**response, "status": "in-progress"}, {**full, "status": "in-progress"}):
        with contextlib.suppress(IntygError):
            _api.from_fhir(wrong)
    on = certificate.signeringsdatum
    render(certificate)
    render(blank=True)
    try:  # through the import system, as render finds it (not a package attribute left over)
        _assessment = importlib.import_module("._assessment", __package__)
    except ImportError:  # an installation without the assessment support: nothing to build
        pass
    else:
        for ruleset in _assessment.rulesets():
            day = (
                ruleset.giltig_fran
                if ruleset.giltig_till is not None
                else max(ruleset.giltig_fran, on)
            )
            made = _assessment.assess(certificate, day, ruleset)
            _assessment.format_assessment(made)
            render(made.model_dump(mode="json"), assessment=True)
        from ._stored import load_assessment

        load_assessment(made.model_dump_json())
        render(certificate, assessment=True, on=on)
        _assessment.assessment_json_schema()
    published_schema("jsonschema")
    published_schema("questionnaire")
    parse_personid("191212121212")
    parse_personid("121212-1212", on=_dt.date(2026, 1, 1))
    if pdf:
        render(certificate, format="pdf")


_NARRATIVE = {
    "status": "generated",
    "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Läkarintyg</p></div>',
}


def _broken(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Invalid certificates that take each way of listing problems: a missing part, a wrong
    value in a list, a rule across fields, a list item of the wrong kind."""
    missing = {k: v for k, v in data.items() if k != "patient"}
    in_list = copy.deepcopy(data)
    in_list["bedomning"]["perioder"][0]["omfattning"] = 33
    across = copy.deepcopy(data)
    across["bedomning"]["perioder"][0]["till"] = "1999-01-01"
    wrong_item = copy.deepcopy(data)
    wrong_item["diagnoser"].append("F32")
    return [{}, missing, in_list, across, wrong_item]
