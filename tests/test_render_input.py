"""What an assessment given to print, and the texts of a certificate, must be before a page
shows them: checked with codes, or (for characters a page cannot hold) shown as U+FFFD."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import itertools
import json
import types
from collections.abc import Callable
from typing import Any

import pytest

import intyg
from intyg._problems import Problem, make_problem
from intyg._render import ASSESSMENT_TEXT_MAX, ASSESSMENT_TOTAL_TEXT_MAX
from render_support import parse_xhtml


@pytest.fixture(scope="module")
def assessment() -> dict[str, Any]:
    return intyg.assess(intyg.load(intyg.example()), dt.date(2026, 12, 1)).to_json()


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (
            _set(("nasta_steg", 0, "text"), "x" * (ASSESSMENT_TEXT_MAX + 1)),
            "text_too_long",
            "nasta_steg[0].text",
        ),
        (_set(("meddelande",), "a\ud800b"), "invalid_character", "meddelande"),
        (_set(("meddelande",), "a\x00b"), "invalid_character", "meddelande"),
        (_set(("uppfoljning", "skal"), "a\uffffb"), "invalid_character", "uppfoljning.skal"),
        (_set(("intygsid",), "I" + "x" * 2999), "invalid_uuid", "intygsid"),
        (_set(("schemaversion",), "2.0.0"), "invalid_code", "schemaversion"),
        (_set(("meddelande",), " "), "blank_text", "meddelande"),
        (
            _set(("aktiviteter", 0, "timmar_per_vecka"), float("nan")),
            "wrong_type",
            "aktiviteter[0].timmar_per_vecka",
        ),
    ],
    ids=["long_text", "surrogate", "nul", "noncharacter", "long_id", "version", "blank", "nan"],
)
def test_assessment_to_print_is_checked_beyond_its_model(
    assessment: dict[str, Any], change: Callable[[dict[str, Any]], None], code: str, path: str
) -> None:
    data = copy.deepcopy(assessment)
    change(data)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert (code, path) in {(p.code, p.path) for p in info.value.problems}
    model = intyg.Assessment.model_validate(data)  # the model itself lets it through
    with pytest.raises(intyg.ConversionError):
        intyg.render(model, assessment=True)


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        (("bedomningsdatum",), 0, "invalid_date"),
        (("uppfoljning", "datum"), 20261201, "invalid_date"),
        (("bedomningsdatum",), "2026-12-01T00:00:00Z", "invalid_date"),
        (("bedomningsdatum",), "0", "invalid_date"),  # read as a Unix time: 1970-01-01
        (("uppfoljning", "datum"), "1733529600", "invalid_date"),
        (("regelverk", "giltig_fran"), "2025-07-01T00:00:00", "invalid_date"),
        (("regelverk", "giltig_till"), "20260630", "invalid_date"),
        (("aktiviteter", 0, "perioder", 0, "fran"), "86400", "invalid_date"),
        (("aktiviteter", 0, "timmar_bas"), "40", "wrong_type"),
        (("aktiviteter", 0, "timmar_bas"), True, "wrong_type"),
        (("aktiviteter", 0, "timmar_bas"), 40.5, "wrong_type"),
    ],
    ids=[
        "number_as_date",
        "digits_as_date",
        "datetime",
        "text_of_digits_as_date",
        "text_of_unix_time_as_date",
        "midnight_as_date",
        "basic_iso_date",
        "text_of_digits_in_a_period",
        "text_as_int",
        "bool_as_int",
        "fraction",
    ],
)
def test_assessment_to_print_holds_the_json_types_of_its_schema(
    assessment: dict[str, Any], path: tuple[str | int, ...], value: Any, code: str
) -> None:
    # The model's own check converts these (0 became 1970-01-01 on the page); the published
    # schema refuses them.
    data = copy.deepcopy(assessment)
    _set(path, value)(data)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    where = ".".join(str(p) for p in path).replace(".0.", "[0].")
    assert [(p.code, p.path) for p in info.value.problems] == [(code, where)]


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("fynd", 0, "varden", 0, "varde"), b"\xff", "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), object(), "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), float("nan"), "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), float("-inf"), "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), decimal.Decimal("1.1"), "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), 1j, "fynd[0].varden[0].varde"),
        (("fynd", 0, "varden", 0, "varde"), {(1,): 2}, "fynd[0].varden[0].varde.(namnlöst)"),
        (("meddelande",), b"abc", "meddelande"),
        (("aktiviteter", 0, "timmar_bas"), decimal.Decimal(40), "aktiviteter[0].timmar_bas"),
    ],
    ids=["bytes", "object", "nan", "inf", "decimal", "complex", "tuple_key", "bytes_text", "dec"],
)
@pytest.mark.parametrize("call", ["load_assessment", "render"])
def test_assessment_data_with_what_no_json_value_is_gets_wrong_type_at_its_path(
    assessment: dict[str, Any], path: tuple[str | int, ...], value: Any, where: str, call: str
) -> None:
    # The model took these or turned them into others (bytes into text, Decimal("1.1") into
    # "1.1"), or failed with an exception of its own; none could be written back as JSON.
    data = copy.deepcopy(assessment)
    _set(path, value)(data)
    with pytest.raises(intyg.ConversionError) as info:
        if call == "render":
            intyg.render(data, assessment=True)
        else:
            intyg.load_assessment(data)
    assert [(p.code, p.path) for p in info.value.problems] == [("wrong_type", where)]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (object(), "wrong_type"),
        (b"\xff", "wrong_type"),
        (decimal.Decimal("1.5"), "wrong_type"),
        (float("nan"), "wrong_type"),
        ("cycle", "json_too_deep"),
    ],
    ids=["object", "bytes", "decimal", "nan", "cycle"],
)
@pytest.mark.parametrize("call", ["load_assessment", "render"])
def test_an_assessment_model_holding_what_no_json_value_is_gets_a_code(
    assessment: dict[str, Any], value: Any, code: str, call: str
) -> None:
    # A model a caller built and then changed: its Any fields hold anything. It was an
    # uncoded exception of pydantic's serializer, or (a cycle) a walk without end.
    model = intyg.Assessment.model_validate(assessment)
    if value == "cycle":
        value = []
        value.append(value)
    model.fynd[0].varden[0]["varde"] = value
    with pytest.raises(intyg.ConversionError) as info:
        if call == "render":
            intyg.render(model, assessment=True)
        else:
            intyg.load_assessment(model)
    [problem] = info.value.problems
    assert problem.code == code
    assert problem.path.startswith("fynd[0].varden[0].varde")


@pytest.mark.parametrize("digits", [4301, 5000])
def test_an_integer_too_long_to_read_back_is_out_of_range_at_its_path(
    assessment: dict[str, Any], digits: int
) -> None:
    # It was wrong_type of the whole document (pydantic's JSON reader stops at 4 300 digits).
    assessment["aktiviteter"][0]["timmar_bas"] = 123456789
    text = json.dumps(assessment).replace("123456789", "9" * digits)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load_assessment(text)
    assert [(p.code, p.path) for p in info.value.problems] == [
        ("out_of_range", "aktiviteter[0].timmar_bas")
    ]


def test_assessment_to_print_reads_json_as_json_schema_does(assessment: dict[str, Any]) -> None:
    # 40.0 is an integer in JSON Schema; a model's own dump (dates as dates) and collections
    # other than dict and list are the same data.
    data = copy.deepcopy(assessment)
    data["aktiviteter"][0]["timmar_bas"] = float(data["aktiviteter"][0]["timmar_bas"])
    data["regelverk"] = types.MappingProxyType(data["regelverk"])
    data["nasta_steg"] = tuple(data["nasta_steg"])
    assert "<html" in intyg.render(data, assessment=True)
    dumped = intyg.Assessment.model_validate(assessment).model_dump()
    assert "<html" in intyg.render(dumped, assessment=True)


def test_assessment_to_print_with_too_much_text_in_all_is_refused(
    assessment: dict[str, Any],
) -> None:
    data = copy.deepcopy(assessment)
    step = data["nasta_steg"][0]
    count = ASSESSMENT_TOTAL_TEXT_MAX // ASSESSMENT_TEXT_MAX + 1
    data["nasta_steg"] = [{**step, "text": "ord " * (ASSESSMENT_TEXT_MAX // 4)}] * count
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert [(p.code, p.path) for p in info.value.problems] == [("text_too_long", "")]


@pytest.mark.parametrize(
    ("where", "path"),
    [(("regelutfall",), "regelutfall"), (("aktiviteter", 2, "skal"), "aktiviteter[2].skal")],
    ids=["top", "nested"],
)
def test_assessment_to_print_with_an_iterator_is_refused_where_it_stands(
    assessment: dict[str, Any], where: tuple[str | int, ...], path: str
) -> None:
    # The assessment's arrays have no maximum and pydantic reads an iterator to its end: an
    # endless one would never return.
    data = copy.deepcopy(assessment)
    target: Any = data
    for part in where[:-1]:
        target = target[part]
    first = target[where[-1]][0]
    target[where[-1]] = itertools.repeat(first)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert [(p.code, p.path) for p in info.value.problems] == [("wrong_type", path)]

    class Endless:  # gives items only by being gone through: not an iterator itself
        def __iter__(self) -> Any:
            return itertools.repeat(first)

    target[where[-1]] = Endless()
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert [(p.code, p.path) for p in info.value.problems] == [("wrong_type", path)]


def test_assessment_to_print_as_intyg_made_it_is_accepted(assessment: dict[str, Any]) -> None:
    assert "<html" in intyg.render(copy.deepcopy(assessment), assessment=True)


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacter_in_a_valid_certificate_prints_as_replacement(char: str) -> None:
    data = intyg.example()
    data["ovrigt"] = f"före{char}efter"
    assert intyg.validate(data).valid
    page = intyg.render(intyg.load(data))
    parse_xhtml(page)  # well formed
    assert char not in page and "före\ufffdefter" in page


def test_text_assessment_shows_codes_it_does_not_know(assessment: dict[str, Any]) -> None:
    data = copy.deepcopy(assessment)
    data["aktiviteter"][0]["typ"] = "NY_TYP"
    data["nasta_steg"][0]["medverkande"] = ["ny_aktor"]
    text = intyg.format_assessment(intyg.Assessment.model_validate(data))
    assert "NY_TYP" in text and "ny_aktor" in text


@pytest.mark.parametrize("ruleset", [5, [], b"sol-2025-400"])
def test_assess_with_a_ruleset_of_the_wrong_kind_is_a_type_error(ruleset: Any) -> None:
    with pytest.raises(TypeError):
        intyg.assess(intyg.load(intyg.example()), dt.date(2026, 12, 1), ruleset=ruleset)


def test_unknown_ruleset_id_is_not_repeated_in_the_message() -> None:
    wrong = "x\nFEL: 191212121212"
    with pytest.raises(intyg.RuleSetError) as info:
        intyg.assess(intyg.load(intyg.example()), dt.date(2026, 12, 1), ruleset=wrong)
    with pytest.raises(intyg.RuleSetError) as loaded:
        intyg.load_ruleset(wrong)
    for problem in (*info.value.problems, *loaded.value.problems):
        assert problem.code == "ruleset_unknown"
        assert "191212121212" not in problem.message and "\n" not in problem.message


@pytest.mark.parametrize("on", ["2026-01-01", dt.datetime(2026, 1, 1)])
def test_load_ruleset_on_something_else_than_a_date_is_a_type_error(on: Any) -> None:
    with pytest.raises(TypeError):
        intyg.load_ruleset(on=on)


@pytest.mark.parametrize(
    ("where", "value", "kind"),
    [
        (("aktiviteter", 0, "timmar_per_vecka"), float("inf"), "number"),
        (("aktiviteter", 0, "timmar_bas"), "40", "integer"),
        (("aktiviteter",), iter(()), "array"),
        (("meddelande",), 5, "text"),
    ],
    ids=["infinite", "text_for_integer", "iterator", "number_for_text"],
)
def test_assessment_to_print_wrong_type_says_what_was_expected(
    assessment: dict[str, Any], where: tuple[str | int, ...], value: Any, kind: str
) -> None:
    from intyg._problems import expected_type, format_path, make_problem

    data = copy.deepcopy(assessment)
    _set(where, value)(data)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    path = format_path(where)
    found = [p for p in info.value.problems if p.code == "wrong_type"]
    assert [p.path for p in found] == [path]
    assert found[0].message == make_problem("wrong_type", path, expected_type(kind)).message


def _text_in(data: Any) -> int:
    """All characters of the texts in ``data`` (the values, not the keys)."""
    if isinstance(data, str):
        return len(data)
    if isinstance(data, dict):
        return sum(_text_in(v) for v in data.values())
    if isinstance(data, list):
        return sum(_text_in(v) for v in data)
    return 0


def _printed_or_refused(data: dict[str, Any], refused: Problem | None) -> None:
    """``data`` prints as an assessment, or is refused with the one problem ``refused``."""
    if refused is None:
        assert "<html" in intyg.render(data, assessment=True)
        return
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert list(info.value.problems) == [refused]


@pytest.mark.parametrize("over", [0, 1])
def test_assessment_text_limit_is_inclusive(assessment: dict[str, Any], over: int) -> None:
    assert ASSESSMENT_TEXT_MAX == 4000  # as docs/integration.md says
    data = copy.deepcopy(assessment)
    data["nasta_steg"][0]["text"] = "x" * (ASSESSMENT_TEXT_MAX + over)
    refused = make_problem("text_too_long", "nasta_steg[0].text", {"max_length": 4000})
    _printed_or_refused(data, refused if over else None)


@pytest.mark.parametrize("over", [0, 1])
def test_assessment_total_text_limit_is_inclusive(assessment: dict[str, Any], over: int) -> None:
    assert ASSESSMENT_TOTAL_TEXT_MAX == 200_000  # as docs/integration.md says
    data = copy.deepcopy(assessment)
    steps = data["nasta_steg"]
    step = steps[0]
    overhead = _text_in({**step, "text": ""})  # the texts besides "text" a step brings
    missing = ASSESSMENT_TOTAL_TEXT_MAX + over - _text_in(data)
    while missing > overhead + ASSESSMENT_TEXT_MAX:
        steps.append({**step, "text": "o" * ASSESSMENT_TEXT_MAX})
        missing -= overhead + ASSESSMENT_TEXT_MAX
    if missing > overhead:
        steps.append({**step, "text": "o" * (missing - overhead)})
    else:
        steps[0] = {**step, "text": step["text"] + "o" * missing}
    assert _text_in(data) == ASSESSMENT_TOTAL_TEXT_MAX + over
    refused = make_problem("text_too_long", "", {"max_length": 200_000})
    _printed_or_refused(data, refused if over else None)


def test_assessment_text_too_long_and_unprintable_is_said_once(assessment: dict[str, Any]) -> None:
    data = copy.deepcopy(assessment)
    data["meddelande"] = "\x00" + "x" * ASSESSMENT_TEXT_MAX
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    assert [(p.code, p.path) for p in info.value.problems] == [("text_too_long", "meddelande")]


@pytest.mark.parametrize("kind", ["unprintable", "foreign"])
def test_assessment_to_print_lists_at_most_the_problem_limit(
    assessment: dict[str, Any], kind: str
) -> None:
    from intyg._problems import MAX_PROBLEMS

    data = copy.deepcopy(assessment)
    count = MAX_PROBLEMS + 25
    if kind == "unprintable":
        step = data["nasta_steg"][0]
        data["nasta_steg"] = [{**step, "text": "a\x00b"} for _ in range(count)]
        code = "invalid_character"
    else:
        finding = data["fynd"][0]
        values = [{"namn": "x", "varde": float("nan")} for _ in range(count)]
        data["fynd"][0] = {**finding, "varden": values}
        code = "wrong_type"
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(data, assessment=True)
    found = info.value.problems
    assert [p.code for p in found] == [code] * MAX_PROBLEMS + ["too_many_problems"]
    assert found[-1] == make_problem("too_many_problems", "", {"count": 25})
