"""Every problem of an invalid certificate, where pydantic-core alone stops short.

pydantic-core counts only the entries of an array that it accepts. With more entries than the
maximum it either stops at the first accepted entry past it (and drops the problems it found in
the entries before) or, when the entries past the maximum are the faulty ones, says nothing of
the length. Every problem at once means both, as JSON Schema's ``maxItems`` and ``items``
report both.

And pydantic runs a model's own checks only when all its fields are valid: a section's rules
(conditions, a code given twice, periods) were hidden by an error in any other field of the
section, and the certificate's rules across sections (a date after the signing date, a
certificate that replaces itself) by an error in any section, even one they do not read.

The ordinary validators stay as they are, so a valid certificate costs nothing more. When the
first check fails, :class:`Careful` looks again. When an error touches an array, it checks
the certificate with a copy of the same core schema in which each array with a maximum is
wrapped in :class:`EveryItem` (:func:`every_item_checked`). And it runs the rules whose
inputs are free of error on stand-ins, where what is in error is replaced by the embedded
example's (:func:`_rules`): an entry's in a list (an ``underlag``'s description) and a
section's, then the certificate's.
:func:`intyg._quick.check` does this for both :func:`intyg.validate` and
``python -m intyg validate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence, Sized
from dataclasses import dataclass
from functools import partial
from typing import Any, get_args

from pydantic_core import (
    CoreSchema,
    InitErrorDetails,
    PydanticCustomError,
    SchemaValidator,
    ValidationError,
)
from pydantic_core.core_schema import ErrorType

from ._problems import expected_type, long_enough

_KNOWN_ERRORS = frozenset(get_args(ErrorType))


def _rebuilt(error: Mapping[str, Any]) -> InitErrorDetails:
    """``error`` (one of ``ValidationError.errors()``) for a new ValidationError."""
    kind = error["type"]
    ctx = error.get("ctx")
    known = kind in _KNOWN_ERRORS
    details: InitErrorDetails = {
        "type": kind if known else PydanticCustomError(kind, kind, ctx),
        "loc": error["loc"],
        "input": error["input"],
    }
    if known and ctx is not None:
        details["ctx"] = ctx
    return details


@dataclass(frozen=True)
class EveryItem:
    """Wraps an array's check, its maximum taken out (:func:`every_item_checked`): an array
    longer than ``max_length`` gets ``too_long`` first, then its entries' problems, so that the
    length is listed even when the entries' problems are too many to list.

    The careful validator reads only data with no iterator in it (:func:`intyg._quick.check`), so
    every array here has a length.
    """

    max_length: int

    def __call__(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        if not isinstance(value, Sized):  # pragma: no cover - see the class's docstring
            raise PydanticCustomError("wrong_type", "wrong_type", expected_type("array"))
        if len(value) <= self.max_length:
            return handler(value)
        errors: list[InitErrorDetails] = [
            {
                "type": "too_long",
                "loc": (),
                "input": value,
                "ctx": {
                    "field_type": "Tuple",
                    "max_length": self.max_length,
                    "actual_length": len(value),
                },
            }
        ]
        try:
            handler(value)
        except ValidationError as exc:
            errors.extend(_rebuilt(e) for e in exc.errors(include_url=False))
        raise ValidationError.from_exception_data("EveryItem", errors)


def every_item_checked(schema: Any) -> Any:
    """A copy of a core schema in which each array with a maximum checks its entries with no
    maximum, wrapped in :class:`EveryItem`, which checks the length; everything else is shared
    with ``schema``, which is left as it was."""
    if isinstance(schema, list):
        return [every_item_checked(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {k: every_item_checked(v) for k, v in schema.items()}
    if copy.get("type") in ("list", "tuple") and "max_length" in copy:
        wrapper: dict[str, Any] = {
            "type": "function-wrap",
            "function": {"type": "no-info", "function": EveryItem(copy.pop("max_length"))},
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


def _field_of(path: str) -> str:
    """The field a path within a section starts with (``perioder`` of ``perioder[1].till``)."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def _reads_none_of(issue: Sequence[Any], replaced: set[str]) -> bool:
    """Whether a section's problem ``issue`` reads none of the ``replaced`` fields: its own
    field (each cross-field check of a section reads only the field its problem names), and for
    a condition the answer it depends on."""
    _code, path, ctx = issue
    return _field_of(path) not in replaced and (ctx or {}).get("control_field") not in replaced


def _entry_field(data: Mapping[str, Any], loc: tuple[Any, ...]) -> tuple[Any, str] | None:
    """For an error in a field of an entry of a list in a section (``grund.underlag[1].datum``):
    the entry's place (section, list, index) and the field; else None."""
    if len(loc) < 4 or type(loc[2]) is not int or type(loc[3]) is not str:
        return None
    section = data.get(loc[0])
    entries = section.get(loc[1]) if isinstance(section, Mapping) else None
    if not isinstance(entries, list | tuple) or not 0 <= loc[2] < len(entries):
        return None
    if not isinstance(entries[loc[2]], Mapping):
        return None
    return (loc[0], loc[1], loc[2]), loc[3]


def _stand_in(given: Mapping[str, Any], keys: set[str], model: Any) -> dict[str, Any]:
    """``given`` with each of ``keys`` replaced by ``model``'s value (an object of the example),
    or left out when ``model`` has none."""
    out = {k: v for k, v in given.items() if k not in keys}
    if isinstance(model, Mapping):
        out.update((k, model[k]) for k in keys if k in model)
    return out


def _patched(
    entries: Sequence[Any], index: int, fields: set[str], model: Any, name: str
) -> list[Any]:
    """``entries`` with the ``fields`` of entry ``index`` replaced by the example's first entry's
    (or left out), as a list; each call patches one entry of what it is given."""
    out = list(entries)
    examples = model.get(name) if isinstance(model, Mapping) else None
    first = examples[0] if isinstance(examples, list) and examples else None
    out[index] = _stand_in(out[index], fields, first)
    return out


def _errors_of(validate: Callable[..., Any], data: Any, context: Any) -> list[Any]:
    try:
        validate(data, context=context)
    except ValidationError as exc:
        return exc.errors()
    return []


def _kept(error: Mapping[str, Any], keep: Callable[[Sequence[Any]], bool]) -> list[Any]:
    """``error`` (the problems of a section's or the certificate's rules) with only the problems
    ``keep`` accepts; nothing when it accepts none."""
    problems = [i for i in error["ctx"]["problems"] if keep(i)]
    return [{**error, "ctx": {"problems": problems}}] if problems else []


def _rules(
    validate: Callable[..., Any],
    validate_all: Callable[..., Any],
    data: Mapping[str, Any],
    context: Any,
    found: list[Any],
    example: Mapping[str, Any],
    inputs: Mapping[str, frozenset[str]],
) -> list[Any]:
    """The problems of the rules that ``found`` kept from running although what they read is
    free of error: an entry's of a list, a section's (conditions, a code given twice, periods)
    and the certificate's (``inputs``: each code with the top-level keys it reads).

    The stand-in is ``data`` with each field in error in a section replaced by the example's
    (or left out when the example has none), and each other top-level key in error replaced
    (or left out) as a whole. A list whose errors all lie in fields of its entries keeps its
    entries, each field in error replaced by the example's first entry's; a list in error
    itself (too many entries, an entry that is not an object) is replaced as a whole, and its
    entries' rules run with ``validate_all`` (:func:`_entry_rules`). An entry's or a
    section's problem is kept when it reads no replaced field of its own; the certificate's
    when it reads no key in error. When a section's rules fail on the stand-in the
    certificate's did not run there, and run on a second stand-in where every key in error is
    the example's.
    """
    if any(not e["loc"] for e in found):
        return []  # an error of the whole certificate: it ran what it could
    in_error: dict[str, set[str]] = {}  # section -> its fields in error
    in_entry: dict[tuple[str, str, int], set[str]] = {}  # entry of a list -> its fields in error
    whole_lists: set[tuple[str, str]] = set()  # lists with an error of their own or an entry's
    for e in found:
        loc = e["loc"]
        if len(loc) < 2 or type(loc[1]) is not str or not isinstance(data.get(loc[0]), Mapping):
            continue
        in_error.setdefault(loc[0], set()).add(loc[1])
        entry = _entry_field(data, loc) if len(loc) > 3 else None
        if entry is not None:
            in_entry.setdefault(entry[0], set()).add(entry[1])
        elif not (
            (len(loc) == 3 and e["type"] == "intyg_problems")  # an entry's rules: it is valid
            or (e["type"] == "too_short" and long_enough(e))  # pydantic counts valid entries
        ):
            whole_lists.add((loc[0], loc[1]))
    # An entry in error of a list that is itself in error: the list is replaced as a whole
    # for its section's rules, and the entry's own rules run on a stand-in of their own.
    in_whole_list = {k: v for k, v in in_entry.items() if k[:2] in whole_lists}
    in_entry = {k: v for k, v in in_entry.items() if k[:2] not in whole_lists}
    failed = {e["loc"][0] for e in found}
    whole = failed - set(in_error)
    wanted = {code for code, keys in inputs.items() if failed.isdisjoint(keys)}

    def certificate_rule(issue: Sequence[Any]) -> bool:
        return issue[0] in wanted

    stand_in = _stand_in(data, whole, example)
    for section, fields in in_error.items():
        model = example.get(section)
        part = _stand_in(data[section], fields, model)
        patched: set[str] = set()
        for (owner, name, index), entry_fields in in_entry.items():
            if owner == section:  # the list itself, with its entries in error patched
                entries = part[name] if name in patched else data[section][name]
                part[name] = _patched(entries, index, entry_fields, model, name)
                patched.add(name)
        stand_in[section] = part
    out: list[Any] = []
    ran_certificate_rules = True
    for e in _errors_of(validate, stand_in, context):
        loc = e["loc"]
        if loc:
            ran_certificate_rules = False
        if e["type"] != "intyg_problems":
            continue
        if not loc:
            out.extend(_kept(e, certificate_rule))
        elif len(loc) == 1 and loc[0] in in_error:
            out.extend(_kept(e, partial(_reads_none_of, replaced=in_error[loc[0]])))
        elif len(loc) == 3 and loc in in_entry:  # only entries whose rules had not run
            out.extend(_kept(e, partial(_reads_none_of, replaced=in_entry[loc])))
    if wanted and not ran_certificate_rules:
        for e in _errors_of(validate, _stand_in(data, failed, example), context):
            if e["type"] == "intyg_problems" and not e["loc"]:
                out.extend(_kept(e, certificate_rule))
    if in_whole_list:
        out.extend(_entry_rules(validate_all, stand_in, data, context, in_whole_list, example))
    return out


def _entry_rules(
    validate_all: Callable[..., Any],
    stand_in: Mapping[str, Any],
    data: Mapping[str, Any],
    context: Any,
    in_error: Mapping[tuple[str, str, int], set[str]],
    example: Mapping[str, Any],
) -> list[Any]:
    """The rules of the entries ``in_error`` (entry -> its fields in error) of lists that are
    in error themselves (too many entries, an entry that is not an object): on ``stand_in``
    with each such list as given, each entry's fields in error replaced by the example's first
    entry's. ``validate_all`` checks every entry of a list however many there are
    (:func:`every_item_checked`), so each entry keeps its place."""
    lists: dict[tuple[str, str], list[Any]] = {}
    for (section, name, index), fields in in_error.items():
        entries = lists.get((section, name)) or data[section][name]
        lists[section, name] = _patched(entries, index, fields, example.get(section), name)
    whole = dict(stand_in)
    for (section, name), entries in lists.items():
        whole[section] = {**whole[section], name: entries}
    out: list[Any] = []
    for e in _errors_of(validate_all, whole, context):
        loc = e["loc"]
        if e["type"] == "intyg_problems" and len(loc) == 3 and loc in in_error:
            out.extend(_kept(e, partial(_reads_none_of, replaced=in_error[loc])))
    return out


class Careful:
    """What an invalid certificate's first check may have left out, found by checking it again:
    the problems of an array with too many entries, with :func:`every_item_checked` arrays (a
    validator built the first time it is needed), and the rules of a section and of the
    certificate kept from running by an error in a field they do not read.

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
        """The errors of ``data``, which ``validate`` refused with ``found``. ``data`` holds no
        iterator (see :func:`intyg._read.holds_iterator`): it is read again."""
        if any(_in_array(e) for e in found):
            found = self._arrays(data, context, found)
        example = self._example_data
        if example is None:  # as the validator: two threads may both read it, alike
            example = self._example_data = self._example()
        return found + _rules(
            validate, self._validate_all, data, context, found, example, self._rule_inputs
        )

    def _validate_all(self, data: Any, context: Any) -> Any:
        return self._every_item().validate_python(data, context=context)

    def _every_item(self) -> SchemaValidator:
        validator = self._validator
        if validator is None:  # two threads may both build it: the same validator, no lock
            validator = SchemaValidator(every_item_checked(self._schema()), self._config)
            self._validator = validator
        return validator

    def _arrays(self, data: Any, context: Any, found: list[Any]) -> list[Any]:
        try:
            self._every_item().validate_python(data, context=context)
        except ValidationError as exc:
            return exc.errors()
        return found  # pragma: no cover - the wrapped arrays refuse all the ordinary ones do
