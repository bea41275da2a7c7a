"""A quick conformance check for the plain QuestionnaireResponses most senders write.

Checking a response with ``fhir.resources`` takes about 2.5 ms, ten times the rest of reading it.
Most responses use a small part of the resource: an identifier, the Questionnaire, a status, the
patient and the doctor as identifiers, a date, and items with string, boolean, integer, date or
Coding answers. An identifier may have a ``use`` that reading accepts (``official``,
``usual``) and a ``type`` of codings and text; a reference a ``type`` that is what reading
expects (``Patient``, ``Practitioner``); a coding a ``version``. :func:`plainly_conformant`
accepts a response only when every element is in that part and every value keeps to a rule at
least as strict as FHIR R4's (also the invariant qrs-1: no items beneath both an item and its
answers). It never rejects: anything else (extensions, ``meta``, ``contained``, partial dates,
a time without a time zone, an empty list, a number with a fraction part, a very long text,
items nested deeper than a form nests them ...) goes to ``fhir.resources`` and the full
reading, which decide and name the problems.

``tests/test_fhir.py`` checks that ``fhir.resources`` accepts every response this check accepts,
on mutated responses drawn by hypothesis, and that this check accepts what ``intyg`` writes.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from ._fieldchecks import iso_date

_MAX_TEXT = 100_000
"""Longer texts go to fhir.resources (FHIR allows 1 MiB; the form allows far less)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_SPACE = re.compile(r"\S")
URI_PATTERN = re.compile(r"\S+")
"""FHIR R4's ``uri`` (also ``url`` and ``canonical``) in full: no white space, not empty."""
_CODE = re.compile(r"[^\s]+(?: [^\s]+)*")
ID_PATTERN = re.compile(r"[A-Za-z0-9\-.]{1,64}")
"""FHIR R4's ``id`` in full (a resource's id, ``meta.versionId``)."""
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[+-](?:0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)"
)
_STATUS = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
_INT32 = (-(2**31), 2**31 - 1)


def _text(v: Any) -> bool:
    if type(v) is not str or not v or len(v) > _MAX_TEXT:
        return False
    # Some character that is not whitespace (usually the first), and no lone surrogate
    # (impossible in an ASCII text).
    if v[0].isspace() and _NON_SPACE.search(v) is None:
        return False
    return v.isascii() or _SURROGATE.search(v) is None


def _uri(v: Any) -> bool:
    return (
        type(v) is str and len(v) <= 4096 and URI_PATTERN.fullmatch(v) is not None and v.isascii()
    )


def _code(v: Any) -> bool:
    return type(v) is str and len(v) <= 256 and v.isascii() and _CODE.fullmatch(v) is not None


def _date(v: Any) -> bool:
    return type(v) is str and iso_date(v) is not None


def _date_time(v: Any) -> bool:
    if _date(v):
        return True
    if type(v) is not str or _DATE_TIME.fullmatch(v) is None:
        return False
    try:
        _dt.datetime.fromisoformat(v)  # also refuses year 0000, as FHIR does
    except ValueError:
        return False
    return True


def _boolean(v: Any) -> bool:
    return type(v) is bool


def _integer(v: Any) -> bool:
    return type(v) is int and _INT32[0] <= v <= _INT32[1]


_NONE: frozenset[str] = frozenset()


def _shape(
    v: Any, rules: Mapping[str, Callable[[Any], bool]], required: frozenset[str] = _NONE
) -> bool:
    """A non-empty object whose every key has a rule that holds, with the required keys."""
    if type(v) is not dict or not v:
        return False
    for key, value in v.items():
        rule = rules.get(key)
        if rule is None or not rule(value):
            return False
    return required <= v.keys()


_CODING: dict[str, Callable[[Any], bool]] = {
    "system": _uri,
    "version": _text,
    "code": _code,
    "display": _text,
}


def _coding(v: Any) -> bool:
    return _shape(v, _CODING)


def _codeable_concept(v: Any) -> bool:
    return _shape(v, _CODEABLE_CONCEPT)


_IDENTIFIER_USES = frozenset({"official", "usual"})
"""The uses reading accepts (``use`` is a modifier element); any other goes to the slow path."""


def _identifier_use(v: Any) -> bool:
    return type(v) is str and v in _IDENTIFIER_USES


def _identifier(v: Any) -> bool:
    return _shape(v, _IDENTIFIER)


def _is(expected: str) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return type(v) is str and v == expected

    return check


_IDENTIFIER_REQUIRED = frozenset({"identifier"})


def _reference(expected_type: str) -> Callable[[Any], bool]:
    """A reference by identifier only, with no ``type`` or exactly ``expected_type``."""
    rules: dict[str, Callable[[Any], bool]] = {
        "identifier": _identifier,
        "type": _is(expected_type),
    }

    def check(v: Any) -> bool:
        return _shape(v, rules, _IDENTIFIER_REQUIRED)

    return check


_VALUES: dict[str, Callable[[Any], bool]] = {
    "valueString": _text,
    "valueBoolean": _boolean,
    "valueInteger": _integer,
    "valueDate": _date,
    "valueCoding": _coding,
}


def _answer(v: Any) -> bool:
    # Exactly one value; an answer with nested items goes to fhir.resources.
    return type(v) is dict and len(v) == 1 and _shape(v, _VALUES)


def _list_of(rule: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return type(v) is list and bool(v) and all(map(rule, v))

    return check


_CODEABLE_CONCEPT: dict[str, Callable[[Any], bool]] = {
    "coding": _list_of(_coding),
    "text": _text,
}
_IDENTIFIER: dict[str, Callable[[Any], bool]] = {
    "use": _identifier_use,
    "type": _codeable_concept,
    "system": _uri,
    "value": _text,
}


_ITEM_LEVELS = 8
"""Items nested deeper than this go to ``fhir.resources`` (and the depth check before it): a form
nests groups three levels deep. So what this check accepts is never deeper than ``MAX_DEPTH``
(:mod:`intyg._read`), and it never recurses deeper itself."""
_ITEM_REQUIRED = frozenset({"linkId"})


def _item_at(level: int) -> Callable[[Any], bool]:
    """The rule for an item at nesting ``level`` (1 at the top): its items one level down, none
    below :data:`_ITEM_LEVELS`."""
    rules: dict[str, Callable[[Any], bool]] = {
        "linkId": _text,
        "text": _text,
        "answer": _list_of(_answer),
    }
    if level < _ITEM_LEVELS:
        rules["item"] = _list_of(_item_at(level + 1))

    def check(v: Any) -> bool:
        # Nested items beneath both the item and an answer break FHIR's qrs-1.
        return _shape(v, rules, _ITEM_REQUIRED) and not ("answer" in v and "item" in v)

    return check


_RESPONSE_REQUIRED = frozenset({"resourceType", "status"})
_RESPONSE: dict[str, Callable[[Any], bool]] = {
    "resourceType": lambda v: v == "QuestionnaireResponse",
    "id": lambda v: type(v) is str and ID_PATTERN.fullmatch(v) is not None,
    "identifier": _identifier,
    "questionnaire": _uri,
    "status": lambda v: type(v) is str and v in _STATUS,
    "subject": _reference("Patient"),
    "authored": _date_time,
    "author": _reference("Practitioner"),
    "item": _list_of(_item_at(1)),
}


def plainly_conformant(data: Mapping[str, Any]) -> bool:
    """True when ``data`` is a QuestionnaireResponse in the plain part of FHIR R4 described in
    the module docstring; False means "ask fhir.resources", not "invalid"."""
    return _shape(data, _RESPONSE, _RESPONSE_REQUIRED)
