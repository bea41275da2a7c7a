"""Writes :mod:`intyg._v1._prebuilt`: form version 1's validator without pydantic's models.

``python -m intyg._v1._prebuild`` (or ``--check``) regenerates the module from the pydantic model
in :mod:`intyg._v1._model`, which stays the single source of truth. The generated module holds
pydantic's own core schema for the model, in which every model class is replaced by a light
stand-in (:class:`intyg._v1._prebuilt.Part`) that carries the same condition plan and the same
cross-field rules. ``python -m intyg validate`` uses it so that it never imports pydantic's model
machinery, which costs more start-up time than the whole validation.

``tests/test_prebuilt.py`` regenerates the module and fails on any difference, and checks that
both validators give the same result on the examples, the bad-input corpus and generated
certificates.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import math
import re
import sys
import types
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

# pydantic's own mapping from a model's ConfigDict to the core config its validator is built
# with; private, but only used here, at generation time, and the drift test notices any change.
from pydantic._internal._config import ConfigWrapper

from .. import _problems
from .._form import CheckedSection
from .._quick import release_series
from . import _model

TARGET = Path(__file__).with_name("_prebuilt.py")

# Modules the generated code may name functions from: none of them imports pydantic.
_MODULES = {
    "intyg._fieldchecks": "_fieldchecks",
    "intyg._formspec": "_formspec",
    "intyg._v1._checks": "_checks",
}
_CODES_MODULE = "intyg._v1._codes"
# Keys pydantic keeps for JSON Schema generation and serialization; validation never reads them.
_DROPPED_KEYS = {"metadata", "serialization"}
_REF_KEYS = {"ref", "schema_ref"}
_REF_ID = re.compile(r":[0-9]+$")

_HEADER = '''"""Form version {form_version}'s validator, prebuilt without pydantic's models.

Generated, do not edit.

Written by ``python -m intyg._v1._prebuild`` from :mod:`intyg._v1._model` (pydantic {pydantic}.x):
the model's own core schema, with a light stand-in for every model class that carries the same
conditions and cross-field rules. ``python -m intyg validate`` uses it to start fast;
``tests/test_prebuilt.py`` regenerates this file and compares both validators.
"""

from __future__ import annotations

import datetime

from pydantic_core import CoreConfig, CoreSchema

from .. import _fieldchecks, _formspec  # _fieldchecks also registers the free-text judge
from .._formspec import Villkor, VillkorPlan, When, no_checks, villkor_plan
from .._problems import PATTERN_CODES, PATTERN_HINTS
from . import _checks, _codes

FORM_ID = {form_id!r}
FORM_VERSION = {form_version!r}
PYDANTIC_CORE_SERIES = {pydantic_core!r}
"""The pydantic-core release series (major.minor) of the pydantic that generated the schema; with
any other series the schema is not used (``python -m intyg validate`` then checks with the
model). Patch releases keep the core schema format, and the tests regenerate this file and
compare both validators under whichever patch is installed."""


class Part:
    """A validated section: its values as attributes, nothing else (no pydantic model)."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    _villkor_plan: VillkorPlan = ()
    _has_checks = False
    checks = no_checks

    def __repr__(self) -> str:
        return f"{{type(self).__name__}}({{self.__dict__!r}})"

'''


class _Writer:
    def __init__(self) -> None:
        self.models: list[type[BaseModel]] = []
        self.patterns: set[str] = set()
        self.refs: dict[str, str] = {}

    def value(self, obj: Any, indent: int = 0) -> str:
        """``obj`` as Python source; short containers on one line, longer ones one item a line."""
        flat = self._flat(obj)
        if len(flat) + 4 * indent <= 96 or not isinstance(obj, dict | list | tuple):
            return flat
        return self._tall(obj, indent)

    def _flat(self, obj: Any) -> str:
        if isinstance(obj, Enum):  # first: a StrEnum member is a str too
            return self._enum_member(obj)
        if isinstance(obj, float) and not math.isfinite(obj):
            raise TypeError(f"prebuild: cannot write the number {obj!r} as Python source")
        if obj is None or isinstance(obj, bool | int | float | str):
            return repr(obj)
        if isinstance(obj, _dt.date) and not isinstance(obj, _dt.datetime):
            return f"datetime.date({obj.year}, {obj.month}, {obj.day})"
        if isinstance(obj, type):
            return self._class(obj)
        if isinstance(obj, types.FunctionType):
            return self._function(obj)
        if isinstance(obj, dict):
            if isinstance(obj.get("pattern"), str):
                self.patterns.add(obj["pattern"])
            items = self._items(obj)
            return "{" + ", ".join(f"{self._flat(k)}: {self._flat(v)}" for k, v in items) + "}"
        if isinstance(obj, list):
            return "[" + ", ".join(self._flat(v) for v in obj) + "]"
        if isinstance(obj, tuple):
            inner = ", ".join(self._flat(v) for v in obj)
            return f"({inner},)" if len(obj) == 1 else f"({inner})"
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            args = ", ".join(
                f"{f.name}={self._flat(getattr(obj, f.name))}" for f in dataclasses.fields(obj)
            )
            return f"{type(obj).__name__}({args})"
        raise TypeError(f"prebuild: cannot write {type(obj).__name__} {obj!r}")

    def _tall(self, obj: dict[Any, Any] | list[Any] | tuple[Any, ...], indent: int) -> str:
        pad, inner = "    " * indent, "    " * (indent + 1)
        if isinstance(obj, dict):
            body = "".join(
                f"{inner}{self.value(k)}: {self.value(v, indent + 1)},\n"
                for k, v in self._items(obj)
            )
            return "{\n" + body + pad + "}"
        open_, close = ("[", "]") if isinstance(obj, list) else ("(", ")")
        body = "".join(f"{inner}{self.value(v, indent + 1)},\n" for v in obj)
        return open_ + "\n" + body + pad + close

    def _items(self, obj: dict[Any, Any]) -> list[tuple[Any, Any]]:
        return [
            (k, self._ref(v) if k in _REF_KEYS else v)
            for k, v in obj.items()
            if k not in _DROPPED_KEYS
        ]

    def _ref(self, ref: str) -> str:
        # pydantic ends a reference with the id() of the class; the name alone is stable
        stable = _REF_ID.sub("", ref)
        if self.refs.setdefault(stable, ref) != ref:
            raise TypeError(f"prebuild: two definitions are both called {stable}")
        return stable

    def _enum_member(self, member: Enum) -> str:
        cls = type(member)
        if cls.__module__ != _CODES_MODULE:
            raise TypeError(f"prebuild: enum {cls.__qualname__} is not in {_CODES_MODULE}")
        return f"_codes.{cls.__name__}.{member.name}"

    def _class(self, cls: type) -> str:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            if cls not in self.models:
                self.models.append(cls)
            return cls.__name__
        if issubclass(cls, Enum) and cls.__module__ == _CODES_MODULE:
            return f"_codes.{cls.__name__}"
        raise TypeError(f"prebuild: cannot name class {cls.__qualname__}")

    def _function(self, fn: types.FunctionType) -> str:
        alias = _MODULES.get(fn.__module__)
        if alias is None or fn.__qualname__ != fn.__name__:
            raise TypeError(
                f"prebuild: {fn.__module__}.{fn.__qualname__} is not a module-level function of "
                f"a module without pydantic ({', '.join(_MODULES)})"
            )
        return f"{alias}.{fn.__name__}"


def _part(writer: _Writer, cls: type[BaseModel]) -> str:
    lines = [f"class {cls.__name__}(Part):", f'    """Stands in for ``{cls.__qualname__}``."""']
    lines.append("")
    lines.append("    __slots__ = ()")
    if issubclass(cls, CheckedSection):
        if cls.villkor:
            villkor = writer.value(cls.villkor, 2)
            titles = {
                v.when.field: cls.__pydantic_fields__[v.when.field].title for v in cls.villkor
            }
            lines.append(
                f"    _villkor_plan = villkor_plan(\n        {villkor},\n        "
                f"{writer.value(titles, 2)},\n    )"
            )
        if cls._has_checks:
            lines.append("    _has_checks = True")
            lines.append(f"    checks = {writer.value(cls.checks)}")
    return "\n".join(lines) + "\n"


def generate() -> str:
    """The text of :mod:`intyg._v1._prebuilt` for the current model."""
    import pydantic
    import pydantic_core

    root = _model.Intyg
    root.model_rebuild()  # the deferred build, so the core schema is complete
    writer = _Writer()
    schema_text = writer.value(root.__pydantic_core_schema__)
    config = ConfigWrapper(root.model_config).core_config(title=root.__name__)
    config_text = writer.value(dict(config))
    parts = [_part(writer, cls) for cls in writer.models]
    codes = {
        p: _problems.PATTERN_CODES[p]
        for p in sorted(writer.patterns)
        if p in _problems.PATTERN_CODES
    }
    hints = {
        p: _problems.PATTERN_HINTS[p]
        for p in sorted(writer.patterns)
        if p in _problems.PATTERN_HINTS
    }
    out = [
        _HEADER.format(
            pydantic=release_series(pydantic.VERSION),
            pydantic_core=release_series(pydantic_core.__version__),
            form_id=_model.FORM_ID,
            form_version=_model.FORM_VERSION,
        )
    ]
    out.extend("\n\n" + p for p in parts)
    out.append(f"\n\nPATTERN_CODES.update({writer.value(codes)})\n")
    out.append(f"\nPATTERN_HINTS.update({writer.value(hints)})\n")
    out.append(f"\nCONFIG: CoreConfig = {config_text}\n")
    out.append(f"\nCORE_SCHEMA: CoreSchema = {schema_text}\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m intyg._v1._prebuild",
        description="Skriv om intyg/_v1/_prebuilt.py från modellen (eller kontrollera den).",
    )
    parser.add_argument(
        "--check", action="store_true", help="skriv inget; avsluta med 1 om filen är inaktuell"
    )
    args = parser.parse_args(argv)
    text = generate()
    current = TARGET.read_text("utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            sys.stderr.write(f"{TARGET} är inaktuell: kör python -m intyg._v1._prebuild\n")
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
