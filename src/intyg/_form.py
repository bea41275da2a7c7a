"""Building blocks for a form version: code lists, conditions, and the section base model.

A form version is one pydantic model tree. Everything published about it (JSON Schema,
FHIR Questionnaire and CodeSystems, the printed layout, the field reference) is generated from
that tree, its field titles and descriptions, its code lists (:class:`Kodverk`) and its
conditions (:class:`Villkor`). Nothing about a question is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticSerializationError, to_jsonable_python

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


class _Hidden:
    """Stands for a text ``repr`` does not show."""

    def __repr__(self) -> str:
        return "…"


HIDDEN = _Hidden()
"""What ``repr`` shows for a value it hides."""


def masked_repr_args(
    args: Iterable[tuple[str | None, Any]],
    shown: frozenset[str],
    keyed: Mapping[str, frozenset[str]],
) -> Iterator[tuple[str | None, Any]]:
    """A model's ``repr`` arguments with its texts hidden (:data:`HIDDEN`), for the certificate
    and the assessment alike: every text, alone or in a list, tuple or dict, except in the
    fields named in ``shown`` and, for a field of entries named in ``keyed``, under the keys
    given there. Codes (enum members), numbers, dates and nested models (as their own
    ``repr`` shows them) are kept."""
    for name, value in args:
        keys = keyed.get(name or "")
        if keys is not None:
            yield name, _masked(value, keys)
        elif name in shown:
            yield name, value
        else:
            yield name, _masked(value, frozenset())


def _masked(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, str):
        return value if isinstance(value, Enum) else HIDDEN
    if isinstance(value, dict):
        return {k: v if k in keys else _masked(v, frozenset()) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, keys) for v in value]
    if isinstance(value, tuple):
        return tuple(_masked(v, keys) for v in value)
    return value


class Section(BaseModel):
    """Base of every part of a certificate: immutable, no unknown fields.

    A part with conditional questions (``villkor``) or rules across its fields (``checks``)
    derives from :class:`CheckedSection` instead, so parts without such rules cost nothing extra.
    """

    # defer_build: a part's validator is built when first needed (the bases never are).
    # hide_input_in_errors: a pydantic ValidationError from Intyg.model_validate names the field
    # but never repeats what was given there (a personnummer, a diagnosis in free text).
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_default=False,
        defer_build=True,
        hide_input_in_errors=True,
    )

    villkor: ClassVar[tuple[Villkor, ...]] = ()

    shown_in_repr: ClassVar[frozenset[str]] = frozenset()
    """Fields whose text ``repr`` shows: every other text (names, numbers, free text) is shown
    as ``…``, so that a logged or printed certificate holds no personal data. Coded answers, dates,
    numbers and the structure are shown."""

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        return masked_repr_args(super().__repr_args__(), type(self).shown_in_repr, {})

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, a copy with those fields changed that is validated again, so
        that a certificate still satisfies every rule of its form (pydantic's own ``model_copy``
        checks nothing). ``None`` for a field leaves the question unanswered.

        A whole certificate is checked as :func:`intyg.load` checks it; a part is checked on its
        own, and again when it is put into a certificate with ``model_copy(update=...)``.
        Diagnosis codes already checked (in this object, or in parts of a certificate given in
        ``update``) are kept as they were: a certificate may have been loaded with a code list
        of its own (``icd10=``). A new code is checked against the default catalogue.

        Raises:
            IntygValidationError: the changed copy breaks a rule (``.problems``, paths from
                this object); ``FormVersionError`` for a ``formular`` of an unsupported form.
            ConversionError: the changed copy is beyond the limits on input (as for
                :func:`intyg.load`: too many values, too deep).
            TypeError: a value in ``update`` is not something a certificate can hold (bytes
                included: text is ``str``).
        """
        if not update:
            return super().model_copy(deep=deep)
        from ._errors import IntygValidationError
        from ._icd10 import KeptCodes
        from ._problems import format_path, make_problem, problems_from_pydantic

        fields = type(self).model_fields
        unknown = [
            make_problem("unknown_field", format_path((key,)))
            for key in update
            if key not in fields
        ]
        if unknown:  # named as load names them: a key that is no field name is not repeated
            raise IntygValidationError(unknown)
        data = self.model_dump(mode="json", exclude_none=True)
        codes = set(self.checked_codes())
        for key, value in update.items():
            if value is None:
                data.pop(key, None)
                continue
            codes.update(_checked_codes_in(value))
            try:
                if _holds_bytes(value):
                    raise TypeError
                data[key] = to_jsonable_python(value, exclude_none=True)
            except (PydanticSerializationError, TypeError, ValueError):
                raise TypeError(
                    f"{type(self).__name__}.model_copy: update[{key!r}] holds a value of type "
                    f"{type(value).__name__}, which a certificate cannot hold"
                ) from None
        kept = KeptCodes(codes)
        if "formular" in fields:  # a whole certificate: every rule, as load checks them
            from ._load import load_data

            return load_data(data, kept)  # type: ignore[return-value]
        try:
            return type(self).model_validate(data, context={"icd10": kept})
        except ValidationError as exc:
            raise IntygValidationError(problems_from_pydantic(exc.errors())) from None

    def checked_codes(self) -> Iterable[str]:
        """The ICD-10 codes this object holds, checked when it was made: a changed copy keeps
        them without asking the default catalogue (the certificate may have been loaded with
        another). The form version's root and its diagnosis part name theirs."""
        return ()

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


def _checked_codes_in(value: Any) -> Iterator[str]:
    """The checked diagnosis codes of the parts of a certificate in ``value`` (a part, or a
    list of parts, given to ``model_copy``)."""
    if isinstance(value, Section):
        yield from value.checked_codes()
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Section):
                yield from item.checked_codes()


def _holds_bytes(value: Any) -> bool:
    """Whether ``value`` is or holds bytes (JSON has no bytes; a text is ``str``)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return True
    if isinstance(value, Mapping):
        return any(_holds_bytes(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_bytes(v) for v in value)
    return False
