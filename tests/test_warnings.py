"""Warnings on valid certificates: the same diagnosis code twice, a line break in a single-line
text, a text with nothing visible. The certificate stays valid; both validators and FHIR input
give the same warnings (the coded cases are in ``cases.WARNING_CASES``)."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _hypothesis_profiles  # noqa: F401  (the CI and local example counts)
import intyg
from cases import WARNING_CASES, Case
from intyg._fieldchecks import has_line_break, text_not_visible
from intyg._quick import validate_quickly
from intyg._tree import Node, nodes_by_link_id
from intyg._v1 import _checks
from intyg._v1._model import Intyg
from strategies import valid_certificates

TEXT_CODES = {"text_not_visible", "text_line_break_in_single_line"}
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u034f\ufe0f\u3164\u2800\ufffa"


def _free_texts() -> dict[str, Node]:
    """The free-text questions of form 1.0.0 by linkId (coded strings have their own pattern)."""
    return {
        link_id: n
        for link_id, n in nodes_by_link_id(Intyg).items()
        if n.kind in ("string", "text") and n.pattern == r"\S"
    }


def _apply(case: Case, example: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(example)
    case.patch(data)
    return data


def _pairs(problems: Any) -> list[tuple[str, str, str]]:
    return [(p.code, p.path, p.severity) for p in problems]


def _everywhere(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The problems of ``data`` from the model and the prebuilt validator (which must agree),
    and from the certificate written as a QuestionnaireResponse (which must agree too)."""
    report = intyg.validate(data)
    assert report.valid, report.problems
    quick = validate_quickly(json.dumps(data).encode())
    assert quick is not None
    assert quick[0] is True
    assert [p.to_dict() for p in quick[1]] == [p.to_dict() for p in report.problems]
    qr = intyg.validate(intyg.to_fhir(report.intyg))  # type: ignore[arg-type]
    assert [p.to_dict() for p in qr.problems] == [p.to_dict() for p in report.problems]
    return _pairs(report.problems)


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c.id for c in WARNING_CASES])
def test_warning_case_same_from_both_validators_and_fhir(
    case: Case, example: dict[str, Any]
) -> None:
    found = _everywhere(_apply(case, example))
    assert [(c, p) for c, p, _ in found] == list(case.expected)
    assert all(s == "warning" for _, _, s in found)


# Negatives: what looks close but is fine.


def test_warning_two_different_codes_none(example: dict[str, Any]) -> None:
    assert [d["kod"] for d in example["diagnoser"]] == ["F32.1", "F41.1"]
    assert _everywhere(example) == []


def test_warning_category_and_its_subcategory_none(example: dict[str, Any]) -> None:
    example["diagnoser"][1]["kod"] = "F32"
    assert _everywhere(example) == []


def test_warning_same_text_different_codes_none(example: dict[str, Any]) -> None:
    example["diagnoser"][1]["text"] = example["diagnoser"][0]["text"]
    assert _everywhere(example) == []


@pytest.mark.parametrize(
    "path",
    [p for p, n in _free_texts().items() if n.kind == "text" and "." not in p]
    + ["funktionsnedsattning.beskrivning", "bedomning.formaga_trots_sjukdom"],
)
def test_warning_line_breaks_in_multi_line_text_none(path: str, example: dict[str, Any]) -> None:
    head, _, last = path.rpartition(".")
    node = example[head] if head else example
    node[last] = "Rad ett\nrad två\r\nrad tre\u2028rad fyra\n"
    assert _everywhere(example) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tol\u200dvan Tolvansson",  # a zero-width joiner inside visible text
        "\u200bTolvan",  # invisible first, visible after: the full check clears it
        "\u00adTolvan\u00ad",
        "👩\u200d⚕️",  # an emoji sequence joined by U+200D
        "Åsa Öberg",
        " Tolvan ",
        "e\u0301",
    ],
)
def test_warning_visible_text_with_invisible_characters_none(
    text: str, example: dict[str, Any]
) -> None:
    example["patient"]["namn"] = text
    example["ovrigt"] = text
    assert _everywhere(example) == []


def test_warning_tab_in_single_line_none(example: dict[str, Any]) -> None:
    example["utfardare"]["befattning"] = "Specialist\ti allmänmedicin"
    assert _everywhere(example) == []


# Every free text of the form is checked, and only the single-line ones for line breaks.


def _full(example: dict[str, Any]) -> list[dict[str, Any]]:
    """Certificates that between them answer every free-text question of the form."""
    one = copy.deepcopy(example)
    one["grund"]["underlag"].append({"typ": "ANNAT", "datum": "2026-11-19", "beskrivning": "x"})
    two = copy.deepcopy(example)
    two["prognos"] = {"typ": "KAN_EJ_BEDOMAS", "motivering": "x"}
    return [one, two]


def _at(data: dict[str, Any], link_id: str) -> Iterator[tuple[str, Any, str]]:
    """(path with indices, parent, key) of every answer to ``link_id`` in ``data``."""

    def walk(node: Any, parts: list[str], path: str) -> Iterator[tuple[str, Any, str]]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, parts, f"{path}[{i}]")
            return
        key, rest = parts[0], parts[1:]
        if not isinstance(node, dict) or key not in node:
            return
        sub = f"{path}.{key}" if path else key
        if rest:
            yield from walk(node[key], rest, sub)
        else:
            yield sub, node, key

    yield from walk(data, link_id.split("."), "")


def test_warning_single_line_texts_are_the_forms_string_questions() -> None:
    texts = _free_texts()
    assert len(texts) == 19
    single = {p for p, n in texts.items() if n.kind == "string"}
    assert {p.replace("[]", "") for p in _checks.SINGLE_LINE} == single


@pytest.mark.parametrize("link_id", sorted(_free_texts()))
def test_warning_every_free_text_checked(link_id: str, example: dict[str, Any]) -> None:
    single = _free_texts()[link_id].kind == "string"
    data = next(d for d in _full(example) if any(_at(d, link_id)))
    path, parent, key = list(_at(data, link_id))[-1]
    parent[key] = "Rad ett\nrad två"
    expected = [("text_line_break_in_single_line", path, "warning")] if single else []
    assert _everywhere(data) == expected
    parent[key] = "\u200b \ufeff"
    assert _everywhere(data) == [("text_not_visible", path, "warning")]


def test_warning_text_fields_are_read_in_the_forms_order() -> None:
    # warnings_for reads the free texts in runs around the lists and the code and period
    # warnings; put together, the runs must follow the question tree.
    runs = (
        *_checks._TEXTS_HEAD,
        "grund.underlag.beskrivning",
        "diagnoser.text",
        *_checks._TEXTS_MIDDLE,
        "bedomning.perioder",
        *_checks._TEXTS_TAIL,
    )
    in_tree = [
        link_id
        for link_id in nodes_by_link_id(Intyg)
        if link_id in _free_texts() or link_id == "bedomning.perioder"
    ]
    assert list(runs) == in_tree


def test_warnings_come_in_document_order(example: dict[str, Any]) -> None:
    example["utfardare"]["ort"] = "\u2060"
    example["bedomning"]["perioder"][0]["fran"] = "2026-11-01"
    example["ovrigt"] = "\u200b"
    example["diagnoser"][1] = {"kod": "F32.1", "text": "Depression\n"}
    example["diagnoser"][0]["kod"] = "F43.8A"
    example["diagnoser"][1]["kod"] = "F43.8A"
    example["patient"]["namn"] = "Tolvan\r\nTolvansson"
    assert [(c, p) for c, p, _ in _everywhere(example)] == [
        ("text_line_break_in_single_line", "patient.namn"),
        ("icd10_swedish_extension", "diagnoser[0].kod"),
        ("icd10_swedish_extension", "diagnoser[1].kod"),
        ("icd10_duplicate_code", "diagnoser[1].kod"),
        ("text_line_break_in_single_line", "diagnoser[1].text"),
        ("period_starts_before_sign_date", "bedomning.perioder[0].fran"),
        ("text_not_visible", "ovrigt"),
        ("text_not_visible", "utfardare.ort"),
    ]


def test_warning_messages_never_echo_personid_or_text(example: dict[str, Any]) -> None:
    personid = example["patient"]["personid"]
    example["patient"]["namn"] = f"Tolvan {personid}\nHEMLIG"
    example["ovrigt"] = "\u200b\u200b"
    example["diagnoser"][1]["kod"] = "F32.1"
    report = intyg.validate(example)
    assert {p.code for p in report.problems} == {
        "text_line_break_in_single_line",
        "text_not_visible",
        "icd10_duplicate_code",
    }
    dumped = json.dumps(report.to_dict(), ensure_ascii=False)
    assert personid not in dumped
    assert personid[2:] not in dumped
    assert "HEMLIG" not in dumped
    assert "\u200b" not in dumped


# The text tests themselves, and the cheap test in front of them.


def test_text_not_visible_only_invisible_characters() -> None:
    for ch in INVISIBLE + " \t\n\r\u00a0\u3000\x85\u2028":
        assert text_not_visible(ch), hex(ord(ch))
        assert text_not_visible(" " + ch + "\u200b"), hex(ord(ch))
    for text in ("a", "\u200ba", "a\u200d", "1", "–", "😀", "\u0600", "e\u0301", "\u28ff"):
        assert not text_not_visible(text), text


def test_has_line_break_kinds() -> None:
    for text in ("a\nb", "a\rb", "a\r\nb", "å\x85b", "å\u2028b", "å\u2029b"):
        assert has_line_break(text), repr(text)
    for text in ("a b", "a\tb", "å\u00a0b", "a\u200bb"):
        assert not has_line_break(text), repr(text)


def test_quick_test_never_clears_an_invisible_first_character() -> None:
    # The cheap test passes a text when its first character looks visible; that must never
    # be a character the full check calls invisible (every code point but the surrogates).
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if _checks._look_plain((ch,), ""):
            assert not text_not_visible(ch), hex(cp)


def _expected_text_warnings(data: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for link_id, node in _free_texts().items():
        for path, parent, key in _at(data, link_id):
            value = parent[key]
            if text_not_visible(value):
                out.append(("text_not_visible", path))
            elif node.kind == "string" and has_line_break(value):
                out.append(("text_line_break_in_single_line", path))
    return sorted(out)


_INVISIBLE_TEXT = st.text(st.sampled_from(INVISIBLE + " \n"), min_size=1, max_size=4).filter(
    lambda t: not t.isspace()
)


@st.composite
def _certificates_with_odd_texts(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(valid_certificates())
    for link_id in draw(st.lists(st.sampled_from(sorted(_free_texts())), max_size=4)):
        for _, parent, key in _at(data, link_id):
            parent[key] = draw(
                st.one_of(_INVISIBLE_TEXT, st.sampled_from(["a\nb", "\u200ba", "Å\u2029"]))
            )
    return data


@settings(max_examples=300)
@given(_certificates_with_odd_texts())
def test_warning_text_codes_match_a_field_by_field_check(data: dict[str, Any]) -> None:
    report = intyg.validate(data)
    assert report.valid, report.problems
    found = sorted((p.code, p.path) for p in report.problems if p.code in TEXT_CODES)
    assert found == _expected_text_warnings(data)
    quick = validate_quickly(json.dumps(data).encode())
    assert quick is not None
    assert [p.to_dict() for p in quick[1]] == [p.to_dict() for p in report.problems]
