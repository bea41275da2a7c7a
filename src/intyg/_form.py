"""Building blocks for a form version: code lists, conditions, and the section base model.

A form version is one pydantic model tree. Everything published about it (JSON Schema,
FHIR Questionnaire and CodeSystems, the printed layout, the field reference) is generated from
that tree, its field titles and descriptions, its code lists (:class:`Kodverk`) and its
conditions (:class:`Villkor`). Nothing about a question is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from ._formspec import (
    KODVERK_BY_ENUM,
    FormMeta,
    Issue,
    Kodverk,
    Villkor,
    VillkorPlan,
    When,
    check_section,
    kodverk,
    no_checks,
    villkor_plan,
)

__all__ = [
    "KODVERK_BY_ENUM",
    "CheckedSection",
    "FormMeta",
    "Issue",
    "Kodverk",
    "Section",
    "Villkor",
    "When",
    "kodverk",
]


class Section(BaseModel):
    """Base of every part of a certificate: immutable, no unknown fields.

    A part with conditional questions (``villkor``) or rules across its fields (``checks``)
    derives from :class:`CheckedSection` instead, so parts without such rules cost nothing extra.
    """

    # defer_build: a part's validator is built when first needed (the bases never are).
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False, defer_build=True)

    villkor: ClassVar[tuple[Villkor, ...]] = ()

    checks: ClassVar[Callable[[Any], Sequence[Issue]]] = no_checks
    """Rules of this section beyond single fields, as a function of the section returning the
    problems found: a section with rules of its own names it (``checks = _checks.grund``)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        has_rules = bool(cls.villkor) or cls.checks is not Section.checks
        if has_rules and not issubclass(cls, CheckedSection):
            raise TypeError(f"{cls.__name__} has rules: derive it from CheckedSection")


class CheckedSection(Section):
    """A section whose conditions and cross-field rules are checked after its fields.

    The check itself is :func:`intyg._formspec.check_section`, shared with the prebuilt
    validator of ``python -m intyg validate``.
    """

    # Worked out once per class (validation runs the check for every such part of every
    # certificate).
    _villkor_plan: ClassVar[VillkorPlan] = ()
    _has_checks: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        titles = {name: f.title for name, f in cls.__pydantic_fields__.items()}
        cls._villkor_plan = villkor_plan(cls.villkor, titles)
        cls._has_checks = cls.checks is not Section.checks

    _check_section = model_validator(mode="after")(check_section)
