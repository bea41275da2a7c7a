"""The closed set of operators and three-valued (Kleene) logic.

Truth values are ``True``, ``False`` and ``None`` (unknown). ``alla`` is false if any part is false,
else unknown if any part is unknown; ``nagon`` is its dual; ``inte`` keeps unknown unknown. The
evidence of a rule lists the value of every leaf of its condition, whatever the outcome; the
compiled test may stop at the first part that decides (the outcome is the same).

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

A quantity may be known only from below (:class:`AtLeast`): the highest grade in the areas
where an activity type's demand is high, when only impairments are graded, is at least the
highest impairment's grade. A leaf decides on it what every larger value decides alike
(``minst 3`` on at least 3 is true, ``hogst 2`` false) and is unknown otherwise.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._fields import DERIVED
from ._ruledefs import Villkor

Tri = bool | None
Frame = dict[str, Any]
"""The values one evaluation reads, by field path or ``harlett.<name>`` (and :data:`ON`)."""
Test = Callable[[Frame], Tri]
ON = "\x00bedomningsdatum"
"""The frame key of the assessment date (not a field path)."""

LIST_OPS = frozenset({"innehaller", "innehaller_inte", "alla_en_av", "borjar_med"})
SCALAR_OPS = frozenset({"lika", "en_av", "inte_en_av"})
COMPARE_OPS = frozenset({"minst", "hogst"})
DATE_OPS = frozenset({"fore_bedomningsdatum", "pa_eller_efter_bedomningsdatum"})
PRESENCE_OPS = frozenset({"finns", "saknas"})


@dataclass(frozen=True, slots=True)
class AtLeast:
    """A number known only to be at least ``low`` (its evidence: ``{"minst": low}``)."""

    low: int


def _at_least(op: str, varde: Any, values: frozenset[Any], low: int) -> Tri:
    """A leaf on a number known to be at least ``low``: what every such number gives alike,
    else unknown."""
    if op == "minst":
        return True if low >= varde else None
    if op == "hogst":
        return False if low > varde else None
    below = all(x < low for x in values)  # no value asked for can be the number
    if op in ("lika", "en_av"):
        return False if below else None
    if op == "inte_en_av":
        return True if below else None
    return None


def evidence_value(v: Any) -> Any:
    """A value as JSON data for the evidence."""
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is AtLeast:
        return {"minst": v.low}
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [evidence_value(x) for x in v]
    return v


def _as_set(varde: Any) -> frozenset[Any]:
    if isinstance(varde, tuple):
        return frozenset(varde)
    return frozenset() if varde is None else frozenset({varde})


def leaf_key(c: Villkor) -> str:
    """The name a leaf's value goes by in the frame and the evidence."""
    return f"harlett.{c.harlett}" if c.harlett is not None else str(c.falt)


def _check(op: str, varde: Any, values: frozenset[Any]) -> Callable[[Any, Frame], bool]:
    """A non-presence operator applied to a known value (``frame`` gives the date)."""
    if op == "lika":
        return lambda v, f: bool(v == varde)
    if op == "en_av":
        return lambda v, f: v in values
    if op == "inte_en_av":
        return lambda v, f: v not in values
    if op == "innehaller":
        return lambda v, f: not values.isdisjoint(v)
    if op == "innehaller_inte":
        return lambda v, f: values.isdisjoint(v)
    if op == "alla_en_av":
        return lambda v, f: values.issuperset(v)
    if op == "borjar_med":
        prefixes = tuple(str(p) for p in values)
        return lambda v, f: any(str(x).startswith(prefixes) for x in v)
    if op == "minst":
        return lambda v, f: bool(v >= varde)
    if op == "hogst":
        return lambda v, f: bool(v <= varde)
    if op == "fore_bedomningsdatum":
        return lambda v, f: bool(v < f[ON])
    if op == "pa_eller_efter_bedomningsdatum":
        return lambda v, f: bool(v >= f[ON])
    raise AssertionError(op)  # pragma: no cover - the model restricts op


def _aggregate(agg: str) -> Callable[[Any], Any]:
    if agg == "antal":
        return len
    pick = max if agg == "max" else min
    return lambda v: pick(v) if v else None


def compile_condition(c: Villkor) -> Test:
    """Turn a (linted) condition into a test over a frame of values; done once, at load.

    Kleene logic: ``alla`` is false as soon as a part is false, ``nagon`` true as soon as a part
    is true (the outcome is the same as evaluating every part; the evidence of a rule lists every
    leaf anyway, see :func:`evidence_plan`).
    """
    if c.alla is not None or c.nagon is not None:
        parts = tuple(compile_condition(x) for x in (c.alla or c.nagon or ()))
        stop = c.alla is None  # alla stops at False, nagon at True
        if len(parts) == 2:
            first, second = parts

            def pair(f: Frame) -> Tri:
                a = first(f)
                if a is stop:
                    return stop
                b = second(f)
                if b is stop:
                    return stop
                return None if a is None or b is None else not stop

            return pair

        def combine(f: Frame) -> Tri:
            out: Tri = not stop
            for p in parts:
                t = p(f)
                if t is stop:
                    return stop
                if t is None:
                    out = None
            return out

        return combine
    if c.inte is not None:
        inner = compile_condition(c.inte)

        def negate(f: Frame) -> Tri:
            t = inner(f)
            return None if t is None else not t

        return negate
    assert c.op is not None
    op, key = c.op, leaf_key(c)
    if op == "finns":
        return lambda f: f[key] is not None
    if op == "saknas":
        return lambda f: f[key] is None
    check = _check(op, c.varde, _as_set(c.varde))
    unknown = frozenset(c.okant_om)
    agg = _aggregate(c.agg) if c.agg is not None else None
    if c.harlett is not None and DERIVED[c.harlett].level is not None:
        return _bounded_leaf(op, key, c.varde, _plain_leaf(op, key, c.varde, check))
    if not unknown and agg is None:
        return _plain_leaf(op, key, c.varde, check)

    def leaf(f: Frame) -> Tri:
        v = f[key]
        if v is None:
            return None
        if unknown and (not unknown.isdisjoint(v) if isinstance(v, list) else v in unknown):
            return None
        if agg is not None:
            v = agg(v)
            if v is None:
                return None
        return check(v, f)

    return leaf


def _bounded_leaf(op: str, key: str, varde: Any, known: Test) -> Test:
    """A leaf on a quantity that may be known only from below (:class:`AtLeast`); ``known``
    tests it when it is known (or unknown) outright. Only the demand-level quantities can be
    bounded, so only their leaves pay for the test."""
    values = _as_set(varde)
    if op == "minst":  # the rules' one comparison on these: inlined, one call per leaf

        def minst(f: Frame) -> Tri:
            v = f[key]
            if v is None:
                return None
            if type(v) is AtLeast:
                return True if v.low >= varde else None
            return bool(v >= varde)

        return minst

    def bounded(f: Frame) -> Tri:
        v = f[key]
        if type(v) is AtLeast:
            return _at_least(op, varde, values, v.low)
        return known(f)

    return bounded


def _plain_leaf(op: str, key: str, varde: Any, check: Callable[[Any, Frame], bool]) -> Test:
    """A leaf without ``agg`` or ``okant_om``: the common operators inlined (one call each)."""
    values = _as_set(varde)
    if op == "lika":

        def lika(f: Frame) -> Tri:
            v = f[key]
            return None if v is None else bool(v == varde)

        return lika
    if op == "minst":

        def minst(f: Frame) -> Tri:
            v = f[key]
            return None if v is None else bool(v >= varde)

        return minst
    if op == "hogst":

        def hogst(f: Frame) -> Tri:
            v = f[key]
            return None if v is None else bool(v <= varde)

        return hogst
    if op == "innehaller":
        disjoint = values.isdisjoint

        def innehaller(f: Frame) -> Tri:
            v = f[key]
            return None if v is None else not disjoint(v)

        return innehaller

    def plain(f: Frame) -> Tri:
        v = f[key]
        return None if v is None else check(v, f)

    return plain


def evidence_plan(c: Villkor, free_text: Callable[[str], bool]) -> tuple[tuple[str, bool], ...]:
    """What a rule's evidence lists: each value read once, in the order first read, as
    ``(key, answered_only)``; ``answered_only`` (the last leaf reading the key decides) means
    that only whether the question is answered is recorded (presence operators, free text)."""
    out: dict[str, bool] = {}
    for leaf in leaves(c):
        key = leaf_key(leaf)
        out[key] = leaf.op in PRESENCE_OPS or (leaf.falt is not None and free_text(leaf.falt))
    return tuple(out.items())


def evidence(plan: tuple[tuple[str, bool], ...], frame: Frame) -> list[dict[str, Any]]:
    """The values a rule read, as ``Lasning`` data."""
    return [
        {"namn": k, "varde": frame[k] is not None if answered else evidence_value(frame[k])}
        for k, answered in plan
    ]


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
