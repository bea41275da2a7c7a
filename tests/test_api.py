"""The public surface: exactly what intyg/__init__.py exports."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import pickle
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._personid import PersonIdError
from intyg._problems import UNNAMED, make_problem


def test_public_names_are_exported_once() -> None:
    assert len(intyg.__all__) == len(set(intyg.__all__))
    for name in intyg.__all__:
        assert hasattr(intyg, name), name


def test_private_modules_are_not_exported() -> None:
    assert not [n for n in intyg.__all__ if n.startswith("_") and n != "__version__"]


def test_error_tree_has_one_root() -> None:
    for cls in (
        intyg.IntygValidationError,
        intyg.FormVersionError,
        intyg.ConversionError,
        intyg.SchemaDriftError,
    ):
        assert issubclass(cls, intyg.IntygError)


def _error_classes(cls: type[intyg.IntygError]) -> list[type[intyg.IntygError]]:
    """``cls`` and every subclass below it."""
    return [cls] + [sub for c in cls.__subclasses__() for sub in _error_classes(c)]


_ERROR_CLASSES = _error_classes(intyg.IntygError)


def _errors_of(cls: type[intyg.IntygError]) -> list[intyg.IntygError]:
    """Errors of class ``cls``: with two problems and with none (PersonIdError: its one)."""
    if issubclass(cls, PersonIdError):
        return [cls("personid_invalid")]
    return [
        cls([make_problem("required", "patient.namn"), make_problem("wrong_type", "")]),
        cls([]),
    ]


def test_error_classes_include_every_public_error() -> None:
    assert PersonIdError in _ERROR_CLASSES
    public = {getattr(intyg, n) for n in intyg.__all__ if n.endswith("Error")}
    assert public <= set(_ERROR_CLASSES)


@pytest.mark.parametrize("cls", _ERROR_CLASSES, ids=lambda c: c.__name__)
def test_errors_go_by_their_public_name(cls: type[intyg.IntygError]) -> None:
    # What a traceback and an error tracker show, and what a pickle names: the public module,
    # never the private one that defines the class.
    assert f"{cls.__module__}.{cls.__qualname__}" == f"intyg.{cls.__name__}"
    assert getattr(intyg, cls.__name__) is cls
    assert b"intyg._" not in pickle.dumps(cls, protocol=4)


@pytest.mark.parametrize(
    "error", [e for c in _ERROR_CLASSES for e in _errors_of(c)], ids=lambda e: type(e).__name__
)
def test_error_pickle_round_trip_keeps_type_problems_and_text(error: intyg.IntygError) -> None:
    error.add_note("note")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert again.problems == error.problems
    assert again.codes == error.codes
    assert str(again) == str(error)
    assert again.args == error.args
    assert again.__notes__ == ["note"]
    if isinstance(error, PersonIdError):
        assert isinstance(again, PersonIdError)
        assert again.code == error.code


def test_error_raised_in_process_pool_worker_reaches_the_parent() -> None:
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        broken = pool.submit(intyg.load, "{")
        bad_id = pool.submit(intyg.parse_personid, "191212121213")
        with pytest.raises(intyg.ConversionError) as info:
            broken.result(timeout=60)
        with pytest.raises(PersonIdError) as personid:
            bad_id.result(timeout=60)
    assert info.value.codes == ["json_syntax"]
    assert personid.value.codes == ["personid_invalid"]


def test_import_does_not_load_fhir_models() -> None:
    code = "import sys, intyg; print('fhir.resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_supported_versions_lists_current() -> None:
    assert intyg.CURRENT_VERSION in intyg.supported_versions()


def test_supported_versions_unknown_form_raises_like_get_form() -> None:
    with pytest.raises(intyg.FormVersionError) as listed:
        intyg.supported_versions("finns-inte")
    with pytest.raises(intyg.FormVersionError) as got:
        intyg.get_form("finns-inte")
    assert listed.value.codes == got.value.codes == ["unknown_form"]


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda: intyg.to_json(intyg.example()), TypeError),
        (lambda: intyg.to_fhir(intyg.example()), TypeError),
        (lambda: intyg.format_assessment({"aktiviteter": []}), TypeError),
        (lambda: intyg.validate(intyg.example(), icd10=["F32.1"]), TypeError),  # type: ignore[arg-type]
        (lambda: intyg.load(intyg.example(), icd10="F32.1"), TypeError),  # type: ignore[arg-type]
        (lambda: intyg.published_schema("codesystem"), ValueError),
    ],
    ids=["to_json", "to_fhir", "format_assessment", "validate_icd10", "load_icd10", "published"],
)
def test_public_function_wrong_argument_kind_is_a_clear_error(
    call: Callable[[], object], exc: type[Exception]
) -> None:
    with pytest.raises(exc, match=r"^intyg\."):
        call()


def test_published_schema_serves_every_codesystem() -> None:
    root = Path(__file__).resolve().parent.parent / "schemas" / "lakarintyg-socialnamnd" / "1.0.0"
    files = sorted(root.glob("codesystem-*.json"))
    assert files
    for path in files:
        assert intyg.published_schema(path.stem) == json.loads(path.read_text("utf-8"))


_TYPED = sorted(
    name
    for name in intyg.__all__
    if callable(obj := getattr(intyg, name)) and getattr(obj, "__annotations__", None)
)


def test_most_public_names_carry_type_hints() -> None:
    assert {"RuleSet", "Assessment", "Intyg", "FormVersion", "to_fhir", "assess"} <= set(_TYPED)


@pytest.mark.parametrize("name", _TYPED)
def test_public_type_hints_resolve_at_run_time(name: str) -> None:
    # Tools such as typeguard, cattrs and documentation generators evaluate the annotations;
    # the lazily imported parts (pydantic, FHIR) must not leave a name they cannot resolve.
    assert typing.get_type_hints(getattr(intyg, name))


_ERROR_OF_KIND = {
    "validation": intyg.IntygValidationError,
    "conversion": intyg.ConversionError,
    "ruleset": intyg.RuleSetError,
    "render": intyg.RenderError,
    "output": intyg.OutputError,
    "schema": intyg.SchemaDriftError,
}


@pytest.mark.parametrize(
    "call",
    [
        lambda: intyg.parse_personid("191212121213"),
        lambda: intyg.load("{"),
        lambda: intyg.load({**intyg.example(), "formular": {"id": "x", "version": "1.0.0"}}),
        lambda: intyg.assess(intyg.load(intyg.example()), dt.date(2020, 1, 1)),
        lambda: intyg.load_ruleset("finns-inte"),
    ],
    ids=["personid", "json", "form", "no_ruleset", "unknown_ruleset"],
)
def test_error_kind_in_code_catalogue_names_the_raised_error(call: Callable[[], object]) -> None:
    with pytest.raises(intyg.IntygError) as info:
        call()
    for code in info.value.codes:
        assert isinstance(info.value, _ERROR_OF_KIND[intyg.PROBLEM_CODES[code].kind]), code


def test_reports_and_forms_pickle_after_an_invalid_certificate(example: dict[str, Any]) -> None:
    # A report goes to and from worker processes; checking an invalid certificate leaves
    # nothing unpicklable on its form (the second look is kept apart, by model).
    example["ovrigt"] = " "
    example["ersatter"] = example["intygsid"]
    report = intyg.validate(example)
    assert [p.code for p in report.problems] == ["blank_text", "replaces_itself"]
    again = pickle.loads(pickle.dumps(report))
    assert again.problems == report.problems and again.valid is False
    assert again.form == report.form
    valid = intyg.validate(intyg.example())
    assert pickle.loads(pickle.dumps(valid)).intyg == valid.intyg


def test_model_copy_with_changes_is_validated_again(example: dict[str, Any]) -> None:
    m = intyg.load(example)
    assert m.model_copy() == m and m.model_copy(deep=True) == m
    with pytest.raises(intyg.IntygValidationError) as info:
        m.model_copy(update={"signeringsdatum": dt.date(1800, 1, 1)})
    assert info.value.codes == ["date_out_of_range"]
    with pytest.raises(intyg.IntygValidationError) as info:
        m.patient.model_copy(update={"personid": "191212121213"})
    assert [(p.code, p.path) for p in info.value.problems] == [("personid_invalid", "personid")]
    with pytest.raises(intyg.IntygValidationError) as info:  # a rule across the section
        m.bedomning.model_copy(update={"forhindrad": False})
    assert info.value.codes == ["conditional_forbidden"]
    with pytest.raises(intyg.IntygValidationError) as info:
        m.model_copy(update={"patient": {"namn": "Tolvan Tolvansson"}})
    assert ("required", "patient.personid") in {(p.code, p.path) for p in info.value.problems}
    with pytest.raises(intyg.IntygValidationError) as info:
        m.model_copy(update={"adress": "x"})
    assert [(p.code, p.path) for p in info.value.problems] == [("unknown_field", "adress")]
    with pytest.raises(TypeError):
        m.model_copy(update={"ovrigt": object()})
    for raw in (b"Ny text", b"\xff"):  # JSON has no bytes: text is str
        with pytest.raises(TypeError):
            m.model_copy(update={"ovrigt": raw})
    with pytest.raises(intyg.IntygValidationError) as info:  # keys named as load names them
        m.model_copy(update={"191212121212": 1, "Tolvan har ont": 2})
    assert {p.path for p in info.value.problems} == {UNNAMED}
    assert "191212121212" not in str(info.value.problems)


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("pnr_191212121212", False),  # a personnummer in a field-like name
        ("tel_0701234567", False),
        ("fodd_121212", False),  # six digits: a date of birth
        ("Tolvansson", False),  # a capitalised word: a name, no field of ours
        ("PersonId", False),
        (191212121212, False),  # an integer key in a dict: no list index
        (-1, False),
        (7, False),  # a small one is not an index either (patient[7] would say it was)
        (True, False),
        ((1, 2), False),
        ("adress", True),  # a misspelt or unknown field is named, to be found
        ("personId", True),
        ("icd10_kod", True),
        ("_id", True),
        ("a" * 64, True),  # the longest name that is named
        ("a" * 65, False),
    ],
)
def test_an_unknown_key_is_named_only_when_it_looks_like_a_field_name(
    example: dict[str, Any], key: Any, shown: bool
) -> None:
    example["patient"][key] = 1
    [problem] = intyg.validate(example).problems
    if shown:
        assert problem.path == f"patient.{key}"
    else:
        assert problem.path == f"patient.{UNNAMED}"
        if len(str(key)) > 2:
            assert str(key) not in str(problem.to_dict())


def test_a_personnummer_split_over_two_made_up_keys_is_not_put_together() -> None:
    raw = intyg.example_json().rstrip()[:-1] + ', "pnr19121": {"x21212": 1, "x21212": 2}}'
    [problem] = intyg.validate(raw).problems
    assert (problem.code, problem.path) == ("json_duplicate_key", f"pnr19121.{UNNAMED}")
    from intyg._problems import format_path, safe_link_id

    assert format_path(("a1b2", 0, "c3d4")) == "a1b2[0].c3d4"  # five digits or fewer: shown
    assert format_path(("a1b2", "c3d4e5f6")) == f"a1b2.{UNNAMED}"
    assert safe_link_id("ab12.cd3456") == UNNAMED
    assert safe_link_id("ab12.cd3") == "ab12.cd3"


def test_a_list_index_in_a_path_is_shown_up_to_the_largest_possible() -> None:
    from intyg._problems import LARGEST_INDEX, format_path
    from intyg._read import MAX_ELEMENTS

    assert LARGEST_INDEX >= MAX_ELEMENTS  # every index an input can hold is shown
    assert format_path(("a", LARGEST_INDEX, "b")) == f"a[{LARGEST_INDEX}].b"
    assert format_path(("a", LARGEST_INDEX + 1)) == f"a[{UNNAMED}]"


def test_model_copy_changes_what_it_is_given_and_none_leaves_a_question_out(
    example: dict[str, Any],
) -> None:
    m = intyg.load(example)
    changed = m.model_copy(update={"ovrigt": "Ny uppgift", "signeringsdatum": "2026-11-21"})
    assert (changed.ovrigt, changed.signeringsdatum) == ("Ny uppgift", dt.date(2026, 11, 21))
    assert changed.patient == m.patient and type(changed) is type(m)
    assert changed.model_copy(update={"ovrigt": None}).ovrigt is None
    patient = m.patient.model_copy(update={"namn": "Tolva Tolvansdotter"})
    assert m.model_copy(update={"patient": patient}).patient.namn == "Tolva Tolvansdotter"


def test_assessment_and_its_parts_holding_lists_are_unhashable() -> None:
    a = intyg.assess(intyg.load(intyg.example()), dt.date(2026, 12, 1))
    for obj in (a, a.aktiviteter[0], a.fynd[0], a.nasta_steg[0]):
        assert type(obj).__hash__ is None  # as type checkers see it too
        with pytest.raises(TypeError):
            hash(obj)
    assert hash(a.regelverk) == hash(a.regelverk.model_copy())


@pytest.mark.parametrize("bad", ["json broke", "", b"x", bytearray(), [1], ("code",)])
def test_error_refuses_anything_but_problems(bad: Any) -> None:
    with pytest.raises(TypeError):
        intyg.ConversionError(bad)
    assert intyg.ConversionError([make_problem("json_syntax", "")]).codes == ["json_syntax"]
    made = (make_problem(c, "") for c in ["json_syntax", "encoding"])  # read once
    assert intyg.ConversionError(made).codes == ["json_syntax", "encoding"]


def test_from_fhir_checks_diagnoses_against_the_given_catalogue() -> None:
    response = intyg.to_fhir(intyg.load(intyg.example()))
    catalogue = intyg.CodeListCatalogue(["A00"])
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.from_fhir(response, icd10=catalogue)
    assert set(info.value.codes) == {"icd10_unknown"}
    assert intyg.from_fhir(response) == intyg.load(intyg.example())
    with pytest.raises(TypeError):
        intyg.from_fhir(response, icd10="ICD-10-SE")  # type: ignore[arg-type]


def test_reprs_are_short_and_hold_no_memory_address() -> None:
    texts = [repr(r) for r in intyg.rulesets()]
    texts.append(repr(intyg.validate(intyg.example())))
    for text in texts:
        assert len(text) < 1000, text[:200]
        assert " at 0x" not in text


def test_model_copy_keeps_codes_checked_with_another_catalogue(example: dict[str, Any]) -> None:
    # A certificate loaded with a code list of its own keeps its codes in a changed copy; a new
    # code is checked against the default catalogue.
    example["diagnoser"][0]["kod"] = "J45.7"  # not in WHO's list
    own = intyg.CodeListCatalogue(["J45.7", *(d["kod"] for d in example["diagnoser"])])
    m = intyg.load(example, icd10=own)
    assert m.model_copy(update={"ovrigt": "Ny uppgift"}).diagnoser[0].kod == "J45.7"
    assert m.diagnoser[0].model_copy(update={"text": "Annan text"}).kod == "J45.7"
    with pytest.raises(intyg.IntygValidationError) as info:
        m.diagnoser[0].model_copy(update={"kod": "U99"})
    assert info.value.codes == ["icd10_unknown"]
    other = intyg.load({**example, "intygsid": "0f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e6f"}, icd10=own)
    assert m.model_copy(update={"diagnoser": list(other.diagnoser)}).diagnoser == m.diagnoser
    changed = [{"kod": "U99", "text": "x"}]
    with pytest.raises(intyg.IntygValidationError) as info:
        m.model_copy(update={"diagnoser": changed})
    assert info.value.codes == ["icd10_unknown"]
