"""Package version (the code) kept apart from form versions (the data contract)."""

__version__ = "0.1.0"
