"""Printable forms as HTML: the blank form, the filled certificate, and what drives them."""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

import pytest

import intyg
from intyg._questionnaire import build_questionnaire
from intyg._render import blank_html, certificate_html, render
from intyg._render._blank import blank_form
from intyg._v1._model import Intyg
from render_support import (
    certificate_variants,
    expected_values,
    html_text,
    norm,
    parse_xhtml,
    questions,
    questions_missing_from,
)


@pytest.fixture(scope="module")
def blank() -> str:
    return blank_html()


@pytest.fixture(scope="module")
def filled() -> str:
    return certificate_html(intyg.example_json())


def _help_texts(items: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.get("type") == "display":
            out.append(item["text"])
        out.extend(_help_texts(item.get("item", [])))
    return out


def test_blank_html_contains_every_question_and_help(blank: str) -> None:
    assert questions_missing_from(html_text(blank)) == []


def test_blank_html_contains_every_code_option(blank: str) -> None:
    text = html_text(blank)
    for node in questions():
        if node.kodverk is not None and node.code_type is str:
            for label in node.kodverk.codes.values():
                assert norm(label) in text, (node.link_id, label)


def test_blank_help_texts_same_as_questionnaire(blank: str) -> None:
    text = html_text(blank)
    helps = _help_texts(build_questionnaire(intyg.get_form())["item"])
    assert helps
    for h in helps:
        assert norm(h) in text


def test_blank_html_well_formed(blank: str) -> None:
    root = parse_xhtml(blank)
    assert root.tag.endswith("html")


def test_blank_form_numbers_sections_in_form_order() -> None:
    form = blank_form(Intyg)
    titles = [s.title for s in form.sections]
    expected = [n.title for n in intyg._tree.question_tree(Intyg) if n.kind == "group"]
    assert [t for t in titles if t in expected] == expected
    assert [s.number for s in form.sections] == [str(i) for i in range(1, len(titles) + 1)]


def test_blank_condition_names_controlling_question() -> None:
    form = blank_form(Intyg)
    bedomning = next(s for s in form.sections if s.link_id == "bedomning")
    perioder = next(f for f in bedomning.fields if f.title == "Perioder och omfattning")
    forhindrad = bedomning.fields[0]
    assert perioder.condition is not None
    assert forhindrad.number is not None and forhindrad.number in perioder.condition


def test_blank_checklist_greys_out_cells_that_do_not_apply() -> None:
    form = blank_form(Intyg)
    grund = next(s for s in form.sections if s.link_id == "grund")
    table = grund.fields[0].table
    assert table is not None
    kinds = [[c.kind for c in row] for row in table.rows]
    # Only "Annat" has room for a description; every kind of basis has a date.
    assert [row[-1] for row in kinds].count("none") == len(kinds) - 1
    assert all(row[1] == "date" for row in kinds)


def test_blank_table_says_when_the_certificate_takes_more_rows_than_printed() -> None:
    # The ICF tables take up to 20 rows and the paper has 5: a line under the table says so.
    # Tables that print every row the certificate takes have no such line.
    from intyg._render._blank import _table
    from intyg._tree import Node, question_tree

    def groups(nodes: tuple[Node, ...]) -> list[Node]:
        out = [n for n in nodes if n.kind == "group" and n.repeats]
        return out + [g for n in nodes for g in groups(n.children)]

    noted = []
    for node in groups(question_tree(Intyg)):
        plain = _table(node)
        note = [t for t in plain.legends if str(node.max_items) in t and "papper" in t]
        if node.max_items is None or node.max_items > len(plain.rows):
            assert len(note) == 1, node.link_id
            noted.append(node.link_id)
        else:
            assert note == [], node.link_id
    assert noted == ["funktionsnedsattning.icf", "aktivitetsbegransning.icf"]


def test_certificate_html_well_formed(filled: str) -> None:
    root = parse_xhtml(filled)
    assert root.tag.endswith("html")


@pytest.mark.parametrize("variant", [0, 1])
def test_certificate_html_contains_every_answer(variant: int) -> None:
    data = certificate_variants()[variant]
    text = html_text(certificate_html(data))
    for value in expected_values(data):
        assert norm(value) in text, value


def test_certificate_html_shows_form_version_and_id(filled: str) -> None:
    text = html_text(filled)
    example = intyg.example()
    assert example["formular"]["version"] in text
    assert example["intygsid"] in text


def test_certificate_html_omits_question_that_does_not_apply(example: dict[str, Any]) -> None:
    example["behandling"]["kan_forvarras"] = False
    del example["behandling"]["forvarrande_aktiviteter"]
    text = html_text(certificate_html(example))
    title = intyg._tree.nodes_by_link_id(Intyg)["behandling.forvarrande_aktiviteter"].title
    assert norm(title) not in text


def test_certificate_html_keeps_unanswered_optional_question(example: dict[str, Any]) -> None:
    del example["ovrigt"]
    root = parse_xhtml(certificate_html(example))
    empty = [e for e in root.iter() if "tom" in (e.get("class") or "").split()]
    assert empty
    assert {"".join(e.itertext()).strip() for e in empty} == {"Inte angivet"}


def test_certificate_html_prints_long_text_as_long_and_a_missing_cell_as_a_dash(
    example: dict[str, Any],
) -> None:
    example["ovrigt"] = "Rad ett.\nRad två."
    example["grund"]["underlag"].append(
        {"typ": "ANNAT", "datum": "2026-11-19", "beskrivning": "Telefonsamtal"}
    )
    html = certificate_html(example)
    assert '<div class="svar">\n<div class="varde lang">Rad ett.\nRad två.</div>' in html
    rows = html.split("Telefonsamtal")[0].rsplit("<tbody>", 1)[1]
    assert rows.count('<td class="fritext">–</td>') == 2  # the two rows without one


def _numbers(root: Any) -> list[tuple[int, ...]]:
    return [
        tuple(int(x) for x in e.text.split("."))
        for e in root.iter()
        if e.get("class") == "fnr" and e.text
    ]


def test_certificate_html_says_each_answer_once_in_form_order(filled: str) -> None:
    root = parse_xhtml(filled)
    numbers = _numbers(root)
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    headings = ["".join(h.itertext()) for h in root.iter() if h.tag.endswith("h2")]
    assert len(headings) == len(set(headings))  # a section's title once (Diagnoser, Övrigt)
    text = html_text(filled)
    assert text.count("Diagnoser") == 1 and text.count("Övrigt") == 1


def test_certificate_html_shows_the_personnummer_with_its_hyphen_and_the_id_among_the_facts(
    filled: str,
) -> None:
    example = intyg.example()
    digits = example["patient"]["personid"]
    assert '<span class="fnr">1.1</span>' in filled
    answer = filled.split('<span class="fnr">1.1</span>', 1)[1].split("</div>", 2)[1]
    assert answer == f'<div class="varde">{digits[:8]}-{digits[8:]}'
    assert f"<tr><th>Intygets id</th><td>{example['intygsid']}</td></tr>" in filled
    assert f", intyg {example['intygsid']}</title>" in filled


def test_certificate_html_from_questionnaire_response_same_as_json() -> None:
    cert = intyg.load(intyg.example_json())
    response = intyg.to_fhir(cert)
    assert certificate_html(response) == certificate_html(intyg.example_json())


def test_render_invalid_certificate_raises_coded_error(example: dict[str, Any]) -> None:
    example["bedomning"]["perioder"][0]["omfattning"] = 33
    with pytest.raises(intyg.IntygValidationError) as exc:
        render(example)
    assert "invalid_code" in exc.value.codes


def test_render_unreadable_input_raises_conversion_error() -> None:
    with pytest.raises(intyg.ConversionError) as exc:
        render("{not json")
    assert exc.value.codes == ["json_syntax"]


def test_render_blank_with_source_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render(intyg.example_json(), blank=True)


def test_render_without_source_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render()


def test_render_on_without_assessment_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render(intyg.example_json(), on=_dt.date(2026, 12, 1))


def test_render_unknown_format_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render(blank=True, format="docx")  # type: ignore[call-overload]


def test_render_html_is_deterministic() -> None:
    data = copy.deepcopy(intyg.example())
    assert render(data) == render(data)


def test_render_blank_with_on_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render(blank=True, on=_dt.date(2026, 12, 1))


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_render_unknown_pdf_variant_raises_value_error(fmt: str) -> None:
    with pytest.raises(ValueError):
        render(blank=True, format=fmt, pdf_variant="bogus")  # type: ignore[call-overload]


def test_render_known_pdf_variant_with_html_accepted() -> None:
    # The command line passes its --pdf-variant setting along whatever the format.
    assert render(blank=True, pdf_variant="plain") == render(blank=True)


def test_html_to_pdf_unknown_variant_raises_value_error() -> None:
    from intyg._render import html_to_pdf

    with pytest.raises(ValueError):
        html_to_pdf(render(blank=True), variant="bogus")  # type: ignore[arg-type]


def test_certificate_html_free_text_table_cells_marked() -> None:
    # Free text in a table may break anywhere; codes, dates and numbers keep their width.
    data = copy.deepcopy(intyg.example())
    root = parse_xhtml(certificate_html(data))
    marked = [
        (e.text or "")
        for e in root.iter()
        if e.tag.endswith("td") and "fritext" in (e.get("class") or "").split()
    ]
    assert data["diagnoser"][0]["text"] in marked
    assert data["diagnoser"][0]["kod"] not in marked


def test_utskrift_docs_import_public_render() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "utskrift.md").read_text("utf-8")
    assert "intyg._render" not in docs
    assert "intyg.render(" in docs


def test_blank_form_hides_its_writing_guides_from_screen_readers() -> None:
    # The line for the personnummer and the dashes between the date boxes would be read aloud
    # as a row of underscores and "minus"; the format ÅÅÅÅ-MM-DD stays readable.
    from render_support import parse_xhtml

    root = parse_xhtml(blank_html())
    guides = [
        el
        for el in root.iter()
        if (el.text or "").strip() and set((el.text or "").strip()) <= {"_", "-"}
    ]
    assert guides  # the blank form has them
    assert all(el.get("aria-hidden") == "true" for el in guides), [
        (el.tag, el.get("class"), el.text) for el in guides if el.get("aria-hidden") != "true"
    ]
    assert "ÅÅÅÅ-MM-DD" in blank_html()


def _conditional(nodes: Any) -> Any:
    """Every conditional question of the tree with its siblings."""
    for node in nodes:
        if node.condition is not None:
            yield node, nodes
        yield from _conditional(node.children)


def test_printed_conditions_name_the_deciding_answers_the_right_way_round() -> None:
    # "Kan besvaras om du inte har valt ..." for a question that does not apply to some
    # answers: printed without "inte", the doctor reads the opposite instruction.
    from intyg._formspec import answer_display
    from intyg._render._numbering import condition_text, layout, sibling

    tree = intyg._tree.question_tree(Intyg)
    numbers = layout(tree).numbers
    seen = {"any_of": 0, "none_of": 0}
    for node, siblings in _conditional(tree):
        when = node.condition.when
        control = sibling(node, when.field, siblings)
        assert control is not None
        text = condition_text(node, siblings, numbers)
        assert text is not None
        values = when.any_of or when.none_of
        assert all(f"”{answer_display(v, control.kodverk)}”" in text for v in values), text
        assert ("om du inte har " in text) == bool(when.none_of), text
        seen["none_of" if when.none_of else "any_of"] += 1
    assert min(seen.values()) >= 1, seen


def test_questions_of_a_repeating_section_have_no_numbers_of_their_own() -> None:
    # A repeating section (diagnoses) is one numbered question whose rows are its columns:
    # "4 ”Diagnoser” / ”Diagnoskod”", not 4.1 and 4.2 as if asked once each.
    from intyg._render._numbering import layout

    tree = intyg._tree.question_tree(Intyg)
    numbers = layout(tree).numbers
    repeating = [n for n in tree if n.kind == "group" and n.repeats]
    assert repeating
    for section in repeating:
        assert section.link_id in numbers
        assert not [c.link_id for c in section.children if c.link_id in numbers]
