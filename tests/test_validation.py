"""Every rule of form version 1.0.0: coded problems with field paths, all reported at once."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import intyg
from cases import CASES, VALID_VARIANTS, WARNING_CASES, Case, _set
from intyg._problems import CATALOGUE, expected_type, make_problem
from strategies import luhn_check_digit


def _codes(report: intyg.ValidationReport) -> set[tuple[str, str]]:
    return {(p.code, p.path) for p in report.problems}


def _apply(case: Case, example: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(example)
    case.patch(data)
    return data


def test_example_valid_without_problems(example: dict[str, Any]) -> None:
    report = intyg.validate(example)
    assert report.valid
    assert report.problems == ()
    assert report.intyg is not None


# Problems a case reports beside the one it proves, because its patch cannot avoid them. Every
# other case reports exactly its expected (code, path) pairs.
ALSO_REPORTED: dict[str, set[tuple[str, str]]] = {
    # "OKAND" (not known) beside another activity is the exclusive-code error, and an activity
    # list holding "OKAND" also forbids the example's hours per week (the same rule as "INGEN").
    "exclusive_code": {("conditional_forbidden", "sysselsattning.timmar_per_vecka")},
}


def _reported(case: Case) -> set[tuple[str, str]]:
    return set(case.expected) | ALSO_REPORTED.get(case.id, set())


def test_also_reported_names_only_cases() -> None:
    assert set(ALSO_REPORTED) <= {c.id for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_invalid_case_reports_code_and_path(case: Case, example: dict[str, Any]) -> None:
    report = intyg.validate(_apply(case, example))
    assert not report.valid
    assert report.intyg is None
    assert _codes(report) == _reported(case)
    assert len(report.problems) == len(_codes(report))  # each problem once
    for p in report.problems:
        assert p.code in CATALOGUE
        assert p.severity in ("error", "warning")
        assert p.message


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_invalid_case_raises_coded_error(case: Case, example: dict[str, Any]) -> None:
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.load(_apply(case, example))
    assert set(info.value.codes) == {c for c, _ in _reported(case)}


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c.id for c in WARNING_CASES])
def test_validate_warning_case_stays_valid(case: Case, example: dict[str, Any]) -> None:
    report = intyg.validate(_apply(case, example))
    assert report.valid
    assert _codes(report) == set(case.expected)
    assert all(p.severity == "warning" for p in report.problems)


@pytest.mark.parametrize("case", VALID_VARIANTS, ids=[c.id for c in VALID_VARIANTS])
def test_validate_valid_variant_has_no_errors(case: Case, example: dict[str, Any]) -> None:
    report = intyg.validate(_apply(case, example))
    assert report.valid, report.problems
    assert report.errors == ()
    assert _codes(report) == set(case.expected)  # the warnings a variant may give, here none


def test_validate_reports_all_problems_at_once(example: dict[str, Any]) -> None:
    example["patient"]["personid"] = "191212121213"
    example["diagnoser"][0]["kod"] = "F32.7"
    example["bedomning"]["perioder"][1]["fran"] = "2026-12-31"
    del example["prognos"]["anpassning"]
    example["utfardare"]["hsa_id"] = "nope"
    report = intyg.validate(example)
    assert {
        ("personid_invalid", "patient.personid"),
        ("icd10_unknown", "diagnoser[0].kod"),
        ("period_overlap", "bedomning.perioder[1]"),
        ("conditional_required", "prognos.anpassning"),
        ("hsa_id_syntax", "utfardare.hsa_id"),
    } <= _codes(report)


def test_validate_personid_stored_as_twelve_digits(example: dict[str, Any]) -> None:
    example["patient"]["personid"] = "121212-1212"
    model = intyg.load(example)
    assert model.patient.personid == "201212121212"
    example["patient"]["personid"] = "121212+1212"
    assert intyg.load(example).patient.personid == "191212121212"


def test_validate_ten_digit_century_follows_sign_date_not_clock(example: dict[str, Any]) -> None:
    # Born 2030-01-01 is in the future on 2026-11-20, so "-" means 1930.
    example["patient"]["personid"] = "300101-123" + str(luhn_check_digit("300101123"))
    assert intyg.load(example).patient.personid.startswith("1930")


@pytest.mark.parametrize(
    ("personid", "sign", "expected"),
    [
        # "+" reads 1850 (176 years back, past the limit); 1950 is no "+": no century fits
        ("500101+1237", "2026-11-20", [("personid_invalid", "patient.personid")]),
        ("500101-1237", "2026-11-20", []),  # 1950
        # "-" on the 100th birthday: every reading (2000 and before) is 100 years back or more
        ("000301-1236", "2100-03-01", [("personid_invalid", "patient.personid")]),
        ("1212121212", "2026-11-20", [("personid_century_ambiguous", "patient.personid")]),
        # no date to read it against: the century cannot be told (and the date is refused)
        (
            "500101+1237",
            "2026-13-20",
            [
                ("invalid_date", "signeringsdatum"),
                ("personid_century_ambiguous", "patient.personid"),
            ],
        ),
    ],
)
def test_validate_ten_digits_that_fit_no_century_on_the_date_are_invalid(
    example: dict[str, Any], personid: str, sign: str, expected: list[tuple[str, str]]
) -> None:
    example["patient"]["personid"] = personid
    example["signeringsdatum"] = sign
    assert sorted((p.code, p.path) for p in intyg.validate(example).errors) == expected


def test_validate_messages_never_echo_personid_or_free_text(example: dict[str, Any]) -> None:
    secret_text = "HEMLIG-TEXT-" + "x" * 4000
    example["patient"]["personid"] = "191212121213"
    example["ovrigt"] = secret_text
    report = intyg.validate(example)
    dumped = json.dumps(report.to_dict(), ensure_ascii=False)
    assert "191212121213" not in dumped
    assert "HEMLIG" not in dumped


def test_validate_custom_icd10_catalogue(example: dict[str, Any]) -> None:
    catalogue = intyg.CodeListCatalogue(["F32.1", "F411", "F43.8A"])
    example["diagnoser"][0]["kod"] = "F43.8A"
    report = intyg.validate(example, icd10=catalogue)
    assert report.valid
    assert report.problems == ()
    example["diagnoser"][0]["kod"] = "M54.5"  # in WHO's list, not in the given one
    report = intyg.validate(example, icd10=catalogue)
    assert ("icd10_unknown", "diagnoser[0].kod") in _codes(report)


def test_validate_without_formular_reports_required_and_the_rest(example: dict[str, Any]) -> None:
    del example["formular"]
    del example["patient"]["namn"]
    codes = _codes(intyg.validate(example))
    assert ("required", "formular") in codes
    assert ("required", "patient.namn") in codes


def test_model_is_immutable(example: dict[str, Any]) -> None:
    model = intyg.load(example)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError for frozen
        model.patient.namn = "x"  # type: ignore[misc]
    assert isinstance(model.diagnoser, tuple)


def test_to_json_round_trip_identity(example: dict[str, Any]) -> None:
    assert intyg.to_json(intyg.load(example)) == example


def test_core_text_check_agrees_with_python_on_every_character() -> None:
    """Free texts are checked in pydantic's core (Rust regex); Python's reading of blank and
    control characters (``text_problem``) must say the same for every character there is."""
    from typing import Annotated

    from pydantic import StrictStr, TypeAdapter

    from intyg._fieldchecks import text_problem
    from intyg._fieldtypes import text_limit

    accepts = TypeAdapter(Annotated[StrictStr, text_limit(10)]).validator.isinstance_python
    disagree = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # lone surrogates: refused by the core as string_unicode (korpus)
        c = chr(cp)
        for text in (c, "a" + c, c + " "):
            if accepts(text) != (text_problem(text) is None):
                disagree.append(text)
    assert disagree == []


@pytest.mark.parametrize(
    ("text", "code"),
    [(" \t\n ", "blank_text"), ("\x1c", "blank_text"), ("ja\x00", "invalid_character")],
)
def test_refused_text_is_named_by_what_is_wrong(
    example: dict[str, Any], text: str, code: str
) -> None:
    data = copy.deepcopy(example)
    data["utfardare"]["vardenhet"]["postort"] = text
    assert ("utfardare.vardenhet.postort", code) in {
        (p.path, p.code) for p in intyg.validate(data).problems
    }


# ------------------------------------------------ the certificate's rules, despite other errors


def _both(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems of ``data``, which intyg.validate and the prebuilt validator must agree on."""
    from intyg._quick import validate_quickly

    report = intyg.validate(copy.deepcopy(data))
    assert validate_quickly(json.dumps(data).encode()) == (report.valid, report.problems)
    return [(p.code, p.path) for p in report.problems]


def _break_rule(data: dict[str, Any], code: str) -> str:
    """Break the certificate rule ``code`` in ``data``; the path of its problem."""
    if code == "date_after_sign_date":
        data["grund"]["kand_sedan"] = "2026-12-01"  # after the signing date, 2026-11-20
        return "grund.kand_sedan"
    if code == "personid_birth_date":
        data["patient"]["personid"] = "202611211232"  # born the day after the signing date
        return "patient.personid"
    assert code == "replaces_itself"
    data["ersatter"] = data["intygsid"]
    return "ersatter"


# Errors that have nothing to do with either rule: another section, a top-level text, a key
# not in the form, a whole section left out, a section of the wrong type.
_UNRELATED = {
    "other_section": (("utfardare", "vardenhet", "telefon"), "abc"),
    "top_level_text": (("ovrigt",), " "),
    "unknown_key": (("annat",), 1),
    "missing_section": (("patient",), None),
    "section_of_wrong_type": (("prognos",), 5),
}


def _spoil(data: dict[str, Any], where: tuple[str, ...], value: Any) -> None:
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    if value is None:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value


@pytest.mark.parametrize("unrelated", list(_UNRELATED))
@pytest.mark.parametrize("code", ["date_after_sign_date", "replaces_itself"])
def test_certificate_rule_is_reported_despite_an_error_elsewhere(
    example: dict[str, Any], code: str, unrelated: str
) -> None:
    # pydantic runs the certificate's own check only when every section is valid; a rule whose
    # inputs are free of error is checked anyway, so the doctor sees both problems at once.
    path = _break_rule(example, code)
    alone = copy.deepcopy(example)
    _spoil(example, *_UNRELATED[unrelated])
    assert _both(alone) == [(code, path)]
    found = _both(example)
    assert (code, path) in found
    assert len(found) == 2, found  # the unrelated error and the rule, nothing made up


def test_certificate_rule_with_an_input_in_error_is_not_guessed(example: dict[str, Any]) -> None:
    # The rule is left out when what it reads is in error: the unknown date cannot be compared.
    _break_rule(example, "date_after_sign_date")
    example["signeringsdatum"] = "2026-13-01"
    assert _both(example) == [("invalid_date", "signeringsdatum")]
    _break_rule(example, "replaces_itself")
    example["intygsid"] = "inte-ett-id"
    assert sorted(c for c, _ in _both(example)) == ["invalid_date", "invalid_uuid"]


def test_stand_in_sections_give_no_problems_of_their_own(example: dict[str, Any]) -> None:
    # A section in error is stood in for by the example's; a rule that reads it is not run,
    # so the example's dates (after this signing date) give no date_after_sign_date.
    example["signeringsdatum"] = "2001-01-01"
    for underlag in example["grund"]["underlag"]:
        underlag["datum"] = "2000-01-01"
    example["grund"]["kand_sedan"] = "2000-01-01"
    example["grund"]["identitet"] = "INTE_EN_KOD"
    example["ersatter"] = example["intygsid"]
    found = _both(example)
    assert ("invalid_code", "grund.identitet") in found
    assert ("replaces_itself", "ersatter") in found
    assert not [c for c, _ in found if c == "date_after_sign_date"], found


def test_rule_inputs_name_every_certificate_rule(example: dict[str, Any]) -> None:
    from intyg._v1._checks import RULE_INPUTS

    for code in RULE_INPUTS:
        _break_rule(example, code)
    assert {c for c, _ in _both(example)} == set(RULE_INPUTS)
    keys = set(intyg.published_schema("jsonschema")["properties"])
    assert all(inputs <= keys for inputs in RULE_INPUTS.values())


def _set_at(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value is _LEFT_OUT:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


_LEFT_OUT = object()

# A section's rule broken (what to change, the problem) beside an error in another field of the
# same section that the rule does not read.
_SECTION_RULES = {
    "period_overlap": (
        [(("bedomning", "perioder", 1, "fran"), "2026-12-31")],
        ("period_overlap", "bedomning.perioder[1]"),
        (("bedomning", "formaga_trots_sjukdom"), " "),
    ),
    "period_reversed": (
        [(("bedomning", "perioder", 1, "till"), "2026-12-31")],
        ("period_reversed", "bedomning.perioder[1].till"),
        (("bedomning", "anpassningar_beskrivning"), " "),
    ),
    "duplicate_underlag": (
        [(("grund", "underlag", 1, "typ"), "UNDERSOKNING")],
        ("duplicate_value", "grund.underlag[1].typ"),
        (("grund", "kand_sedan"), "2026-02-30"),
    ),
    "duplicate_sysselsattning": (
        [(("sysselsattning", "typ"), ["SPRAKINSATS", "SPRAKINSATS"])],
        ("duplicate_value", "sysselsattning.typ[1]"),
        (("sysselsattning", "timmar_per_vecka"), 99),
    ),
    "duplicate_icf": (
        [(("funktionsnedsattning", "icf", 1, "kod"), "b140")],
        ("duplicate_value", "funktionsnedsattning.icf[1].kod"),
        (("funktionsnedsattning", "beskrivning"), ""),
    ),
    "duplicate_rekommendation": (
        [(("samverkan", "rekommendationer"), ["SIP", "SIP"])],
        ("duplicate_value", "samverkan.rekommendationer[1]"),
        (("samverkan", "kontakt_anledning"), 5),
    ),
    "conditional_required": (
        [(("prognos", "anpassning"), _LEFT_OUT)],
        ("conditional_required", "prognos.anpassning"),
        (("prognos", "manader"), 100),
    ),
    "conditional_forbidden": (
        [(("behandling", "kan_forvarras"), False)],
        ("conditional_forbidden", "behandling.forvarrande_aktiviteter"),
        (("behandling", "slutdatum"), "2026-13-01"),
    ),
}


@pytest.mark.parametrize("rule", list(_SECTION_RULES))
def test_section_rule_is_reported_despite_an_error_in_another_field(
    example: dict[str, Any], rule: str
) -> None:
    changes, problem, (where, value) = _SECTION_RULES[rule]
    for path, new in changes:
        _set_at(example, path, new)
    assert _both(example) == [problem]
    _set_at(example, where, value)
    found = _both(example)
    assert len(found) == 2, found  # the other field's error, then the rule: nothing made up
    assert found[1] == problem
    assert found[0][1] == ".".join(where)


def test_section_rule_that_reads_a_field_in_error_is_left_out(example: dict[str, Any]) -> None:
    # prognos.anpassning is required for this prognos.typ; with the type itself in error the
    # condition cannot be judged (the example's type, standing in, must not decide it).
    del example["prognos"]["anpassning"]
    example["prognos"]["typ"] = "INTE_EN_TYP"
    assert _both(example) == [("invalid_code", "prognos.typ")]
    # the same code twice, while one of the entries is in error: the list is not judged
    example["sysselsattning"]["typ"] = ["SPRAKINSATS", "SPRAKINSATS", "X"]
    assert ("duplicate_value", "sysselsattning.typ[1]") not in _both(example)


def test_section_and_certificate_rules_together(example: dict[str, Any]) -> None:
    # A section's rule fails on the stand-in, so the certificate's rules run on a second one.
    _break_rule(example, "replaces_itself")
    _set_at(example, ("bedomning", "perioder", 1, "fran"), "2026-12-31")
    _set_at(example, ("bedomning", "formaga_trots_sjukdom"), " ")
    assert _both(example) == [
        ("blank_text", "bedomning.formaga_trots_sjukdom"),
        ("period_overlap", "bedomning.perioder[1]"),
        ("replaces_itself", "ersatter"),
    ]


def test_rule_of_an_entry_is_reported_despite_an_error_in_another_of_its_fields(
    example: dict[str, Any],
) -> None:
    underlag = example["grund"]["underlag"]
    for entry in underlag:  # both "annat" with no description: required on each
        entry["typ"] = "ANNAT"
    underlag[0]["datum"] = "2026-02-30"
    underlag[1]["datum"] = "x"
    assert _both(example) == [
        ("invalid_date", "grund.underlag[0].datum"),
        ("invalid_date", "grund.underlag[1].datum"),
        ("conditional_required", "grund.underlag[0].beskrivning"),
        ("conditional_required", "grund.underlag[1].beskrivning"),
    ]
    # the list holds an entry in error: the section's rule on it (the same kind twice) waits
    assert ("duplicate_value", "grund.underlag[1].typ") not in _both(example)


def test_rule_of_an_entry_that_reads_its_field_in_error_is_left_out(
    example: dict[str, Any],
) -> None:
    # The entry's kind is in error: whether it needs a description cannot be told.
    entry = example["grund"]["underlag"][1]
    entry["typ"] = "INTE_EN_KOD"
    entry["beskrivning"] = "Text"
    assert _both(example) == [("invalid_code", "grund.underlag[1].typ")]
    # an entry whose rule failed in the first pass is not reported twice
    example["grund"]["underlag"][0]["beskrivning"] = "Text"
    assert _both(example) == [
        ("conditional_forbidden", "grund.underlag[0].beskrivning"),
        ("invalid_code", "grund.underlag[1].typ"),
    ]


def test_code_and_range_problems_say_what_is_allowed_never_what_was_given(
    example: dict[str, Any],
) -> None:
    # "Värdet är inte ett av de tillåtna alternativen." told nobody what to write instead.
    example["bedomning"]["perioder"][0]["omfattning"] = 33
    example["sysselsattning"]["timmar_per_vecka"] = 87
    report = intyg.validate(example)
    found = {p.code: p.message for p in report.problems}
    assert set(found) == {"invalid_code", "out_of_range"}
    assert all(code in found["invalid_code"] for code in ("25", "50", "75", "100"))
    assert "33" not in found["invalid_code"]
    assert "40" in found["out_of_range"] and "87" not in found["out_of_range"]


def test_allowed_codes_are_listed_as_the_form_writes_them(example: dict[str, Any]) -> None:
    example["sysselsattning"]["typ"].append("X")
    [problem] = intyg.validate(example).problems
    assert problem.code == "invalid_code"
    assert "ARBETE, " in problem.message and "'" not in problem.message


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        (("utfardare", "vardenhet", "postnummer"), "98 7"),
        (("utfardare", "vardenhet", "telefon"), "ring mig"),
        (("utfardare", "vardenhet", "arbetsplatskod"), "AB12"),
    ],
)
def test_a_wrong_format_says_what_the_form_expects(
    example: dict[str, Any], path: tuple[str, ...], wrong: str
) -> None:
    # "Värdet har fel format." said nothing of what to write; the value is never repeated.
    target = example
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = wrong
    [problem] = intyg.validate(example).problems
    assert problem.code == "invalid_format" and problem.path == ".".join(path)
    bare = make_problem("invalid_format", problem.path, {"hint": ""}).message
    assert problem.message != bare  # the catalogue's sentence with a hint in it
    assert problem.message.startswith(bare.removesuffix(".")) and wrong not in problem.message


@pytest.mark.parametrize(
    ("path", "value", "kind"),
    [
        ("prognos", "4 månader", "object"),
        ("bedomning.forhindrad", "ja", "boolean"),
        ("prognos.manader", "4", "integer"),
        ("prognos.manader", 4.5, "integer"),
        ("signeringsdatum", 20240101, "date"),
        ("patient.namn", 5, "text"),
        ("diagnoser", {"kod": "F32.1"}, "array"),
        ("ovrigt", None, "null"),
    ],
)
def test_wrong_type_says_what_the_field_should_hold(
    example: dict[str, Any], path: str, value: Any, kind: str
) -> None:
    # The message is made from the kind expected (never from the value given): compared with
    # the message for that kind, not with its wording.
    data = copy.deepcopy(example)
    _set(path, value)(data)
    found = [p for p in intyg.validate(data).problems if p.code == "wrong_type"]
    assert [p.path for p in found] == [path]
    assert found[0].message == make_problem("wrong_type", path, expected_type(kind)).message
    assert found[0].message != make_problem("wrong_type", path, {"expected": ""}).message


def test_no_message_in_the_corpus_has_a_placeholder_left() -> None:
    # A message whose context was not given would show its "{name}" as it stands.
    from korpus import CORPUS

    left = [
        (bad.id, p.code)
        for bad in CORPUS
        for p in intyg.validate(bad.build()).problems
        if "{" in p.message or "}" in p.message
    ]
    assert left == []


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES + VALID_VARIANTS + WARNING_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("section", "control", "value", "field", "given", "code", "shown"),
    [
        # a yes/no question: the answer that decides is said as the form shows it
        (
            "samverkan",
            "kontakt_onskas",
            True,
            "kontakt_anledning",
            None,
            "conditional_required",
            "Ja",
        ),
        (
            "samverkan",
            "kontakt_onskas",
            False,
            "kontakt_anledning",
            "HEMLIGT 191212121212",
            "conditional_forbidden",
            "Ja",
        ),
        # a code: its text from the code list, not the code
        (
            "prognos",
            "typ",
            "KAN_EJ_BEDOMAS",
            "motivering",
            None,
            "conditional_required",
            "KAN_EJ_BEDOMAS",
        ),
        (
            "prognos",
            "typ",
            "KAN_EJ_BEDOMAS",
            "anpassning",
            "HEMLIGT 191212121212",
            "conditional_forbidden",
            "ATERGAR_MED_ANPASSNING",
        ),
    ],
)
def test_condition_message_names_the_deciding_answer_never_the_given_one(
    example: dict[str, Any],
    section: str,
    control: str,
    value: Any,
    field: str,
    given: str | None,
    code: str,
    shown: str,
) -> None:
    from intyg._v1._codes import KV_PROGNOS

    example[section][control] = value
    example[section].pop(field, None)
    if given is not None:
        example[section][field] = given
    found = [p for p in intyg.validate(example).problems if p.path == f"{section}.{field}"]
    assert [p.code for p in found] == [code]
    answer = "Ja" if shown == "Ja" else KV_PROGNOS.display(shown)
    assert f"”{answer}”" in found[0].message  # the code list's text, quoted as the form does
    assert given is None or given not in found[0].message
    assert "1912" not in found[0].message


def test_the_case_of_a_list_at_its_limit_is_at_the_limit(example: dict[str, Any]) -> None:
    # "list_at_its_limit_with_an_error" tests nothing if the form's limit moves away from it.
    schema = intyg.published_schema("jsonschema")
    case = next(c for c in CASES if c.id == "list_at_its_limit_with_an_error")
    data = _apply(case, example)
    assert len(data["diagnoser"]) == schema["properties"]["diagnoser"]["maxItems"]
