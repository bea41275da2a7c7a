"""The public surface: exactly what intyg/__init__.py exports."""

from __future__ import annotations

import subprocess
import sys

import intyg


def test_public_names_are_exported_once() -> None:
    assert len(intyg.__all__) == len(set(intyg.__all__))
    for name in intyg.__all__:
        assert hasattr(intyg, name), name


def test_private_modules_are_not_exported() -> None:
    assert not [n for n in intyg.__all__ if n.startswith("_") and n != "__version__"]


def test_error_tree_has_one_root() -> None:
    for cls in (
        intyg.IntygValidationError,
        intyg.FormVersionError,
        intyg.ConversionError,
        intyg.SchemaDriftError,
    ):
        assert issubclass(cls, intyg.IntygError)


def test_import_does_not_load_fhir_models() -> None:
    code = "import sys, intyg; print('fhir.resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_supported_versions_lists_current() -> None:
    assert intyg.CURRENT_VERSION in intyg.supported_versions()
