"""FHIR: the Questionnaire, CodeSystems and QuestionnaireResponse conversion (both directions)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import event, given
from hypothesis import strategies as st

import _hypothesis_profiles  # noqa: F401  (the CI and local example counts)
import intyg
from intyg._qr import SYSTEM_HSA_ID, SYSTEM_PERSONNUMMER, SYSTEM_SAMORDNINGSNUMMER
from intyg._qr_quick import plainly_conformant
from intyg._questionnaire import build_codesystem, kodverk_of
from intyg._tree import nodes_by_link_id, question_tree


@pytest.fixture
def qr(example: dict[str, Any]) -> dict[str, Any]:
    return intyg.to_fhir(intyg.load(example))


def _codes(source: Any) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in intyg.validate(source).problems}


def _all_items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for it in items:
        yield it
        yield from _all_items(it.get("item", []))


def _item(qr: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(it for it in _all_items(qr["item"]) if it["linkId"] == link_id)


def test_questionnaire_parses_with_fhir_resources() -> None:
    q = intyg.published_schema("questionnaire")
    model = Questionnaire.model_validate(q)
    assert model.url == intyg.get_form().canonical
    assert model.version == "1.0.0"


def test_questionnaire_link_ids_equal_json_paths_and_are_unique() -> None:
    q = intyg.published_schema("questionnaire")
    seen: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for it in items:
            seen.append(it["linkId"])
            walk(it.get("item", []))

    walk(q["item"])
    assert len(seen) == len(set(seen))
    questions = [s for s in seen if not s.endswith(".hjalp")]
    assert set(questions) == set(nodes_by_link_id(intyg.Intyg))
    assert all(s.isascii() for s in seen)


def test_questionnaire_conditional_items_have_enable_when() -> None:
    q = intyg.published_schema("questionnaire")
    perioder = _item(q, "bedomning.perioder")
    assert perioder["enableWhen"] == [
        {"question": "bedomning.forhindrad", "operator": "=", "answerBoolean": True}
    ]
    timmar = _item(q, "sysselsattning.timmar_per_vecka")
    assert timmar["enableBehavior"] == "all"
    assert {w["operator"] for w in timmar["enableWhen"]} == {"!="}
    help_items = [i for i in perioder["item"] if i["type"] == "display"]
    assert help_items and help_items[0]["linkId"] == "bedomning.perioder.hjalp"


def test_questionnaire_help_texts_come_from_the_model() -> None:
    q = intyg.published_schema("questionnaire")
    for node in nodes_by_link_id(intyg.Intyg).values():
        item = _item(q, node.link_id)
        assert item["text"] == node.title
        helps = [i["text"] for i in item.get("item", []) if i["type"] == "display"]
        assert helps == ([node.help] if node.help else [])


def test_codesystems_parse_and_cover_every_answer_option() -> None:
    form = intyg.get_form()
    systems = {}
    for kv in kodverk_of(form):
        cs = build_codesystem(kv, form)
        CodeSystem.model_validate(cs)
        systems[cs["url"]] = {c["code"] for c in cs["concept"]}
    q = intyg.published_schema("questionnaire")

    def walk(items: list[dict[str, Any]]) -> None:
        for it in items:
            for opt in it.get("answerOption", []):
                coding = opt["valueCoding"]
                assert coding["code"] in systems[coding["system"]]
            walk(it.get("item", []))

    walk(q["item"])


def test_to_fhir_response_parses_and_references_url_and_version(qr: dict[str, Any]) -> None:
    QuestionnaireResponse.model_validate(qr)
    assert qr["questionnaire"] == f"{intyg.get_form().canonical}|1.0.0"
    assert qr["subject"]["identifier"] == {"system": SYSTEM_PERSONNUMMER, "value": "191212121212"}
    assert qr["author"]["identifier"]["system"] == SYSTEM_HSA_ID


@pytest.mark.parametrize("personid", ["197010632391", "200001610013"])  # day 63; 61, the first
def test_to_fhir_samordningsnummer_uses_its_system(example: dict[str, Any], personid: str) -> None:
    example["patient"]["personid"] = personid
    qr = intyg.to_fhir(intyg.load(example))
    assert qr["subject"]["identifier"]["system"] == SYSTEM_SAMORDNINGSNUMMER
    assert intyg.to_json(intyg.from_fhir(qr)) == example


def test_fhir_round_trip_is_lossless(example: dict[str, Any], qr: dict[str, Any]) -> None:
    back = intyg.from_fhir(qr)
    assert intyg.to_json(back) == example
    assert intyg.to_fhir(back) == qr
    assert intyg.from_fhir(json.dumps(qr)) == back


def test_validate_detects_questionnaire_response(qr: dict[str, Any]) -> None:
    assert intyg.validate(json.dumps(qr)).valid
    assert intyg.validate(qr).valid


def test_from_fhir_accepts_older_inera_oids(qr: dict[str, Any]) -> None:
    qr["subject"]["identifier"]["system"] = "urn:oid:1.2.752.129.2.1.3.1"
    qr["author"]["identifier"]["system"] = "urn:oid:1.2.752.129.2.1.4.1"
    assert intyg.validate(qr).valid


@pytest.mark.parametrize(
    ("system", "problems"),
    [
        ("urn:oid:1.2.752.129.2.1.3.3", []),  # Inera's older OID for a samordningsnummer
        (
            "urn:oid:1.2.752.129.2.1.3.1",
            [("fhir_identifier_system_mismatch", "subject.identifier.system")],
        ),
    ],
)
def test_from_fhir_older_inera_oid_must_name_a_samordningsnummer_as_one(
    example: dict[str, Any], system: str, problems: list[tuple[str, str]]
) -> None:
    example["patient"]["personid"] = "197010632391"  # a samordningsnummer (day 63)
    qr = intyg.to_fhir(intyg.load(example))
    qr["subject"]["identifier"]["system"] = system
    if not problems:
        assert intyg.to_json(intyg.from_fhir(qr)) == example
        return
    with pytest.raises(intyg.ConversionError) as exc:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in exc.value.problems] == problems


# FHIR R4 refuses these, fhir.resources (R4B) takes them: the property tests, which compare the
# quick check with fhir.resources, cannot see a quick check that lets them pass.
@pytest.mark.parametrize(
    ("place", "value"),
    [
        ("id", "x" * 65),  # id: [A-Za-z0-9\-\.]{1,64}
        ("id", "a b"),
        ("status", "unknown"),  # a required binding: not in the value set
        ("status", "Completed"),
        ("questionnaire", "http://x y"),  # uri: no white space
        ("questionnaire", ""),  # no empty strings in FHIR JSON
        ("identifier.system", "urn:x\t"),
        ("coding.system", " urn:x"),
    ],
)
def test_quick_check_is_as_strict_as_fhir_r4_where_fhir_resources_is_not(
    qr: dict[str, Any], place: str, value: str
) -> None:
    changed = copy.deepcopy(qr)
    if place == "identifier.system":
        changed["identifier"]["system"] = value
    elif place == "coding.system":
        _item(changed, "prognos.typ")["answer"][0]["valueCoding"]["system"] = value
    else:
        changed[place] = value
    assert plainly_conformant(qr)
    assert not plainly_conformant(changed)


# Where the quick check declines them, fhir.resources takes these too (its id has no length
# limit, its uri pattern matches any text): the slow path holds them to FHIR R4's patterns.
@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("id",), "x" * 65),
        (("meta", "versionId"), "x" * 65),
        (("meta", "source"), "urn:x y"),
        (("questionnaire",), "http://x y"),
        (("questionnaire",), ""),
        (("identifier", "system"), "urn:x\t"),
        (("identifier", "system"), ""),
        (("subject", "type"), "Pat ient"),
        (("author", "identifier", "type", "coding", 0, "system"), " urn:x"),
    ],
)
def test_from_fhir_holds_r4_patterns_that_fhir_resources_does_not(
    qr: dict[str, Any], place: tuple[str | int, ...], value: str
) -> None:
    qr["meta"] = {"versionId": "1"}
    qr["author"]["identifier"]["type"] = {"coding": [{"system": "urn:x", "code": "PRN"}]}
    assert intyg.to_json(intyg.from_fhir(qr)) == intyg.example()
    node: Any = qr
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = value
    with pytest.raises(intyg.ConversionError) as exc:
        intyg.from_fhir(qr)
    where = ".".join(f"[{k}]" if isinstance(k, int) else k for k in place).replace(".[", "[")
    assert [(p.code, p.path) for p in exc.value.problems] == [("fhir_invalid_resource", where)]


def test_quick_check_takes_items_eight_levels_deep_and_no_deeper(qr: dict[str, Any]) -> None:
    def nested(levels: int) -> dict[str, Any]:
        item: dict[str, Any] = {"linkId": "x", "answer": [{"valueString": "x"}]}
        for _ in range(levels - 1):
            item = {"linkId": "x", "item": [item]}
        return item

    eight, nine = copy.deepcopy(qr), copy.deepcopy(qr)
    eight["item"].append(nested(8))
    nine["item"].append(nested(9))
    assert plainly_conformant(eight)
    assert not plainly_conformant(nine)


def test_from_fhir_refuses_definition_on_a_nested_item(qr: dict[str, Any]) -> None:
    # An item's definition is not read: refused wherever it stands, not only at the top.
    i = next(i for i, it in enumerate(qr["item"]) if it["linkId"] == "patient")
    qr["item"][i]["item"][0]["definition"] = "http://example.org/Questionnaire#x"
    with pytest.raises(intyg.ConversionError) as exc:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in exc.value.problems] == [
        ("fhir_element_not_supported", f"item[{i}].item[0].definition")
    ]


def test_from_fhir_takes_identifier_when_item_absent(qr: dict[str, Any]) -> None:
    patient = _item(qr, "patient")
    patient["item"] = [i for i in patient["item"] if i["linkId"] != "patient.personid"]
    assert intyg.from_fhir(qr).patient.personid == "191212121212"


def test_from_fhir_takes_intygsid_and_date_from_header_when_items_absent(
    qr: dict[str, Any],
) -> None:
    qr["item"] = [i for i in qr["item"] if i["linkId"] not in ("intygsid", "signeringsdatum")]
    model = intyg.from_fhir(qr)
    assert str(model.intygsid) == qr["identifier"]["value"].removeprefix("urn:uuid:")
    assert model.signeringsdatum.isoformat() == qr["authored"]


@pytest.mark.parametrize(
    "authored",
    [
        "2026-11-19T23:30:00Z",  # just after midnight in Sweden, the day before in UTC
        "2026-12-03T08:00:00+01:00",  # amended, or stamped when a form filler exported it
        "2026-11",  # a valid FHIR dateTime; the signing date is answered
    ],
)
def test_from_fhir_authored_is_not_the_signing_date(qr: dict[str, Any], authored: str) -> None:
    qr["status"] = "amended"
    qr["authored"] = authored
    report = intyg.validate(qr)
    assert report.valid, report.problems
    assert report.intyg is not None
    assert (
        report.intyg.signeringsdatum.isoformat()
        == _item(qr, "signeringsdatum")["answer"][0]["valueDate"]
    )


def test_from_fhir_signing_date_from_authored_with_a_time(qr: dict[str, Any]) -> None:
    day = _item(qr, "signeringsdatum")["answer"][0]["valueDate"]
    qr["item"] = [i for i in qr["item"] if i["linkId"] != "signeringsdatum"]
    qr["authored"] = day + "T16:30:00+01:00"
    assert intyg.from_fhir(qr).signeringsdatum.isoformat() == day


def test_from_fhir_header_agrees_in_other_spellings(qr: dict[str, Any]) -> None:
    qr["status"] = "amended"
    qr["identifier"]["value"] = qr["identifier"]["value"].upper().replace("URN:UUID:", "urn:uuid:")
    qr["authored"] = qr["authored"] + "T16:30:00+01:00"
    qr["subject"]["identifier"]["value"] = "19121212-1212"
    _item(qr, "patient")["item"][0]["answer"] = [{"valueString": "121212+1212"}]
    assert intyg.validate(qr).valid, intyg.validate(qr).problems


def test_from_fhir_reads_past_technical_elements(qr: dict[str, Any]) -> None:
    qr["id"] = "svar-1"
    qr["meta"] = {"lastUpdated": "2026-11-20T10:00:00Z"}
    qr["language"] = "sv-SE"
    qr["text"] = {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'}
    assert intyg.validate(qr).valid


def _on_both_paths(qr: dict[str, Any]) -> list[dict[str, Any]]:
    """The response, and a copy that the quick check declines (``meta`` is outside its part of
    R4), so that ``fhir.resources`` and the full reading see it."""
    slow = {**copy.deepcopy(qr), "meta": {"lastUpdated": "2026-11-20T10:00:00Z"}}
    assert not plainly_conformant(slow)
    return [qr, slow]


@pytest.mark.parametrize("use", ["official", "usual"])
@pytest.mark.parametrize("where", ["identifier", "subject", "author"])
def test_from_fhir_reads_past_identifier_use_that_keeps_the_meaning(
    example: dict[str, Any], qr: dict[str, Any], use: str, where: str
) -> None:
    ident = qr[where] if where == "identifier" else qr[where]["identifier"]
    ident["use"] = use
    assert plainly_conformant(qr)  # as fast as without it
    for response in _on_both_paths(qr):
        assert intyg.to_json(intyg.from_fhir(response)) == example


@pytest.mark.parametrize(
    "type_",
    [
        {"text": "Personnummer"},
        {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                    "version": "2.9",
                    "code": "NNSWE",
                    "display": "National Person Identifier",
                }
            ]
        },
        {"coding": [{"system": "urn:x", "code": "x"}, {"display": "y"}], "text": "z"},
    ],
)
def test_from_fhir_reads_past_a_well_formed_identifier_type(
    example: dict[str, Any], qr: dict[str, Any], type_: dict[str, Any]
) -> None:
    for ident in (qr["identifier"], qr["subject"]["identifier"], qr["author"]["identifier"]):
        ident["type"] = copy.deepcopy(type_)
    assert plainly_conformant(qr)
    QuestionnaireResponse.model_validate(copy.deepcopy(qr))
    for response in _on_both_paths(qr):
        assert intyg.to_json(intyg.from_fhir(response)) == example


def test_from_fhir_reads_past_reference_types_that_match(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    qr["subject"]["type"] = "Patient"
    qr["author"]["type"] = "Practitioner"
    assert plainly_conformant(qr)
    for response in _on_both_paths(qr):
        assert intyg.to_json(intyg.from_fhir(response)) == example


def test_quick_check_declines_other_reference_types(qr: dict[str, Any]) -> None:
    for where, type_ in [("subject", "Practitioner"), ("author", "Patient")]:
        other = copy.deepcopy(qr)
        other[where]["type"] = type_
        assert not plainly_conformant(other)
        assert (f"{where}.type", "fhir_wrong_reference_type") in {
            (p.path, p.code) for p in intyg.validate(other).problems
        }


def test_from_fhir_reads_past_the_display_name_of_the_questionnaire(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    qr["_questionnaire"] = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/display",
                "valueString": "Läkarintyg till socialnämnden",
            }
        ]
    }
    assert intyg.to_json(intyg.from_fhir(qr)) == example


def test_from_fhir_refuses_more_inside_the_display_name_of_the_questionnaire(
    qr: dict[str, Any],
) -> None:
    # Read past only as the plain display name: anything nested in it would be lost unsaid.
    qr["_questionnaire"] = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/display",
                "valueString": "Läkarintyg till socialnämnden",
                "extension": [{"url": "http://example.org/annat", "valueString": "y"}],
            }
        ]
    }
    assert ("fhir_extension_not_supported", "_questionnaire.extension[0]") in _codes(qr)
    assert not intyg.validate(qr).valid


def test_from_fhir_answer_with_two_values_is_refused_as_fhir_refuses_it(qr: dict[str, Any]) -> None:
    # FHIR allows one value[x] per answer; the quick check must leave it to the full one.
    qr["item"][0]["answer"][0]["valueInteger"] = 3
    assert not plainly_conformant(qr)
    assert _codes(qr) == {("fhir_invalid_resource", "item[0].answer[0]")}


def test_from_fhir_reads_past_unanswered_help_items(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    """Where the Questionnaire has them: in a group, beneath an unanswered question's item and
    beneath a question's answers."""
    for perioder in (i for i in _item(qr, "bedomning")["item"] if i["linkId"].endswith("der")):
        perioder["item"].insert(0, {"linkId": "bedomning.perioder.hjalp", "text": "Hjälp"})
    qr["item"].insert(
        2, {"linkId": "ersatter", "item": [{"linkId": "ersatter.hjalp", "text": "Hjälp"}]}
    )
    for ans in _item(qr, "sysselsattning.typ")["answer"]:
        ans["item"] = [{"linkId": "sysselsattning.typ.hjalp"}]
    assert not plainly_conformant(qr)  # an answer with items: fhir.resources checks it
    assert intyg.to_json(intyg.from_fhir(qr)) == example
    del _item(qr, "sysselsattning.typ")["answer"][0]["item"]
    del _item(qr, "sysselsattning.typ")["answer"][1]["item"]
    for response in _on_both_paths(qr):
        assert intyg.to_json(intyg.from_fhir(response)) == example


def test_quick_check_declines_items_beneath_both_item_and_answer(qr: dict[str, Any]) -> None:
    """FHIR's qrs-1, which fhir.resources does not check."""
    _item(qr, "ovrigt")["item"] = [{"linkId": "ovrigt.hjalp"}]
    assert not plainly_conformant(qr)


@pytest.mark.parametrize("number", ["30.0", "3e1", "30.5", '"30"', "true"])
def test_from_fhir_integer_must_be_a_json_integer(qr: dict[str, Any], number: str) -> None:
    """FHIR's JSON integer has no fraction part; fhir.resources (pydantic) reads 30.0 as 30."""
    path = "item[4].item[1].answer[0].valueInteger"
    assert qr["item"][4]["item"][1]["answer"] == [{"valueInteger": 30}]
    text = json.dumps(qr).replace('"valueInteger": 30}', '"valueInteger": ' + number + "}")
    parsed = json.loads(text)
    assert not plainly_conformant(parsed)
    for response in (text, *_on_both_paths(parsed)):
        with pytest.raises(intyg.ConversionError) as info:
            intyg.from_fhir(response)
        assert [(p.code, p.path) for p in info.value.problems] == [("fhir_invalid_resource", path)]


def test_fhir_resources_alone_takes_an_integer_with_fraction_zero(qr: dict[str, Any]) -> None:
    """Why intyg checks integers itself after fhir.resources (if this starts failing,
    fhir.resources has become strict and the check may go)."""
    qr["item"][4]["item"][1]["answer"] = [{"valueInteger": 30.0}]
    read = QuestionnaireResponse.model_validate(qr).item[4].item[1]
    assert read.linkId == "sysselsattning.timmar_per_vecka"
    value = read.answer[0].valueInteger
    assert (type(value), value) == (int, 30)  # read as the integer, fraction dropped


def test_from_fhir_reads_a_coding_that_names_the_code_system_version_of_the_form(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    for it in _all_items(qr["item"]):
        for ans in it.get("answer", []):
            if "valueCoding" in ans:
                ans["valueCoding"]["version"] = "1.0.0"
    assert intyg.published_schema("codesystem-prognos")["version"] == "1.0.0"
    assert plainly_conformant(qr)
    for response in _on_both_paths(qr):
        assert intyg.to_json(intyg.from_fhir(response)) == example


def _mutate(qr: dict[str, Any], case: str) -> None:
    if case == "unknown_link_id":
        _item(qr, "patient")["item"].append(
            {"linkId": "patient.adress", "answer": [{"valueString": "x"}]}
        )
    elif case == "misplaced":
        qr["item"].append({"linkId": "patient.namn", "answer": [{"valueString": "x"}]})
    elif case == "wrong_answer_type":
        _item(qr, "bedomning.forhindrad")["answer"] = [{"valueString": "ja"}]
    elif case == "multiple_answers":
        _item(qr, "patient.namn")["answer"].append({"valueString": "x"})
    elif case == "duplicate_item":
        qr["item"].append(copy.deepcopy(_item(qr, "prognos")))
    elif case == "wrong_code_system":
        _item(qr, "prognos.typ")["answer"][0]["valueCoding"]["system"] = "http://example.org/x"
    elif case == "unknown_identifier_system":
        qr["subject"]["identifier"]["system"] = "http://example.org/pnr"
    elif case == "identifier_mismatch":
        qr["subject"]["identifier"]["value"] = "197010632391"
    elif case == "wrong_questionnaire":
        qr["questionnaire"] = "http://example.org/Questionnaire/x|1.0.0"
    elif case == "missing_questionnaire":
        del qr["questionnaire"]
    elif case == "unsupported_version":
        qr["questionnaire"] = qr["questionnaire"].replace("|1.0.0", "|9.0.0")
    elif case == "no_version":
        qr["questionnaire"] = qr["questionnaire"].split("|")[0]
    elif case == "invalid_resource":
        qr["authored"] = "igår"
    elif case == "wrong_resource_type":
        qr["resourceType"] = "Questionnaire"
    elif case == "disabled_answer":
        _item(qr, "bedomning.forhindrad")["answer"] = [{"valueBoolean": False}]
    elif case == "answer_under_group":
        _item(qr, "patient")["answer"] = [{"valueString": "x"}]
    elif case == "unknown_code":
        _item(qr, "prognos.typ")["answer"][0]["valueCoding"]["code"] = "KANSKE"
    elif case.startswith("status_"):
        qr["status"] = case.removeprefix("status_").replace("_", "-")
    elif case == "subject_other_century":  # the same ten digits, a hundred years apart
        qr["subject"]["identifier"]["value"] = "201212121212"
    elif case == "subject_suffix":
        qr["subject"]["identifier"]["value"] = "99" + qr["subject"]["identifier"]["value"]
    elif case == "subject_short_answer_other_person":  # 121212-1212 on 2026-11-20 is 2012
        _item(qr, "patient")["item"][0]["answer"] = [{"valueString": "121212-1212"}]
    elif case == "subject_wrong_kind":
        qr["subject"]["identifier"]["system"] = (
            "http://electronichealth.se/identifier/samordningsnummer"
        )
    elif case == "author_prefix":
        qr["author"]["identifier"]["value"] = "X" + qr["author"]["identifier"]["value"]
    elif case == "identifier_other_certificate":
        qr["identifier"]["value"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    elif case == "identifier_not_uuid":
        qr["identifier"]["value"] = "intyg-1"
    elif case == "identifier_other_system":
        qr["identifier"]["system"] = "http://example.org/ids"
    elif case == "authored_month_only_no_signing_date":
        qr["item"] = [i for i in qr["item"] if i["linkId"] != "signeringsdatum"]
        qr["authored"] = "2026-11"
    elif case == "modifier_extension":
        _item(qr, "ovrigt")["modifierExtension"] = [
            {"url": "http://example.org/negated", "valueBoolean": True}
        ]
    elif case == "implicit_rules":
        qr["implicitRules"] = "http://example.org/rules"
    elif case == "extension":
        qr["extension"] = [{"url": "http://example.org/x", "valueString": "x"}]
    elif case == "primitive_extension":
        _item(qr, "ovrigt")["answer"][0]["_valueString"] = {
            "extension": [{"url": "http://example.org/x", "valueString": "x"}]
        }
    elif case in ("based_on", "encounter"):
        key = "basedOn" if case == "based_on" else "encounter"
        qr[key] = (
            [{"reference": "ServiceRequest/1"}]
            if key == "basedOn"
            else {"reference": "Encounter/1"}
        )
    elif case == "subject_reference":  # beside the identifier: could name someone else
        qr["subject"]["reference"] = "Patient/annan"
    elif case == "subject_reference_only":
        qr["subject"] = {"reference": "Patient/annan"}
    elif case == "author_display":
        qr["author"]["display"] = "Dr X"
    elif case == "identifier_assigner":
        qr["subject"]["identifier"]["assigner"] = {"display": "Region X"}
    elif case == "item_definition":
        _item(qr, "ovrigt")["definition"] = "http://example.org/Questionnaire#ovrigt"
    elif case == "grade_with_zero":  # "02" is no code of the list, though int("02") == 2
        _item(qr, "funktionsnedsattning.icf.grad")["answer"][0]["valueCoding"]["code"] = "02"
    elif case == "identifier_use_temp":
        qr["subject"]["identifier"]["use"] = "temp"
    elif case == "identifier_use_secondary":
        qr["identifier"]["use"] = "secondary"
    elif case == "identifier_use_old":
        qr["author"]["identifier"]["use"] = "old"
    elif case == "identifier_use_no_code":  # fhir.resources does not check the code
        qr["identifier"]["use"] = "primary"
    elif case == "identifier_type_empty_coding":  # fhir.resources lets [] pass here
        qr["subject"]["identifier"]["type"] = {"coding": [], "text": "Personnummer"}
    elif case == "identifier_type_empty":
        qr["identifier"]["type"] = {}
    elif case == "identifier_type_extension":
        qr["author"]["identifier"]["type"] = {
            "text": "HSA-id",
            "extension": [{"url": "http://example.org/x", "valueString": "x"}],
        }
    elif case == "identifier_period":
        qr["subject"]["identifier"]["period"] = {"end": "2020-01-01"}
    elif case == "subject_type_other":
        qr["subject"]["type"] = "Group"
    elif case == "author_type_other":
        qr["author"]["type"] = "Organization"
    elif case == "author_type_role":  # the HSA-id read is the doctor's own, not a role's
        qr["author"]["type"] = "PractitionerRole"
    elif case == "questionnaire_other_extension":
        qr["_questionnaire"] = {
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/display", "valueString": "x"},
                {"url": "http://example.org/x", "valueString": "x"},
            ]
        }
    elif case == "questionnaire_display_not_text":
        qr["_questionnaire"] = {
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/display", "valueInteger": 1}
            ]
        }
    elif case == "questionnaire_display_without_value":
        qr["_questionnaire"] = {
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/display"}]
        }
    elif case == "subject_as_bytes":  # an object given as the bytes of its JSON text
        qr["subject"] = json.dumps(qr["subject"]).encode()
    elif case == "help_answered_in_group":
        _item(qr, "bedomning.perioder")["item"].insert(
            0, {"linkId": "bedomning.perioder.hjalp", "answer": [{"valueString": "x"}]}
        )
    elif case == "help_answered_under_answer":
        _item(qr, "ovrigt")["answer"][0]["item"] = [
            {"linkId": "ovrigt.hjalp", "answer": [{"valueString": "x"}]}
        ]
    elif case == "help_answered_under_repeated_answer":
        _item(qr, "sysselsattning.typ")["answer"][-1]["item"] = [
            {"linkId": "sysselsattning.typ.hjalp", "answer": [{"valueBoolean": True}]}
        ]
    elif case == "help_answered_under_item":
        qr["item"].insert(
            2,
            {
                "linkId": "ersatter",
                "item": [{"linkId": "ersatter.hjalp", "answer": [{"valueString": "x"}]}],
            },
        )
    elif case == "help_misplaced":
        qr["item"].append({"linkId": "ovrigt.hjalp", "text": "x"})
    elif case == "help_with_items":
        _item(qr, "bedomning.perioder")["item"].insert(
            0, {"linkId": "bedomning.perioder.hjalp", "item": [{"linkId": "x"}]}
        )
    elif case == "help_under_answered_item":  # beneath both the item and its answer (qrs-1)
        _item(qr, "ovrigt")["item"] = [{"linkId": "ovrigt.hjalp", "text": "x"}]
    elif case == "integer_with_fraction_zero":
        _item(qr, "sysselsattning.timmar_per_vecka")["answer"] = [{"valueInteger": 30.0}]
    elif case == "integer_as_text":
        _item(qr, "sysselsattning.timmar_per_vecka")["answer"] = [{"valueInteger": "30"}]
    elif case == "code_system_version_other":
        _item(qr, "prognos.typ")["answer"][0]["valueCoding"]["version"] = "2.0.0"
    elif case == "code_system_version_in_repeated_answer":
        _item(qr, "sysselsattning.typ")["answer"][-1]["valueCoding"]["version"] = "1.0"
    else:  # pragma: no cover
        raise AssertionError(case)


QR_CASES = [
    # the example's patient group is item[2], with 2 items: the unknown one is the third
    ("unknown_link_id", ("fhir_unknown_link_id", "item[2].item[2].linkId")),
    ("misplaced", ("fhir_misplaced_item", "patient.namn")),
    ("wrong_answer_type", ("fhir_wrong_answer_type", "bedomning.forhindrad")),
    ("multiple_answers", ("fhir_multiple_answers", "patient.namn")),
    ("duplicate_item", ("fhir_duplicate_item", "prognos")),
    ("wrong_code_system", ("fhir_wrong_code_system", "prognos.typ")),
    ("unknown_identifier_system", ("fhir_unknown_identifier_system", "subject.identifier.system")),
    ("identifier_mismatch", ("fhir_identifier_mismatch", "subject.identifier.value")),
    ("wrong_questionnaire", ("fhir_wrong_questionnaire", "questionnaire")),
    ("missing_questionnaire", ("fhir_missing_questionnaire", "questionnaire")),
    ("unsupported_version", ("unsupported_form_version", "questionnaire")),
    ("no_version", ("fhir_missing_questionnaire_version", "questionnaire")),
    ("invalid_resource", ("fhir_invalid_resource", "authored")),
    ("wrong_resource_type", ("fhir_wrong_resource_type", "resourceType")),
    ("disabled_answer", ("conditional_forbidden", "bedomning.perioder")),
    ("answer_under_group", ("fhir_wrong_answer_type", "patient")),
    ("unknown_code", ("invalid_code", "prognos.typ")),
    ("status_in_progress", ("fhir_status_not_final", "status")),
    ("status_entered_in_error", ("fhir_status_not_final", "status")),
    ("status_stopped", ("fhir_status_not_final", "status")),
    ("status_finished", ("fhir_status_not_final", "status")),  # no R4 code at all
    ("subject_other_century", ("fhir_identifier_mismatch", "subject.identifier.value")),
    ("subject_suffix", ("fhir_identifier_mismatch", "subject.identifier.value")),
    ("subject_short_answer_other_person", ("fhir_identifier_mismatch", "subject.identifier.value")),
    ("subject_wrong_kind", ("fhir_identifier_system_mismatch", "subject.identifier.system")),
    ("author_prefix", ("fhir_identifier_mismatch", "author.identifier.value")),
    ("identifier_other_certificate", ("fhir_identifier_mismatch", "identifier.value")),
    ("identifier_not_uuid", ("fhir_identifier_mismatch", "identifier.value")),
    ("identifier_other_system", ("fhir_unknown_identifier_system", "identifier.system")),
    ("authored_month_only_no_signing_date", ("fhir_authored_not_a_day", "authored")),
    ("modifier_extension", ("fhir_modifier_not_supported", "item[13].modifierExtension")),
    ("implicit_rules", ("fhir_modifier_not_supported", "implicitRules")),
    ("extension", ("fhir_extension_not_supported", "extension")),
    ("primitive_extension", ("fhir_extension_not_supported", "item[13].answer[0]._valueString")),
    ("based_on", ("fhir_element_not_supported", "basedOn")),
    ("encounter", ("fhir_element_not_supported", "encounter")),
    ("grade_with_zero", ("invalid_code", "funktionsnedsattning.icf[0].grad")),
    ("subject_reference", ("fhir_element_not_supported", "subject.reference")),
    ("subject_reference_only", ("fhir_element_not_supported", "subject.reference")),
    ("author_display", ("fhir_element_not_supported", "author.display")),
    ("identifier_assigner", ("fhir_element_not_supported", "subject.identifier.assigner")),
    ("item_definition", ("fhir_element_not_supported", "item[13].definition")),
    ("identifier_use_temp", ("fhir_modifier_not_supported", "subject.identifier.use")),
    ("identifier_use_secondary", ("fhir_modifier_not_supported", "identifier.use")),
    ("identifier_use_old", ("fhir_modifier_not_supported", "author.identifier.use")),
    ("identifier_use_no_code", ("fhir_invalid_resource", "identifier.use")),
    ("identifier_type_empty_coding", ("fhir_invalid_resource", "subject.identifier.type.coding")),
    ("identifier_type_empty", ("fhir_invalid_resource", "identifier.type")),
    (
        "identifier_type_extension",
        ("fhir_extension_not_supported", "author.identifier.type.extension"),
    ),
    ("identifier_period", ("fhir_element_not_supported", "subject.identifier.period")),
    ("subject_type_other", ("fhir_wrong_reference_type", "subject.type")),
    ("author_type_other", ("fhir_wrong_reference_type", "author.type")),
    ("author_type_role", ("fhir_wrong_reference_type", "author.type")),
    (
        "questionnaire_other_extension",
        ("fhir_extension_not_supported", "_questionnaire.extension[1]"),
    ),
    (
        "questionnaire_display_not_text",
        ("fhir_extension_not_supported", "_questionnaire.extension[0]"),
    ),
    (
        "questionnaire_display_without_value",
        ("fhir_extension_not_supported", "_questionnaire.extension[0]"),
    ),
    ("subject_as_bytes", ("fhir_invalid_resource", "subject")),
    ("help_answered_in_group", ("fhir_answer_to_display_item", "bedomning.perioder[0].hjalp")),
    ("help_answered_under_answer", ("fhir_answer_to_display_item", "ovrigt.hjalp")),
    (
        "help_answered_under_repeated_answer",
        ("fhir_answer_to_display_item", "sysselsattning.typ[1].hjalp"),
    ),
    ("help_answered_under_item", ("fhir_answer_to_display_item", "ersatter.hjalp")),
    ("help_misplaced", ("fhir_misplaced_item", "ovrigt.hjalp")),
    ("help_with_items", ("fhir_misplaced_item", "bedomning.perioder[0].hjalp")),
    ("help_under_answered_item", ("fhir_misplaced_item", "ovrigt")),
    (
        "integer_with_fraction_zero",
        ("fhir_invalid_resource", "item[4].item[1].answer[0].valueInteger"),
    ),
    ("integer_as_text", ("fhir_invalid_resource", "item[4].item[1].answer[0].valueInteger")),
    ("code_system_version_other", ("fhir_code_system_version_mismatch", "prognos.typ")),
    (
        "code_system_version_in_repeated_answer",
        ("fhir_code_system_version_mismatch", "sysselsattning.typ[1]"),
    ),
]


@pytest.mark.parametrize(("case", "expected"), QR_CASES, ids=[c for c, _ in QR_CASES])
def test_from_fhir_bad_response_gives_coded_problem(
    qr: dict[str, Any], case: str, expected: tuple[str, str]
) -> None:
    _mutate(qr, case)
    assert expected in _codes(qr)
    with pytest.raises(intyg.IntygError) as info:
        intyg.from_fhir(qr)
    assert expected[0] in info.value.codes


def test_from_fhir_reports_several_item_problems_at_once(qr: dict[str, Any]) -> None:
    _mutate(qr, "unknown_link_id")
    _mutate(qr, "multiple_answers")
    _mutate(qr, "wrong_code_system")
    codes = {c for c, _ in _codes(qr)}
    assert {"fhir_unknown_link_id", "fhir_multiple_answers", "fhir_wrong_code_system"} <= codes


def test_from_fhir_rejects_plain_json(example: dict[str, Any]) -> None:
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(example)
    assert info.value.codes == ["fhir_wrong_resource_type"]


def test_question_tree_is_in_form_order() -> None:
    keys = [n.key for n in question_tree(intyg.Intyg)]
    assert keys[:3] == ["intygsid", "signeringsdatum", "ersatter"]
    assert keys[-1] == "utfardare"


# ---------------------------------------------------------------- the quick conformance check

_GOLDEN_QRS: list[dict[str, Any]] = []


def _golden_qrs() -> list[dict[str, Any]]:
    if not _GOLDEN_QRS:
        from test_assessment_golden import generate_certificates

        _GOLDEN_QRS.extend(intyg.to_fhir(intyg.load(d)) for d in generate_certificates(40))
    return _GOLDEN_QRS


def test_quick_check_accepts_what_intyg_writes() -> None:
    # Otherwise every response would take the slow path, and nothing would say so.
    assert all(plainly_conformant(q) for q in _golden_qrs())


_TRICKY_TEXTS = [
    "",
    " ",
    "\t\n",
    "\u3000",
    "\x0b",
    "\x1c",
    "a\x00",
    "a\ud800",
    " x ",
    "x  y",
    "2026-11-24",
    "2026-02-30",
    "0000-01-01",
    "2026-11",
    "2026",
    "2026-11-24T10:00:00",
    "2026-11-24T10:00:00Z",
    "2026-11-24T24:00:00Z",
    "2026-11-24T10:00:60Z",
    "2026-11-24T10:00:00+14:00",
    "2026-11-24T10:00:00+14:30",
    "2026-11-24T10:00:00.5Z",
    "2026-02-30T10:00:00Z",  # a day no month has, in a time of day
    "0000-01-01T00:00:00Z",  # year 0: FHIR has none
    "2026-11-24T10:00:00+01:00:30",  # an offset with seconds, which Python reads
    "2026-11-24T10:00:00Zx",
    "completed",
    "unknown",
    "urn:intyg:fhir:CodeSystem:aktivitetstyp",
    "http://x y",
    "åäö:x",
    "QuestionnaireResponse",
    "official",
    "usual",
    "temp",
    "Patient",
    "Practitioner",
    "1.0.0",
    "x" * 100_001,
]
"""Texts at the edges of the FHIR types: blank, control characters, dates, times, codes."""

_TRICKY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.sampled_from([2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(_TRICKY_TEXTS),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(
        st.sampled_from(["system", "code", "value", "version", "use", "text", "x"]),
        st.text(max_size=3),
    ),
)
_KEYS = st.sampled_from(
    [
        "valueString",
        "valueDecimal",
        "valueDate",
        "valueCoding",
        "valueInteger",
        "answer",
        "item",
        "display",
        "system",
        "code",
        "value",
        "meta",
        "extension",
        "_status",
        "text",
        "linkId",
        "reference",
        "identifier",
        "id",
        "use",
        "type",
        "version",
        "foo",
    ]
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _places(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _places(v, (*path, i))
    return out


@st.composite
def _mutated_qrs(draw: st.DrawFn) -> dict[str, Any]:
    qr = copy.deepcopy(draw(st.sampled_from(_golden_qrs())))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_places(qr)[1:]))
        parent: Any = qr
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = draw(st.sampled_from(["set", "set", "delete", "add", "empty"]))
        if action == "set":
            parent[last] = draw(_TRICKY)
        elif action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent[last], dict):
            parent[last][draw(_KEYS)] = draw(_TRICKY)
        elif action == "empty" and isinstance(parent[last], list | dict):
            parent[last] = type(parent[last])()
    return qr


@given(_mutated_qrs())
def test_quick_check_accepts_only_what_fhir_resources_accepts(qr: dict[str, Any]) -> None:
    """The quick check may send a valid response to fhir.resources, never pass an invalid one."""
    quick = plainly_conformant(qr)
    event(f"quick check {'accepts' if quick else 'defers'}")
    if quick:
        QuestionnaireResponse.model_validate(copy.deepcopy(qr))  # raises if it is not R4


_TRICKY_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    1.5,
    40.0,
    [],
    {},
    {"x": "y"},
    {"text": "x"},
    {"text": ""},
    {"coding": []},
    {"coding": [{}]},
    {"coding": [{"system": "urn:x", "code": "x", "version": "1"}]},
    {"coding": {"code": "x"}},
    *_TRICKY_TEXTS,
]


def _first_answer_with(qr: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for it in _all_items(qr["item"]) for a in it.get("answer", []) if key in a)


def _places_to_try(qr: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    """Every kind of value the quick check judges: where it sits (object, key)."""
    coding = _first_answer_with(qr, "valueCoding")["valueCoding"]
    return {
        "id": (qr, "id"),
        "status": (qr, "status"),
        "authored": (qr, "authored"),
        "questionnaire": (qr, "questionnaire"),
        "identifier.system": (qr["identifier"], "system"),
        "identifier.value": (qr["identifier"], "value"),
        "identifier.use": (qr["identifier"], "use"),
        "identifier.type": (qr["identifier"], "type"),
        "subject.identifier.value": (qr["subject"]["identifier"], "value"),
        "subject.identifier.use": (qr["subject"]["identifier"], "use"),
        "author.identifier.type": (qr["author"]["identifier"], "type"),
        "subject.type": (qr["subject"], "type"),
        "author.type": (qr["author"], "type"),
        "item.linkId": (qr["item"][0], "linkId"),
        "item.text": (qr["item"][0], "text"),
        "valueString": (_first_answer_with(qr, "valueString"), "valueString"),
        "valueDate": (_first_answer_with(qr, "valueDate"), "valueDate"),
        "valueInteger": (_first_answer_with(qr, "valueInteger"), "valueInteger"),
        "valueBoolean": (_first_answer_with(qr, "valueBoolean"), "valueBoolean"),
        "valueCoding.system": (coding, "system"),
        "valueCoding.code": (coding, "code"),
        "valueCoding.display": (coding, "display"),
        "valueCoding.version": (coding, "version"),
    }


@pytest.mark.parametrize(
    "place", sorted(_places_to_try(intyg.to_fhir(intyg.load(intyg.example()))))
)
def test_quick_check_never_passes_a_value_fhir_resources_refuses(place: str) -> None:
    accepted = 0
    for value in _TRICKY_VALUES:
        qr = intyg.to_fhir(intyg.load(intyg.example()))
        obj, key = _places_to_try(qr)[place]
        obj[key] = value
        if plainly_conformant(qr):
            accepted += 1
            QuestionnaireResponse.model_validate(qr)  # raises if it is not R4
    assert accepted >= 1  # some value of the kind passes, so the check is exercised


@pytest.mark.parametrize(
    "key",
    [
        "extension",
        "modifierExtension",
        "implicitRules",
        "contained",
        "basedOn",
        "partOf",
        "encounter",
        "source",
        "_status",
    ],
)
def test_quick_check_admits_no_element_that_reading_must_refuse(
    qr: dict[str, Any], key: str
) -> None:
    """Reading looks for these only when the quick check declined the response."""
    from intyg._qr_quick import plainly_conformant

    at_root = {**qr, key: [{"url": "urn:x", "valueString": "x"}]}
    in_item = copy.deepcopy(qr)
    _item(in_item, "ovrigt")[key] = [{"url": "urn:x", "valueString": "x"}]
    assert not plainly_conformant(at_root)
    assert not plainly_conformant(in_item)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda q: q.update(_questionnaire={"extension": []}), "_questionnaire.extension"),
        (lambda q: q.update(meta={"versionId": None}), "meta.versionId"),
        (lambda q: q["subject"]["identifier"].update(use=None), "subject.identifier.use"),
        (lambda q: q["author"].update(type=None), "author.type"),
    ],
    ids=["empty_extension_list", "null_in_meta", "null_use", "null_reference_type"],
)
def test_empty_list_or_null_anywhere_is_invalid_fhir(
    change: Callable[[dict[str, Any]], None], path: str
) -> None:
    # FHIR's JSON has neither; fhir.resources would read them as absent.
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    change(qr)
    assert ("fhir_invalid_resource", path) in {
        (p.code, p.path) for p in intyg.validate(qr).problems
    }


def _as_tuples(qr: dict[str, Any], link_id: str, key: str, value: Any) -> dict[str, Any]:
    """``qr`` with ``value`` as ``key`` of item ``link_id``'s first answer, in a tuple."""
    answer = _item(qr, link_id)["answer"]
    answer[0][key] = value
    _item(qr, link_id)["answer"] = tuple(answer)
    return qr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda q: _as_tuples(
                q, "ovrigt", "item", ({"linkId": "ovrigt.tillagg", "answer": []},)
            ),
            ("fhir_misplaced_item", "ovrigt"),
        ),
        (
            lambda q: _as_tuples(
                q,
                "samverkan.kontakt_onskas",
                "modifierExtension",
                ({"url": "http://example.org/negated", "valueBoolean": True},),
            ),
            ("fhir_modifier_not_supported", "item[12].item[1].answer[0].modifierExtension"),
        ),
        (
            lambda q: q.update(extension=({"url": "http://example.org/x", "valueString": "y"},)),
            ("fhir_extension_not_supported", "extension"),
        ),
        (
            lambda q: _as_tuples(q, "sysselsattning.timmar_per_vecka", "valueInteger", 30.0),
            ("fhir_invalid_resource", "item[4].item[1].answer[0].valueInteger"),
        ),
    ],
    ids=["item_under_answer", "modifier_extension", "extension", "integer_as_float"],
)
def test_a_callers_tuple_is_read_as_the_array_it_stands_for(
    qr: dict[str, Any], change: Any, expected: tuple[str, str]
) -> None:
    # fhir.resources reads a tuple as an array; so must every check after it, or what it holds
    # (a modifier meaning "not", an answer to a question that does not exist) is lost.
    change(qr)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    assert expected in {(p.code, p.path) for p in info.value.problems}


def test_a_callers_tuples_that_hold_nothing_wrong_read_as_lists(
    qr: dict[str, Any], example: dict[str, Any]
) -> None:
    patient = _item(qr, "patient")
    patient["item"] = tuple(patient["item"])
    qr["meta"] = {"profile": ("http://example.org/StructureDefinition/x",)}  # not plain
    assert intyg.from_fhir(qr) == intyg.load(example)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("authored", 20261120),
        ("authored", 1.5),
        ("meta.lastUpdated", 0),
        ("userSelected", "yes"),
        ("userSelected", 1),
        ("valueDecimal", "1.5"),
    ],
)
def test_fhir_values_of_another_json_type_are_refused(
    qr: dict[str, Any], where: str, value: Any
) -> None:
    # fhir.resources reads 20261120 as a time in 1970 and "yes" as true; FHIR's JSON does not.
    if where == "authored":
        qr["authored"] = value
        path = "authored"
    elif where == "meta.lastUpdated":
        qr["meta"] = {"lastUpdated": value}
        path = "meta.lastUpdated"
    elif where == "userSelected":
        coded = next(i for i in _all_items(qr["item"]) if "valueCoding" in i.get("answer", [{}])[0])
        coded["answer"][0]["valueCoding"]["userSelected"] = value
        path = "valueCoding.userSelected"
    else:
        qr["extension"] = [{"url": "http://example.org/x", "valueDecimal": value}]
        path = "extension[0].valueDecimal"
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    found = {(p.code, p.path) for p in info.value.problems}
    assert any(c == "fhir_invalid_resource" and p.endswith(path) for c, p in found), found


def test_a_fhir_resources_models_own_dump_with_dates_as_dates_is_read(
    qr: dict[str, Any], example: dict[str, Any]
) -> None:
    # A caller who built the response with fhir.resources may pass its model_dump(): dates
    # and times as Python objects, not text. Only a number or a boolean as a date is refused.
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    dumped = QuestionnaireResponse.model_validate(qr).model_dump(exclude_none=True)
    assert isinstance(dumped["authored"], dt.date)
    assert intyg.from_fhir(dumped) == intyg.load(example)


def test_a_dumped_models_authored_stands_in_for_an_unanswered_signing_date(
    qr: dict[str, Any], example: dict[str, Any]
) -> None:
    # As with JSON text: the day of authored is the signing date when that is not answered,
    # and the personnummer is read against it.
    qr["item"] = [it for it in qr["item"] if it["linkId"] != "signeringsdatum"]
    qr["authored"] = example["signeringsdatum"]
    dumped = QuestionnaireResponse.model_validate(qr).model_dump(exclude_none=True)
    assert isinstance(dumped["authored"], dt.date)
    assert intyg.from_fhir(dumped) == intyg.load(example)


@pytest.mark.parametrize(
    "authored",
    [
        "2026-11-20T23:30:00-05:00",  # 2026-11-21 in UTC
        "2026-11-20T00:30:00+14:00",  # 2026-11-19 in UTC
        dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.date(2026, 11, 20),
    ],
)
def test_authored_gives_the_day_as_written_not_the_day_in_another_zone(
    qr: dict[str, Any], example: dict[str, Any], authored: Any
) -> None:
    # The signing day is the day the author wrote, in text or as a Python object alike.
    assert example["signeringsdatum"] == "2026-11-20"
    qr["item"] = [it for it in qr["item"] if it["linkId"] != "signeringsdatum"]
    qr["authored"] = authored
    assert intyg.from_fhir(qr) == intyg.load(example)


@pytest.mark.parametrize("value", [4, 4.0, 4.5])
def test_a_decimal_answer_to_an_integer_question_is_the_wrong_answer_type(
    qr: dict[str, Any], value: float
) -> None:
    # A whole number is a decimal in FHIR's JSON as well: the answer is well formed, only of
    # the wrong type for the question.
    _item(qr, "prognos.manader")["answer"] = [{"valueDecimal": value}]
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in info.value.problems] == [
        ("fhir_wrong_answer_type", "prognos.manader")
    ]


def test_unknown_link_ids_are_named_by_their_place_never_repeated(qr: dict[str, Any]) -> None:
    # A linkId the form does not have may hold anything, a name that reads as a field name
    # too ("Tolvan.Tolvansson" was repeated, free text was "(namnlöst)" for all): each item is
    # named by where it stands. A linkId of the form's in the wrong group is named as itself.
    group = next(i for i, it in enumerate(qr["item"]) if it.get("item"))
    qr["item"][group]["item"].append({"linkId": "Tolvan 1", "answer": [{"valueString": "x"}]})
    qr["item"].append({"linkId": "Tolvan.Tolvansson", "answer": [{"valueString": "x"}]})
    qr["item"].append({"linkId": "patient.namn", "answer": [{"valueString": "x"}]})
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    inner = len(qr["item"][group]["item"]) - 1
    top = len(qr["item"]) - 2
    assert [(p.code, p.path) for p in info.value.problems] == [
        ("fhir_unknown_link_id", f"item[{group}].item[{inner}].linkId"),
        ("fhir_unknown_link_id", f"item[{top}].linkId"),
        ("fhir_misplaced_item", "patient.namn"),
    ]
    assert "Tolvan" not in str(info.value)


def test_to_fhir_names_an_upper_case_intygsid_in_lower_case_in_its_uri(
    example: dict[str, Any],
) -> None:
    # The form takes the id in either case; the urn:uuid URI is written as RFC 4122 and FHIR's
    # uuid type write one, while the answer keeps the id as the certificate has it.
    example["intygsid"] = example["intygsid"].upper()
    cert = intyg.load(example)
    qr = intyg.to_fhir(cert)
    assert qr["identifier"]["value"] == f"urn:uuid:{example['intygsid'].lower()}"
    assert intyg.from_fhir(qr) == cert


_XHTML_DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Läkarintyg</p></div>'


def test_from_fhir_reads_past_a_narrative_at_the_limits(qr: dict[str, Any]) -> None:
    # 63 levels inside the div (64 with it) and 19 999 elements and attributes in all: read
    div = (
        '<div xmlns="http://www.w3.org/1999/xhtml">'
        + "<span>" * 63
        + "x"
        + "</span>" * 63
        + "<b/>" * (19_999 - 64)
        + "</div>"
    )
    qr["text"] = {"status": "generated", "div": div}
    assert intyg.from_fhir(qr) == intyg.load(intyg.example())


@pytest.mark.parametrize("status", ["generated", "extensions", "empty"])
@pytest.mark.parametrize(
    "div",
    [_XHTML_DIV, '<div xmlns="http://www.w3.org/1999/xhtml"><img src="intyg.png" alt=""/></div>'],
    ids=["text", "image"],  # an image is content too (FHIR's txt-2)
)
def test_from_fhir_reads_past_a_narrative_made_from_the_answers(
    qr: dict[str, Any], status: str, div: str
) -> None:
    qr["text"] = {"status": status, "div": div}
    assert intyg.from_fhir(qr) == intyg.from_fhir({k: v for k, v in qr.items() if k != "text"})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a person wrote it, and it may say more than the answers: lost if read past
        (
            {"status": "additional", "div": _XHTML_DIV},
            ("fhir_element_not_supported", "text.status"),
        ),
        ({"status": "klar", "div": _XHTML_DIV}, ("fhir_invalid_resource", "text.status")),
        ({"status": "generated", "div": "Läkarintyg"}, ("fhir_invalid_resource", "text.div")),
        ({"status": "generated", "div": "<div>x</div>"}, ("fhir_invalid_resource", "text.div")),
        (
            {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"> </div>'},
            ("fhir_invalid_resource", "text.div"),
        ),
        (
            {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script>y</div>',
            },
            ("fhir_invalid_resource", "text.div"),
        ),
        (
            {
                "status": "generated",
                "div": '<!DOCTYPE div [<!ENTITY a "b">]>'
                '<div xmlns="http://www.w3.org/1999/xhtml">&a;</div>',
            },
            ("fhir_invalid_resource", "text.div"),
        ),
        (  # a DOCTYPE declaring nothing: still none allowed
            {
                "status": "generated",
                "div": '<!DOCTYPE div><div xmlns="http://www.w3.org/1999/xhtml">Intyg</div>',
            },
            ("fhir_invalid_resource", "text.div"),
        ),
        (
            {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml">\ud800</div>',
            },
            ("fhir_invalid_resource", "text.div"),
        ),
        (  # nested deeper than JSON input may be (9 million levels took a gigabyte)
            {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml">'
                + "<span>" * 64
                + "x"
                + "</span>" * 64
                + "</div>",
            },
            ("fhir_invalid_resource", "text.div"),
        ),
        (  # more elements and attributes than JSON input may hold values
            {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml">x'
                + '<b a="1"/>' * 10_000
                + "</div>",
            },
            ("fhir_invalid_resource", "text.div"),
        ),
    ],
    ids=[
        "additional",
        "unknown_status",
        "plain_text",
        "no_namespace",
        "blank",
        "script",
        "doctype",
        "doctype_declaring_nothing",
        "lone_surrogate",
        "too_deep",
        "too_many_elements",
    ],
)
def test_from_fhir_refuses_a_narrative_fhir_does_not_allow_or_that_would_be_lost(
    qr: dict[str, Any], text: dict[str, Any], found: tuple[str, str]
) -> None:
    qr["text"] = text
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in info.value.problems] == [found]


def _objects(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every object inside ``node`` (not ``node`` itself), depth first."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(value, dict | list):
            if isinstance(value, dict):
                yield (*path, key)
            yield from _objects(value, (*path, key))


def test_from_fhir_refuses_every_object_given_as_its_json_text(qr: dict[str, Any]) -> None:
    # fhir.resources reads text where FHIR has an object as JSON, so "subject" could be the
    # text of another patient's reference and pass every check after it, which read objects.
    # Each object of a response, one at a time, replaced by its own JSON text: refused, coded.
    qr = copy.deepcopy(qr)
    qr["_status"] = {"extension": [{"url": "urn:x", "valueString": "x"}]}  # one of each kind
    paths = list(_objects(qr))
    assert len(paths) > 100
    for path in paths:
        changed = copy.deepcopy(qr)
        node: Any = changed
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = json.dumps(node[path[-1]])
        with pytest.raises(intyg.ConversionError) as info:
            intyg.from_fhir(changed)
        where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")
        problems = {(p.code, p.path) for p in info.value.problems}
        assert problems == {("fhir_invalid_resource", where)}


@pytest.mark.parametrize("link_id", ["patient.namn", "sysselsattning.typ"])
def test_a_duplicate_question_is_named_also_when_its_first_answer_cannot_be_read(
    qr: dict[str, Any], link_id: str
) -> None:
    # Every problem at once: the second copy is a duplicate whatever became of the first.
    group = _item(qr, link_id.split(".")[0])
    first = _item(qr, link_id)
    second = copy.deepcopy(first)
    first["answer"] = [{"valueInteger": 5}]
    group["item"].append(second)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    found = [(p.code, p.path) for p in info.value.problems]
    assert ("fhir_duplicate_item", link_id) in found
    assert [c for c, _ in found if c != "fhir_duplicate_item"] == ["fhir_wrong_answer_type"]


def test_from_fhir_reads_past_the_source_in_meta(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    # meta is read past as a whole (integration.md), its source among the rest.
    qr["meta"] = {"source": "http://example.org/journal"}
    assert intyg.to_json(intyg.from_fhir(qr)) == example


def test_from_fhir_takes_the_urn_prefix_in_any_case(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    # URN schemes are case-insensitive: URN:UUID: names the same certificate as urn:uuid:.
    qr["identifier"]["value"] = qr["identifier"]["value"].replace("urn:uuid:", "URN:UUID:")
    assert qr["identifier"]["value"].startswith("URN:UUID:")
    assert intyg.to_json(intyg.from_fhir(qr)) == example


def test_from_fhir_an_answer_that_is_no_uuid_is_invalid_uuid_not_a_mismatch(
    qr: dict[str, Any],
) -> None:
    _item(qr, "intygsid")["answer"][0]["valueString"] = "inte-ett-uuid"
    assert [(p.code, p.path) for p in intyg.validate(qr).problems] == [("invalid_uuid", "intygsid")]


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_unanswered_copy_of_a_question_is_read_past_wherever_it_stands(
    example: dict[str, Any], qr: dict[str, Any], where: str
) -> None:
    # It adds nothing and loses nothing: the same before the answered copy as after it.
    group = _item(qr, "sysselsattning")
    empty = {"linkId": "sysselsattning.typ"}
    if where == "before":
        group["item"].insert(0, empty)
    else:
        group["item"].append(empty)
    assert intyg.to_json(intyg.from_fhir(qr)) == example


def test_an_invalid_personnummer_answer_is_the_forms_problem_not_a_header_mismatch(
    qr: dict[str, Any],
) -> None:
    # The subject's identifier holds the valid number, the answer one with a wrong check
    # digit: the answer's own problem is said (the form reports it), not that the two differ.
    _item(qr, "patient.personid")["answer"] = [{"valueString": "191212121213"}]
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.from_fhir(qr)
    assert [p.code for p in info.value.problems] == ["personid_invalid"]


def test_a_datetime_object_as_the_signing_day_is_a_coded_problem(qr: dict[str, Any]) -> None:
    # A caller's dict may hold a datetime (a date's subclass) where FHIR has a date: it is no
    # date, and said so at its field rather than failing in a later check.
    _item(qr, "signeringsdatum")["answer"] = [{"valueDate": dt.datetime(2026, 11, 20)}]
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in info.value.problems] == [("invalid_date", "signeringsdatum")]
