"""The question tree of a form version, derived from its model.

One walk over the pydantic model gives every question in form order with its linkId (the JSON
property path without indices), Swedish text, help text, answer kind, code list, limits and
condition. The Questionnaire, the QuestionnaireResponse mapping, the printed forms and the field
reference all read this tree, so they cannot disagree.
"""

from __future__ import annotations

import datetime as _dt
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ._form import KODVERK_BY_ENUM, Kodverk, Section, Villkor

Kind = Literal["group", "string", "text", "date", "boolean", "integer", "choice"]

TEXT_THRESHOLD = 250
"""Free texts allowed to be longer than this are multi-line (FHIR ``text``), shorter ``string``."""


@dataclass(frozen=True)
class Node:
    """One question or group of the form.

    Attributes:
        link_id: JSON property path without list indices, e.g. ``bedomning.perioder.fran``.
        key: the property name within its parent.
        title: the question as printed.
        help: help text, or None.
        kind: answer kind (``group`` for a section or a repeating group of questions).
        required: must be answered (when enabled).
        repeats: a list (repeating group, or a choice with several answers).
        min_items / max_items: list bounds when ``repeats``.
        max_length: longest text allowed.
        min_value / max_value: integer bounds.
        pattern: regex of a coded string.
        kodverk: the code list of a choice.
        code_type: ``str`` or ``int``, the JSON type of a choice's codes.
        condition: when the question applies or is required (see :class:`~intyg._form.Villkor`).
        children: sub-questions of a group.
    """

    link_id: str
    key: str
    title: str
    help: str | None
    kind: Kind
    required: bool
    repeats: bool = False
    min_items: int | None = None
    max_items: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    pattern: str | None = None
    kodverk: Kodverk | None = None
    code_type: type | None = None
    condition: Villkor | None = None
    children: tuple[Node, ...] = field(default=())

    def walk(self) -> typing.Iterator[Node]:
        """This node and all below it, in form order."""
        yield self
        for c in self.children:
            yield from c.walk()


SKIPPED_TOP_LEVEL = frozenset({"formular"})
"""Properties that are not questions: the form version is carried by the Questionnaire url."""


def unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """Strip Annotated and ``| None``; return the bare type and the metadata seen."""
    meta: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            args = typing.get_args(tp)
            tp = args[0]
            meta.extend(args[1:])
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                raise TypeError(f"unsupported union {tp}")
            tp = members[0]
        else:
            return tp, meta


def _constraints(meta: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in meta:
        if isinstance(m, FieldInfo):
            out.update(_constraints(list(m.metadata)))
            extra = m.json_schema_extra
            if isinstance(extra, dict) and "pattern" in extra:
                out["pattern"] = extra["pattern"]
        elif isinstance(m, annotated_types.MaxLen):
            out["max_length"] = m.max_length
        elif isinstance(m, annotated_types.MinLen):
            out["min_length"] = m.min_length
        elif isinstance(m, annotated_types.Ge):
            out["ge"] = m.ge
        elif isinstance(m, annotated_types.Le):
            out["le"] = m.le
    return out


def _node(parent: str, key: str, info: FieldInfo, cond: Villkor | None) -> Node:
    link_id = f"{parent}.{key}" if parent else key
    tp, inner = unwrap(info.annotation)
    meta = list(info.metadata) + inner
    required = info.is_required()
    if cond is not None and cond.required and cond.mode == "enable":
        required = True  # required whenever the question is enabled
    repeats = False
    list_c: dict[str, Any] = {}
    if typing.get_origin(tp) is tuple:
        repeats = True
        list_c = _constraints(meta)
        tp, meta = unwrap(typing.get_args(tp)[0])
    c = _constraints(meta)
    if isinstance(info.json_schema_extra, dict) and "pattern" in info.json_schema_extra:
        c.setdefault("pattern", info.json_schema_extra["pattern"])
    common: dict[str, Any] = {
        "link_id": link_id,
        "key": key,
        "title": info.title or key,
        "help": info.description,
        "required": required,
        "repeats": repeats,
        "min_items": list_c.get("min_length"),
        "max_items": list_c.get("max_length"),
        "condition": cond,
    }
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return Node(kind="group", children=_children(tp, link_id), **common)
    if isinstance(tp, type) and issubclass(tp, Enum):
        kv = KODVERK_BY_ENUM[tp]
        code_type = int if issubclass(tp, int) else str
        return Node(kind="choice", kodverk=kv, code_type=code_type, **common)
    if tp is bool:
        return Node(kind="boolean", **common)
    if tp is int:
        return Node(kind="integer", min_value=c.get("ge"), max_value=c.get("le"), **common)
    if tp is _dt.date:
        return Node(kind="date", **common)
    if tp is str:
        ml = c.get("max_length")
        kind: Kind = "text" if ml is not None and ml > TEXT_THRESHOLD else "string"
        if "max_length" not in c and c.get("pattern") not in (None, r"\S"):
            kind = "string"
        return Node(kind=kind, max_length=ml, pattern=c.get("pattern"), **common)
    if typing.get_origin(tp) is Literal:
        raise TypeError(f"{link_id}: use an Enum code list, not Literal")
    raise TypeError(f"{link_id}: unsupported field type {tp!r}")


def _children(model: type[BaseModel], link_id: str) -> tuple[Node, ...]:
    conds: dict[str, Villkor] = {}
    if issubclass(model, Section):
        conds = {v.field: v for v in model.villkor}
    out = []
    for key, info in model.model_fields.items():
        if not link_id and key in SKIPPED_TOP_LEVEL:
            continue
        out.append(_node(link_id, key, info, conds.get(key)))
    return tuple(out)


@cache
def question_tree(model: type[BaseModel]) -> tuple[Node, ...]:
    """The top-level nodes of a form model, in form order (cached per model)."""
    return _children(model, "")


@cache
def nodes_by_link_id(model: type[BaseModel]) -> dict[str, Node]:
    """Every node of a form model by linkId."""
    return {n.link_id: n for top in question_tree(model) for n in top.walk()}


def condition_text(node: Node, siblings: typing.Sequence[Node]) -> str | None:
    """The node's condition in Swedish, e.g. ``besvaras om "Prognos" är "…med anpassning"``.

    ``siblings`` are the nodes of the same group (the condition names one of them).
    """
    cond = node.condition
    if cond is None:
        return None
    ctrl = next(s for s in siblings if s.key == cond.when.field)
    values = cond.when.any_of or cond.when.none_of

    def label(v: Any) -> str:
        raw = v.value if isinstance(v, Enum) else v
        if isinstance(raw, bool):
            return "ja" if raw else "nej"
        if ctrl.kodverk is not None:
            return ctrl.kodverk.display(raw)
        return str(raw)

    shown = " eller ".join(f'"{label(v)}"' for v in values)
    verb = "besvaras om" if cond.mode == "enable" else "krävs om"
    if cond.when.any_of:
        op = "innehåller" if ctrl.repeats else "är"
    else:
        op = "inte innehåller" if ctrl.repeats else "inte är"
    return f'{verb} "{ctrl.title}" {op} {shown}'
