"""How the API meets a caller's likely mistakes: a certificate, a validation report or a model
error printed or logged shows no personal data; a str is JSON text, never a file name; an
assessment given to render as a certificate is a clear ValueError."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pydantic
import pytest

import intyg


def _personal_texts(data: Any) -> list[str]:
    """Every text of the certificate other than its form id and version and its ids."""
    if isinstance(data, dict):
        return [
            t
            for key, value in data.items()
            if key not in ("formular", "intygsid", "ersatter")
            for t in _personal_texts(value)
        ]
    if isinstance(data, list):
        return [t for value in data for t in _personal_texts(value)]
    return [data] if isinstance(data, str) and not data.isupper() else []  # codes are upper case


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return intyg.example()


def test_repr_of_certificate_shows_no_personal_text(example: dict[str, Any]) -> None:
    model = intyg.load(example)
    texts = _personal_texts(example)
    assert example["patient"]["personid"] in texts and example["patient"]["namn"] in texts
    for shown in (repr(model), str(model), repr(model.patient), repr(model.diagnoser)):
        assert [t for t in texts if t in shown] == []
    assert example["intygsid"] in repr(model)  # what the certificate is, and its structure
    assert "Formular(id='lakarintyg-socialnamnd', version='1.0.0')" in repr(model)
    assert "signeringsdatum=datetime.date(" in repr(model)


def test_repr_of_assessment_shows_no_code_or_value_of_the_certificate(
    example: dict[str, Any],
) -> None:
    data = copy.deepcopy(example)
    data["aktivitetsbegransning"]["icf"].append({"kod": "d240", "grad": 3})  # a row of its own
    model = intyg.load(data)
    result = intyg.assess(model, dt.date(2026, 11, 24))
    codes = [d.kod for d in model.diagnoser]
    for part in (model.funktionsnedsattning, model.aktivitetsbegransning):
        codes += [c.kod for c in part.icf or ()]
    read = [v["varde"] for f in result.fynd for v in f.varden if isinstance(v["varde"], str)]
    assert codes and any(a.begransningar for a in result.aktiviteter)  # something to hide
    areas = [f"'{c[:n]}'" for c in codes for n in (2, 3)] + [f"'{c}'" for c in codes]
    # What the rules say may name a kind of diagnosis or an area ("psykiatrisk diagnos"): every
    # message, question, reason and adaptation text is hidden too.
    said = [f.meddelande for f in result.fynd] + [f.fraga for f in result.fynd if f.fraga]
    said += [x.text for x in result.nasta_steg] + [result.uppfoljning.skal]
    said += [r["text"] for a in result.aktiviteter for r in a.skal + a.anpassningar]
    secret = codes + areas + _personal_texts(example) + [v for v in read if len(v) > 3] + said
    for shown in (repr(result), str(result), repr(result.aktiviteter), repr(result.fynd)):
        assert [t for t in secret if t in shown] == []
    with pytest.raises(pydantic.ValidationError) as info:  # nor does a model error
        intyg.Assessment.model_validate({**result.to_json(), "bedomningsdatum": "F32.1 b140"})
    assert "F32.1" not in str(info.value)
    assert result.fynd[0].regel in repr(result)  # rule ids and levels are what it is
    assert repr(result.aktiviteter[0].niva) in repr(result)


def test_repr_of_validation_report_leaves_out_the_certificate(example: dict[str, Any]) -> None:
    report = intyg.validate(example)
    assert report.valid and report.intyg is not None
    shown = repr(report)
    assert "intyg=" not in shown
    assert [t for t in _personal_texts(example) if t in shown] == []


def test_model_error_names_the_field_but_not_the_value(example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["patient"]["personid"] = "191212121213"  # wrong check digit
    data["ovrigt"] = "\x00 hemlig text"
    with pytest.raises(pydantic.ValidationError) as info:
        intyg.Intyg.model_validate(data)
    shown = str(info.value)
    assert "personid_invalid" in shown and "patient.personid" in shown
    assert "191212121213" not in shown and "hemlig" not in shown
    assert "hemlig" not in json.dumps(info.value.errors(include_input=False), default=str)


@pytest.mark.parametrize("context", [None, {}, {"icd10": None}], ids=repr)
def test_model_validate_without_a_catalogue_uses_the_default_one(context: Any) -> None:
    # A caller of pydantic's own API may give a context without a catalogue (or None for it).
    assert intyg.Intyg.model_validate(intyg.example(), context=context).diagnoser
    unknown = intyg.example()
    unknown["diagnoser"][0]["kod"] = "F32.7"  # no code of ICD-10
    with pytest.raises(pydantic.ValidationError) as info:
        intyg.Intyg.model_validate(unknown, context=context)
    assert [e["type"] for e in info.value.errors()] == ["icd10_unknown"]


def test_str_naming_a_file_is_json_text_not_a_file(tmp_path: Any, example: dict[str, Any]) -> None:
    # A str is JSON text: what it says must not make intyg look at the file system (the text
    # may come from outside, and the answer would tell which files exist).
    path = tmp_path / "intyg.json"
    path.write_text(json.dumps(example), "utf-8")
    for name in (str(path), str(tmp_path / "saknas.json")):
        assert [p.code for p in intyg.validate(name).problems] == ["json_syntax"]
        with pytest.raises(intyg.ConversionError) as info:
            intyg.load(name)
        assert info.value.codes == ["json_syntax"]
    assert intyg.validate(path).valid  # a file is given as a Path


def test_assessment_given_to_render_as_certificate_is_a_value_error(
    example: dict[str, Any],
) -> None:
    import datetime as dt

    made = intyg.assess(intyg.load(example), dt.date(2026, 11, 24))
    for source in (made, made.to_json()):
        with pytest.raises(ValueError):
            intyg.render(source)
    assert "<html" in str(intyg.render(made, assessment=True))


def test_certificate_with_a_stray_assessment_key_is_still_a_certificate(
    example: dict[str, Any],
) -> None:
    data = {**example, "regelverk": {}}
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.render(data)
    assert ("unknown_field", "regelverk") in {(p.code, p.path) for p in info.value.problems}


def test_certificate_with_the_head_keys_of_an_assessment_is_still_a_certificate(
    example: dict[str, Any],
) -> None:
    # Its "formular" says what it is: the three keys are unknown fields, not an assessment.
    data = {**example, "schemaversion": "1.0.0", "bedomningsdatum": "2026-11-24", "regelverk": {}}
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.render(data)
    unknown = {p.path for p in info.value.problems if p.code == "unknown_field"}
    assert unknown == {"schemaversion", "bedomningsdatum", "regelverk"}


def test_as_many_keys_of_a_certificate_as_of_an_assessment_is_a_certificate() -> None:
    # With assessment=True a tie is read as a certificate to assess, and said as one.
    data = {"intygsid": intyg.example()["intygsid"], "bedomningsdatum": "2026-11-24"}
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.render(data, assessment=True)
    assert ("required", "formular") in {(p.code, p.path) for p in info.value.problems}


def test_the_head_keys_of_an_assessment_alone_are_an_assessment() -> None:
    # With no "formular", the three keys every assessment starts with say it is one, however
    # little else it holds; without one of them it is read as a certificate.
    head = {"schemaversion": "1.0.0", "bedomningsdatum": "2026-11-24", "regelverk": {}}
    with pytest.raises(ValueError) as info:
        intyg.render(head)
    assert not isinstance(info.value, intyg.IntygError)
    for missing in head:
        partial = {k: v for k, v in head.items() if k != missing}
        with pytest.raises(intyg.IntygValidationError) as err:
            intyg.render(partial)
        assert ("required", "formular") in {(p.code, p.path) for p in err.value.problems}


def test_other_pydantic_model_given_to_render_is_not_taken_for_an_assessment(
    example: dict[str, Any],
) -> None:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    response = QuestionnaireResponse.model_validate(intyg.to_fhir(intyg.load(example)))
    with pytest.raises(TypeError):  # not a source render reads (a dict of it would be)
        intyg.render(response)
    with pytest.raises(TypeError):  # nor an assessment: not read as one and found wanting
        intyg.render(response, assessment=True)


def test_repr_of_personid_shows_its_kind_not_the_number() -> None:
    number = intyg.parse_personid("191212121212")
    assert "1212" not in repr(number) and "1212" not in str(number)
    assert "personnummer" in repr(number)
    assert number.value == "191212121212"


def test_a_member_of_a_text_enum_is_no_number(example: dict[str, Any]) -> None:
    # A caller's own enum whose value is the text "30" is text, as "30" is; a code list's
    # IntEnum member is its integer.
    import enum

    from intyg._v1._codes import Omfattning

    class Hours(enum.StrEnum):
        THIRTY = "30"

    data = copy.deepcopy(example)
    data["sysselsattning"]["timmar_per_vecka"] = Hours.THIRTY
    found = [(p.code, p.path) for p in intyg.validate(data).problems]
    assert found == [("wrong_type", "sysselsattning.timmar_per_vecka")]
    data = copy.deepcopy(example)
    data["bedomning"]["perioder"][0]["omfattning"] = Omfattning(
        data["bedomning"]["perioder"][0]["omfattning"]
    )
    assert intyg.validate(data).valid


@pytest.mark.parametrize(
    "kwargs",
    [{"blank": "nej"}, {"blank": 1}, {"assessment": "ja"}, {"assessment": None}],
    ids=["blank_text", "blank_int", "assessment_text", "assessment_none"],
)
def test_render_switches_are_bools(example: dict[str, Any], kwargs: dict[str, Any]) -> None:
    # "nej" is true to Python: a switch given as text would print what it says not to.
    source = None if "blank" in kwargs else example
    with pytest.raises(TypeError):
        intyg.render(source, **kwargs)


def test_render_switch_given_an_assessment_does_not_repeat_it(example: dict[str, Any]) -> None:
    # The assessment itself passed as the switch: the error names its type; it printed the
    # whole assessment (about 10 kB of repr).
    cert = intyg.load(example)
    made = intyg.assess(cert, on=cert.signeringsdatum)
    with pytest.raises(TypeError) as caught:
        intyg.render(cert, assessment=made)  # type: ignore[arg-type]
    assert "Assessment" in str(caught.value) and cert.intygsid not in str(caught.value)


def test_tables_the_whole_process_shares_cannot_be_changed() -> None:
    # One caller's change to the problem codes changed the messages (and could break
    # validation) for every caller; a form version's rule inputs decide which rules run.
    import copy
    import pickle

    form = intyg.get_form("lakarintyg-socialnamnd", intyg.CURRENT_VERSION)
    for table in (intyg.PROBLEM_CODES, form._rule_inputs):
        with pytest.raises(TypeError):
            table["unknown_field"] = None  # type: ignore[index]
        with pytest.raises(TypeError):
            table.clear()  # type: ignore[attr-defined]
        assert pickle.loads(pickle.dumps(table)) == table
        assert copy.deepcopy(table) is table
    assert intyg.PROBLEM_CODES["unknown_field"].kind == "validation"


@pytest.mark.parametrize("argument", ["format", "pdf_variant"])
def test_render_option_of_no_known_value_is_named_by_type_when_it_may_be_data(
    example: dict[str, Any], argument: str
) -> None:
    # A personnummer (or a whole certificate) passed as the option was repeated in the error.
    for data in ("19121212-1212", "Tolvansson"):  # a personnummer, a name
        with pytest.raises(ValueError) as caught:
            intyg.render(example, **{argument: data})
        assert data not in str(caught.value)
    misspelt = {"format": ["pfd", "PDF"], "pdf_variant": ["pdf/a-4b", "PDF/A-2B"]}[argument]
    for value in misspelt:  # close to a value, or one in the wrong case: shown as written
        with pytest.raises(ValueError) as caught:
            intyg.render(example, **{argument: value})
        assert repr(value) in str(caught.value)


def test_a_shared_table_cannot_be_refilled_by_calling_init_again() -> None:
    from intyg._frozen import FrozenDict

    before = dict(intyg.PROBLEM_CODES)
    FrozenDict.__init__(intyg.PROBLEM_CODES, {"unknown_field": None})  # type: ignore[arg-type]
    assert dict(intyg.PROBLEM_CODES) == before
    made = FrozenDict.fromkeys("ab", 1)
    assert type(made) is FrozenDict and made == {"a": 1, "b": 1}
    with pytest.raises(TypeError):
        made["c"] = 2  # type: ignore[index]


def test_a_wrong_on_names_the_call_and_the_type_never_the_value() -> None:
    certificate = intyg.load(intyg.example())
    with pytest.raises(TypeError) as info:
        intyg.assess(certificate, on="19121212-1212")  # type: ignore[arg-type]
    assert str(info.value).startswith("intyg.assess: on ")
    assert str(info.value).endswith(" not str") and "1212" not in str(info.value)


@pytest.mark.parametrize(("value", "said"), [(5, "int"), (["pdf"], "list"), ("xml", "str")])
def test_a_render_format_of_another_type_or_far_from_any_is_named_by_its_type(
    value: Any, said: str
) -> None:
    # A text close to a format is said back as a suggestion; anything else only by its type.
    with pytest.raises(ValueError) as info:
        intyg.render(blank=True, format=value)
    assert str(info.value).endswith(f"not {said}")
