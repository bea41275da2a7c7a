"""The blank form's structure (``intyg render --blank``): rows, writing lines, where a page may
break, and how each kind of question is drawn. Mutation testing (2026-12-07) found these held
by no test: the printed page only showed them to a reader."""

from __future__ import annotations

from collections.abc import Iterable

from intyg._render._blank import MAX_BLANK_ROWS, Cell, Field, Table, blank_form
from intyg._v1._codes import KV_GRAD
from intyg._v1._model import Intyg


def _fields() -> dict[str, Field]:
    """Every field of the blank form, by its printed number (``5.2``)."""
    form = blank_form(Intyg)
    found: dict[str, Field] = {}

    def walk(fields: Iterable[Field]) -> None:
        for field in fields:
            found[field.ref] = field
            walk(field.children)

    walk(form.header)
    for section in form.sections:
        walk(section.fields)
    return found


def test_a_table_breaks_only_with_two_rows_on_each_side() -> None:
    rows = tuple((Cell("line"),) for _ in range(5))
    assert Table((), rows).bound_rows == (True, False, False, True, True)
    assert Table((), rows[:4]).bound_rows == (True, False, True, True)
    assert Table((), rows[:3]).bound_rows == (True, True, True)
    assert Table((), rows, numbered=False).bound_rows == (True,) * 5  # a checklist stays whole


def test_a_long_free_text_breaks_keeping_two_lines_together() -> None:
    def groups(lines: int) -> tuple[int, int, int] | None:
        return Field(None, None, None, "lines", lines=lines).line_groups

    assert groups(3) is None
    assert groups(4) == (2, 0, 2)
    assert groups(7) == (2, 3, 2)


def test_rows_and_writing_lines_follow_the_limits_of_the_form() -> None:
    fields = _fields()
    icf = fields["5.2"].table
    assert icf is not None and len(icf.rows) == MAX_BLANK_ROWS == 5  # up to 20 in a certificate
    assert any("20" in legend and "5" in legend for legend in icf.legends)
    assert fields["5.2"].breakable and not fields["2.1"].breakable  # the checklist stays whole
    assert fields["5.1"].lines == 7  # 4000 characters
    assert fields["10.3"].lines == 4  # 1000 characters
    assert fields["10.3"].breakable


def test_icf_grades_are_ticked_by_code_and_explained_under_the_table() -> None:
    icf = _fields()["5.2"].table
    assert icf is not None
    grade = next(cell for cell in icf.rows[0] if cell.kind == "boxes")
    assert [o.label for o in grade.options] == ["0", "1", "2", "3", "4"]
    assert icf.legends[0] == f"{KV_GRAD.title}: " + " · ".join(KV_GRAD.codes.values())


def test_a_number_prints_its_unit_beside_the_box() -> None:
    field = _fields()["3.2"]
    assert field.unit is not None and field.unit == field.unit.strip() != ""


def test_a_whole_section_question_has_no_number_title_or_help_of_its_own() -> None:
    fields = _fields()
    for ref in ("4", "11"):  # Diagnoser, Övrigt: the section's heading says them
        field = fields[ref]
        assert (field.number, field.title, field.help) == (None, None, None)
    diagnoser = next(s for s in blank_form(Intyg).sections if s.link_id == "diagnoser")
    [table] = diagnoser.fields
    assert table.kind == "table" and table.title is None and table.number is None


def test_each_kind_of_question_is_drawn_as_it_is_answered() -> None:
    fields = _fields()
    assert fields["3.2"].condition is not None and not fields["3.2"].optional
    assert fields["2.2"].optional  # neither required nor asked on a condition
    assert fields["3.1"].multiple and fields["8.4"].multiple and not fields["9.1"].multiple
    assert [o.code for o in fields["7.3"].options] == ["true", "false"]  # yes before no
    assert not fields["2.2"].wide and not fields["7.2"].wide  # dates are narrow
