"""Every problem of an array with too many entries, which pydantic-core alone does not give.

pydantic-core counts only the entries of an array that it accepts. With more entries than the
maximum it either stops at the first accepted entry past it (and drops the problems it found in
the entries before) or, when the entries past the maximum are the faulty ones, says nothing of
the length. Every problem at once means both, as JSON Schema's ``maxItems`` and ``items``
report both.

The ordinary validators stay as they are, so a valid certificate costs nothing more. When an
error touches an array, :class:`Careful` checks the certificate again with a copy of the same
core schema in which each array with a maximum is wrapped in :class:`EveryItem`
(:func:`every_item_checked`), and its errors are the ones reported. :func:`intyg._quick.check`
does this for both :func:`intyg.validate` and ``python -m intyg validate``.
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


class Careful:
    """The validator of a core schema with :func:`every_item_checked` arrays, built the first
    time it is needed (only an invalid certificate with a problem in an array needs it)."""

    def __init__(self, schema: Callable[[], CoreSchema], config: Any = None) -> None:
        self._schema = schema
        self._config = config
        self._validator: SchemaValidator | None = None

    def errors(self, data: Any, context: Any, found: list[Any]) -> list[Any]:
        """The errors of ``data``, which the ordinary validator refused with ``found``: these,
        unless one of them touches an array (and ``data`` reads alike twice)."""
        if not any(_in_array(e) for e in found) or not _read_again_alike(data):
            return found
        validator = self._validator
        if validator is None:  # two threads may both build it: the same validator, no lock
            validator = SchemaValidator(every_item_checked(self._schema()), self._config)
            self._validator = validator
        try:
            validator.validate_python(data, context=context)
        except ValidationError as exc:
            return exc.errors()
        return found  # pragma: no cover - the wrapped arrays refuse all the ordinary ones do
