"""The form versions this intyg supports, side by side.

Adding version 1.1 or 2.0 means adding a package beside ``_v1`` and one entry here; nothing in
``_v1`` changes, so certificates written on 1.0.0 keep loading, validating and printing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from ._frozen import FrozenDict

if TYPE_CHECKING:
    from ._errors import FormVersionError
    from ._form import Issue, Section
    from ._problems import Problem

    FormModel = type[Section]
    Warnings = Callable[..., list[Issue]]
else:
    # At run time the annotations name what needs no pydantic (``import intyg`` loads none of
    # it), so that ``typing.get_type_hints(FormVersion)`` works: the root model is a class, the
    # warnings a function giving (code, path, context) triples.
    FormModel = type
    Warnings = Callable[..., list[tuple[str, str, dict[str, Any]]]]


@dataclass(frozen=True)
class FormVersion:
    """One published version of a form.

    Attributes:
        form_id: the form's id (``formular.id`` in JSON).
        version: semver string (``formular.version``).
        title: Swedish title.
        subtitle: Swedish subtitle (who the certificate is for).
        date: publication date of the version.
        model: the root pydantic model.
        warnings: function giving warnings on a valid certificate.
        example_resource: package and file name of the embedded example.
    """

    form_id: str
    version: str
    title: str
    subtitle: str
    date: str
    model: FormModel = field(repr=False)
    warnings: Warnings = field(repr=False)  # a function: its repr has a memory address
    example_resource: tuple[str, str] = field(repr=False)
    # Internal: the codes of the certificate's rules across sections, each with the top-level
    # keys it reads (intyg._careful).
    _rule_inputs: Mapping[str, frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def canonical(self) -> str:
        """The Questionnaire's canonical url (the same for every version of the form)."""
        return f"{CANONICAL_BASE}:Questionnaire:{self.form_id}"

    def example(self) -> dict[str, Any]:
        """The embedded example certificate, as a fresh dict."""
        data: dict[str, Any] = json.loads(_example_bytes(self.example_resource))
        return data


CANONICAL_BASE = "urn:intyg:fhir"
"""Base of our canonical urls; a URN, since the form has no publisher domain yet."""


@cache
def _forms() -> Mapping[tuple[str, str], FormVersion]:
    from ._v1 import _checks as v1_checks
    from ._v1 import _model as v1

    forms = [
        FormVersion(
            form_id=v1.FORM_ID,
            version=v1.FORM_VERSION,
            title=v1.FORM_TITLE,
            subtitle=v1.FORM_SUBTITLE,
            date=v1.FORM_DATE,
            model=v1.Intyg,
            warnings=v1.warnings_for,
            example_resource=_EXAMPLES[v1.FORM_ID, v1.FORM_VERSION],
            _rule_inputs=FrozenDict(v1_checks.RULE_INPUTS),
        ),
    ]
    return {(f.form_id, f.version): f for f in forms}


DEFAULT_FORM_ID = "lakarintyg-socialnamnd"
CURRENT_VERSION = "1.0.0"

_EXAMPLES = {("lakarintyg-socialnamnd", "1.0.0"): ("intyg._v1", "exempel.json")}
"""The embedded example of each form version: package and file name."""


def current_example_bytes() -> bytes:
    """The current form version's embedded example, as its file holds it, without loading the
    model (``python -m intyg validate --example`` starts as fast as with a file)."""
    return example_bytes(DEFAULT_FORM_ID, CURRENT_VERSION)


def example_bytes(form_id: str, version: str) -> bytes:
    """The embedded example of a form version, as its file holds it, without loading the
    model."""
    return _example_bytes(_EXAMPLES[form_id, version])


def _example_bytes(resource: tuple[str, str]) -> bytes:
    """The file ``resource`` (package, name) beside its package's modules, read as the ICD-10
    list is (``importlib.resources`` would add to the start-up)."""
    import importlib

    package, name = resource
    folder = os.path.dirname(importlib.import_module(package).__file__ or "")
    with open(os.path.join(folder, name), "rb") as stream:
        return stream.read()


def named_version(data: Mapping[str, Any]) -> tuple[str, str]:
    """The form id and version a plain JSON certificate names.

    A certificate without ``formular`` (or with ids that are not text) is read as the current
    version, so that every other problem is reported too; the model reports the bad
    ``formular`` itself.
    """
    formular = data.get("formular")
    if not isinstance(formular, Mapping):
        return DEFAULT_FORM_ID, CURRENT_VERSION
    form_id = formular.get("id", DEFAULT_FORM_ID)
    version = formular.get("version", CURRENT_VERSION)
    if not isinstance(form_id, str) or not isinstance(version, str):
        return DEFAULT_FORM_ID, CURRENT_VERSION
    return form_id, version


def supported_versions(form_id: str = DEFAULT_FORM_ID) -> list[str]:
    """The supported versions of a form, oldest first.

    Raises:
        FormVersionError: ``unknown_form`` (as :func:`get_form`); the message lists the forms
            supported.
    """
    versions = [v for (f, v) in _forms() if f == form_id]
    if not versions:
        raise _unknown_form()
    return sorted(versions, key=lambda s: tuple(map(int, s.split("."))))


def _unknown_form() -> FormVersionError:
    """The ``unknown_form`` error, listing the forms supported."""
    from ._errors import FormVersionError
    from ._problems import make_problem

    ids = ", ".join(sorted({f for f, _ in _forms()}))
    return FormVersionError([make_problem("unknown_form", "formular.id", {"supported": ids})])


def all_forms() -> list[FormVersion]:
    """Every supported form version."""
    return list(_forms().values())


def get_form(form_id: str = DEFAULT_FORM_ID, version: str = CURRENT_VERSION) -> FormVersion:
    """Look a form version up.

    Raises:
        FormVersionError: ``unknown_form`` or ``unsupported_form_version``; the message lists
            what is supported.
    """
    form = _forms().get((form_id, version))
    if form is not None:
        return form
    from ._errors import FormVersionError

    raise FormVersionError([unsupported_version(form_id, version, "formular.version")])


_SEMVER = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})", re.ASCII)
"""A version as intyg names its own (``1.0.0``): only one spelt so is said back in a message
(anything else may be any text, a personnummer among it). At most three digits a part, so at
most nine in all: never the ten to twelve of a personnummer (``1912.1212.1212``)."""


def unsupported_version(form_id: str, version: str, path: str) -> Problem:
    """``unsupported_form_version`` at ``path`` for ``version`` of a known form: the version
    said back when it is one intyg could name, and marked as newer than every supported one
    when it is (intyg needs an update, the certificate may be fine).

    Raises:
        FormVersionError: ``unknown_form`` for an unknown ``form_id``.
    """
    from ._problems import make_problem

    versions = supported_versions(form_id)
    ctx = {"supported": ", ".join(versions), "given": "", "newer": ""}
    found = _SEMVER.fullmatch(version)
    if found:
        ctx["given"] = f" {version}"
        latest = max(tuple(map(int, v.split("."))) for v in versions)
        if tuple(map(int, found.groups())) > latest:
            ctx["newer"] = (
                " av den här installationen av intyg: den är nyare än alla som stöds, så intyg "
                "behöver uppdateras"
            )
    return make_problem("unsupported_form_version", path, ctx)
