"""Choosing the rule set by the date assessed (never by the clock)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from .._errors import RuleSetError
from .._problems import make_problem, safe_ruleset_id
from ._ruleset import RuleSet


def select_ruleset(
    rulesets: Sequence[RuleSet], on: _dt.date, ruleset: RuleSet | str | None = None
) -> RuleSet:
    """The rule set for ``on``, or the given one after checking that it is valid on ``on``.

    Raises:
        RuleSetError: ``ruleset_not_found``, ``ruleset_unknown``, ``ruleset_not_valid_on_date``.
    """
    if ruleset is None:
        for rs in rulesets:
            if rs.valid_on(on):
                return rs
        raise RuleSetError([make_problem("ruleset_not_found", "", {"on": on.isoformat()})])
    if not isinstance(ruleset, str | RuleSet):
        raise TypeError(
            "intyg.assess: ruleset must be a rule set id (str) or an intyg.RuleSet, "
            f"not {type(ruleset).__name__}"
        )
    if isinstance(ruleset, str):
        found = [rs for rs in rulesets if rs.id == ruleset]
        if not found:
            raise RuleSetError(
                [
                    make_problem(
                        "ruleset_unknown", "", {"known": ", ".join(rs.id for rs in rulesets)}
                    )
                ]
            )
        ruleset = found[0]
    if not ruleset.valid_on(on):
        raise RuleSetError(
            [
                make_problem(
                    "ruleset_not_valid_on_date",
                    "",
                    {"id": safe_ruleset_id(ruleset.id), "on": on.isoformat()},
                )
            ]
        )
    return ruleset
