"""Reading the certificate: field paths and the derived quantities rules may compare.

A field path is a linkId of the form (``bedomning.perioder.omfattning``). Reading it gives the
answer, a list of answers when the path passes through a repeating question, or None when the
question is unanswered (unknown). Enum codes are read as their plain values.

Derived quantities (``harlett``) are a closed set computed here, each declaring the fields it
reads so that evidence names real certificate fields. None means unknown.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import Any

from .._tree import Node, nodes_by_link_id
from .._v1._codes import Sysselsattning
from .._v1._model import Intyg, Period

Getter = Callable[[Intyg], Any]
FREE_TEXT_KINDS = frozenset({"text", "string"})
PERSONAL = frozenset({"patient", "utfardare", "intygsid", "ersatter"})
"""Sections and fields about persons or identities: rules may only ask whether they are answered."""


@dataclass(frozen=True)
class FieldSpec:
    """What the lint needs to know about a field path."""

    path: str
    node: Node
    repeats: bool
    """The path yields a list (the field or one of its groups repeats)."""
    free_text: bool
    """Free text or a personal identifier: rules may only ask whether it is answered."""


def field_spec(path: str) -> FieldSpec | None:
    """The spec of a certificate field path, or None if the form has no such field."""
    nodes = nodes_by_link_id(Intyg)
    node = nodes.get(path)
    if node is None:
        return None
    parts = path.split(".")
    repeats = any(nodes[".".join(parts[: i + 1])].repeats for i in range(len(parts)))
    free = (
        node.kind in FREE_TEXT_KINDS and node.kodverk is None and node.pattern in (None, r"\S")
    ) or parts[0] in PERSONAL
    return FieldSpec(path, node, repeats, free)


def getter(path: str) -> Getter:
    """A reader for ``path`` (which must exist); see the module docstring for what it returns.

    Built once per path at load. The common shapes (no repetition; a repeating answer at the
    end; one repeating group with a single answer below it) read with C-level attribute getters
    and fall back to the general walk for anything else.
    """
    parts = tuple(path.split("."))
    spec = field_spec(path)
    assert spec is not None
    nodes = nodes_by_link_id(Intyg)
    repeating = [i for i in range(len(parts)) if nodes[".".join(parts[: i + 1])].repeats]
    walk = _walk(parts, spec.repeats)
    whole = attrgetter(path)
    if not repeating:

        def get_one(intyg: Intyg) -> Any:
            try:
                o = whole(intyg)
            except AttributeError:  # a section on the way is unanswered
                return walk(intyg)
            return o._value_ if isinstance(o, Enum) else o

        return get_one
    if repeating == [len(parts) - 1]:

        def get_list(intyg: Intyg) -> Any:
            try:
                v = whole(intyg)
            except AttributeError:
                return walk(intyg)
            if not v:
                return None  # unanswered
            if type(v) is not tuple:
                return walk(intyg)
            return [x._value_ if isinstance(x, Enum) else x for x in v]

        return get_list
    if len(repeating) == 1 and repeating[0] == len(parts) - 2:
        group = attrgetter(".".join(parts[:-1]))
        leaf = parts[-1]

        def get_in_group(intyg: Intyg) -> Any:
            try:
                g = group(intyg)
            except AttributeError:
                return walk(intyg)
            if type(g) is not tuple:
                return walk(intyg)
            out = []
            for x in g:
                v = getattr(x, leaf)
                if v is None:
                    continue
                if type(v) is tuple:
                    return walk(intyg)
                out.append(v._value_ if isinstance(v, Enum) else v)
            return out or None

        return get_in_group
    return walk


def _walk(parts: tuple[str, ...], repeats: bool) -> Getter:
    """The general reader: every answer along the path, flattened."""

    def walk(intyg: Intyg) -> Any:
        cur: list[Any] = [intyg]
        for p in parts:
            nxt: list[Any] = []
            for o in cur:
                v = getattr(o, p)
                if v is None:
                    if not repeats:
                        return None
                    continue  # an optional answer inside a repeating group: absent here
                if isinstance(v, tuple):
                    nxt.extend(v)
                else:
                    nxt.append(v)
            if not nxt:
                return None  # nothing answered
            cur = nxt
        if repeats:
            return [x._value_ if isinstance(x, Enum) else x for x in cur]
        x = cur[0]
        return x._value_ if isinstance(x, Enum) else x

    return walk


# ---------------------------------------------------------------- derived quantities


@dataclass(frozen=True)
class Demand:
    """The demand profile, precomputed: area -> activity -> demand level."""

    rows: Mapping[str, Mapping[Sysselsattning, str]]
    names: Mapping[str, str]
    adaptations: Mapping[str, tuple[str, ...]]
    other: str
    adaptation_from_grade: int

    def area(self, code: str) -> str | None:
        """The table row an ICF code falls under (the code itself, its 3-char stem, chapter)."""
        rows = self.rows
        if code in rows:
            return code
        key = code[:4]
        if key in rows:
            return key
        key = code[:2]
        return key if key in rows else None


class Facts:
    """What one evaluation reads besides the field values, each read once: the certificate, the
    date, the periods (with what the derived quantities need of them) and the graded ICF items."""

    __slots__ = (
        "activities_graded",
        "current",
        "first",
        "forhindrad",
        "intyg",
        "items",
        "largest",
        "last",
        "on",
        "periods",
    )

    def __init__(self, intyg: Intyg, on: _dt.date) -> None:
        self.intyg = intyg
        self.on = on
        b = intyg.bedomning
        self.forhindrad: bool = b.forhindrad
        periods: tuple[Period, ...] = b.perioder or ()
        self.periods = periods
        current: Period | None = None
        largest = 0
        first = last = None
        for p in periods:
            fran, till = p.fran, p.till
            if current is None and fran <= on <= till:
                current = p
            extent = int(p.omfattning)
            if extent > largest:
                largest = extent
            if first is None or fran < first:
                first = fran
            if last is None or till > last:
                last = till
        self.current = current
        """The first period covering the date."""
        self.largest = largest
        self.first: _dt.date | None = first
        self.last: _dt.date | None = last
        self.items = graded_items(intyg)
        self.activities_graded: bool = intyg.aktivitetsbegransning.icf is not None
        """Whether the activity limitations (d) are given as graded ICF items."""


@dataclass(frozen=True)
class Derived:
    """A derived quantity: what it means (Swedish), the fields it reads, how it is computed.

    A quantity per activity type (``per_activity``) is the highest grade among the ICF items in
    areas where the activity's demand is ``level``; the evaluation plan computes it per activity.
    """

    name: str
    beskrivning: str
    falt: tuple[str, ...]
    compute: Callable[[Facts], Any] | None
    kind: str = "int"
    """``int`` or ``bool``: which operators apply."""
    level: str | None = None
    """The demand level of a quantity per activity type."""
    etikett: str = ""
    """A short Swedish name, printed beside the value in the case officer's report."""

    @property
    def per_activity(self) -> bool:
        """Whether the value depends on the activity type."""
        return self.level is not None


def extent_on(c: Facts) -> int | None:
    """Derived ``omfattning_pa_datum``."""
    if not c.forhindrad:
        # "Not prevented" is said on the day the doctor signs; of earlier days it says nothing.
        return 0 if c.on >= c.intyg.signeringsdatum else None
    p = c.current
    return None if p is None else int(p.omfattning)


def _largest_extent(c: Facts) -> int:
    return c.largest


def _span_days(c: Facts) -> int:
    if c.first is None or c.last is None:
        return 0
    return (c.last - c.first).days + 1


def _passed(c: Facts) -> bool:
    return c.last is not None and c.last < c.on


def _outside(c: Facts) -> bool:
    return c.last is not None and not c.last < c.on and c.current is None


def graded_items(intyg: Intyg) -> list[tuple[str, int, str]] | None:
    """Every ICF item as (code, qualifier, list), or None when neither list is answered."""
    d = intyg.aktivitetsbegransning.icf
    b = intyg.funktionsnedsattning.icf
    if d is None and b is None:
        return None
    out = [(x.kod, int(x.grad), "aktivitetsbegransning") for x in d or ()]
    if b:
        out += [(x.kod, int(x.grad), "funktionsnedsattning") for x in b]
    return out


def _max_grade(c: Facts) -> int | None:
    items = c.items
    return None if items is None else max([g for _, g, _ in items], default=0)


_ICF = (
    "aktivitetsbegransning.icf.kod",
    "aktivitetsbegransning.icf.grad",
    "funktionsnedsattning.icf.kod",
    "funktionsnedsattning.icf.grad",
)
_PER = (
    "bedomning.forhindrad",
    "bedomning.perioder.fran",
    "bedomning.perioder.till",
    "bedomning.perioder.omfattning",
)

DERIVED: dict[str, Derived] = {
    d.name: d
    for d in (
        Derived(
            "omfattning_pa_datum",
            "Förhindret i procent på bedömningsdatumet: 0 om personen inte är förhindrad (från "
            "intygets datum; okänt före det), okänt om ingen period omfattar datumet.",
            _PER,
            extent_on,
            etikett="Förhindret i procent på bedömningsdatumet",
        ),
        Derived(
            "storsta_omfattning",
            "Det största förhindret i någon period (0 om personen inte är förhindrad).",
            _PER,
            _largest_extent,
            etikett="Största förhindret i procent i någon period",
        ),
        Derived(
            "perioder_spann_dagar",
            "Antal dagar från första periodens start till sista periodens slut (0 utan perioder).",
            _PER,
            _span_days,
            etikett="Dagar från första periodens start till sista periodens slut",
        ),
        Derived(
            "period_passerad",
            "Sant när alla perioder har slutat före bedömningsdatumet.",
            _PER,
            _passed,
            kind="bool",
            etikett="Alla perioder har slutat",
        ),
        Derived(
            "datum_utanfor_perioder",
            "Sant när bedömningsdatumet ligger före första perioden eller mellan två perioder.",
            _PER,
            _outside,
            kind="bool",
            etikett="Bedömningsdatumet ligger utanför perioderna",
        ),
        Derived(
            "icf_hogsta_grad",
            "Högsta grad bland alla ICF-poster (b och d); okänt om inga poster finns.",
            _ICF,
            _max_grade,
            etikett="Högsta ICF-grad",
        ),
        Derived(
            "krav_hog_hogsta_grad",
            "Högsta grad bland ICF-poster inom områden där aktivitetstypen ställer höga krav "
            "(0 om ingen); okänt om inga poster finns. När bara funktionsnedsättningar (b) är "
            "graderade och något aktivitetsområde (d) ställer sådana krav är den, när den är "
            "under 4, bara känd som en nedre gräns: den högsta b-graden inom dessa "
            'områden (i utdata {"minst": grad}; okänt utan b-grad över 0 där).',
            _ICF,
            None,
            level="hog",
            etikett="Högsta ICF-grad där aktivitetstypen ställer höga krav",
        ),
        Derived(
            "krav_mattlig_hogsta_grad",
            "Högsta grad bland ICF-poster inom områden där aktivitetstypen ställer måttliga krav "
            "(0 om ingen); okänt om inga poster finns. När bara funktionsnedsättningar (b) är "
            "graderade och något aktivitetsområde (d) ställer sådana krav är den, när den är "
            "under 4, bara känd som en nedre gräns: den högsta b-graden inom dessa "
            'områden (i utdata {"minst": grad}; okänt utan b-grad över 0 där).',
            _ICF,
            None,
            level="mattlig",
            etikett="Högsta ICF-grad där aktivitetstypen ställer måttliga krav",
        ),
    )
}
"""The closed set of derived quantities rules may use."""
