"""The published artefacts under ``schemas/``: generate, write, check, and read them.

Layout::

    schemas/
      SHA256SUMS                               checksums of every published (frozen) file
      <form-id>/<version>/intyg.schema.json    JSON Schema 2020-12 of the certificate
      <form-id>/<version>/questionnaire.json   FHIR R4 Questionnaire
      <form-id>/<version>/codesystem-<id>.json FHIR R4 CodeSystems of our code lists
      bedomning/<version>/bedomning.schema.json  JSON Schema of the assessment output (its own
                                               version, ``intyg.assessment_json_schema()``)

``write`` never changes a file whose checksum is recorded in ``SHA256SUMS``: a published version
is frozen; a change of meaning needs a new version beside it.
"""

from __future__ import annotations

import hashlib
import json
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from ._atomic import write_atomic
from ._errors import SchemaDriftError
from ._jsonschema import form_json_schema
from ._problems import Problem, make_problem
from ._questionnaire import build_codesystem, build_questionnaire, kodverk_of
from ._registry import CURRENT_VERSION, DEFAULT_FORM_ID, all_forms, get_form
from ._resources import checkout_root, resource_dir

SUMS = "SHA256SUMS"
Kind = Literal["jsonschema", "questionnaire"]
_FILE_OF_KIND: dict[str, str] = {
    "jsonschema": "intyg.schema.json",
    "questionnaire": "questionnaire.json",
}


def dumps(data: Any) -> str:
    """The one serialisation used for every published file (stable, UTF-8, LF)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def generated_files() -> dict[str, str]:
    """Every file ``schemas/`` must hold (relative path -> text), from the definitions."""
    files: dict[str, str] = {}
    for form in all_forms():
        base = f"{form.form_id}/{form.version}"
        files[f"{base}/intyg.schema.json"] = dumps(form_json_schema(form))
        files[f"{base}/questionnaire.json"] = dumps(build_questionnaire(form))
        for kv in kodverk_of(form):
            files[f"{base}/codesystem-{kv.id}.json"] = dumps(build_codesystem(kv, form))
    from ._assessment import SCHEMA_VERSION, assessment_json_schema

    files[f"bedomning/{SCHEMA_VERSION}/bedomning.schema.json"] = dumps(assessment_json_schema())
    return dict(sorted(files.items()))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_sums(root: Traversable) -> dict[str, str]:
    sums = root / SUMS
    if not sums.is_file():
        return {}
    out: dict[str, str] = {}
    for line in sums.read_text("utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            out[rel.strip()] = digest
    return out


def _read(root: Traversable, rel: str) -> str | None:
    node = root
    for part in rel.split("/"):
        node = node / part
    return node.read_text("utf-8") if node.is_file() else None


def default_dir() -> Traversable:
    """``schemas/`` of the source checkout, else the copy shipped in the package."""
    root = checkout_root()
    if root is not None:
        return root / "schemas"
    return resource_dir("schemas")


def check(root: Traversable | None = None) -> list[Problem]:
    """Compare ``schemas/`` with what the definitions generate, and frozen files with their sums.

    Returns:
        ``schema_missing``, ``schema_drift`` and ``schema_checksum`` problems; empty when all
        is in order.
    """
    root = root if root is not None else default_dir()
    problems: list[Problem] = []
    sums = _read_sums(root)
    for rel, text in generated_files().items():
        on_disk = _read(root, rel)
        if on_disk is None:
            problems.append(make_problem("schema_missing", rel))
        elif on_disk != text:
            problems.append(make_problem("schema_drift", rel))
    for rel, digest in sums.items():
        on_disk = _read(root, rel)
        if on_disk is None:
            problems.append(make_problem("schema_missing", rel))
        elif _sha(on_disk) != digest:
            problems.append(make_problem("schema_checksum", rel))
    return problems


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


def write(root: Path) -> list[str]:
    """Write every generated file under ``root`` and record new files in ``SHA256SUMS``.

    Returns:
        The relative paths written or changed.

    Raises:
        SchemaDriftError: a frozen file (listed in ``SHA256SUMS``) would change; nothing is
            written then.
    """
    files = generated_files()
    sums = _read_sums(root)
    frozen = [rel for rel, text in files.items() if rel in sums and _sha(text) != sums[rel]]
    if frozen:
        raise SchemaDriftError([make_problem("schema_checksum", rel) for rel in frozen])
    changed: list[str] = []
    for rel, text in files.items():
        path = root / rel
        if not path.is_file() or path.read_text("utf-8") != text:
            _atomic_write(path, text)
            changed.append(rel)
        sums.setdefault(rel, _sha(text))
    lines = "".join(f"{digest}  {rel}\n" for rel, digest in sorted(sums.items()))
    if (root / SUMS).is_file() and (root / SUMS).read_text("utf-8") == lines:
        return changed
    _atomic_write(root / SUMS, lines)
    return [*changed, SUMS]


def published(
    kind: Kind | str = "jsonschema",
    version: str = CURRENT_VERSION,
    form_id: str = DEFAULT_FORM_ID,
) -> dict[str, Any]:
    """A published file of a form version, read from the installed package.

    Args:
        kind: ``jsonschema``, ``questionnaire``, or ``codesystem-<id>`` for one of the form's
            FHIR CodeSystems (``codesystem-prognos``; the ids are the ``codesystem-*.json`` file
            names under ``schemas/<form>/<version>/``).
        version: the form version (default: the current one).
        form_id: the form.

    Raises:
        FormVersionError: unknown form or version.
        ValueError: ``kind`` names no published file of the form version.

    >>> published("codesystem-prognos")["resourceType"]
    'CodeSystem'
    """
    form = get_form(form_id, version)
    files = {
        **_FILE_OF_KIND,
        **{f"codesystem-{kv.id}": f"codesystem-{kv.id}.json" for kv in kodverk_of(form)},
    }
    if kind not in files:
        raise ValueError(
            f"intyg.published_schema: kind must be one of {', '.join(files)}, not {kind!r}"
        )
    text = _read(resource_dir("schemas"), f"{form.form_id}/{form.version}/{files[kind]}")
    if text is None:  # pragma: no cover - only a broken installation lacks the files
        raise FileNotFoundError(f"intyg: published {kind} for {form_id} {version} is missing")
    data: dict[str, Any] = json.loads(text)
    return data
