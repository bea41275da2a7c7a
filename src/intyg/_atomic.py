"""Atomic file output: write to a temporary file beside the target, then rename it into place.

A failed or interrupted write leaves no partial file. The data are flushed to disk (``fsync``)
before the file takes the target's place, and the folder after the rename, so a crash or power
cut just after a run leaves either the old file or the whole new one, never an empty one. (A
process killed outright, with SIGKILL, can still leave its hidden temporary file
``.NAME.*.tmp`` behind, to be deleted by hand.) New files are created readable and
writable by the owner only (``0600``), since they may hold health data; a file that is replaced
keeps its permission bits. A symbolic link is followed: its target is replaced, the link stays.
A target that is not a regular file (a folder, a FIFO, a device) or that the user may not
write is refused with an :class:`OSError` before anything is written. After a stop signal
(:mod:`intyg._signals`) the new file never takes the target's place.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from ._problems import Problem, make_problem
from ._signals import held, raise_if_stopped


def writable_target(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """The file to replace for ``path`` (symbolic links resolved) and its status (None: new).

    The path is read as the system reads it, not as text: a name ending in ``/``, ``/.`` or
    ``/..`` is a folder, and the folder part must exist as a folder (``missing/../x`` and
    ``file/../x`` are no way to ``x``). Give the name as typed: ``Path`` drops a final ``/``.

    Raises:
        OSError: the target names a folder, its folder does not exist, the target exists and is
            not a regular file, or the user may not write it.
    """
    raw = os.fspath(path)
    head, name = os.path.split(raw)
    if name in ("", ".", ".."):
        raise IsADirectoryError(errno.EISDIR, "names a folder", raw)
    folder = head or "."
    if not stat.S_ISDIR(os.stat(folder).st_mode):  # the system's walk, ".." included
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", folder)
    target = Path(os.path.realpath(os.path.join(os.path.realpath(folder), name)))
    try:
        st = target.stat()
    except FileNotFoundError:
        return target, None
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(target))
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "not writable", str(target))
    return target, st


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    *,
    after_a_stop: bool = False,
    on_commit: Callable[[], None] | None = None,
) -> Iterator[IO[bytes]]:
    """A binary file handle whose contents replace ``path`` only when the block succeeds.

    The last check for a stop, the rename, ``on_commit`` and making the rename durable run
    with the stop signals held: a stop comes either before (nothing is replaced) or after
    ``on_commit`` has noted that the output is in place (``_signals.committed``).

    Raises:
        OSError: ``path`` is not a writable regular file (see :func:`writable_target`), or
            writing failed; nothing is written then.
    """
    target, existing = writable_target(path)
    tmp: str | None = None
    fh: IO[bytes] | None = None
    try:
        with held():  # no stop between making the temporary file and knowing its name
            fd, tmp = tempfile.mkstemp(
                dir=target.parent, prefix=_temporary_prefix(target), suffix=".tmp"
            )
            fh = os.fdopen(fd, "wb")  # closes fd itself if it fails
        with fh:
            # Windows has no fchown, and fchmod only from Python 3.13 (its permission bits
            # are one read-only flag, and the file was found writable).
            if existing is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            if existing is not None and hasattr(os, "fchown"):
                with suppress(OSError):  # only root may give a file to another owner
                    os.fchown(fd, existing.st_uid, existing.st_gid)
            yield fh
            fh.flush()
            os.fsync(fd)
        with held():
            if not after_a_stop:
                raise_if_stopped()  # a stop a library caught: what was written may not be whole
            os.replace(tmp, target)
            if on_commit is not None:
                on_commit()
            _sync_folder(target.parent)
    except BaseException:
        if fh is not None:
            fh.close()
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


_NAME_IN_TEMPORARY = 64
"""The most bytes of the target's name the temporary file's name carries: a name may be up to
255 bytes, and the temporary one adds 14 to what it carries."""


def _temporary_prefix(target: Path) -> str:
    """``.NAME.`` for the temporary file beside ``target``, its name cut to fit any length
    the target's may have: the first characters of the name that take at most
    ``_NAME_IN_TEMPORARY`` bytes in the file system's encoding (whatever it is: with an ASCII
    one, ``å`` typed in a UTF-8 terminal is two undecodable bytes, and stays those)."""
    kept, size = [], 0
    for char in target.name:
        size += len(os.fsencode(char))
        if size > _NAME_IN_TEMPORARY:
            break
        kept.append(char)
    return "." + "".join(kept) + "."


_NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})


def output_problem(exc: OSError, path: str) -> Problem:
    """The problem for output that could not be written: ``output_no_space`` when the disk (or
    a quota, or the file size limit) is full, else ``output_unwritable``."""
    code = "output_no_space" if exc.errno in _NO_SPACE else "output_unwritable"
    return make_problem(code, path)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every system opens a folder)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    after_a_stop: bool = False,
    on_commit: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` atomically; after a stop signal only when
    ``after_a_stop`` (putting back what a stopped run changed). ``on_commit``: see
    :func:`atomic_writer`."""
    with atomic_writer(path, after_a_stop=after_a_stop, on_commit=on_commit) as fh:
        fh.write(data)
