"""Assessment support (bedömningsstöd): rules as data, a pure evaluator, a typed result.

Public names (exported from :mod:`intyg`): :func:`assess`, :class:`Assessment`,
:class:`RuleSet`, :func:`load_ruleset`, :func:`rulesets`, :func:`assessment_json_schema`,
:func:`render_catalogue_markdown`, :func:`format_assessment`.
"""

from __future__ import annotations

import datetime as _dt

from .._args import require_date
from .._errors import RuleSetError
from .._problems import make_problem
from ._catalogue import render_catalogue_markdown
from ._evaluate import assess
from ._loader import catalogue
from ._output import SCHEMA_ID, SCHEMA_VERSION, Assessment, assessment_json_schema
from ._ruleset import RuleSet
from ._select import select_ruleset
from ._text import format_assessment


def rulesets() -> tuple[RuleSet, ...]:
    """Every rule set in the package, ordered by the first date it applies to."""
    return catalogue().rulesets


def load_ruleset(ruleset_id: str | None = None, *, on: _dt.date | None = None) -> RuleSet:
    """A rule set by id, or the one that applies on the date ``on`` (give exactly one).

    Args:
        ruleset_id: a rule set's id (``"sol-2025-400"``), a ``str``.
        on: a ``datetime.date`` (not a ``datetime``), keyword only.

    Raises:
        RuleSetError: ``ruleset_unknown`` or ``ruleset_not_found``.
        TypeError: neither or both given, ``ruleset_id`` not a ``str`` (a date given as the id
            says to pass it as ``on=``), or ``on`` not a ``datetime.date``.
    """
    if (ruleset_id is None) == (on is None):
        raise TypeError("intyg.load_ruleset: give either a rule set id or on=<date>")
    if ruleset_id is not None and not isinstance(ruleset_id, str):
        if isinstance(ruleset_id, _dt.date):
            raise TypeError(
                "intyg.load_ruleset: ruleset_id must be a str; "
                "give a date as a keyword argument, load_ruleset(on=<date>)"
            )
        raise TypeError(
            f"intyg.load_ruleset: ruleset_id must be a str, not {type(ruleset_id).__name__}"
        )
    if on is not None:
        require_date(on, "intyg.load_ruleset: on")
        return select_ruleset(rulesets(), on)
    for rs in rulesets():
        if rs.id == ruleset_id:
            return rs
    known = ", ".join(rs.id for rs in catalogue().rulesets)
    raise RuleSetError([make_problem("ruleset_unknown", "", {"known": known})])


__all__ = [
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "Assessment",
    "RuleSet",
    "assess",
    "assessment_json_schema",
    "format_assessment",
    "load_ruleset",
    "render_catalogue_markdown",
    "rulesets",
]
