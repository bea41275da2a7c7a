"""Shared fixtures."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import intyg

_EXAMPLE = intyg.example()


@pytest.fixture
def example() -> dict[str, Any]:
    """A fresh copy of the embedded example certificate (form version 1.0.0)."""
    return copy.deepcopy(_EXAMPLE)
