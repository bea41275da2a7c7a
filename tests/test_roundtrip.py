"""Property tests: generated certificates are valid and survive JSON -> FHIR -> JSON unchanged."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings

import intyg
from _hypothesis_profiles import share
from strategies import (
    ANPASSNING,
    GRAD,
    ICD10_SE_EXTENSIONS,
    IDENTITET,
    OMFATTNING,
    PROGNOS,
    REKOMMENDATION,
    SYSSELSATTNING,
    UNDERLAG,
    luhn_check_digit,
    personid_digits,
    valid_certificates,
    walk,
)


@share(1 / 2)  # the round trip below also loads (so validates) every certificate it draws
@given(valid_certificates())
def test_strategy_generates_valid_certificates(data: dict[str, Any]) -> None:
    report = intyg.validate(data)
    assert report.valid, [(p.code, p.path) for p in report.errors]
    assert {p.severity for p in report.problems} <= {"warning"}


@given(valid_certificates())
def test_roundtrip_json_fhir_json_is_identity(data: dict[str, Any]) -> None:
    certificate = intyg.load(data)
    response = intyg.to_fhir(certificate)
    parsed = QuestionnaireResponse.model_validate(response)
    assert parsed.get_resource_type() == "QuestionnaireResponse"
    assert json.loads(json.dumps(response, ensure_ascii=False)) == response
    back = intyg.from_fhir(response)
    assert back == certificate
    assert intyg.to_json(back) == data


def test_roundtrip_fhir_text_is_identity() -> None:
    # The same through JSON text, as a response travels between systems.
    @settings(max_examples=50)
    @given(valid_certificates())
    def check(data: dict[str, Any]) -> None:
        text = json.dumps(intyg.to_fhir(intyg.load(data)), ensure_ascii=False)
        assert intyg.to_json(intyg.from_fhir(text)) == data

    check()


# ----------------------------------------------------------------- the strategy itself

_RTL = re.compile("[\u0590-\u08ff]")
_EMOJI = re.compile("[\U0001f300-\U0001faff]")


def _features(data: dict[str, Any]) -> set[str]:
    """What a certificate exercises: codes, optional fields, list sizes, kinds of text."""
    seen: set[str] = set()
    for path, value in walk(data):
        lid = ".".join(p for p in path if isinstance(p, str))
        seen.add(f"field:{lid}")
        if isinstance(value, str | int) and not isinstance(value, bool):
            seen.add(f"value:{lid}={value}")
        if isinstance(value, list):
            seen.add(f"size:{lid}={len(value)}")
        if isinstance(value, str):
            if _RTL.search(value):
                seen.add("text:rtl")
            if _EMOJI.search(value):
                seen.add("text:emoji")
            if "\n" in value:
                seen.add("text:newline")
            if re.search("[åäöÅÄÖ]", value):
                seen.add("text:swedish")
            if len(value) == 4000:
                seen.add("text:max_length")
    pid = data["patient"]["personid"]
    seen.add("personid:samordningsnummer" if int(pid[6:8]) > 60 else "personid:personnummer")
    if any(d["kod"] in ICD10_SE_EXTENSIONS for d in data["diagnoser"]):
        seen.add("icd10:extension")
    perioder = data["bedomning"].get("perioder", [])
    if [p["fran"] for p in perioder] != sorted(p["fran"] for p in perioder):
        seen.add("perioder:unordered")
    return seen


def _expected_features() -> set[str]:
    codes = {
        "grund.underlag.typ": UNDERLAG,
        "grund.identitet": IDENTITET,
        "sysselsattning.typ": SYSSELSATTNING,
        "funktionsnedsattning.icf.grad": GRAD,
        "aktivitetsbegransning.icf.grad": GRAD,
        "bedomning.perioder.omfattning": OMFATTNING,
        "bedomning.anpassningar": ANPASSNING,
        "prognos.typ": PROGNOS,
        "samverkan.rekommendationer": REKOMMENDATION,
    }
    out = {f"value:{lid}={c}" for lid, values in codes.items() for c in values}
    optional = (
        "ersatter",
        "ovrigt",
        "grund.kand_sedan",
        "grund.identitet",
        "grund.underlag.beskrivning",
        "sysselsattning.timmar_per_vecka",
        "funktionsnedsattning.icf",
        "aktivitetsbegransning.icf",
        "behandling.slutdatum",
        "behandling.forvarrande_aktiviteter",
        "bedomning.perioder",
        "bedomning.anpassningar",
        "bedomning.anpassningar_beskrivning",
        "prognos.anpassning",
        "prognos.motivering",
        "prognos.manader",
        "samverkan.rekommendationer",
        "samverkan.kontakt_anledning",
        "utfardare.vardenhet.hsa_id",
        "utfardare.vardenhet.arbetsplatskod",
    )
    out |= {f"field:{lid}" for lid in optional}
    sizes = {"grund.underlag": (1, 5), "diagnoser": (1, 3), "bedomning.perioder": (1, 4)}
    out |= {f"size:{lid}={n}" for lid, bounds in sizes.items() for n in bounds}
    out |= {"text:rtl", "text:emoji", "text:newline", "text:swedish", "text:max_length"}
    out |= {"personid:personnummer", "personid:samordningsnummer", "icd10:extension"}
    out |= {"perioder:unordered"}
    return out


def test_strategy_covers_whole_form() -> None:
    seen: set[str] = set()
    absent: set[str] = set()
    optional_top = {"ersatter", "ovrigt"}

    @settings(max_examples=300, derandomize=True, database=None)
    @given(valid_certificates())
    def collect(data: dict[str, Any]) -> None:
        seen.update(_features(data))
        absent.update(optional_top - data.keys())

    collect()
    assert sorted(_expected_features() - seen) == []
    assert absent == optional_top


def test_personid_digits_matches_known_personnummer() -> None:
    # Skatteverket's test number 19121212-1212; the helper must agree before it is trusted.
    born = dt.date(1912, 12, 12)
    assert luhn_check_digit("121212121") == 2
    assert personid_digits(born, 121, samordning=False) == "191212121212"
    samordning = intyg.parse_personid(personid_digits(born, 121, samordning=True))
    assert samordning.kind == "samordningsnummer"
    assert samordning.birth_date == born
