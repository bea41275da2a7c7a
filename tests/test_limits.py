"""Limits on input: nesting depth, number of values, number of problems listed.

Whatever form the input takes (JSON text, a dict from a caller, a QuestionnaireResponse, an
assessment to print), nothing recursive sees it nested deeper than ``MAX_DEPTH``, cyclic, or
with more than ``MAX_ELEMENTS`` values, and no report lists more than ``MAX_PROBLEMS`` problems.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _hypothesis_profiles  # noqa: F401  (the CI and local example counts)
import intyg
from intyg import _load, _read
from intyg._cli import main
from intyg._problems import MAX_PROBLEMS, UNNAMED, make_problem
from intyg._read import MAX_DEPTH, MAX_ELEMENTS, check_shape
from korpus import validate_traced

ON = dt.date(2026, 11, 24)


def _found(source: Any) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in intyg.validate(source).problems]


def _nested_list(levels: int) -> list[Any]:
    """``levels`` lists, one in another."""
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _extensions(levels: int) -> list[dict[str, Any]]:
    """An extension list ``levels`` extensions deep (2 levels of JSON each)."""
    value: list[dict[str, Any]] = [{"url": "urn:y", "valueString": "x"}]
    for _ in range(levels - 1):
        value = [{"url": "urn:x", "extension": value}]
    return value


@pytest.fixture
def qr(example: dict[str, Any]) -> dict[str, Any]:
    return intyg.to_fhir(intyg.load(example))


# ---------------------------------------------------------------- the limits themselves


def test_check_shape_accepts_exactly_max_depth() -> None:
    check_shape(_nested_list(MAX_DEPTH))
    with pytest.raises(intyg.ConversionError) as info:
        check_shape(_nested_list(MAX_DEPTH + 1))
    assert [(p.code, p.path) for p in info.value.problems] == [("json_too_deep", "[0]" * MAX_DEPTH)]


def test_check_shape_accepts_exactly_max_elements() -> None:
    check_shape({"a": [0] * (MAX_ELEMENTS - 1)})
    with pytest.raises(intyg.ConversionError) as info:
        check_shape({"a": [0] * MAX_ELEMENTS})
    assert [(p.code, p.path) for p in info.value.problems] == [("json_too_many_elements", "a")]


def test_check_shape_walks_a_mapping_that_is_no_dict_by_its_keys() -> None:
    # A caller's mapping (MappingProxyType here) is an object: its values are what is walked,
    # and the paths name its keys, not positions.
    from types import MappingProxyType

    with pytest.raises(intyg.ConversionError) as info:
        check_shape(MappingProxyType({"x": 1, "a": MappingProxyType({"b": [0] * MAX_ELEMENTS})}))
    assert [(p.code, p.path) for p in info.value.problems] == [("json_too_many_elements", "a.b")]


def test_check_shape_names_the_first_place_in_document_order() -> None:
    data = {"a": {"b": _nested_list(MAX_DEPTH)}, "c": _nested_list(MAX_DEPTH)}
    with pytest.raises(intyg.ConversionError) as info:
        check_shape(data)
    assert [p.path for p in info.value.problems] == ["a.b" + "[0]" * (MAX_DEPTH - 2)]


def test_check_shape_never_echoes_a_key() -> None:
    data: dict[str, Any] = {"patient": {"191212121212": _nested_list(MAX_DEPTH)}}
    with pytest.raises(intyg.ConversionError) as info:
        check_shape(data)
    path = info.value.problems[0].path
    assert path.startswith(f"patient.{UNNAMED}[0]") and "1912" not in path


def test_check_shape_refuses_a_cycle() -> None:
    data: dict[str, Any] = {"a": []}
    data["a"].append(data)
    with pytest.raises(intyg.ConversionError) as info:
        check_shape(data)
    assert info.value.codes == ["json_too_deep"]


def test_check_shape_counts_shared_data_at_each_place_and_stops_early() -> None:
    # 2**60 places if unfolded: the count stops as soon as it passes the limit.
    shared: dict[str, Any] = {"x": 1}
    for _ in range(60):
        shared = {"a": shared, "b": shared}
    with pytest.raises(intyg.ConversionError) as info:
        check_shape(shared)
    assert info.value.codes == ["json_too_many_elements"]


# ---------------------------------------------------------------- every way in


def _deep_certificate() -> dict[str, Any]:
    data = intyg.example()
    data["extra"] = _nested_list(100)
    return data


def _cyclic_certificate() -> dict[str, Any]:
    data = intyg.example()
    data["patient"]["namn"] = data
    return data


def _deep_response() -> dict[str, Any]:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["extension"] = _extensions(125)
    return qr


def _cyclic_response() -> dict[str, Any]:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    extension: dict[str, Any] = {"url": "urn:x"}
    extension["extension"] = [extension]
    qr["extension"] = [extension]
    return qr


def _long_response() -> dict[str, Any]:
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["item"].extend({"linkId": f"x{i}"} for i in range(MAX_ELEMENTS))
    return qr


_BAD_DATA: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    "deep_certificate": (_deep_certificate, "json_too_deep"),
    "cyclic_certificate": (_cyclic_certificate, "json_too_deep"),
    "deep_response": (_deep_response, "json_too_deep"),
    "cyclic_response": (_cyclic_response, "json_too_deep"),
    "long_response": (_long_response, "json_too_many_elements"),
}


@pytest.mark.parametrize("name", sorted(_BAD_DATA))
def test_validate_refuses_data_too_deep_cyclic_or_large(name: str) -> None:
    build, code = _BAD_DATA[name]
    report = intyg.validate(build())
    assert not report.valid and [p.code for p in report.problems] == [code]


@pytest.mark.parametrize("name", sorted(_BAD_DATA))
@pytest.mark.parametrize(
    "call",
    [
        intyg.load,
        lambda d: intyg.render(d),
        lambda d: intyg.render(d, assessment=True, on=ON),
    ],
    ids=["load", "render", "render_assessment"],
)
def test_api_raises_conversion_error_for_data_too_deep_cyclic_or_large(
    name: str, call: Callable[[Any], object]
) -> None:
    build, code = _BAD_DATA[name]
    with pytest.raises(intyg.ConversionError) as info:
        call(build())
    assert info.value.codes == [code]


@pytest.mark.parametrize("name", ["deep_response", "cyclic_response", "long_response"])
def test_from_fhir_raises_conversion_error_for_data_too_deep_cyclic_or_large(name: str) -> None:
    build, code = _BAD_DATA[name]
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(build())
    assert info.value.codes == [code]


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.update(extra=_nested_list(100)),
        lambda a: a["aktiviteter"].append(a),
        lambda a: a.update({f"k{i}": 0 for i in range(MAX_ELEMENTS)}),
    ],
    ids=["deep", "cyclic", "large"],
)
def test_render_refuses_an_assessment_too_deep_cyclic_or_large(
    change: Callable[[dict[str, Any]], None],
) -> None:
    made = intyg.assess(intyg.load(intyg.example()), ON).model_dump(mode="json")
    change(made)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.render(made, assessment=True)
    assert info.value.codes[0] in ("json_too_deep", "json_too_many_elements")


@pytest.mark.parametrize("name", ["deep_certificate", "deep_response", "long_response"])
def test_text_and_data_give_the_same_report(name: str) -> None:
    data = _BAD_DATA[name][0]()
    text = json.dumps(data)
    assert _found(text) == _found(data) == _found(text.encode())


def test_deep_response_is_refused_at_the_first_place_too_deep(qr: dict[str, Any]) -> None:
    qr["extension"] = _extensions(125)
    # the resource is level 1, each extension and its list two more
    assert _found(qr) == [("json_too_deep", "extension[0]" + ".extension[0]" * 31)]


def test_response_within_the_depth_limit_reaches_fhir_checks(qr: dict[str, Any]) -> None:
    qr["extension"] = _extensions(31)  # 63 levels
    assert _found(qr) == [("fhir_extension_not_supported", "extension")]


def test_deeply_nested_items_are_left_to_the_full_check(qr: dict[str, Any]) -> None:
    from intyg._qr_quick import plainly_conformant

    item: dict[str, Any] = {"linkId": "x"}
    for _ in range(40):
        item = {"linkId": "patient", "item": [item]}
    qr["item"].insert(0, item)
    assert not plainly_conformant(qr)  # never recursing with it
    assert _found(qr) == [("json_too_deep", "item[0]" + ".item[0]" * 31)]


def test_validate_turns_a_recursion_error_into_json_too_deep(
    example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def recurse(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(_load, "check", recurse)
    assert _found(example) == [("json_too_deep", "")]
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load(example)
    assert info.value.codes == ["json_too_deep"]


@pytest.mark.parametrize("name", ["deep_response", "deep_certificate"])
def test_cli_validate_deep_data_is_coded_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # A deep certificate is short text, not measured as it is read: the prebuilt validator
    # measures it once it has found it invalid, as intyg.validate does.
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_BAD_DATA[name][0]()), "utf-8")
    assert main(["validate", "--json", str(path)]) == 1
    out = capsys.readouterr()
    assert [p["code"] for p in json.loads(out.out)["problems"]] == ["json_too_deep"]
    assert "Traceback" not in out.err


def test_cli_assess_batch_reads_past_a_deep_response(
    example: dict[str, Any], tmp_path: Path
) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(example), json.dumps(_deep_response()), json.dumps(example)]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "ut.jsonl"
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    results = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["valid"] for r in results] == [True, False, True]
    assert [p["code"] for p in results[1]["problems"]] == ["json_too_deep"]


# ---------------------------------------------------------------- many keys, many problems


def test_problems_beyond_the_limit_are_counted_not_listed(example: dict[str, Any]) -> None:
    example.update({f"k{i}": 0 for i in range(MAX_PROBLEMS + 400)})
    problems = intyg.validate(example).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert [p.path for p in problems[:3]] == ["k0", "k1", "k2"]  # the first, in order
    assert {p.code for p in problems[:MAX_PROBLEMS]} == {"unknown_field"}
    last = problems[-1]
    assert (last.code, last.path, last.severity) == ("too_many_problems", "", "error")
    assert "400" in last.message
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.load(example)
    assert len(info.value.problems) == MAX_PROBLEMS + 1


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_problem_limit_boundary(example: dict[str, Any], extra: int) -> None:
    # Exactly MAX_PROBLEMS problems are all listed; one more is counted, never listed.
    example.update({f"k{i}": 0 for i in range(MAX_PROBLEMS + extra)})
    problems = intyg.validate(example).problems
    codes = [p.code for p in problems]
    if extra == 0:
        assert codes == ["unknown_field"] * MAX_PROBLEMS
    else:
        assert codes == ["unknown_field"] * MAX_PROBLEMS + ["too_many_problems"]
        # the rest is counted: as many as were left out
        assert problems[-1] == make_problem("too_many_problems", "", {"count": extra})


def test_response_problems_beyond_the_limit_are_counted(qr: dict[str, Any]) -> None:
    qr["item"].extend({"linkId": f"x{i}"} for i in range(MAX_PROBLEMS + 50))
    with pytest.raises(intyg.ConversionError) as info:
        intyg.from_fhir(qr)
    codes = info.value.codes
    assert len(codes) == MAX_PROBLEMS + 1 and codes[-1] == "too_many_problems"
    assert set(codes[:-1]) == {"fhir_unknown_link_id"}


def test_fhir_resources_problems_beyond_the_limit_are_counted(qr: dict[str, Any]) -> None:
    qr["extension"] = [{"url": 7}] * (MAX_PROBLEMS + 20)  # refused by fhir.resources, each
    codes = [c for c, _ in _found(qr)]
    assert len(codes) == MAX_PROBLEMS + 1 and codes[-1] == "too_many_problems"


@pytest.mark.parametrize("where", ["top", "section", "response"])
def test_many_keys_use_bounded_memory(where: str, qr: dict[str, Any]) -> None:
    """300 000 keys (about 5 MB of JSON) once made 300 000 problems and half a gigabyte."""
    data: dict[str, Any] = intyg.example()
    if where == "top":
        data.update({f"k{i}": 0 for i in range(300_000)})
    elif where == "section":
        data["patient"].update({f"k{i}": 0 for i in range(300_000)})
    else:
        data = copy.deepcopy(qr)
        data["item"].extend({"linkId": f"x{i}"} for i in range(150_000))
    raw = json.dumps(data).encode()
    del data
    report, peak = validate_traced(raw)
    assert [p.code for p in report.problems] == ["json_too_many_elements"]
    assert peak < 80 * 1024 * 1024  # the parsed input itself, and nothing per key


def test_short_text_is_not_measured_when_valid(
    example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limits cost a valid certificate nothing: short text holds too few values to pass
    MAX_ELEMENTS, and a valid certificate nests as deep as its form."""

    def fail(data: Any) -> None:
        raise AssertionError("measured")

    monkeypatch.setattr(_read, "check_shape", fail)
    monkeypatch.setattr(_load, "check_shape", fail)
    raw = json.dumps(example).encode()
    assert len(raw) <= 2 * MAX_ELEMENTS
    assert intyg.validate(raw).valid


# ---------------------------------------------------------------- found in a review


@pytest.mark.parametrize(
    "collection",
    [
        set(range(MAX_ELEMENTS + 1)),
        frozenset(range(MAX_ELEMENTS + 1)),
        range(MAX_ELEMENTS + 1),
        dict.fromkeys(range(MAX_ELEMENTS + 1)).keys(),
        dict.fromkeys(range(MAX_ELEMENTS + 1)).values(),
    ],
    ids=["set", "frozenset", "range", "keys", "values"],
)
def test_other_collections_in_a_dict_count_as_arrays(
    example: dict[str, Any], collection: Any
) -> None:
    # pydantic reads them as arrays, one problem per item, so they are counted as arrays are.
    example["diagnoser"] = collection
    assert _found(example) == [("json_too_many_elements", "diagnoser")]


def test_text_limit_counts_utf8_bytes_also_for_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", 1000)
    text = '{"ovrigt": "' + "ö" * 600 + '"}'  # 616 characters, 1 216 bytes
    assert len(text) < 1000 < len(text.encode())
    assert _found(text) == _found(text.encode()) == [("input_too_large", "")]


def test_from_fhir_reads_a_mapping_that_is_no_dict(qr: dict[str, Any]) -> None:
    from types import MappingProxyType

    assert intyg.from_fhir(MappingProxyType(qr)) == intyg.load(intyg.example())


# Every array of form 1.0.0 with its first item (the example has one in each, or is given one).
_ARRAYS = [
    (("grund", "underlag"), "grund.underlag"),
    (("sysselsattning", "typ"), "sysselsattning.typ"),
    (("diagnoser",), "diagnoser"),
    (("funktionsnedsattning", "icf"), "funktionsnedsattning.icf"),
    (("aktivitetsbegransning", "icf"), "aktivitetsbegransning.icf"),
    (("bedomning", "perioder"), "bedomning.perioder"),
    (("bedomning", "anpassningar"), "bedomning.anpassningar"),
    (("samverkan", "rekommendationer"), "samverkan.rekommendationer"),
]


def test_every_array_of_the_form_has_a_maximum_and_is_listed_for_the_iterator_test() -> None:
    # The iterator test below relies on every array of the form having a maximum.
    schema = intyg.published_schema("jsonschema")
    fields = [schema["properties"]] + [d.get("properties", {}) for d in schema["$defs"].values()]
    arrays: dict[str, Any] = {}
    for properties in fields:
        for name, field in properties.items():
            for option in [field, *field.get("anyOf", [])]:  # an optional array: anyOf with null
                if option.get("type") == "array":
                    arrays[name] = option.get("maxItems")
    assert set(arrays) == {keys[-1] for keys, _ in _ARRAYS}
    assert all(isinstance(m, int) for m in arrays.values()), arrays


@pytest.mark.parametrize(("keys", "path"), _ARRAYS, ids=[p for _, p in _ARRAYS])
def test_an_endless_iterator_in_a_dict_is_read_only_up_to_its_arrays_maximum(
    example: dict[str, Any], keys: tuple[str, ...], path: str
) -> None:
    # check_shape cannot count an iterator without consuming it; every array of the form has a
    # maximum, and pydantic stops reading one item past it, so an endless iterator ends in
    # too_many_items at that array instead of a hang.
    parent = example
    for key in keys[:-1]:
        parent = parent[key]
    first = parent[keys[-1]][0]
    parent[keys[-1]] = itertools.repeat(first)
    assert ("too_many_items", path) in _found(example)


def test_a_finite_generator_in_a_dict_reads_as_its_list(example: dict[str, Any]) -> None:
    example["diagnoser"] = (d for d in copy.deepcopy(example["diagnoser"]))
    assert intyg.validate(example).valid


def test_holds_iterator_measures_past_an_iterator() -> None:
    assert not _read.holds_iterator({"a": [1, {"b": (2, 3)}]})
    assert _read.holds_iterator({"a": [1, {"b": iter([2])}]})
    with pytest.raises(intyg.ConversionError) as info:  # the iterator comes first
        _read.holds_iterator({"a": iter([]), "b": _nested_list(100)})
    assert info.value.codes == ["json_too_deep"]


@pytest.mark.parametrize("extra", ["deep", "large"])
def test_an_invalid_dict_with_an_iterator_is_still_measured(
    example: dict[str, Any], extra: str
) -> None:
    # The second look is skipped for data holding an iterator, but the data is measured all
    # the same: too deep or too large is refused as such, whatever else is wrong.
    example["diagnoser"] = (d for d in copy.deepcopy(example["diagnoser"]))
    example["extra"] = _nested_list(100) if extra == "deep" else [0] * (MAX_ELEMENTS + 1)
    codes = {"deep": "json_too_deep", "large": "json_too_many_elements"}
    assert [code for code, _ in _found(example)] == [codes[extra]]


@pytest.mark.parametrize("where", ["item", "nested_item", "answer"])
def test_an_iterator_in_a_response_is_refused_where_it_stands(
    qr: dict[str, Any], where: str
) -> None:
    # A response's arrays have no maximum and fhir.resources reads an iterator to its end: an
    # endless one would never return.
    if where == "item":
        qr["item"], path = itertools.repeat(qr["item"][0]), "item"
    else:
        key = "item" if where == "nested_item" else "answer"
        index = next(i for i, it in enumerate(qr["item"]) if key in it)
        qr["item"][index][key] = itertools.repeat(qr["item"][index][key][0])
        path = f"item[{index}].{key}"
    assert _found(qr) == [("fhir_invalid_resource", path)]
    with pytest.raises(intyg.ConversionError) as caught:
        intyg.from_fhir(qr)
    assert [(p.code, p.path) for p in caught.value.problems] == [("fhir_invalid_resource", path)]


class _Endless:
    """Gives items only by being gone through, without end: not an iterator itself."""

    def __init__(self, item: Any) -> None:
        self.item = item

    def __iter__(self) -> Any:
        return itertools.repeat(self.item)


def test_an_endless_iterable_in_a_response_is_refused_where_it_stands(qr: dict[str, Any]) -> None:
    qr["item"] = _Endless(qr["item"][0])
    assert _found(qr) == [("fhir_invalid_resource", "item")]


# ----------------------------------------------------------------- an array with too many entries


def _array(data: dict[str, Any], keys: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    parent = data
    for key in keys[:-1]:
        parent = parent[key]
    return parent, keys[-1]


def _maximum(path: str) -> int:
    schema = intyg.published_schema("jsonschema")
    found = {
        name: option["maxItems"]
        for properties in [schema["properties"]]
        + [d.get("properties", {}) for d in schema["$defs"].values()]
        for name, field in properties.items()
        for option in [field, *field.get("anyOf", [])]
        if option.get("type") == "array"
    }
    return int(found[path.rsplit(".", 1)[-1]])


def _problems_of(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The problems both validators give ``data`` (they must agree)."""
    from intyg._quick import validate_quickly

    report = intyg.validate(copy.deepcopy(data))
    quick = validate_quickly(json.dumps(data).encode())
    assert quick is not None
    assert quick == (report.valid, report.problems)
    return tuple((p.code, p.path) for p in report.problems)


# Which entries of an array one entry past its maximum are faulty, by pattern.
_FAULTY = {
    "none": lambda n: set(),
    "first": lambda n: {0},
    "last": lambda n: {n - 1},
    "all": lambda n: set(range(n)),
}


@pytest.mark.parametrize("faulty", list(_FAULTY))
@pytest.mark.parametrize(("keys", "path"), _ARRAYS, ids=[p for _, p in _ARRAYS])
def test_an_array_with_too_many_entries_gets_its_length_and_each_entrys_problems(
    example: dict[str, Any], keys: tuple[str, ...], path: str, faulty: str
) -> None:
    # pydantic-core alone loses one or the other: it counts only the entries that pass, and
    # drops the entries' problems when it stops at the maximum. Every problem at once means
    # both, as JSON Schema's maxItems and items report both.
    n = _maximum(path) + 1
    parent, key = _array(example, keys)
    good = parent[key][0]
    bad: Any = 5  # no entry of any array may be a number (wrong type or invalid code)
    parent[key] = [good]
    assert _problems_of(example) == ()
    parent[key] = [bad]
    first = f"{path}[0]"
    alone = [(code, where.removeprefix(first)) for code, where in _problems_of(example)]
    assert alone, "a number must be a problem in every array"
    assert all(where.startswith(first) for _, where in _problems_of(example))

    wrong = _FAULTY[faulty](n)
    parent[key] = [bad if i in wrong else good for i in range(n)]
    found = _problems_of(example)
    assert found[0] == ("too_many_items", path)
    entries = list(found[1:])
    expected = [(code, f"{path}[{i}]{rest}") for i in sorted(wrong) for code, rest in alone]
    assert entries == expected


def test_an_array_far_too_long_lists_its_length_before_its_entries(
    example: dict[str, Any],
) -> None:
    example["diagnoser"] = [{"kod": "F32.1", "text": " "}] * (MAX_PROBLEMS + 50)
    found = _problems_of(example)
    assert found[0] == ("too_many_items", "diagnoser")
    assert found[1] == ("blank_text", "diagnoser[0].text")
    assert found[-2] == ("blank_text", f"diagnoser[{MAX_PROBLEMS - 2}].text")
    assert found[-1] == ("too_many_problems", "")
    assert len(found) == MAX_PROBLEMS + 1


def test_the_careful_schema_wraps_each_array_with_a_maximum_and_leaves_the_original() -> None:
    from intyg._careful import EveryItem, every_item_checked
    from intyg._v1 import _prebuilt

    before = repr(_prebuilt.CORE_SCHEMA)
    careful = every_item_checked(_prebuilt.CORE_SCHEMA)
    assert repr(_prebuilt.CORE_SCHEMA) == before

    wrapped: list[int] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            function = node.get("function")
            if isinstance(function, dict) and isinstance(function.get("function"), EveryItem):
                assert "max_length" not in node["schema"]  # the wrapper checks the length
                wrapped.append(function["function"].max_length)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(careful)
    assert sorted(wrapped) == sorted(_maximum(p) for _, p in _ARRAYS)


def test_problems_past_the_list_are_counted_as_if_built() -> None:
    # problems_from_pydantic builds only what is listed and counts the rest; the count must be
    # what building them all would give (a carrier of several problems, a list that is long
    # enough counted as none).
    from intyg._problems import problems_from_pydantic

    one = {"type": "missing", "loc": ("a",), "input": {}}
    carrier = {
        "type": "intyg_problems",
        "loc": ("b",),
        "input": {},
        "ctx": {"problems": [("duplicate_value", "x[1]", {}), ("duplicate_value", "x[2]", {})]},
    }
    long_enough = {
        "type": "too_short",
        "loc": ("c",),
        "input": [1, 2],
        "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0},
    }
    errors = [one] * (MAX_PROBLEMS + 3) + [carrier, long_enough, one]
    built = [p for err in errors for p in problems_from_pydantic([err])]  # each on its own
    listed = problems_from_pydantic(errors)
    assert len(listed) == MAX_PROBLEMS + 1
    assert listed[:MAX_PROBLEMS] == built[:MAX_PROBLEMS]
    assert listed[-1].code == "too_many_problems"
    assert re.findall(r"[0-9]+", listed[-1].message) == [str(len(built) - MAX_PROBLEMS)]


def test_a_str_subclass_in_a_dict_is_text_not_an_iterator(
    example: dict[str, Any], qr: dict[str, Any]
) -> None:
    # A code list's own StrEnum member, as a Python caller may give it: text like any other.
    from intyg._v1._codes import PrognosTyp

    example["prognos"]["typ"] = PrognosTyp("ATERGAR_MED_ANPASSNING")
    good = {"kod": "F32.1", "text": "a"}
    example["diagnoser"] = [good, good, good, {"kod": "F32.1", "text": " "}]
    assert _found(example) == [
        ("too_many_items", "diagnoser"),
        ("blank_text", "diagnoser[3].text"),
    ]

    class Text(str):
        pass

    qr["item"][0]["linkId"] = Text(qr["item"][0]["linkId"])
    assert intyg.validate(qr).valid


_TRICKY_TEXT = st.text(alphabet='ab ,:[]{}"\\\u00e5\n', max_size=12)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(_TRICKY_TEXT, inner, max_size=6),
    max_leaves=60,
)


def _outcome(text: bytes) -> tuple[str, ...]:
    """The codes that reading ``text`` gives, held to the limits as long text is."""
    try:
        check_shape(_read.parse_json(text))
    except intyg.ConversionError as exc:
        return tuple(sorted(p.code for p in exc.problems))
    return ()


@given(value=_JSON_VALUES, deep=st.integers(0, 80), indent=st.sampled_from([None, 1]))
def test_scan_of_long_text_never_refuses_what_the_readers_accept(
    value: Any, deep: int, indent: int | None
) -> None:
    # Text over 1 MiB is counted before it is read (_read._scan). Scanning every text instead:
    # whatever the readers accept is still accepted, and what they refuse as too deep or too
    # large is refused as one of the two (the scan cannot say where).
    nested: Any = value
    for i in range(deep):
        nested = [nested] if i % 2 else {'k"{[': nested}
    text = json.dumps(nested, indent=indent, ensure_ascii=deep % 3 == 0).encode()
    plain = _outcome(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_read, "_SCANNED_ABOVE", 0)
        scanned = _outcome(text)
    if plain in ((), ("json_duplicate_key",)) or "json_syntax" in plain:
        assert scanned == plain
    else:
        limits = {("json_too_deep",), ("json_too_many_elements",)}
        assert plain in limits
        assert scanned in limits


@pytest.mark.parametrize("scanned", [True, False], ids=["scanned", "counted-after-reading"])
def test_long_text_is_refused_at_the_limits_exactly(scanned: bool) -> None:
    # 20 000 values and 64 levels are within the limits; one more is not, as the readers say.
    # Scanned before reading when over 1 MiB; else counted once read when longer than the
    # shortest text that can hold too many values ("[0,0,...,0]": 2 * MAX_ELEMENTS + 3).
    pad = " " * (_read._SCANNED_ABOVE + 1) if scanned else ""
    for text in (
        "[" + "0," * (MAX_ELEMENTS - 1) + "0]",
        "[" + '"x",' * (MAX_ELEMENTS - 1) + '"x"]',
        '{"a":' * (MAX_DEPTH - 1) + "[0]" + "}" * (MAX_DEPTH - 1),
    ):
        assert _read.parse_json((pad + text).encode()) is not None
    for text, code in (
        ("[" + "0," * MAX_ELEMENTS + "0]", "json_too_many_elements"),
        ("[" + '"x",' * MAX_ELEMENTS + '"x"]', "json_too_many_elements"),
        # Short deep text is read, and refused at its deepest field once read (elsewhere).
        *([('{"a":' * MAX_DEPTH + "[0]" + "}" * MAX_DEPTH, "json_too_deep")] if scanned else []),
    ):
        with pytest.raises(intyg.ConversionError) as info:
            _read.parse_json((pad + text).encode())
        assert [p.code for p in info.value.problems] == [code]


_PAD = '"' + "x" * (_read._SCANNED_ABOVE + 1) + '"'  # long text: no comma, no container


@pytest.mark.parametrize(
    ("within", "beyond"),
    [
        # Commas: at least one value more than commas. 19,998 values under "a"; 20,000.
        ("0," * (MAX_ELEMENTS - 3) + "0", "0," * (MAX_ELEMENTS - 1) + "0"),
        # Objects and arrays opened: at least that many values less one (20,002 opened).
        ("[[]]," * (MAX_ELEMENTS // 2 - 2) + "0", "[[]]," * (MAX_ELEMENTS // 2 - 1) + "[[]]"),
    ],
    ids=["commas", "opened"],
)
def test_scan_refuses_long_text_at_its_bounds_as_a_whole(within: str, beyond: str) -> None:
    # The scan refuses the whole text ("") before anything is built; refused once read, the
    # problem would name a place under "a".
    assert _read.parse_json(f'{{"p":{_PAD},"a":[{within}]}}'.encode()) is not None
    with pytest.raises(intyg.ConversionError) as info:
        _read.parse_json(f'{{"p":{_PAD},"a":[{beyond}]}}'.encode())
    assert [(p.code, p.path) for p in info.value.problems] == [("json_too_many_elements", "")]


def test_scan_refuses_long_deep_text_as_a_whole() -> None:
    deep = '{"a":' * MAX_DEPTH + "[0]" + "}" * MAX_DEPTH
    with pytest.raises(intyg.ConversionError) as info:
        _read.parse_json(f"[{_PAD},{deep}]".encode())
    assert [(p.code, p.path) for p in info.value.problems] == [("json_too_deep", "")]


@pytest.mark.parametrize("kind", [str, bytes])
@pytest.mark.parametrize("sign", [1, -1], ids=["positive", "negative"])
def test_an_integer_too_long_to_read_keeps_its_sign(kind: type, sign: int) -> None:
    # Read as a number beyond every bound (out_of_range where it stands), on its own side of 0.
    text = "[" + ("-" if sign < 0 else "") + "9" * 4301 + "]"
    (value,) = _read.parse_json(text if kind is str else text.encode())
    assert (value > 0) is (sign > 0)  # compared, never printed: too many digits to print
    assert abs(value) == _read.BEYOND_EVERY_BOUND


@pytest.mark.parametrize("item", [1, {}, "x"], ids=["number", "object", "text"])
def test_an_endless_iterator_of_broken_items_is_read_only_so_far(
    example: dict[str, Any], item: Any
) -> None:
    # pydantic stops one item past an array's maximum only while the items are valid (it
    # counts those alone): an endless iterator of broken items was read while memory lasted.
    read = 0

    def endless() -> Any:
        nonlocal read
        while True:
            read += 1
            yield item

    example["diagnoser"] = endless()
    report = intyg.validate(example)
    assert not report.valid
    assert report.problems[-1].code == "too_many_problems"
    assert read <= _read.ITERATOR_ITEMS + 1


def test_parse_json_holds_text_to_the_byte_limit_on_every_path() -> None:
    # A str with a lone surrogate goes to the careful reader: still counted in UTF-8 bytes.
    with pytest.raises(intyg.ConversionError) as info:
        _read.parse_json('"' + "é" * (_read.MAX_INPUT_BYTES // 2) + '\ud800"')
    assert [p.code for p in info.value.problems] == ["input_too_large"]
    assert _read.parse_json(" " * (_read.MAX_INPUT_BYTES - 2) + "{}") == {}  # exactly the limit


def test_a_bad_entry_just_past_an_arrays_maximum_is_still_reported(
    example: dict[str, Any],
) -> None:
    # pydantic reports only too_long when the entry past the maximum (five underlag) is the
    # one in error and a sound one follows; its own problem is found all the same.
    ok = example["grund"]["underlag"][0]
    bad = {**ok, "datum": "2026-13-01"}
    example["grund"]["underlag"] = [*[ok] * 5, bad, ok]
    found = _found(example)
    assert ("too_many_items", "grund.underlag") in found
    assert ("invalid_date", "grund.underlag[5].datum") in found


def test_a_field_in_error_is_not_also_said_to_be_missing(example: dict[str, Any]) -> None:
    # A blank description of "Annat" is blank_text; the stand-in that lets the entry's rules
    # run must not make it missing as well (conditional_required).
    example["grund"]["underlag"][0] = {"typ": "ANNAT", "datum": "2026-11-18", "beskrivning": "   "}
    assert _found(example) == [("blank_text", "grund.underlag[0].beskrivning")]


def test_a_list_given_as_a_tuple_is_counted_as_a_list(example: dict[str, Any]) -> None:
    # One entry in error is its own problem, not also too few entries.
    entry = {**example["grund"]["underlag"][0], "datum": "2026-13-01"}
    example["grund"]["underlag"] = (entry,)
    assert _found(example) == [("invalid_date", "grund.underlag[0].datum")]
