"""Where the published artefacts are: ``schemas/`` and ``mallar/``.

In a wheel they ship inside the package (``intyg/schemas``, ``intyg/mallar``); in a source
checkout they are top-level folders of the repository. Both are found through
``importlib.resources`` first.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from ._errors import IncompleteInstallation

Folder = Literal["schemas", "mallar"]

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent.parent


def checkout_root() -> Path | None:
    """The repository root when running from a source checkout, else None."""
    root = _CHECKOUT_ROOT
    if (root / "pyproject.toml").is_file() and (root / "src" / "intyg").is_dir():
        return root
    return None


def resource_dir(name: Folder) -> Traversable:
    """The folder ``name`` as shipped with this installation of intyg."""
    packaged = resources.files("intyg") / name
    if packaged.is_dir():
        return packaged
    root = checkout_root()
    if root is not None and (root / name).is_dir():
        return root / name
    raise IncompleteInstallation(
        f"intyg: the folder {name!r} is missing from this installation; reinstall intyg"
    )
