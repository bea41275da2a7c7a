"""Question numbers and the Swedish wording of conditions, derived from the question tree.

The printed forms number sections ``1, 2, …`` and questions ``3.1, 3.2, …``; a conditional
question says which answer on which numbered question it depends on. Both the blank form and the
filled certificate use these numbers, so a case officer can refer to "fråga 9.2" on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .._formspec import answered
from .._tree import Node


@dataclass(frozen=True)
class Layout:
    """How the top-level nodes of a form are printed.

    Attributes:
        header: leading top-level questions that are not sections (certificate id, date, …);
            printed in the document header, unnumbered.
        sections: the numbered sections, each a top-level node, in form order.
        numbers: link_id -> printed number (``"3"`` for a section, ``"3.2"`` for a question).
    """

    header: tuple[Node, ...]
    sections: tuple[Node, ...]
    numbers: dict[str, str]


def layout(tree: Sequence[Node]) -> Layout:
    """Split the tree into header fields and numbered sections, and number every question."""
    header: list[Node] = []
    sections: list[Node] = []
    for node in tree:
        if node.kind != "group" and not sections:
            header.append(node)
        else:
            sections.append(node)
    numbers: dict[str, str] = {}
    for i, section in enumerate(sections, start=1):
        numbers[section.link_id] = str(i)
        if section.kind == "group" and not section.repeats:
            _number_children(section, str(i), numbers)
    return Layout(tuple(header), tuple(sections), numbers)


def _number_children(node: Node, prefix: str, numbers: dict[str, str]) -> None:
    for j, child in enumerate(node.children, start=1):
        number = f"{prefix}.{j}"
        numbers[child.link_id] = number
        if child.kind == "group" and not child.repeats:
            _number_children(child, number, numbers)


def parent_link_id(link_id: str) -> str:
    """The linkId of the group a question belongs to (``""`` at the top)."""
    return link_id.rpartition(".")[0]


def sibling(node: Node, key: str, siblings: Iterable[Node]) -> Node | None:
    """The sibling question named ``key``."""
    for s in siblings:
        if s.key == key:
            return s
    return None


def condition_text(node: Node, siblings: Iterable[Node], numbers: dict[str, str]) -> str | None:
    """The instruction printed under a conditional question, in Swedish, or None."""
    cond = node.condition
    if cond is None:
        return None
    control = sibling(node, cond.when.field, siblings)
    if control is None:
        return None
    ref = numbers.get(control.link_id)
    where = f"på fråga {ref}" if ref else f"på ”{control.title}”"
    values = cond.when.any_of or cond.when.none_of
    when = answered(values, where, control.kodverk, negated=not cond.when.any_of)
    if cond.mode == "require":
        return f"Ska fyllas i {when}."
    if cond.required:
        return f"Ska besvaras {when}; annars lämnas frågan tom."
    return f"Kan besvaras {when}; annars lämnas frågan tom."
