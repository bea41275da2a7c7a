"""Atomic output: the data reach the disk before the file takes the target's place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from intyg import _atomic


def _record(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(_atomic.os, "fsync", fsync)
    monkeypatch.setattr(_atomic.os, "replace", replace)
    return calls


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="tells a folder by /proc")
def test_atomic_write_syncs_the_file_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _record(monkeypatch)
    _atomic.write_atomic(tmp_path / "ut.json", b"{}")
    assert calls == ["fsync file", "replace", "fsync folder"]
    assert (tmp_path / "ut.json").read_bytes() == b"{}"


def test_atomic_write_failing_sync_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ut.json"
    target.write_bytes(b"gammal")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, "fsync", full)
    with pytest.raises(OSError):
        _atomic.write_atomic(target, b"ny")
    assert target.read_bytes() == b"gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut.json"]


def test_atomic_writer_notes_the_commit_only_once_the_file_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on_commit says the output is in place (a stop after it is no failure): never before the
    # rename, and not when the rename fails.
    target = tmp_path / "ut.json"
    target.write_bytes(b"gammal")
    calls = _record(monkeypatch)
    with _atomic.atomic_writer(target, on_commit=lambda: calls.append("commit")) as fh:
        fh.write(b"ny")
    assert calls[:3] == ["fsync file", "replace", "commit"]
    assert target.read_bytes() == b"ny"

    def cross_device(src: Any, dst: Any) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(_atomic.os, "replace", cross_device)
    committed: list[str] = []
    with (
        pytest.raises(OSError),
        _atomic.atomic_writer(target, on_commit=lambda: committed.append("commit")) as fh,
    ):
        fh.write(b"nyare")
    assert committed == []
    assert target.read_bytes() == b"ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut.json"]


@pytest.mark.parametrize(
    "name",
    [
        "a" * 250 + ".json",
        "å" * 122 + ".json",
        "a" + "å" * 121 + ".json",  # the cut falls inside a character
        "x.json",
        "fil-\udcff.json",  # a name's byte that is no UTF-8, as Python holds it
        "\U0001f600" * 62 + ".json",  # four bytes a character: cut by bytes, not characters
    ],
)
def test_atomic_write_to_a_name_of_any_allowed_length(tmp_path: Path, name: str) -> None:
    # The temporary file beside it has a name of its own that must fit too (255 bytes).
    assert len(os.fsencode(name)) <= 255
    target = tmp_path / name
    _atomic.write_atomic(target, b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_atomic_writer_makes_its_temporary_file_with_stop_signals_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stop between mkstemp and the clean-up's knowing the name would leave the file behind.
    signal = pytest.importorskip("signal")
    if not hasattr(signal, "pthread_sigmask"):
        pytest.skip("no pthread_sigmask on this system")
    held: list[bool] = []
    mkstemp = _atomic.tempfile.mkstemp

    def recording(*args: Any, **kwargs: Any) -> Any:
        held.append(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(_atomic.tempfile, "mkstemp", recording)
    _atomic.write_atomic(tmp_path / "ut.txt", b"x")
    assert held == [True]
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@pytest.mark.parametrize("missing", [("fchmod", "fchown"), ("fchown",)])
def test_atomic_write_replaces_a_file_where_the_system_has_no_fchmod_or_fchown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: tuple[str, ...]
) -> None:
    # Windows: no os.fchown, and no os.fchmod before Python 3.13. Replacing a file must not
    # fail there for what it cannot keep of the old one.
    target = tmp_path / "ut.json"
    target.write_bytes(b"gammalt")
    for name in missing:
        monkeypatch.delattr(os, name)
    _atomic.write_atomic(target, b"nytt")
    assert target.read_bytes() == b"nytt"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.json"]


def test_atomic_write_is_flushed_before_it_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fsync makes durable only what the file holds: the buffered tail must be in it first.
    sizes: list[int] = []
    real = _atomic.os.fsync

    def fsync(fd: int) -> None:
        sizes.append(os.fstat(fd).st_size)
        real(fd)

    monkeypatch.setattr(_atomic.os, "fsync", fsync)
    _atomic.write_atomic(tmp_path / "ut.json", b"x" * 100)
    assert sizes[0] == 100


def test_an_output_that_is_a_symbolic_link_loop_is_refused_and_kept(tmp_path: Path) -> None:
    # Not a missing file to create: replacing the link would hide where it pointed.
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OSError):
        _atomic.write_atomic(loop, b"data")
    assert loop.is_symlink() and os.readlink(loop) == str(loop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]
