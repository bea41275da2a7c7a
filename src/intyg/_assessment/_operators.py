"""The closed set of operators and three-valued (Kleene) logic.

Truth values are ``True``, ``False`` and ``None`` (unknown). ``alla`` is false if any part is false,
else unknown if any part is unknown; ``nagon`` is its dual; ``inte`` keeps unknown unknown. Every
part of a condition is evaluated (no short-circuit), so the evidence lists every value read.

Leaf operators (on a field or a derived quantity; unanswered means unknown except for
``finns``/``saknas``):

==============================  =============================================================
``finns`` / ``saknas``          the question is answered / unanswered (never unknown)
``lika`` / ``en_av``            the single answer equals ``varde`` / is one of ``varde``
``inte_en_av``                  the single answer is none of ``varde``
``innehaller``                  a list of answers contains at least one of ``varde``
``innehaller_inte``             a list of answers contains none of ``varde``
``alla_en_av``                  every answer in the list is one of ``varde``
``borjar_med``                  some answer begins with one of the prefixes in ``varde``
``minst`` / ``hogst``           number ≥ / ≤ ``varde`` (on a list with ``agg``: max, min, antal)
``fore_bedomningsdatum``        date before the assessment date
``pa_eller_efter_bedomningsdatum``  date on or after the assessment date
==============================  =============================================================

``okant_om`` lists answers that mean "not known" (such as the code ``OKAND``): a leaf reading one
of them is unknown.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from ._fields import DERIVED, Ctx, field_spec, getter
from ._ruledefs import Villkor

Tri = bool | None
Reads = dict[str, Any]
Evaluator = Callable[[Ctx, Reads], Tri]

LIST_OPS = frozenset({"innehaller", "innehaller_inte", "alla_en_av", "borjar_med"})
SCALAR_OPS = frozenset({"lika", "en_av", "inte_en_av"})
COMPARE_OPS = frozenset({"minst", "hogst"})
DATE_OPS = frozenset({"fore_bedomningsdatum", "pa_eller_efter_bedomningsdatum"})
PRESENCE_OPS = frozenset({"finns", "saknas"})


def all_of(values: list[Tri]) -> Tri:
    """Kleene conjunction."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any_of(values: list[Tri]) -> Tri:
    """Kleene disjunction."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def not_(value: Tri) -> Tri:
    """Kleene negation."""
    return None if value is None else not value


def evidence_value(v: Any) -> Any:
    """A value as JSON data for the evidence."""
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [evidence_value(x) for x in v]
    return v


def _as_set(varde: Any) -> frozenset[Any]:
    if isinstance(varde, tuple):
        return frozenset(varde)
    return frozenset() if varde is None else frozenset({varde})


def _test(op: str, v: Any, varde: Any, values: frozenset[Any], on: _dt.date) -> Tri:
    """Apply a non-presence operator to a known value."""
    if op == "lika":
        return bool(v == varde)
    if op == "en_av":
        return v in values
    if op == "inte_en_av":
        return v not in values
    if op == "innehaller":
        return any(x in values for x in v)
    if op == "innehaller_inte":
        return not any(x in values for x in v)
    if op == "alla_en_av":
        return all(x in values for x in v)
    if op == "borjar_med":
        return any(str(x).startswith(str(p)) for x in v for p in values)
    if op == "minst":
        return bool(v >= varde)
    if op == "hogst":
        return bool(v <= varde)
    if op == "fore_bedomningsdatum":
        return bool(v < on)
    if op == "pa_eller_efter_bedomningsdatum":
        return bool(v >= on)
    raise AssertionError(op)  # pragma: no cover - the model restricts op


def _aggregate(agg: str | None, v: Any) -> Any:
    if agg is None:
        return v
    if agg == "antal":
        return len(v)
    if not v:
        return None
    return max(v) if agg == "max" else min(v)


def compile_condition(c: Villkor) -> Evaluator:
    """Turn a (linted) condition into an evaluator; done once, at load."""
    if c.alla is not None:
        parts = [compile_condition(x) for x in c.alla]
        return lambda ctx, reads: all_of([p(ctx, reads) for p in parts])
    if c.nagon is not None:
        parts = [compile_condition(x) for x in c.nagon]
        return lambda ctx, reads: any_of([p(ctx, reads) for p in parts])
    if c.inte is not None:
        inner = compile_condition(c.inte)
        return lambda ctx, reads: not_(inner(ctx, reads))
    assert c.op is not None
    op, agg, varde = c.op, c.agg, c.varde
    values = _as_set(varde)
    unknown = frozenset(c.okant_om)
    read: Callable[[Ctx], Any]
    key: str
    free = False
    if c.harlett is not None:
        name = c.harlett
        key = f"harlett.{name}"

        def read(ctx: Ctx) -> Any:
            return ctx.derived(name)

    else:
        assert c.falt is not None
        key = c.falt
        spec = field_spec(key)
        free = spec is not None and spec.free_text
        get = getter(key)

        def read(ctx: Ctx) -> Any:
            return get(ctx.intyg)

    def leaf(ctx: Ctx, reads: Reads) -> Tri:
        v = read(ctx)
        if free or op in PRESENCE_OPS:
            reads[key] = v is not None  # never echo free text
        else:
            reads[key] = evidence_value(v)
        if op == "finns":
            return v is not None
        if op == "saknas":
            return v is None
        if v is None:
            return None
        if unknown and (any(x in unknown for x in v) if isinstance(v, list) else v in unknown):
            return None
        v = _aggregate(agg, v)
        if v is None:
            return None
        return _test(op, v, varde, values, ctx.on)

    return leaf


def fields_read(c: Villkor) -> tuple[str, ...]:
    """Every certificate field path a condition reads (derived quantities expanded)."""
    out: list[str] = []

    def walk(x: Villkor) -> None:
        for sub in (x.alla or ()) + (x.nagon or ()) + ((x.inte,) if x.inte else ()):
            walk(sub)
        if x.falt is not None:
            out.append(x.falt)
        if x.harlett is not None and x.harlett in DERIVED:
            out.extend(DERIVED[x.harlett].falt)

    walk(c)
    return tuple(dict.fromkeys(out))


def derived_used(c: Villkor) -> tuple[str, ...]:
    """Every derived quantity a condition uses."""
    out: list[str] = []

    def walk(x: Villkor) -> None:
        for sub in (x.alla or ()) + (x.nagon or ()) + ((x.inte,) if x.inte else ()):
            walk(sub)
        if x.harlett is not None:
            out.append(x.harlett)

    walk(c)
    return tuple(dict.fromkeys(out))


def leaves(c: Villkor) -> list[Villkor]:
    """The leaves of a condition, in order."""
    if c.alla is not None or c.nagon is not None:
        return [leaf for x in (c.alla or c.nagon or ()) for leaf in leaves(x)]
    if c.inte is not None:
        return leaves(c.inte)
    return [c]
