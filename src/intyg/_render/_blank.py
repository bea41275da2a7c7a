"""The blank form: every question of a form version, laid out for filling in by hand.

Built by walking the question tree, so the printed questions and help texts are the very ones the
JSON Schema and the FHIR Questionnaire publish. The templates only draw what this module gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from .._tree import Node, question_tree
from ._numbering import Layout, condition_text, layout

FieldKind = Literal["line", "lines", "date", "boolean", "number", "choice", "table", "group"]
CellKind = Literal["line", "date", "boxes", "box_label", "number", "none"]

MAX_BLANK_ROWS = 5
"""A repeating group with room for more items than this gets this many rows on paper."""

KEEP = 2
"""A field that runs over a page break keeps at least this many writing lines or table rows on
each side of the break, the first of them with the question text. A shorter field stays whole."""


@dataclass(frozen=True)
class Option:
    """One box to tick."""

    code: str
    label: str


@dataclass(frozen=True)
class Cell:
    """One cell of a table on the blank form."""

    kind: CellKind
    options: tuple[Option, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Column:
    """A column of a table: a question of the repeating group."""

    title: str
    help: str | None
    note: str | None = None


@dataclass(frozen=True)
class Table:
    """A repeating group drawn as a table with rows to fill in."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    legends: tuple[str, ...] = ()
    numbered: bool = True

    @property
    def bound_rows(self) -> tuple[bool, ...]:
        """For each row, whether it stays on the page of the row after it.

        A page may end only where at least :data:`KEEP` rows come before and after; a table with
        fewer than twice that many rows is never broken. Nor is a checklist (the one table
        without row numbers): like any list of boxes to tick, all of it is seen at once.
        """
        n = len(self.rows)
        if not self.numbered:
            return (True,) * n
        return tuple(not (KEEP <= i <= n - KEEP) for i in range(1, n + 1))


@dataclass(frozen=True)
class Field:
    """One question on the blank form.

    ``title`` is None when the question is the whole section (its title is the section's).
    """

    number: str | None
    title: str | None
    help: str | None
    kind: FieldKind
    optional: bool = False
    condition: str | None = None
    lines: int = 1
    options: tuple[Option, ...] = ()
    multiple: bool = False
    unit: str | None = None
    table: Table | None = None
    children: tuple[Field, ...] = ()
    wide: bool = True
    right: bool = False
    """For a narrow field: whether it is the second of a pair on one line (see :func:`_paired`)."""
    ref: str | None = None
    """The number the doctor knows the question by: its own, or its section's when it is the
    whole section (where ``number`` is None, as the section's heading shows it)."""

    @property
    def line_groups(self) -> tuple[int, int, int] | None:
        """How the writing lines of a long free text may run over a page break.

        ``(first, middle, last)``: the first lines stay with the question text (no question is
        left at a page's foot without room to write), the last lines stay together (the next
        page never starts with a single stray line), and a page may end between any two lines in
        between. None when the field is too short to break and is kept whole on one page.
        """
        if self.kind != "lines" or self.lines < 2 * KEEP:
            return None
        return KEEP, self.lines - 2 * KEEP, KEEP

    @property
    def breakable(self) -> bool:
        """Whether the field may run over a page break (a long free text or a long table)."""
        if self.table is not None:
            return not all(self.table.bound_rows)
        return self.line_groups is not None


@dataclass(frozen=True)
class BlankSection:
    """A numbered section of the blank form."""

    number: str
    title: str
    help: str | None
    fields: tuple[Field, ...]
    link_id: str


@dataclass(frozen=True)
class BlankForm:
    """Everything the blank-form template draws."""

    header: tuple[Field, ...]
    sections: tuple[BlankSection, ...] = field(default=())


def _lines_for(node: Node) -> int:
    ml = node.max_length or 0
    if ml >= 4000:
        return 7
    if ml >= 1000:
        return 4
    if ml > 250:
        return 3
    return 1


def _options(node: Node, *, short: bool = False) -> tuple[Option, ...]:
    assert node.kodverk is not None
    return tuple(
        Option(str(code), str(code) if short else label)
        for code, label in node.kodverk.codes.items()
    )


def _unit(node: Node) -> str | None:
    # The unit is part of the question text ("…, timmar per vecka"); print it beside the box.
    title = node.title
    if "," in title:
        return title.rsplit(",", 1)[1].strip()
    return None


def _cell(node: Node) -> tuple[Cell, str | None]:
    """A table cell for a question inside a repeating group, and a legend for its code list."""
    if node.kind == "choice":
        if node.code_type is int:
            assert node.kodverk is not None
            legend = f"{node.kodverk.title}: " + " · ".join(node.kodverk.codes.values())
            return Cell("boxes", _options(node, short=True)), legend
        return Cell("boxes", _options(node)), None
    if node.kind == "date":
        return Cell("date"), None
    if node.kind == "integer":
        return Cell("number"), None
    return Cell("line"), None


def _checklist(node: Node) -> Table | None:
    """A repeating group keyed by a code list drawn as one row per code.

    Applies when the group's first question is a single choice and every code fits (the codes
    may not repeat): "Underlag" becomes a list of boxes, each with its own date.
    """
    first = node.children[0] if node.children else None
    if first is None or first.kind != "choice" or first.repeats or first.kodverk is None:
        return None
    if node.max_items is not None and len(first.kodverk.codes) > node.max_items:
        return None
    rest = node.children[1:]
    columns = [Column(first.title, first.help)]
    columns += [Column(c.title, c.help) for c in rest]
    rows: list[tuple[Cell, ...]] = []
    for code, label in first.kodverk.codes.items():
        cells = [Cell("box_label", (Option(str(code), label),), label)]
        for c in rest:
            applies = True
            cond = c.condition
            if cond is not None and cond.when.field == first.key:
                applies = cond.when.holds(_enum_value(first, code))
            cells.append(_cell(c)[0] if applies else Cell("none"))
        rows.append(tuple(cells))
    return Table(tuple(columns), tuple(rows), numbered=False)


def _enum_value(node: Node, code: str | int) -> object:
    """The enum member for a code, so that a :class:`When` can be evaluated on it."""
    from .._form import KODVERK_BY_ENUM

    for enum_cls, kv in KODVERK_BY_ENUM.items():
        if kv is node.kodverk:
            return enum_cls(code)
    return code


def _table(node: Node) -> Table:
    checklist = _checklist(node)
    if checklist is not None:
        return checklist
    columns: list[Column] = []
    cells: list[Cell] = []
    legends: list[str] = []
    for c in node.children:
        cell, legend = _cell(c)
        cells.append(cell)
        if legend is not None:
            legends.append(legend)
        columns.append(Column(c.title, c.help))
    n = min(node.max_items or MAX_BLANK_ROWS, MAX_BLANK_ROWS)
    if node.max_items is None or node.max_items > n:
        most = "fler" if node.max_items is None else f"upp till {node.max_items}"
        legends.append(
            f"Blanketten har plats för {n} rader; intyget kan ta {most}. "
            "Skriv fler rader på ett eget papper."
        )
    return Table(tuple(columns), tuple(tuple(cells) for _ in range(n)), tuple(legends))


def _paired(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """Mark every second narrow field of a run as the right one of a pair on one line.

    Narrow fields next to each other share a line two by two; a wide field ends the run. The
    left field of a pair keeps a gap to the right one, so both columns line up on every line.
    """
    out: list[Field] = []
    left_open = False
    for f in fields:
        if f.wide:
            left_open = False
            out.append(f)
            continue
        out.append(replace(f, right=left_open))
        left_open = not left_open
    return tuple(out)


def _field(node: Node, siblings: tuple[Node, ...], lay: Layout, *, own_title: bool) -> Field:
    base = Field(
        number=lay.numbers.get(node.link_id) if own_title else None,
        title=node.title if own_title else None,
        help=node.help if own_title else None,
        kind="line",
        optional=not node.required and node.condition is None,
        condition=condition_text(node, siblings, lay.numbers),
        ref=lay.numbers.get(node.link_id),
    )
    if node.kind == "group" and node.repeats:
        return replace(base, kind="table", table=_table(node))
    if node.kind == "group":
        children = tuple(_field(c, node.children, lay, own_title=True) for c in node.children)
        return replace(base, kind="group", children=_paired(children))
    if node.kind == "choice":
        return replace(base, kind="choice", options=_options(node), multiple=node.repeats)
    if node.kind == "boolean":
        return replace(base, kind="boolean", options=(Option("true", "Ja"), Option("false", "Nej")))
    if node.kind == "date":
        return replace(base, kind="date", wide=False)
    if node.kind == "integer":
        return replace(base, kind="number", unit=_unit(node))
    lines = _lines_for(node)
    return replace(base, kind="lines" if lines > 1 else "line", lines=lines, wide=lines > 1)


def blank_form(model: type) -> BlankForm:
    """The blank form of a form model, in form order."""
    tree = question_tree(model)
    lay = layout(tree)
    header = _paired(tuple(_field(n, tree, lay, own_title=True) for n in lay.header))
    sections: list[BlankSection] = []
    for node in lay.sections:
        number = lay.numbers[node.link_id]
        if node.kind == "group" and not node.repeats:
            fields = _paired(
                tuple(_field(c, node.children, lay, own_title=True) for c in node.children)
            )
        else:
            fields = (_field(node, tree, lay, own_title=False),)
        sections.append(BlankSection(number, node.title, node.help, fields, node.link_id))
    return BlankForm(header, tuple(sections))
