"""A filled certificate as a printable document: every question in form order with its answer.

Walks the question tree next to the certificate, so labels come from the form definition and
answers are shown as the form's code texts (never raw codes). Questions that do not apply (their
condition does not hold) are left out; optional questions left unanswered say so.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from .._formspec import answer_display
from .._personid import PERSONID_PATTERN
from .._tree import Node, question_tree
from ._numbering import Layout, layout

AnswerKind = Literal["text", "long", "list", "table", "group", "none"]

NOT_ANSWERED = "Inte angivet"


@dataclass(frozen=True)
class AnswerTable:
    """The items of a repeating group: one row per item, one column per question."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    free_text: tuple[bool, ...] = ()
    """Per column: True for free text, which may hold a word longer than the column is wide."""


@dataclass(frozen=True)
class Answer:
    """One question and its answer as printed.

    ``kind``: ``text`` (short), ``long`` (free text that may flow across pages), ``list`` (several
    codes), ``table`` (a repeating group), ``group`` (sub-questions), ``none`` (not answered).
    """

    number: str | None
    title: str | None
    kind: AnswerKind
    text: str = ""
    items: tuple[str, ...] = ()
    table: AnswerTable | None = None
    children: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class FilledSection:
    """A numbered section of the certificate."""

    number: str
    title: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class FilledCertificate:
    """Everything the certificate template draws."""

    header: tuple[Answer, ...]
    sections: tuple[FilledSection, ...]
    patient_name: str
    patient_id: str
    intygsid: str


def format_personid(value: str) -> str:
    """``191212121212`` -> ``19121212-1212`` (the usual printed form)."""
    if len(value) == 12 and value.isdigit():
        return f"{value[:8]}-{value[8:]}"
    return value


def _scalar(node: Node, value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bool | Enum):
        return answer_display(value, node.kodverk)
    if isinstance(value, str) and node.pattern == PERSONID_PATTERN:
        return format_personid(value)
    return str(value)


def _is_free_text(node: Node) -> bool:
    # Coded strings (a pattern other than "not blank") are short tokens; everything else typed
    # as a string is the writer's own text.
    return node.kind in ("string", "text") and node.pattern in (None, r"\S")


def _applies(node: Node, parent: BaseModel | None) -> bool:
    cond = node.condition
    if cond is None or cond.mode != "enable" or parent is None:
        return True
    return cond.when.holds(getattr(parent, cond.when.field))


def _answer(node: Node, value: Any, lay: Layout, *, own_title: bool) -> Answer:
    number = lay.numbers.get(node.link_id) if own_title else None
    title = node.title if own_title else None
    if value is None:
        return Answer(number, title, "none", NOT_ANSWERED)
    if node.kind == "group" and node.repeats:
        columns = [c for c in node.children if any(getattr(v, c.key) is not None for v in value)]
        rows = tuple(
            tuple(
                _scalar(c, getattr(v, c.key)) if getattr(v, c.key) is not None else "–"
                for c in columns
            )
            for v in value
        )
        free = tuple(_is_free_text(c) for c in columns)
        table = AnswerTable(tuple(c.title for c in columns), rows, free)
        return Answer(number, title, "table", table=table)
    if node.kind == "group":
        return Answer(number, title, "group", children=_answers(node.children, value, lay))
    if node.repeats:
        return Answer(number, title, "list", items=tuple(_scalar(node, v) for v in value))
    if node.kind == "text":
        return Answer(number, title, "long", str(value))
    return Answer(number, title, "text", _scalar(node, value))


def _answers(nodes: tuple[Node, ...], parent: BaseModel, lay: Layout) -> tuple[Answer, ...]:
    return tuple(
        _answer(n, getattr(parent, n.key), lay, own_title=True)
        for n in nodes
        if _applies(n, parent)
    )


def filled_certificate(intyg: BaseModel) -> FilledCertificate:
    """The printable view of a validated certificate."""
    tree = question_tree(type(intyg))
    lay = layout(tree)
    header = tuple(
        _answer(n, getattr(intyg, n.key), lay, own_title=True)
        for n in lay.header
        if _applies(n, intyg)
    )
    sections: list[FilledSection] = []
    for node in lay.sections:
        number = lay.numbers[node.link_id]
        value = getattr(intyg, node.key)
        if node.kind == "group" and not node.repeats:
            answers = _answers(node.children, value, lay)
        else:
            answers = (_answer(node, value, lay, own_title=False),)
        sections.append(FilledSection(number, node.title, answers))
    patient = getattr(intyg, "patient", None)
    name = str(getattr(patient, "namn", ""))
    pid = str(getattr(patient, "personid", ""))
    return FilledCertificate(
        header=header,
        sections=tuple(sections),
        patient_name=name,
        patient_id=format_personid(pid),
        intygsid=str(getattr(intyg, "intygsid", "")),
    )
