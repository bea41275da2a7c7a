"""FHIR: the Questionnaire, CodeSystems and QuestionnaireResponse conversion (both directions)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import intyg
from intyg._qr import SYSTEM_HSA_ID, SYSTEM_PERSONNUMMER, SYSTEM_SAMORDNINGSNUMMER
from intyg._questionnaire import build_codesystem, kodverk_of
from intyg._tree import nodes_by_link_id, question_tree


@pytest.fixture
def qr(example: dict[str, Any]) -> dict[str, Any]:
    return intyg.to_fhir(intyg.load(example))


def _codes(source: Any) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in intyg.validate(source).problems}


def _item(qr: dict[str, Any], link_id: str) -> dict[str, Any]:
    def walk(items: list[dict[str, Any]]) -> dict[str, Any] | None:
        for it in items:
            if it["linkId"] == link_id:
                return it
            found = walk(it.get("item", []))
            if found is not None:
                return found
        return None

    found = walk(qr["item"])
    assert found is not None, link_id
    return found


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


def test_to_fhir_samordningsnummer_uses_its_system(example: dict[str, Any]) -> None:
    example["patient"]["personid"] = "197010632391"
    qr = intyg.to_fhir(intyg.load(example))
    assert qr["subject"]["identifier"]["system"] == SYSTEM_SAMORDNINGSNUMMER


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


def test_from_fhir_takes_identifier_when_item_absent(qr: dict[str, Any]) -> None:
    patient = _item(qr, "patient")
    patient["item"] = [i for i in patient["item"] if i["linkId"] != "patient.personid"]
    assert intyg.from_fhir(qr).patient.personid == "191212121212"


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
    else:  # pragma: no cover
        raise AssertionError(case)


QR_CASES = [
    ("unknown_link_id", ("fhir_unknown_link_id", "patient.adress")),
    ("misplaced", ("fhir_misplaced_item", "patient.namn")),
    ("wrong_answer_type", ("fhir_wrong_answer_type", "bedomning.forhindrad")),
    ("multiple_answers", ("fhir_multiple_answers", "patient.namn")),
    ("duplicate_item", ("fhir_duplicate_item", "prognos")),
    ("wrong_code_system", ("fhir_wrong_code_system", "prognos.typ")),
    ("unknown_identifier_system", ("fhir_unknown_identifier_system", "subject.identifier.system")),
    ("identifier_mismatch", ("fhir_identifier_mismatch", "subject.identifier.value")),
    ("wrong_questionnaire", ("fhir_wrong_questionnaire", "questionnaire")),
    ("missing_questionnaire", ("fhir_missing_questionnaire", "questionnaire")),
    ("unsupported_version", ("unsupported_form_version", "formular.version")),
    ("no_version", ("unsupported_form_version", "formular.version")),
    ("invalid_resource", ("fhir_invalid_resource", "authored")),
    ("wrong_resource_type", ("fhir_wrong_resource_type", "resourceType")),
    ("disabled_answer", ("conditional_forbidden", "bedomning.perioder")),
    ("answer_under_group", ("fhir_wrong_answer_type", "patient")),
    ("unknown_code", ("invalid_code", "prognos.typ")),
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
