"""The parts of a form version that need no pydantic: code lists, conditions, section checks.

Kept apart from :mod:`intyg._form` so that the prebuilt validator of ``python -m intyg
validate`` (:mod:`intyg._v1._prebuilt`) can run the very same checks without importing
pydantic's model machinery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

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


VillkorPlan = tuple[tuple[str, str, Any, bool, bool, dict[str, str], dict[str, str]], ...]
"""Per condition: field, controlling field, its test, required, enable mode, and the message
context of ``conditional_required`` and of ``conditional_forbidden``."""


def answer_display(value: Any, kodverk: Kodverk | None = None) -> str:
    """An answer as the form shows it: Ja/Nej, or the code's Swedish text (from its enum's
    code list, or ``kodverk``), else the value itself."""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, Enum):
        kodverk = KODVERK_BY_ENUM.get(type(value), kodverk)
        value = value.value
    if kodverk is not None and value in kodverk.codes:
        return kodverk.display(value)
    return str(value)


def or_list(texts: Sequence[str]) -> str:
    """Texts quoted and joined as Swedish lists alternatives: ”A”, ”B” eller ”C”."""
    quoted = [f"”{t}”" for t in texts]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} eller {quoted[-1]}"


def answered(
    values: Sequence[Any], where: str, kodverk: Kodverk | None = None, *, negated: bool = False
) -> str:
    """A condition on an answer in the printed form's words: ``om du har valt ”A” eller ”B”
    WHERE`` (``om du inte har …`` when ``negated``); ``svarat`` for yes/no, ``valt`` for a code.
    For the form's notes under a question, which the doctor reads (the problem messages say it
    to any reader: :func:`answer_is`)."""
    verb = "svarat" if all(isinstance(x, bool) for x in values) else "valt"
    answers = or_list([answer_display(v, kodverk) for v in values])
    return f"om du {'inte ' if negated else ''}har {verb} {answers} {where}"


def answer_is(values: Sequence[Any], title: str, *, negated: bool = False) -> str:
    """A condition on an answer as a problem message says it, to whoever reads it (the doctor
    who wrote the certificate or the case officer who received it): ``när svaret på frågan
    ”T” är ”Ja”`` for yes/no, ``när ”A” eller ”B” är valt i frågan ”T”`` for a code;
    negated, ``inte är ”Ja”``, ``när ”A” inte är valt`` or ``när inget av ”A” och ”B” är
    valt``. (:func:`answered` speaks to the doctor, on the form.)"""
    shown = [answer_display(v) for v in values]
    if all(isinstance(x, bool) for x in values):
        return f"när svaret på frågan ”{title}” {'inte ' if negated else ''}är {or_list(shown)}"
    if not negated:
        return f"när {or_list(shown)} är valt i frågan ”{title}”"
    if len(shown) == 1:
        return f"när ”{shown[0]}” inte är valt i frågan ”{title}”"
    quoted = [f"”{t}”" for t in shown]
    both = f"{', '.join(quoted[:-1])} och {quoted[-1]}"
    return f"när inget av {both} är valt i frågan ”{title}”"


def villkor_plan(villkor: Sequence[Villkor], titles: Mapping[str, str | None]) -> VillkorPlan:
    """The conditions of a section as :func:`check_section` runs them (worked out once per
    class); ``titles`` gives the field titles of the section. The messages name the controlling
    question and the answers that decide, as the form shows them; never the answer given."""
    plan = []
    for v in villkor:
        title = titles.get(v.when.field) or v.when.field
        values = v.when.any_of or v.when.none_of
        chosen = answer_is(values, title)
        if v.when.any_of:
            required, forbidden = chosen, f"bara {chosen}"
        else:
            required = answer_is(values, title, negated=True)
            forbidden = f"inte {chosen}"
        # control_field: what the problem reads besides its own field (intyg._careful)
        common = {"control": title, "control_field": v.when.field}
        plan.append(
            (
                v.field,
                v.when.field,
                v.when.holds,
                v.required,
                v.mode == "enable",
                {**common, "villkor": required},
                {**common, "villkor": forbidden},
            )
        )
    return tuple(plan)


def no_checks(section: Any) -> Sequence[Issue]:
    """The rules of a section that has none beyond its fields and conditions."""
    return ()


if TYPE_CHECKING:

    class CheckedPart(Protocol):
        """What :func:`check_section` needs of a section: its values, its condition plan and
        its own checks."""

        _villkor_plan: VillkorPlan
        _has_checks: bool

        def checks(self) -> Sequence[Issue]: ...


def check_section(self: CheckedPart) -> Any:
    """The conditions and cross-field checks of one validated section (run after its fields).

    Raises ``intyg_problems`` (a pydantic-core error carrying every problem found) or returns
    the section unchanged.
    """
    issues: list[Issue] | None = None
    values = self.__dict__
    for name, control, holds, required, enable, if_required, if_forbidden in self._villkor_plan:
        value = values[name]
        active = holds(values[control])
        if active and required and value is None:
            code, ctx = "conditional_required", if_required
        elif enable and not active and value is not None:
            code, ctx = "conditional_forbidden", if_forbidden
        else:
            continue
        issues = issues or []
        issues.append((code, name, dict(ctx)))
    if self._has_checks:
        found = self.checks()
        if found:
            issues = [*(issues or ()), *found]
    if issues:
        raise PydanticCustomError("intyg_problems", "intyg_problems", {"problems": issues})
    return self
