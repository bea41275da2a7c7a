"""Inputs shared by the benchmarks: varied certificates from the golden test's generator.

The generator (``tests/test_assessment_golden.py``) mutates the example across every field the
rules read, deterministically, so the figures do not rest on one certificate repeated.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"


def varied_certificates(count: int) -> list[dict[str, Any]]:
    """``count`` valid, varied certificates as JSON data; empty when the tests are not beside
    the benchmarks (an installed package without its source tree)."""
    sys.path.insert(0, str(TESTS))
    try:
        from test_assessment_golden import generate_certificates
    except ImportError:  # pragma: no cover - no source tree
        return []
    finally:
        sys.path.pop(0)
    return generate_certificates(count)
