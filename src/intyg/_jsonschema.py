"""JSON Schema (Draft 2020-12) of a form version, generated from its model.

pydantic writes the structure (types, required, lengths, patterns); this module adds what
pydantic does not know: Swedish titles for code lists (``oneOf`` with ``const`` and ``title``),
the conditional questions as ``if``/``then``/``else``, and the schema's identity and provenance.
Optional questions may be left out but are never ``null``.
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ._form import KODVERK_BY_ENUM, Section, Villkor
from ._registry import FormVersion
from ._tree import unwrap

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(form: FormVersion) -> str:
    """The ``$id`` of a form version's JSON Schema."""
    return f"urn:intyg:schema:{form.form_id}:{form.version}"


class _Generator(GenerateJsonSchema):
    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        # Optional questions are omitted when unanswered; null is not an answer.
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        out = super().default_schema(schema)
        if out.get("default", ...) is None:
            out.pop("default")
        return out


def _types_in(tp: Any, out: dict[str, type]) -> None:
    """Collect every model and enum class reachable from ``tp``, by class name."""
    for arg in typing.get_args(tp):
        _types_in(arg, out)
    if isinstance(tp, type) and issubclass(tp, BaseModel | Enum) and tp.__name__ not in out:
        out[tp.__name__] = tp
        if issubclass(tp, BaseModel):
            for f in tp.model_fields.values():
                _types_in(f.annotation, out)


def _models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class in the tree, by class name (pydantic's $defs key)."""
    found: dict[str, type] = {}
    _types_in(model, found)
    return {k: v for k, v in found.items() if issubclass(v, BaseModel)}


def _enums(model: type[BaseModel]) -> dict[str, type[Enum]]:
    found: dict[str, type] = {}
    _types_in(model, found)
    return {k: v for k, v in found.items() if issubclass(v, Enum)}


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


def _condition_schema(model: type[BaseModel], v: Villkor) -> dict[str, Any]:
    ctrl = v.when.field
    bare, _ = unwrap(model.model_fields[ctrl].annotation)
    is_list = typing.get_origin(bare) is tuple  # a list answer: the condition looks for a member
    values = [_value(x) for x in (v.when.any_of or v.when.none_of)]
    match: dict[str, Any] = (
        {"type": "array", "contains": {"enum": values}} if is_list else {"enum": values}
    )
    cond = match if v.when.any_of else {"not": match}
    out: dict[str, Any] = {"if": {"properties": {ctrl: cond}, "required": [ctrl]}}
    # The field is also named under "properties" so that validators in strict mode (ajv's
    # strictRequired) accept the "required" in these subschemas.
    named = {"properties": {v.field: True}, "required": [v.field]}
    if v.required:
        out["then"] = named
    if v.mode == "enable":
        out["else"] = {"not": named}
    return out


def _titles_from_fields(model: type[BaseModel]) -> dict[str, str]:
    """Swedish titles for sub-models: the title of the first field that holds each."""
    titles: dict[str, str] = {}
    for cls in _models(model).values():
        for f in cls.model_fields.values():
            found: dict[str, type] = {}
            _types_in(f.annotation, found)
            for name in found:
                if f.title:
                    titles.setdefault(name, f.title)
    return titles


def form_json_schema(form: FormVersion) -> dict[str, Any]:
    """The JSON Schema of a form version (deterministic: same model, same output)."""
    model = form.model
    schema = model.model_json_schema(schema_generator=_Generator, mode="validation")
    defs: dict[str, Any] = schema.get("$defs", {})
    titles = _titles_from_fields(model)
    models = _models(model)
    for name, cls in models.items():
        target = schema if cls is model else defs[name]
        target.pop("description", None)  # class docstrings are for developers (English)
        if cls is not model:
            target["title"] = titles.get(name, name)
        if issubclass(cls, Section) and cls.villkor:
            target["allOf"] = [_condition_schema(cls, v) for v in cls.villkor]
    for name, enum_cls in _enums(model).items():
        kv = KODVERK_BY_ENUM[enum_cls]
        defs[name] = {
            "title": kv.title,
            "type": "integer" if issubclass(enum_cls, int) else "string",
            "oneOf": [{"const": code, "title": text} for code, text in kv.codes.items()],
        }
    out: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": schema_id(form),
        "$comment": (
            f"Formulär {form.form_id} version {form.version}. Genererad av intyg från "
            f"{model.__module__}.{model.__qualname__}; ändra inte för hand, "
            "kör `python -m intyg schema --write`."
        ),
        "title": f"{form.title} {form.version}",
        "description": form.title + " " + form.subtitle + ".",
    }
    out.update({k: v for k, v in schema.items() if k not in ("title", "$defs")})
    out["$defs"] = dict(sorted(defs.items()))
    return out
