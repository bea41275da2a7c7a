"""Building blocks for a form version: code lists, conditions, and the section base model.

A form version is one pydantic model tree. Everything published about it (JSON Schema,
FHIR Questionnaire and CodeSystems, the printed layout, the field reference) is generated from
that tree, its field titles and descriptions, its code lists (:class:`Kodverk`) and its
conditions (:class:`Villkor`). Nothing about a question is written twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

Issue = tuple[str, str, dict[str, Any]]
"""A problem found by a section check: (code, path relative to the section, message context)."""


@dataclass(frozen=True)
class Kodverk:
    """A code list of our own, published as a FHIR CodeSystem.

    Attributes:
        id: ASCII id, also the last part of the CodeSystem url.
        title: Swedish name of the list.
        codes: code -> Swedish display text, in the order they are shown.
    """

    id: str
    title: str
    codes: Mapping[str | int, str]

    def display(self, code: str | int) -> str:
        """The Swedish text for ``code``."""
        return self.codes[code]


KODVERK_BY_ENUM: dict[type[Enum], Kodverk] = {}


def kodverk(enum_cls: type[Enum], kv_id: str, title: str, displays: Mapping[Any, str]) -> Kodverk:
    """Register the code list behind an enum; every member needs a display text."""
    missing = [m for m in enum_cls if m not in displays]
    if missing:
        raise ValueError(f"{enum_cls.__name__}: display text missing for {missing}")
    kv = Kodverk(kv_id, title, {m.value: displays[m] for m in enum_cls})
    KODVERK_BY_ENUM[enum_cls] = kv
    return kv


@dataclass(frozen=True)
class When:
    """A condition on a sibling field of the same section.

    ``any_of``: the answer is one of the values (for a list: contains one of them).
    ``none_of``: the answer is none of the values (for a list: contains none of them).
    A missing answer satisfies neither.
    """

    field: str
    any_of: tuple[Any, ...] = ()
    none_of: tuple[Any, ...] = ()

    def holds(self, value: Any) -> bool:
        """Whether the condition holds for the controlling answer ``value``."""
        if value is None:
            return False
        if self.any_of:
            if type(value) is tuple:
                return any(v in self.any_of for v in value)
            return value in self.any_of
        if type(value) is tuple:
            return not any(v in self.none_of for v in value)
        return value not in self.none_of


@dataclass(frozen=True)
class Villkor:
    """A conditional question.

    ``mode="enable"``: the question applies only when ``when`` holds (FHIR ``enableWhen``); it is
    required then if ``required``, and must be empty otherwise.
    ``mode="require"``: the question always applies, and is required when ``when`` holds.
    """

    field: str
    when: When
    required: bool = True
    mode: Literal["enable", "require"] = "enable"


@dataclass(frozen=True)
class FormMeta:
    """Per-section extras for the generators (kept apart from the pydantic fields)."""

    fhir_skip: frozenset[str] = field(default_factory=frozenset)


class Section(BaseModel):
    """Base of every part of a certificate: immutable, no unknown fields.

    A part with conditional questions (``villkor``) or rules across its fields (``checks``)
    derives from :class:`CheckedSection` instead, so parts without such rules cost nothing extra.
    """

    # defer_build: a part's validator is built when first needed (the bases never are).
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False, defer_build=True)

    villkor: ClassVar[tuple[Villkor, ...]] = ()

    def checks(self) -> Sequence[Issue]:
        """Rules of this section beyond single fields; overridden by sections that have them.

        Returns the problems found (an empty sequence when there are none).
        """
        return ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        has_rules = bool(cls.villkor) or cls.checks is not Section.checks
        if has_rules and not issubclass(cls, CheckedSection):
            raise TypeError(f"{cls.__name__} has rules: derive it from CheckedSection")


class CheckedSection(Section):
    """A section whose conditions and cross-field rules are checked after its fields."""

    # Worked out once per class (validation runs this for every such part of every certificate):
    # per condition (field, controlling field, its test, required, enable mode), and whether
    # the class has checks of its own.
    _villkor_plan: ClassVar[tuple[tuple[str, str, Any, bool, bool], ...]] = ()
    _has_checks: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._villkor_plan = tuple(
            (v.field, v.when.field, v.when.holds, v.required, v.mode == "enable")
            for v in cls.villkor
        )
        cls._has_checks = cls.checks is not Section.checks

    @model_validator(mode="after")
    def _check_section(self) -> CheckedSection:
        issues: list[Issue] | None = None
        values = self.__dict__
        for name, control, holds, required, enable in self._villkor_plan:
            value = values[name]
            active = holds(values[control])
            if active and required and value is None:
                code = "conditional_required"
            elif enable and not active and value is not None:
                code = "conditional_forbidden"
            else:
                continue
            title = type(self).__pydantic_fields__[control].title or control
            issues = issues or []
            issues.append((code, name, {"control": title}))
        if self._has_checks:
            found = self.checks()
            if found:
                issues = [*(issues or ()), *found]
        if issues:
            raise PydanticCustomError("intyg_problems", "intyg_problems", {"problems": issues})
        return self
