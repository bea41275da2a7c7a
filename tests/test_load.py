"""Reading input: text, bytes, dicts and files; broken input gives coded problems."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _hypothesis_profiles  # noqa: F401  (the CI and local example counts)
import intyg
from intyg import _read
from intyg._problems import MAX_PROBLEMS, UNNAMED


def _codes(source: Any) -> list[str]:
    return [p.code for p in intyg.validate(source).problems]


def test_load_accepts_str_bytes_dict_and_path(example: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(example)
    path = tmp_path / "intyg.json"
    path.write_text(text, encoding="utf-8")
    models = [
        intyg.load(text),
        intyg.load(text.encode()),
        intyg.load(example),
        intyg.load(path),
    ]
    assert all(m == models[0] for m in models)


def test_load_bytes_with_utf8_bom(example: dict[str, Any]) -> None:
    assert intyg.validate(b"\xef\xbb\xbf" + json.dumps(example).encode()).valid


def test_load_text_with_a_bom_reads_as_bytes_with_one(example: dict[str, Any]) -> None:
    text = json.dumps(example)
    assert intyg.validate("\ufeff" + text).valid
    assert [p.code for p in intyg.validate("\ufeff\ufeff" + text).problems] == ["json_syntax"]


@pytest.mark.parametrize("digits", [4300, 4301, 100_000])
@pytest.mark.parametrize("sign", ["", "-"])
@pytest.mark.parametrize("kind", [str, bytes])
def test_integer_of_any_length_is_refused_where_it_stands(
    example: dict[str, Any], digits: int, sign: str, kind: type
) -> None:
    # Past 4 300 digits Python reads no integer from text; still valid JSON, and still a
    # number beyond the field's bounds.
    example["sysselsattning"]["timmar_per_vecka"] = 0
    text = json.dumps(example).replace(
        '"timmar_per_vecka": 0', f'"timmar_per_vecka": {sign}{"9" * digits}'
    )
    source = text if kind is str else text.encode()
    found = [(p.code, p.path) for p in intyg.validate(source).problems]
    assert found == [("out_of_range", "sysselsattning.timmar_per_vecka")]


BROKEN_INPUTS: list[tuple[str | bytes, str]] = [
    ("{broken", "json_syntax"),
    ("", "empty_input"),
    (" \r\n\t", "empty_input"),
    ("\x0b", "json_syntax"),  # not a blank JSON allows
    ('{"a": NaN}', "json_syntax"),
    ('{"a": 1, "a": 2}', "json_duplicate_key"),
    ("[1, 2]", "not_an_object"),
    ('"text"', "not_an_object"),
    ("[" * 100_000 + "]" * 100_000, "json_too_deep"),
    (b"\xff\xfe{}", "encoding"),
    ('{"line": 3, "valid": false, "problems": []}', "batch_line_given"),
    (
        '{"schemaversion": "1.0.0", "bedomningsdatum": "2026-11-24", "regelverk": {}}',
        "assessment_given",
    ),
]


@pytest.mark.parametrize(
    ("raw", "code"),
    BROKEN_INPUTS,
    ids=[
        "syntax",
        "empty",
        "blanks",
        "vertical_tab",
        "nan",
        "duplicate_key",
        "array",
        "string",
        "deep",
        "encoding",
        "batch_line",
        "assessment",
    ],
)
def test_validate_broken_input_gives_code(raw: str | bytes, code: str) -> None:
    assert _codes(raw) == [code]


def test_validate_oversized_input_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_read, "MAX_INPUT_BYTES", 10)
    assert _codes("{" + " " * 20 + "}") == ["input_too_large"]


def test_validate_huge_text_field_reports_that_field(example: dict[str, Any]) -> None:
    example["ovrigt"] = "x" * 10_000_000
    report = intyg.validate(json.dumps(example))
    assert [(p.code, p.path) for p in report.problems] == [("text_too_long", "ovrigt")]


def test_validate_missing_file_gives_code(tmp_path: Path) -> None:
    assert _codes(tmp_path / "saknas.json") == ["file_unreadable"]


@pytest.mark.parametrize(
    "read",
    [intyg.load, intyg.from_fhir, intyg.load_assessment, intyg.render],
    ids=["load", "from_fhir", "load_assessment", "render"],
)
def test_a_path_with_a_nul_names_no_file(tmp_path: Path, read: Any) -> None:
    # open() refuses it with ValueError, not OSError: it was no coded error.
    path = tmp_path / "in\x00.json"
    assert _codes(path) == ["file_unreadable"]
    with pytest.raises(intyg.ConversionError) as info:
        read(path)
    assert info.value.codes == ["file_unreadable"]


def test_load_raises_conversion_error_for_broken_json() -> None:
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load("{")
    assert info.value.codes == ["json_syntax"]
    assert isinstance(info.value, intyg.IntygError)


def test_load_unsupported_version_lists_supported(example: dict[str, Any]) -> None:
    example["formular"]["version"] = "1.1.0"
    with pytest.raises(intyg.IntygValidationError) as info:
        intyg.load(example)
    assert info.value.codes == ["unsupported_form_version"]
    assert "1.0.0" in info.value.problems[0].message


def _version_message(example: dict[str, Any], version: str) -> str:
    example["formular"]["version"] = version
    report = intyg.validate(example)
    assert report.form is None
    assert [(p.code, p.path) for p in report.problems] == [
        ("unsupported_form_version", "formular.version")
    ]
    return report.problems[0].message


def test_unsupported_version_is_said_back_only_when_spelt_as_a_version(
    example: dict[str, Any],
) -> None:
    # A case system can tell "update intyg" from "a broken certificate" by reading the message;
    # what is not spelt as a version may be any text (a personnummer) and is never repeated.
    newer, older = _version_message(example, "1.1.0"), _version_message(example, "0.9.0")
    assert "1.1.0" in newer and "0.9.0" in older
    assert newer.replace("1.1.0", "0.9.0") != older  # the newer one says more
    unspelt = {
        _version_message(example, v)
        for v in ("19121212-1212", "1912.1212.1212", "1212.1212.12", "1.0", "01.0.0", "2.0.0 ")
    }
    assert len(unspelt) == 1  # one message, naming none of them
    assert "1212" not in unspelt.pop()
    qr = intyg.to_fhir(intyg.load(intyg.example()))
    qr["questionnaire"] = qr["questionnaire"].replace("|1.0.0", "|1.1.0")
    [problem] = intyg.validate(qr).problems
    assert (problem.code, problem.path) == ("unsupported_form_version", "questionnaire")
    assert problem.message == newer


def test_load_wrong_argument_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        intyg.load(42)  # type: ignore[arg-type]


def test_report_to_dict_shape(example: dict[str, Any]) -> None:
    del example["patient"]
    body = intyg.validate(example).to_dict()
    assert body["valid"] is False
    assert set(body["problems"][0]) == {"code", "path", "message", "severity"}


# ---------------------------------------------------------------- the quick and careful readers

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def _json_like_bytes(draw: st.DrawFn) -> bytes:
    """JSON text, sometimes mangled: a character changed, dropped or repeated, or raw bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=60))
    text = json.dumps(draw(_JSON), ensure_ascii=draw(st.booleans())).encode(
        "utf-8", "surrogatepass"
    )
    if text and draw(st.booleans()):
        at = draw(st.integers(0, len(text) - 1))
        new = draw(st.sampled_from([b"", b",", b'"', b"\\", b"{", b"]", b"\x00", b"\xff", b"e9"]))
        text = text[:at] + new + text[at + draw(st.integers(0, 1)) :]
    return text


def _typed(value: Any) -> Any:
    """``value`` with every number tagged by its type (1, 1.0 and True differ; so do 0.0, -0.0)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, repr(value))


@given(_json_like_bytes())
def test_quick_reader_agrees_with_careful_reader(data: bytes) -> None:
    try:
        quick = _read._quick_parse(data)
    except ValueError:
        return  # the careful reader decides; its answers are tested above
    assert _typed(_read._careful_parse(data)) == _typed(quick)


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": {"b": 1, "b": 2}}',  # duplicate keys, nested
        b'{"\\u00e5": 1, "\xc3\xa5": 2}',  # the same key spelled two ways
        b"[NaN]",
        b"[-Infinity]",
        b'"\\ud800"',  # a lone surrogate: the model names the field (invalid_character)
        b"\xef\xbb\xbf{}",  # byte-order mark
        b"[" * 300 + b"]" * 300,  # deeper than jiter goes, within what the careful reader reads
    ],
)
def test_quick_reader_refuses_what_the_careful_reader_must_judge(text: bytes) -> None:
    with pytest.raises(ValueError):
        _read._quick_parse(text)


def test_nesting_jiter_refuses_is_read_and_measured() -> None:
    deep = b"[" * 300 + b"]" * 300  # beyond jiter's limit (200): the careful reader reads it
    with pytest.raises(intyg.ConversionError) as info:
        _read.parse_json(deep)
    assert [(p.code, p.path) for p in info.value.problems] == [
        ("json_too_deep", "[0]" * _read.MAX_DEPTH)
    ]
    shallow = b"[" * 20 + b"]" * 20
    assert _read._careful_parse(shallow) == _read._quick_parse(shallow)


def _duplicates(text: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(intyg.ConversionError) as info:
        _read.parse_json(text)
    return [(p.code, p.path) for p in info.value.problems]


def test_duplicate_key_is_named_by_its_full_path(example: dict[str, Any]) -> None:
    text = json.dumps(example, ensure_ascii=False).replace(
        '"namn": "Vårdcentralen Exempel"', '"namn": "x", "namn": "Vårdcentralen Exempel"'
    )
    assert _duplicates(text) == [("json_duplicate_key", "utfardare.vardenhet.namn")]


def test_duplicate_link_id_is_named_by_its_full_path(example: dict[str, Any]) -> None:
    text = json.dumps(intyg.to_fhir(intyg.load(example))).replace(
        '"linkId": "ovrigt"', '"linkId": "ovrigt", "linkId": "ovrigt"'
    )
    assert _duplicates(text) == [("json_duplicate_key", "item[13].linkId")]
    assert [(p.code, p.path) for p in intyg.validate(text).problems] == [
        ("json_duplicate_key", "item[13].linkId")
    ]


def test_every_duplicate_key_is_named_in_document_order() -> None:
    text = '{"a": [{"x": 1, "x": 2, "y": 0, "y": 0}], "b": {"c": {"x": 1, "x": 1}}, "a2": 1}'
    assert _duplicates(text) == [
        ("json_duplicate_key", "a[0].x"),
        ("json_duplicate_key", "a[0].y"),
        ("json_duplicate_key", "b.c.x"),
    ]


def test_duplicate_key_after_an_inner_object_keeps_document_order() -> None:
    # An outer key given twice after an object with a duplicate of its own comes second.
    text = '{"a": {"x": 1, "x": 2}, "b": 1, "b": 2, "c": [{"y": 1, "y": 2}]}'
    assert _duplicates(text) == [
        ("json_duplicate_key", "a.x"),
        ("json_duplicate_key", "b"),
        ("json_duplicate_key", "c[0].y"),
    ]
    assert [(p.code, p.path) for p in intyg.validate(text).problems] == _duplicates(text)


def test_duplicate_key_in_an_object_given_twice_names_the_outer_key() -> None:
    # The first "a" (with its own duplicate) is replaced by the second: only the key remains.
    assert _duplicates('{"a": {"x": 1, "x": 2}, "a": 3}') == [("json_duplicate_key", "a")]


def test_duplicate_key_path_never_echoes_a_personnummer() -> None:
    found = _duplicates('{"patient": {"19121212-1212": {"191212121212": 1, "191212121212": 2}}}')
    assert found == [("json_duplicate_key", f"patient.{UNNAMED}.{UNNAMED}")]


def test_many_duplicate_keys_are_listed_up_to_the_limit() -> None:
    text = "[" + ",".join('{"a": 1, "a": 2}' for _ in range(MAX_PROBLEMS + 5)) + "]"
    found = _duplicates(text)
    assert len(found) == MAX_PROBLEMS + 1 and found[-1] == ("too_many_problems", "")


def test_a_file_name_given_as_text_gets_a_note_for_the_programmer() -> None:
    # A str is JSON text, never a file name: the problem is json_syntax as before, and a note
    # (shown in a traceback, not in the problems) says how to pass a file.
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load("intyg.json")
    assert info.value.codes == ["json_syntax"]
    assert any("pathlib.Path" in note for note in info.value.__notes__)
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load('{"patient": }')  # broken JSON text: no note
    assert info.value.codes == ["json_syntax"] and not hasattr(info.value, "__notes__")


@pytest.mark.parametrize(
    ("text", "noted"),
    [
        ("a" * 4095 + "x", True),  # Linux's longest path (PATH_MAX, 4096)
        ("a" * 4096 + "x", False),  # longer than any path: text, however it looks
        ("  intyg.json", True),
        ("intyg.json\n", False),  # more than one line
        ("[intyg.json", False),  # starts as JSON does
        ('"intyg.json', False),
        ("", False),
    ],
    ids=["4096", "4097", "blanks-first", "newline", "bracket", "quote", "empty"],
)
def test_the_file_name_note_is_for_what_may_be_a_file_name(text: str, noted: bool) -> None:
    with pytest.raises(intyg.ConversionError) as info:
        intyg.load(text)
    notes = getattr(info.value, "__notes__", [])
    assert any("pathlib.Path" in note for note in notes) is noted


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('{"a": NaN}', (1, 7)),
        ('{"a": "NaN \\" Infinity",\n "b": [1, -Infinity]}', (2, 11)),
        ('{"a": "x",\r\n\r\n  "b": Infinity}', (3, 8)),
    ],
)
def test_nan_and_infinity_are_placed_as_other_syntax_errors(
    text: str, place: tuple[int, int]
) -> None:
    # The place was "rad ?, kolumn ?": the reader's hook for them does not know where it is.
    from intyg._read import _constant_place

    assert _codes(text) == ["json_syntax"]
    assert _constant_place(text) == place
    line, column = place
    [problem] = intyg.validate(text).problems
    assert f"rad {line}, kolumn {column}" in problem.message


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """What intyg writes that is no certificate, as one line of JSON each, and its code: two
    lines of ``assess --batch`` output (an assessed certificate and a broken one), and a
    stored assessment."""
    from intyg._cli import main

    folder = tmp_path_factory.mktemp("batch")
    src, out = folder / "in.jsonl", folder / "ut.jsonl"
    src.write_text(intyg.example_json().replace("\n", "") + "\n{}\n", "utf-8")
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    lines = [(line, "batch_line_given") for line in out.read_text("utf-8").splitlines()]
    made = intyg.assess(intyg.load(intyg.example()), dt.date(2026, 11, 24))
    return [*lines, (json.dumps(made.to_json(), ensure_ascii=False), "assessment_given")]


def test_output_of_intyg_is_no_certificate(
    outputs: list[tuple[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read as a certificate it would miss every part: one problem says what it is instead.
    from intyg._cli import main

    for line, code in outputs:
        for source in (line, line.encode(), json.loads(line)):
            report = intyg.validate(source)
            assert not report.valid
            assert [p.code for p in report.problems] == [code]
            with pytest.raises(intyg.ConversionError) as info:
                intyg.load(source)
            assert info.value.codes == [code]
        path = tmp_path / "rad.json"
        path.write_text(line, "utf-8")
        capsys.readouterr()
        assert main(["validate", "--json", str(path)]) == 1  # the prebuilt validator's path
        problems = json.loads(capsys.readouterr().out)["problems"]
        assert [p["code"] for p in problems] == [code]
        assert main(["assess", str(path)]) == 1
        assert re.findall(r"\[(\w+)\]", capsys.readouterr().err) == [code]


def test_a_batch_of_intygs_output_says_so_on_every_line(
    outputs: list[tuple[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from intyg._cli import main

    src, out = tmp_path / "ut1.jsonl", tmp_path / "ut2.jsonl"
    src.write_text("".join(line + "\n" for line, _ in outputs), "utf-8")
    assert main(["assess", "--batch", str(src), "-o", str(out), "--on", "2026-11-24"]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [[p["code"] for p in row["problems"]] for row in rows] == [[c] for _, c in outputs]


def test_a_certificate_with_keys_of_intygs_output_is_still_a_certificate(
    example: dict[str, Any],
) -> None:
    report = intyg.validate({**example, "line": 1, "schemaversion": "1.0.0", "regelverk": {}})
    unknown = [(p.code, p.path) for p in report.problems]
    assert unknown == [("unknown_field", k) for k in ("line", "schemaversion", "regelverk")]
    assert [p.code for p in intyg.validate({"line": 1}).problems] == ["batch_line_given"]
    head = {"schemaversion": "1.0.0", "bedomningsdatum": "2026-11-24", "regelverk": {}}
    assert [p.code for p in intyg.validate(head).problems] == ["assessment_given"]
    for key in head:  # two of the three keys: a certificate missing its parts
        codes = {
            p.code for p in intyg.validate({k: v for k, v in head.items() if k != key}).problems
        }
        assert "assessment_given" not in codes and "required" in codes
