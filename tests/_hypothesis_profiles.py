"""Hypothesis settings for the property tests: 1000 examples when ``CI`` is set, 200 otherwise.

Imported by the test modules that use hypothesis (``tests/conftest.py`` belongs to the shared
fixtures); loading a profile is idempotent, so importing this from several modules is harmless.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

CI_EXAMPLES = 1000
DEV_EXAMPLES = 200

# CI draws the same examples every run (derandomize), so a red run can be reproduced and is never
# a fluke of the draw; local runs keep exploring with fresh random examples.
settings.register_profile(
    "intyg-ci",
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "intyg-dev",
    max_examples=DEV_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("intyg-ci" if os.environ.get("CI") else "intyg-dev")


def share(fraction: float) -> settings:
    """Settings for a test that needs only ``fraction`` of the profile's examples (at least 50).

    The round-trip property runs the full count; tests whose ground other tests also cover run
    fewer, to keep the CI run of these modules within about two minutes.
    """
    return settings(max_examples=max(50, int(settings().max_examples * fraction)))
