"""Every problem of an invalid certificate, where pydantic-core alone stops short.

pydantic-core counts only the entries of an array that it accepts. With more entries than the
maximum it either stops at the first accepted entry past it (and drops the problems it found in
the entries before) or, when the entries past the maximum are the faulty ones, says nothing of
the length. Every problem at once means both, as JSON Schema's ``maxItems`` and ``items``
report both.

And pydantic runs a model's own checks only when all its fields are valid: the certificate's
rules across sections (a date after the signing date, a certificate that replaces itself) were
hidden by an error in any section, even one they do not read.

The ordinary validators stay as they are, so a valid certificate costs nothing more. When the
first check fails, :class:`Careful` looks again. When an error touches an array, it checks
the certificate with a copy of the same core schema in which each array with a maximum is
wrapped in :class:`EveryItem` (:func:`every_item_checked`). And it runs each rule across
sections whose inputs are free of error on a stand-in (:func:`_certificate_rules`).
:func:`intyg._quick.check` does this for both :func:`intyg.validate` and
``python -m intyg validate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from pydantic_core import (
    CoreSchema,
    InitErrorDetails,
    PydanticCustomError,
    SchemaValidator,
    ValidationError,
)
from pydantic_core.core_schema import ErrorType

from ._errors import IntygError
from ._problems import make_problem
from ._read import check_shape

_KNOWN_ERRORS = frozenset(get_args(ErrorType))


def _moved(error: Mapping[str, Any], offset: int) -> InitErrorDetails:
    """``error`` (one of ``ValidationError.errors()``) for a new ValidationError, its entry index
    moved by ``offset``."""
    loc = error["loc"]
    if loc and type(loc[0]) is int:
        loc = (loc[0] + offset, *loc[1:])
    kind = error["type"]
    ctx = error.get("ctx")
    known = kind in _KNOWN_ERRORS
    details: InitErrorDetails = {
        "type": kind if known else PydanticCustomError(kind, kind, ctx),
        "loc": loc,
        "input": error["input"],
    }
    if known and ctx is not None:
        details["ctx"] = ctx
    return details


@dataclass(frozen=True)
class EveryItem:
    """Wraps an array's own check (pydantic's, with its ``max_length``): an array longer than
    the maximum is checked in slices the inner check accepts, and its length is reported once,
    before its entries' problems, so that it is listed even when they are too many to list."""

    max_length: int

    def __call__(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        if type(value) not in (list, tuple) or len(value) <= self.max_length:
            return handler(value)
        limit: InitErrorDetails = {
            "type": "too_long",
            "loc": (),
            "input": value,
            "ctx": {
                "field_type": "Tuple",
                "max_length": self.max_length,
                "actual_length": len(value),
            },
        }
        errors = [limit]
        step = self.max_length
        for start in range(0, len(value), step):
            try:
                handler(value[start : start + step])
            except ValidationError as exc:
                errors.extend(_moved(e, start) for e in exc.errors(include_url=False))
        raise ValidationError.from_exception_data("EveryItem", errors)


def every_item_checked(schema: Any) -> Any:
    """A copy of a core schema in which each array with a maximum is wrapped in
    :class:`EveryItem`; everything else is shared with ``schema``, which is left as it was."""
    if isinstance(schema, list):
        return [every_item_checked(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {k: every_item_checked(v) for k, v in schema.items()}
    if copy.get("type") in ("list", "tuple") and "max_length" in copy:
        wrapper: dict[str, Any] = {
            "type": "function-wrap",
            "function": {"type": "no-info", "function": EveryItem(copy["max_length"])},
            "schema": copy,
        }
        if "ref" in copy:  # other schemas name this one: the name goes with the outer schema
            wrapper["ref"] = copy.pop("ref")
        return wrapper
    return copy


def _in_array(error: Mapping[str, Any]) -> bool:
    """Whether ``error`` lies in an array's entry or is about an array's length: the errors
    pydantic-core may give incompletely for an array with too many entries."""
    return error["type"] == "too_long" or any(type(part) is int for part in error["loc"])


def _read_again_alike(data: Any) -> bool:
    """Whether validating ``data`` a second time reads what the first time read: not when it
    holds an iterator (the first time used it up), nor when it is too deep or too large (the
    callers then refuse it as such, whatever the validator found)."""
    try:
        check_shape(data, on_iterator=lambda path: make_problem("wrong_type", path))
    except IntygError:
        return False
    return True


def _certificate_rules(
    validate: Callable[..., Any],
    data: Mapping[str, Any],
    context: Any,
    found: list[Any],
    example: Mapping[str, Any],
    inputs: Mapping[str, frozenset[str]],
) -> list[Any]:
    """The certificate's own rules (across sections) that ``found`` kept from running: pydantic
    runs them only when every section is valid. Each rule whose inputs (top-level keys) are all
    free of error is run on a stand-in: ``data`` with each key in error replaced by the
    example's (or left out, when the example has none). Only those rules' problems are kept."""
    failed = {e["loc"][0] for e in found if e["loc"]}
    if not failed or len(failed) < len({e["loc"][:1] for e in found}):
        return []  # nothing in error, or an error of the whole: nothing to stand in for
    wanted = {code for code, keys in inputs.items() if failed.isdisjoint(keys)}
    if not wanted:
        return []
    stand_in = {k: v for k, v in data.items() if k not in failed}
    stand_in.update((k, example[k]) for k in failed if k in example)
    try:
        validate(stand_in, context=context)
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            if e["type"] == "intyg_problems" and not e["loc"]:
                kept = [i for i in e["ctx"]["problems"] if i[0] in wanted]
                if kept:
                    out.append({**e, "ctx": {"problems": kept}})
        return out
    return []


class Careful:
    """What an invalid certificate's first check may have left out, found by checking it again:
    the problems of an array with too many entries, with :func:`every_item_checked` arrays (a
    validator built the first time it is needed), and the certificate's rules across sections
    kept from running by an error elsewhere.

    Args:
        schema: the form's core schema (called when first needed).
        config: its core config, when the schema does not carry it.
        example: a valid certificate of the form (called when first needed).
        rule_inputs: for each code of the certificate's own rules, the top-level keys it reads.
    """

    def __init__(
        self,
        schema: Callable[[], CoreSchema],
        config: Any,
        example: Callable[[], Mapping[str, Any]],
        rule_inputs: Mapping[str, frozenset[str]],
    ) -> None:
        self._schema = schema
        self._config = config
        self._example = example
        self._rule_inputs = rule_inputs
        self._validator: SchemaValidator | None = None
        self._example_data: Mapping[str, Any] | None = None

    def errors(
        self, validate: Callable[..., Any], data: Any, context: Any, found: list[Any]
    ) -> list[Any]:
        """The errors of ``data``, which ``validate`` refused with ``found``."""
        if not _read_again_alike(data):
            return found
        if any(_in_array(e) for e in found):
            found = self._arrays(data, context, found)
        example = self._example_data
        if example is None:  # as the validator: two threads may both read it, alike
            example = self._example_data = self._example()
        return found + _certificate_rules(
            validate, data, context, found, example, self._rule_inputs
        )

    def _arrays(self, data: Any, context: Any, found: list[Any]) -> list[Any]:
        validator = self._validator
        if validator is None:  # two threads may both build it: the same validator, no lock
            validator = SchemaValidator(every_item_checked(self._schema()), self._config)
            self._validator = validator
        try:
            validator.validate_python(data, context=context)
        except ValidationError as exc:
            return exc.errors()
        return found  # pragma: no cover - the wrapped arrays refuse all the ordinary ones do
