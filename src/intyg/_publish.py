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

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Callable
from functools import partial
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from ._atomic import output_problem, writable_target, write_atomic
from ._errors import IncompleteInstallation, OutputError, SchemaDriftError
from ._jsonschema import form_json_schema
from ._problems import Problem, make_problem
from ._questionnaire import build_codesystem, build_questionnaire, kodverk_of
from ._registry import CURRENT_VERSION, DEFAULT_FORM_ID, FormVersion, all_forms, get_form
from ._resources import checkout_root, resource_dir
from ._signals import held

SUMS = "SHA256SUMS"
Kind = Literal["jsonschema", "questionnaire"]
_EVERY_FORMS_FILES: dict[str, tuple[str, Callable[[FormVersion], dict[str, Any]]]] = {
    "jsonschema": ("intyg.schema.json", form_json_schema),
    "questionnaire": ("questionnaire.json", build_questionnaire),
}
"""The files every form version has, by kind: file name and generator."""


def dumps(data: Any) -> str:
    """The one serialisation used for every published file (stable, UTF-8, LF)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def form_files(form: FormVersion) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    """The published files of a form version by kind (``jsonschema``, ``questionnaire``,
    ``codesystem-<id>``, as :func:`published_schema` and ``schema --print`` name them): each
    file's name and how it is generated, in the form's order."""
    files: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
        kind: (name, partial(build, form)) for kind, (name, build) in _EVERY_FORMS_FILES.items()
    }
    for kv in kodverk_of(form):
        files[f"codesystem-{kv.id}"] = (
            f"codesystem-{kv.id}.json",
            partial(build_codesystem, kv, form),
        )
    return files


def generated_files() -> dict[str, str]:
    """Every file ``schemas/`` must hold (relative path -> text), from the definitions."""
    files: dict[str, str] = {}
    for form in all_forms():
        base = f"{form.form_id}/{form.version}"
        for name, build in form_files(form).values():
            files[f"{base}/{name}"] = dumps(build())
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
        ``schema_missing``, ``schema_drift`` and ``schema_checksum`` problems, and
        ``file_unreadable`` for a file that is there but cannot be read as UTF-8 text (a
        ``SHA256SUMS`` that cannot be read or has a malformed line is ``schema_checksum``);
        empty when all is in order. One problem per file: a frozen file that was changed is
        ``schema_checksum`` (not also ``schema_drift``), and a file both generated and frozen
        that is missing or unreadable is said once.
    """
    root = root if root is not None else default_dir()
    found: dict[str, Problem] = {}  # by file, in the order first found
    try:
        sums = _read_sums(root)
    except (OSError, UnicodeDecodeError, ValueError):
        found[SUMS] = make_problem("schema_checksum", SUMS)
        sums = {}
    texts: dict[str, str | None] = {}

    def read(rel: str) -> str | None:
        if rel not in texts:
            try:
                texts[rel] = _read(root, rel)
            except (OSError, UnicodeDecodeError):
                found[rel] = make_problem("file_unreadable", rel)
                texts[rel] = None
            else:
                if texts[rel] is None:
                    found[rel] = make_problem("schema_missing", rel)
        return texts[rel]

    for rel, text in generated_files().items():
        on_disk = read(rel)
        if on_disk is not None and on_disk != text:
            found[rel] = make_problem("schema_drift", rel)
    for rel, digest in sums.items():
        on_disk = read(rel)
        if on_disk is not None and _sha(on_disk) != digest:
            found[rel] = make_problem("schema_checksum", rel)  # said instead of drift
    return list(found.values())


def _on_disk(path: Path) -> bytes | None:
    """The bytes of the file at ``path`` (None when there is no file)."""
    return path.read_bytes() if path.is_file() else None


def _check_writable(paths: list[Path]) -> None:
    """Raise OSError unless every path can be written: an existing target is a writable
    regular file in a writable folder, and a new one's nearest existing folder is writable."""
    for path in paths:
        if path.exists():
            target, _ = writable_target(path)
            folder = target.parent
        else:
            folder = path.parent
            while not folder.exists():
                folder = folder.parent
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "folder not writable", str(folder))


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, outermost first."""
    missing = [d for d in (folder, *folder.parents) if not d.exists()]
    created: list[Path] = []
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue
        created.append(d)
    return created


def _write_all(todo: dict[Path, tuple[bytes, bytes | None]]) -> None:
    """Write every file (new bytes, previous bytes or None) atomically: all of them or, when
    one fails or the run is stopped, none (written files are restored or removed)."""
    _check_writable(list(todo))
    folders: list[Path] = []
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, (data, before) in todo.items():
            folders += _make_folders(path.parent)
            # Listed first: a stop just after the file took its place still puts it back
            # (putting back one that was not replaced rewrites what is there).
            done.append((path, before))
            write_atomic(path, data)
    except BaseException:
        with held():  # a second stop must not leave the files half put back
            for path, before in reversed(done):
                with contextlib.suppress(OSError):
                    if before is None:
                        Path(os.path.realpath(path)).unlink()
                    else:
                        write_atomic(path, before, after_a_stop=True)
            for folder in reversed(folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()
        raise


def write(root: Path) -> list[str]:
    """Write every generated file under ``root`` and record new files in ``SHA256SUMS``.

    Either every file that needs to change is written, or none is.

    Returns:
        The relative paths written or changed.

    Raises:
        SchemaDriftError: a frozen file (listed in ``SHA256SUMS``) would change, or
            ``SHA256SUMS`` cannot be read as the sums this tool writes (``schema_checksum``);
            nothing is written then.
        OutputError: ``output_unwritable``, a file or folder under ``root`` cannot be read or
            written (``root`` is a file, no permission, a file where a folder must be, disk
            full); nothing is written then.
    """
    files = generated_files()
    try:
        try:
            sums = _read_sums(root)
        except (UnicodeDecodeError, ValueError):  # not the sums this tool writes: keep out
            raise SchemaDriftError([make_problem("schema_checksum", SUMS)]) from None
        frozen = [rel for rel, text in files.items() if rel in sums and _sha(text) != sums[rel]]
        if frozen:
            raise SchemaDriftError([make_problem("schema_checksum", rel) for rel in frozen])
        todo: dict[Path, tuple[bytes, bytes | None]] = {}
        changed: list[str] = []
        for rel, text in files.items():
            data, before = text.encode("utf-8"), _on_disk(root / rel)
            if before != data:
                todo[root / rel] = (data, before)
                changed.append(rel)
            sums.setdefault(rel, _sha(text))
        lines = "".join(f"{digest}  {rel}\n" for rel, digest in sorted(sums.items()))
        data, before = lines.encode("utf-8"), _on_disk(root / SUMS)
        if before != data:
            todo[root / SUMS] = (data, before)  # last: the sums follow the files
            changed.append(SUMS)
        _write_all(todo)
    except OSError as exc:
        raise OutputError([output_problem(exc, "--dir")]) from None
    return changed


def published_schema(
    kind: Kind | str = "jsonschema",
    *,
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

    >>> import intyg
    >>> intyg.published_schema("codesystem-prognos")["resourceType"]
    'CodeSystem'
    """
    form = get_form(form_id, version)
    files = form_files(form)
    if kind not in files:
        raise ValueError(
            f"intyg.published_schema: kind must be one of {', '.join(files)}, not {kind!r}"
        )
    text = _read(resource_dir("schemas"), f"{form.form_id}/{form.version}/{files[kind][0]}")
    if text is None:  # pragma: no cover - only a broken installation lacks the files
        raise IncompleteInstallation(f"intyg: published {kind} for {form_id} {version} is missing")
    data: dict[str, Any] = json.loads(text)
    return data
