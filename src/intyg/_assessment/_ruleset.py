"""A loaded rule set: the resolved rules, compiled conditions, demand table and cited sources."""

from __future__ import annotations

import datetime as _dt
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._v1._codes import Sysselsattning
from ._fields import Demand
from ._operators import Test
from ._plan import Plan
from ._ruledefs import (
    FyndRegel,
    Kalla,
    KravprofilFil,
    NivaRegel,
    Regel,
    Status,
    StegRegel,
    Uppfoljning,
)


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate."""

    regel: NivaRegel | FyndRegel | StegRegel
    test: Test = field(repr=False, compare=False)
    """The condition, compiled: its truth value over a frame of values (a function of
    ``regel``, so left out of equality: two loads of one rule are equal)."""
    per_activity: bool
    activities: tuple[Sysselsattning, ...]
    fields: tuple[str, ...]
    """Certificate field paths the condition may read."""
    evidence: tuple[tuple[str, bool], ...] = field(repr=False)
    """What the evidence lists (see :func:`._operators.evidence_plan`)."""

    def active_on(self, on: _dt.date) -> bool:
        """Whether the rule's own validity window contains ``on``."""
        r = self.regel
        return (r.giltig_fran is None or r.giltig_fran <= on) and (
            r.giltig_till is None or on <= r.giltig_till
        )


@dataclass(frozen=True)
class RuleSet:
    """One version of the assessment rules, chosen by the date assessed.

    Attributes:
        id, titel, beskrivning, version: identity (``version`` is semver).
        status: ``gallande``, ``forslag`` (based on proposals) or ``upphavd``.
        giltig_fran, giltig_till: the assessment dates it applies to (``giltig_till`` inclusive,
            None = open).
        forsta_period: the first assessed period (support month) it applies to.
        bygger_pa: the rule set it extends, if it is an overlay.
        checksumma: ``sha256:`` of the resolved rules, demand table and cited sources.
        kallor: the legal basis of the rule set.
        regler: every rule, resolved (an overlay includes its base's rules).
        sources: every source cited by the rule set or its rules, by id.
    """

    id: str
    titel: str
    beskrivning: str = field(repr=False)
    version: str
    status: Status
    giltig_fran: _dt.date
    giltig_till: _dt.date | None
    forsta_period: _dt.date
    bygger_pa: str | None
    checksumma: str
    kallor: tuple[str, ...]
    regler: tuple[Regel, ...] = field(repr=False)  # long; ``checksumma`` identifies them
    sources: Mapping[str, Kalla] = field(repr=False)
    profile: KravprofilFil = field(repr=False)
    demand: Demand = field(repr=False)
    uppfoljning: Uppfoljning = field(repr=False)
    compiled: tuple[CompiledRule, ...] = field(repr=False)
    _plan: Plan = field(repr=False, compare=False)
    """The rules compiled for evaluation (see :mod:`._plan`); internal: its tables are plain
    dicts for speed, and the rule set is shared by every assessment in the process."""

    def __hash__(self) -> int:
        # Equal rule sets have the same id and checksum (the checksum covers the rules, the
        # demand table and the sources); the fields that hold mappings cannot be hashed.
        return hash((self.id, self.checksumma))

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        # Its compiled tests are closures, which pickle cannot carry: a rule set is sent to
        # another process (a worker pool) by id and checksum, and found there among the
        # package's own, which every process loads alike.
        return _shipped, (self.id, self.checksumma)

    def valid_on(self, on: _dt.date) -> bool:
        """Whether ``on`` falls in the rule set's window."""
        return self.giltig_fran <= on and (self.giltig_till is None or on <= self.giltig_till)


def _shipped(ruleset_id: str, checksumma: str) -> RuleSet:
    """The package's rule set ``ruleset_id``, when it has ``checksumma`` (unpickling)."""
    from ._loader import catalogue

    for rs in catalogue().rulesets:
        if rs.id == ruleset_id and rs.checksumma == checksumma:
            return rs
    raise pickle.UnpicklingError(
        f"intyg: this installation has no rule set {ruleset_id!r} with that checksum"
    )
