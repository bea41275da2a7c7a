"""Where the command line writes: never over an input, never a partial or hidden file, never a
traceback when standard output fails or the run is stopped, and only plain files are replaced."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

import intyg
from cli_support import refused, usage_errors
from intyg import _batch, _cli, _publish
from intyg._cli import main
from intyg._cli_process import NoOutput

ON = "2026-11-24"


def _codes(err: str) -> list[str]:
    """The problem codes printed (``[code]`` at the end of each line)."""
    return re.findall(r"\[([a-z0-9_]+)\]$", err, flags=re.MULTILINE)


def _problem_places(err: str) -> list[tuple[str, str]]:
    """The code and place of each problem printed (``FEL: place: message [code]``)."""
    found = re.findall(r"^FEL: (.*?): .*\[([a-z0-9_]+)\]$", err, flags=re.MULTILINE)
    return [(code, place) for place, code in found]


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for a folder or anything else)."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() and not p.is_symlink() else None
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def cert(tmp_path: Path) -> Path:
    path = tmp_path / "intyg.json"
    path.write_text(intyg.example_json(), "utf-8")
    return path


@pytest.fixture
def batch(tmp_path: Path, example: dict[str, Any]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text((json.dumps(example, ensure_ascii=False) + "\n") * 3, "utf-8")
    return path


def _argv(command: str, source: Path, out: Path | str) -> list[str]:
    return {
        "convert": ["convert", str(source), "--to", "fhir", "-o", str(out)],
        "render": ["render", str(source), "-o", str(out)],
        "assess": ["assess", "--batch", str(source), "-o", str(out), "--on", ON],
        "icd10": ["convert", str(source), "--to", "fhir", "--icd10-list", str(out), "-o", str(out)],
    }[command]


# ---------------------------------------------------------------- the output is an input


@pytest.mark.parametrize("command", ["convert", "render", "assess"])
@pytest.mark.parametrize("link", ["same", "hard", "symbolic"])
def test_cli_output_same_file_as_input_is_usage_error(
    tmp_path: Path,
    cert: Path,
    batch: Path,
    command: str,
    link: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = batch if command == "assess" else cert
    out = tmp_path / "ut"
    if link == "same":
        out = source
    elif link == "hard":
        os.link(source, out)
    else:
        out.symlink_to(source)
    before = source.read_bytes()
    assert refused(_argv(command, source, out), capsys) == [("usage_output_is_input", "-o")]
    assert source.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("redirected", ["stdin", "stdout"])
def test_cli_batch_with_the_input_as_a_redirected_stream_is_usage_error(
    tmp_path: Path,
    batch: Path,
    redirected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # --batch - -o in.jsonl < in.jsonl, and --batch in.jsonl -o - >> in.jsonl: the input would
    # be replaced by the output, or have it added.
    before = batch.read_bytes()
    argv = ["assess", "--on", "2026-11-24"]
    with batch.open("rb" if redirected == "stdin" else "ab") as stream:
        if redirected == "stdin":
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
            argv += ["--batch", "-", "-o", str(batch)]
        else:
            monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stream))
            argv += ["--batch", str(batch), "-o", "-"]
        where = "-o" if redirected == "stdin" else ""  # -o names a file / standard output
        assert refused(argv, capsys) == [("usage_output_is_input", where)]
    assert batch.read_bytes() == before


def test_cli_output_same_file_as_code_list_is_usage_error(
    tmp_path: Path, cert: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = tmp_path / "koder.txt"
    codes.write_text("F32\nF41\n", "utf-8")
    assert refused(_argv("icd10", cert, codes), capsys) == [("usage_output_is_input", "-o")]
    assert codes.read_text("utf-8") == "F32\nF41\n"


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "--to", "fhir"],
        ["convert", "--to", "fhir", "-o", "/dev/stdout"],  # -o naming stdout: no file named
        ["validate"],
        ["assess", "--on", ON],
        ["render"],
    ],
    ids=["convert", "convert-o-stdout", "validate", "assess", "render"],
)
def test_cli_output_stdout_redirected_to_the_input_is_usage_error(
    tmp_path: Path, command: list[str]
) -> None:
    # Also for a command with no -o: `validate intyg.json >> intyg.json` spoilt the input.
    cert = tmp_path / "intyg.json"
    cert.write_text(intyg.example_json(), "utf-8")
    with cert.open("ab") as append:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", command[0], str(cert), *command[1:]],
            stdout=append,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 2
    assert usage_errors(done.stderr.decode()) == [("usage_output_is_input", "")]
    assert cert.read_text("utf-8") == intyg.example_json()


def test_cli_output_other_file_beside_input_is_written(tmp_path: Path, cert: Path) -> None:
    out = tmp_path / "ut.json"
    assert main(["convert", str(cert), "--to", "fhir", "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["resourceType"] == "QuestionnaireResponse"


# ---------------------------------------------------------------- output targets


def test_cli_output_symlink_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "mål.json"
    target.write_text("gammalt", "utf-8")
    link = tmp_path / "länk.json"
    link.symlink_to(target.name)
    assert main(["example", "-o", str(link)]) == 0
    assert link.is_symlink()
    assert json.loads(target.read_text("utf-8")) == intyg.example()
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_output_batch_symlink_writes_its_target(tmp_path: Path, batch: Path) -> None:
    target = tmp_path / "mål.jsonl"
    link = tmp_path / "länk.jsonl"
    link.symlink_to(target.name)
    assert main(_argv("assess", batch, link)) == 0
    assert link.is_symlink()
    assert len(target.read_text("utf-8").splitlines()) == 3


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize("command", ["example", "convert", "render", "assess"])
def test_cli_output_not_a_regular_file_is_refused(
    tmp_path: Path,
    cert: Path,
    batch: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    command: str,
) -> None:
    out = tmp_path / "ut"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.mkdir()
    argv = ["example", "-o", str(out)] if command == "example" else _argv(command, cert, out)
    if command == "assess":
        argv = _argv(command, batch, out)
    assert main(argv) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    mode = out.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISDIR(mode)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("command", ["convert", "render", "assess"])
@pytest.mark.parametrize(
    "spelling",
    ["{input}/", "{input}/.", "{input}/../{name}", "saknas/../{name}", "ny/"],
    ids=["slash", "slash_dot", "through_the_file", "through_nothing", "new_folder"],
)
def test_cli_output_named_as_a_folder_or_through_one_that_is_not_is_refused(
    tmp_path: Path,
    cert: Path,
    batch: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    spelling: str,
) -> None:
    # The system reads "in.json/" as a folder and "saknas/../x" as a way through a folder that
    # is not there; read as text, both were the input itself, which was overwritten.
    monkeypatch.chdir(tmp_path)
    source = batch if command == "assess" else cert
    out = spelling.format(input=source.name, name=source.name)
    before = _tree(tmp_path)
    assert main(_argv(command, Path(source.name), out)) == 1
    assert _problem_places(capsys.readouterr().err) == [("output_unwritable", "-o")]
    assert _tree(tmp_path) == before


def test_cli_output_not_writable_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "skyddad.json"
    out.write_text("behåll", "utf-8")
    out.chmod(0o444)
    # root may write any file: stand in for a user who may not write this one.
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if Path(p) == out else real_access(p, mode)
    )
    assert main(["example", "-o", str(out)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    assert out.read_text("utf-8") == "behåll"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write any file")
def test_cli_output_read_only_file_is_refused_for_a_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "skyddad.json"
    out.write_text("behåll", "utf-8")
    out.chmod(0o444)
    assert main(["example", "-o", str(out)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    assert out.read_text("utf-8") == "behåll"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root may give a file")
def test_cli_output_replaced_file_keeps_its_owner(tmp_path: Path) -> None:
    # A file another user owns, replaced by root (as CI runs): it stays theirs.
    old = tmp_path / "deras.json"
    old.write_text("gammalt", "utf-8")
    os.chown(old, 4321, 8765)
    assert main(["example", "-o", str(old)]) == 0
    assert (old.stat().st_uid, old.stat().st_gid) == (4321, 8765)
    assert json.loads(old.read_text("utf-8")) == intyg.example()


def test_cli_output_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    old = tmp_path / "delad.json"
    old.write_text("gammalt", "utf-8")
    old.chmod(0o640)
    new = tmp_path / "ny.json"
    assert main(["example", "-o", str(old)]) == 0
    assert main(["example", "-o", str(new)]) == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert json.loads(old.read_text("utf-8")) == intyg.example()


def test_cli_output_dev_stdout_is_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["example", "-o", "/dev/stdout"]) == 0
    assert json.loads(capsys.readouterr().out) == intyg.example()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- assess --batch -o -


@pytest.mark.parametrize("out", ["-", "/dev/stdout"])
def test_cli_output_batch_dash_streams_to_stdout(
    tmp_path: Path,
    batch: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    out: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(_argv("assess", batch, out)) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["line"] for x in lines] == [1, 2, 3]
    assert all(x["valid"] for x in lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


# ---------------------------------------------------------------- standard output fails


class _FullStdout(io.TextIOWrapper):
    """Standard output on a full disk: every write fails with ENOSPC."""

    class _Raw(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def __init__(self) -> None:
        super().__init__(io.BufferedWriter(self._Raw()), encoding="utf-8")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        # What is still buffered can never be written: drop it without an error, and close the
        # buffer too, so that nothing tries to write it again when the stream is collected
        # (Python 3.13 reports such a failure as an unraisable exception).
        with contextlib.suppress(OSError):
            self.buffer.close()


@contextlib.contextmanager
def _stdout(stream: TextIO | None) -> Iterator[None]:
    """Standard output replaced for one call of main (which may replace it again)."""
    old = sys.stdout
    sys.stdout = stream  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = old


STDOUT_COMMANDS = [
    ["example"],
    ["example", "--format", "fhir"],
    ["validate", "{cert}"],
    ["validate", "--json", "{cert}"],
    ["convert", "{cert}", "--to", "fhir"],
    ["rules"],
    ["rules", "--json"],
    ["assess", "{cert}", "--on", ON],
    ["assess", "--batch", "{batch}", "-o", "-", "--on", ON],
    ["render", "--example"],
    ["schema", "--print", "jsonschema"],
]


@pytest.mark.parametrize("argv", STDOUT_COMMANDS, ids=" ".join)
def test_cli_output_full_stdout_is_coded(
    cert: Path, batch: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with _stdout(_FullStdout()):
        assert main([a.format(cert=cert, batch=batch) for a in argv]) == 1
    assert _codes(capsys.readouterr().err) == ["stdout_unwritable"]


@pytest.mark.parametrize("argv", STDOUT_COMMANDS, ids=" ".join)
def test_cli_output_closed_stdout_is_coded(
    cert: Path, batch: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with _stdout(None):
        assert main([a.format(cert=cert, batch=batch) for a in argv]) == 1
    assert _codes(capsys.readouterr().err) == ["stdout_unwritable"]


def test_cli_output_closed_stdout_is_no_error_for_a_file(tmp_path: Path, cert: Path) -> None:
    out = tmp_path / "ut.json"
    with _stdout(None):
        assert main(["convert", str(cert), "--to", "fhir", "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["resourceType"] == "QuestionnaireResponse"


def _intyg_subprocess(*argv: str, limit: int | None = None) -> list[str]:
    """``python -m intyg`` (with a file size limit: a full disk for standard output)."""
    if limit is None:
        return [sys.executable, "-m", "intyg", *argv]
    code = (
        f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
        "from intyg._cli import main; sys.exit(main())"
    )
    return [sys.executable, "-c", code, *argv]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file size limits and shell")
@pytest.mark.parametrize("unbuffered", ["", "1"])  # unbuffered, a short write is no error
@pytest.mark.parametrize("argv", [["example"], ["rules"], ["validate", "--json", "{cert}"]])
def test_cli_output_stdout_over_file_size_limit_is_coded(
    tmp_path: Path, cert: Path, argv: list[str], unbuffered: str
) -> None:
    args = [a.format(cert=cert) for a in argv]
    with (tmp_path / "stdout").open("wb") as stdout:
        done = subprocess.run(
            _intyg_subprocess(*args, limit=10),
            stdout=stdout,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": unbuffered},
            check=False,
        )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert _codes(err) == ["stdout_unwritable"]
    assert "Traceback" not in err


def test_cli_output_closed_stdout_stand_in_closes_quietly_once_it_failed() -> None:
    # A failed write is told by the next flush; closing it afterwards (at exit, or when it is
    # collected, which Python 3.13 reports on stderr if close raises) must not raise again.
    out = NoOutput(fail=True)
    with pytest.raises(OSError):
        out.write("x")
    with pytest.raises(OSError):
        out.flush()
    out.close()
    assert out.closed


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_cli_output_stdout_closed_by_shell_is_coded() -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$0" -m intyg example >&-', sys.executable],
        capture_output=True,
        check=False,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert _codes(err) == ["stdout_unwritable"]
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names as bytes")
@pytest.mark.parametrize(
    "args",
    [[b"validate", b"intyg.json", b"\xff\xfe"], [b"--\xff", b"validate"]],
    ids=["extra_argument", "unknown_option"],
)
def test_cli_argument_that_is_no_utf8_is_a_usage_error(
    args: list[bytes], tmp_path: Path, cert: Path
) -> None:
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"intyg", *args],
        cwd=cert.parent,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and b"\\udcff" in done.stderr  # shown escaped


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_cli_batch_whose_messages_cannot_be_written_still_succeeds(
    tmp_path: Path, batch: Path
) -> None:
    # The summary on stderr is for a person: a full stderr is no failure of the run.
    out = tmp_path / "out.jsonl"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", *_argv("assess", batch, out)],
            stdout=subprocess.DEVNULL,
            stderr=full,
            check=False,
        )
    assert done.returncode == 0
    assert len(out.read_bytes().splitlines()) == 3


def test_cli_out_of_memory_is_coded(
    tmp_path: Path, cert: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def short_of_memory(*_args: Any, **_kwargs: Any) -> Any:
        raise MemoryError

    from intyg import _quick

    monkeypatch.setattr(_quick, "validate_quickly", short_of_memory)
    assert main(["validate", str(cert)]) == 1
    assert _codes(capsys.readouterr().err) == ["out_of_memory"]


_SHORT_OF_MEMORY = """
import resource, sys
import intyg
from intyg._cli import main
intyg.validate(intyg.example_json())  # everything loaded and built once
with open("/proc/self/status") as status:
    size = next(int(x.split()[1]) * 1024 for x in status if x.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + 16 * 1024**2, resource.RLIM_INFINITY))
sys.exit(main(["validate", sys.argv[1]]))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_cli_out_of_memory_in_the_compiled_reader_ends_coded_even_with_rust_backtrace(
    tmp_path: Path,
) -> None:
    # 1 MB of empty objects takes jiter about 30 MB; 16 MB more than the command has loaded
    # makes it panic. With RUST_BACKTRACE=1 (set in many developer and CI environments) the
    # panic handler hung for good, deaf to SIGTERM; the command line turns the backtrace off.
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b"{}," * 340_000 + b"{}]")  # under 1 MiB: read without a count
    done = subprocess.run(
        [sys.executable, "-c", _SHORT_OF_MEMORY, str(big)],
        capture_output=True,
        env={**os.environ, "RUST_BACKTRACE": "1"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    # jiter may print its panic (pyo3 even the start of a traceback) first: not intyg's to stop
    assert _codes(done.stdout.decode() + done.stderr.decode()) == ["out_of_memory"]


def test_a_panic_in_the_compiled_reader_leaves_the_verdict_to_the_careful_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intyg import _read

    panic = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})

    def panics(_raw: Any) -> Any:
        raise panic("allocation failed")

    monkeypatch.setattr(_read, "_quick_parse", panics)
    assert intyg.validate(intyg.example_json()).valid
    assert intyg.validate(b"{").problems[0].code == "json_syntax"
    other = type("Other", (BaseException,), {})

    def fails(_raw: Any) -> Any:
        raise other

    monkeypatch.setattr(_read, "_quick_parse", fails)
    with pytest.raises(other):  # anything else is not the reader's to hide
        intyg.validate(intyg.example_json())


@pytest.mark.parametrize(
    ("err", "code"),
    [
        (errno.ENOSPC, "output_no_space"),
        (errno.EFBIG, "output_no_space"),
        *([(errno.EDQUOT, "output_no_space")] if hasattr(errno, "EDQUOT") else []),
        (errno.EIO, "output_unwritable"),
    ],
)
@pytest.mark.parametrize("command", ["convert", "assess", "schema"])
def test_cli_output_full_disk_is_said_as_such(
    tmp_path: Path,
    batch: Path,
    cert: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    err: int,
    code: str,
    command: str,
) -> None:
    from intyg import _atomic

    def fsync(fd: int) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(_atomic.os, "fsync", fsync)
    out = tmp_path / "ut"
    argv = {
        "convert": _argv("convert", cert, out),
        "assess": _argv("assess", batch, out),
        "schema": ["schema", "--write", "--dir", str(out)],
    }[command]
    before = _tree(tmp_path)
    assert main(argv) == 1
    assert _codes(capsys.readouterr().err) == [code]
    assert _tree(tmp_path) == before  # nothing written, nothing left


# ---------------------------------------------------------------- stopped runs


def test_json_line_passes_on_a_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    from intyg._assessment import _output

    def stopped(value: Any) -> Any:
        raise KeyboardInterrupt  # as a signal raises it in whatever Python code runs

    monkeypatch.setattr(_output, "_as_json_data", stopped)
    with pytest.raises(KeyboardInterrupt):
        _output.json_line({"x": object()})


def _stop_in_handler(monkeypatch: pytest.MonkeyPatch, signum: int) -> None:
    def example(args: Any) -> int:
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises before this ends
        return 0

    monkeypatch.setattr(_cli, "_cmd_example", example)


@pytest.mark.parametrize(
    "name", ["SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU", "SIGPROF"]
)
def test_cli_stopped_exits_128_plus_signal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    if not hasattr(signal, name):
        pytest.skip(f"no {name} here")
    signum = getattr(signal, name)
    before = signal.getsignal(signum)
    _stop_in_handler(monkeypatch, signum)
    assert main(["example"]) == 128 + signum
    assert "Traceback" not in capsys.readouterr().err
    assert signal.getsignal(signum) == before  # main's handlers are gone afterwards


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="holds signals")
@pytest.mark.parametrize("command", ["convert", "assess"])
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_cli_stop_just_after_the_output_is_in_place_ends_as_done(
    tmp_path: Path,
    cert: Path,
    batch: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    name: str,
) -> None:
    # The stop arrives the moment the new file has taken the old one's place: the output is
    # whole, so the command ends as done (0), not as stopped with the new file in place.
    from intyg import _atomic

    real_replace = os.replace

    def replace_then_stop(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        os.kill(os.getpid(), getattr(signal, name))

    monkeypatch.setattr(_atomic.os, "replace", replace_then_stop)
    out = tmp_path / "ut"
    out.write_text("gammal", "utf-8")
    source = cert if command == "convert" else batch
    assert main(_argv(command, source, out)) == 0
    assert "Avbrutet" not in capsys.readouterr().err
    text = out.read_text("utf-8")
    if command == "convert":
        assert json.loads(text)["resourceType"] == "QuestionnaireResponse"
    else:
        assert len(text.splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ut", cert.name, batch.name])


def test_cli_output_written_in_another_thread_marks_no_commit(tmp_path: Path, cert: Path) -> None:
    # Only the main thread's command can be stopped by a signal; another thread's output must
    # not make a stopped main-thread command end as done.
    import threading

    from intyg import _signals

    _signals.reset()
    out = tmp_path / "ut.json"
    thread = threading.Thread(target=main, args=(_argv("convert", cert, out),))
    thread.start()
    thread.join()
    assert out.is_file() and not _signals.is_committed()


def _swallowed_stop(signum: int) -> None:
    """Send ``signum`` and lose the exception its handler raises, as a library may (pydantic
    building a model wraps it; a ``__del__`` can only print it)."""
    try:
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises before this ends
    except BaseException:  # losing it is the point
        pass


@pytest.mark.parametrize("how", ["raised", "lost"])
# SIGXCPU (a CPU-time limit) and SIGUSR1 ended the process with the temporary file left.
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM", "SIGXCPU", "SIGUSR1"])
def test_cli_stopped_batch_leaves_no_file(
    tmp_path: Path, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch, name: str, how: str
) -> None:
    # "lost": a library swallowed the exception the handler raised; the noted stop still ends
    # the run before the next chunk.
    if not hasattr(signal, name):
        pytest.skip(f"no {name} here")
    signum = getattr(signal, name)
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example) + "\n") * 40, "utf-8")
    monkeypatch.setattr(_batch, "LOCAL_CHUNK_LINES", 4)
    work = _batch._work
    calls = []

    def stop_on_third_chunk(chunk: Any, on: Any, icd10: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 3:
            if how == "lost":
                _swallowed_stop(signum)
            elif signum == signal.SIGINT:
                raise KeyboardInterrupt
            else:
                os.kill(os.getpid(), signum)
                time.sleep(5)
        return work(chunk, on, icd10)

    monkeypatch.setattr(_batch, "_work", stop_on_third_chunk)
    assert main(_argv("assess", src, tmp_path / "ut.jsonl")) == 128 + signum
    assert len(calls) == 3  # it went no further
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("how", ["lost", "wrapped", "in_del"])
def test_cli_stop_that_a_library_lost_or_wrapped_replaces_no_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    out = tmp_path / "ut.json"
    out.write_text("förut", "utf-8")
    example_json = intyg.example_json

    class StopsWhenGone:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)  # printed by Python, never raised here

    def stopped_on_the_way() -> str:
        if how == "lost":
            _swallowed_stop(signal.SIGTERM)
        elif how == "in_del":
            StopsWhenGone()
        else:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            except BaseException as exc:
                raise RuntimeError("the library's own error") from exc
        return example_json()

    monkeypatch.setattr(intyg, "example_json", stopped_on_the_way)
    assert main(["example", "-o", str(out)]) == 128 + signal.SIGTERM
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert out.read_text("utf-8") == "förut"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ut.json"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_cli_stopped_batch_subprocess_leaves_no_file(
    tmp_path: Path, example: dict[str, Any], name: str, workers: str
) -> None:
    signum = getattr(signal, name)
    lines = (json.dumps(example, ensure_ascii=False) + "\n").encode() * 2_000
    out = tmp_path / "ut.jsonl"
    argv = _intyg_subprocess("assess", "--batch", "-", "-o", str(out), "--on", ON)
    # Its own process group: the signal goes to the workers too, as from a terminal or systemd.
    # Its input is a pipe kept open, so the run cannot end before the signal, however fast.
    proc = subprocess.Popen(
        [*argv, "--workers", workers],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stdin is not None and proc.stderr is not None
    try:
        proc.stdin.write(lines)
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".ut.jsonl.*.tmp")):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # well into the run
        os.killpg(proc.pid, signum)
        proc.wait(timeout=60)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == 128 + signum
    assert "Traceback" not in err.decode("utf-8")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- schema --write


def test_cli_schema_write_dir_is_a_file_is_coded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "ex.json"
    file.write_text("{}", "utf-8")
    assert main(["schema", "--write", "--dir", str(file)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    assert file.read_text("utf-8") == "{}"


def test_cli_schema_write_file_in_the_way_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "part"
    root.mkdir()
    (root / "lakarintyg-socialnamnd").touch()
    before = _tree(root)
    assert main(["schema", "--write", "--dir", str(root)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    assert _tree(root) == before


def test_cli_schema_write_read_only_folder_is_coded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "skyddad"
    root.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if Path(p) == root else real_access(p, mode)
    )
    assert main(["schema", "--write", "--dir", str(root)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_unwritable"]
    assert list(root.iterdir()) == []


def test_cli_schema_write_failure_midway_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "schemas"
    assert main(["schema", "--write", "--dir", str(root)]) == 0
    some = sorted(p for p in root.rglob("*.json"))
    some[0].write_text("ändrad", "utf-8")  # rewritten first, so restored
    some[-1].unlink()  # to be written anew: fails
    before = _tree(root)
    written: list[Path] = []
    real = _publish.write_atomic

    def fail_on_second(path: Path, data: bytes, **kwargs: Any) -> None:
        if len(written) == 1:
            written.append(path)
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        real(path, data, **kwargs)

    monkeypatch.setattr(_publish, "write_atomic", fail_on_second)
    capsys.readouterr()
    assert main(["schema", "--write", "--dir", str(root)]) == 1
    assert _codes(capsys.readouterr().err) == ["output_no_space"]  # the error was ENOSPC
    assert _tree(root) == before


@pytest.fixture
def another_thread() -> Iterator[None]:
    """A second thread alive while the test runs, as in a host application or a test runner
    with threads of its own: the system may hand a signal to it instead of to a main thread
    that holds the signal back, and Python then runs the handler in the main thread anyway."""
    import threading

    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.parametrize(
    "when", ["before_replacing", "after_replacing", "twice", "twice_with_another_thread"]
)
def test_cli_schema_write_stopped_midway_restores_everything(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    when: str,
) -> None:
    # The stop is noted; putting back what was written must not be stopped by it, nor by a
    # second signal while it is put back, and a file that had just taken its place goes back.
    if when == "twice_with_another_thread":
        request.getfixturevalue("another_thread")
    root = tmp_path / "schemas"
    assert main(["schema", "--write", "--dir", str(root)]) == 0
    files = sorted(root.rglob("*.json"))
    for path in files[:4]:
        path.write_text("ändrad", "utf-8")  # to be written again
    before = _tree(root)
    calls: list[Path] = []
    real = _publish.write_atomic

    def stop_on_third(path: Path, data: bytes, **kwargs: Any) -> None:
        calls.append(path)
        if len(calls) == 3 and when == "after_replacing":
            real(path, data, **kwargs)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises before this ends
        if len(calls) == 4 and when.startswith("twice"):  # the first file put back: Ctrl-C too
            os.kill(os.getpid(), signal.SIGINT)
        real(path, data, **kwargs)

    monkeypatch.setattr(_publish, "write_atomic", stop_on_third)
    capsys.readouterr()
    assert main(["schema", "--write", "--dir", str(root)]) in (
        128 + signal.SIGTERM,
        128 + signal.SIGINT,
    )
    assert _tree(root) == before


def test_cli_stop_ends_with_its_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: Path
) -> None:
    # A stop noted in one run of main does not stop the next thing the process does.
    from intyg import _signals

    monkeypatch.setattr(intyg, "example_json", lambda: _swallowed_stop(signal.SIGTERM) or "{}")
    assert main(["example", "-o", str(tmp_path / "a.json")]) == 128 + signal.SIGTERM
    assert _signals.received() is None
    out = tmp_path / "ut.jsonl"
    with batch.open("rb") as source:
        assert _batch.run_batch(source, out, on=None).lines == 3


def test_cli_main_in_another_thread_leaves_signals_alone(tmp_path: Path, cert: Path) -> None:
    import threading

    results: list[int] = []
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=lambda: results.append(main(["validate", str(cert)])))
    thread.start()
    thread.join()
    assert results == [0]
    assert {s: signal.getsignal(s) for s in before} == before


def test_cli_calls_that_overlap_leave_stderr_as_they_found_it(
    cert: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each call makes stderr quiet about its own failures while it runs; calls in two threads
    # that overlap (A starts, B starts, A ends, B ends) must not leave one's wrapper behind.
    import threading

    real_finish = _cli._finish
    started, a_done = threading.Event(), threading.Event()

    def finish(argv: Any) -> int:
        if argv[0] == "validate":  # A: waits until B has started
            started.wait(10)
            status = real_finish(argv)
            a_done.set()
            return status
        started.set()  # B: ends after A
        a_done.wait(10)
        return real_finish(["validate", *argv[1:]])

    monkeypatch.setattr(_cli, "_finish", finish)
    before = sys.stderr
    results: list[int] = []
    a = threading.Thread(target=lambda: results.append(main(["validate", str(cert)])))
    b = threading.Thread(target=lambda: results.append(main(["b", str(cert)])))
    a.start()
    b.start()
    a.join(20)
    b.join(20)
    assert results == [0, 0]
    assert sys.stderr is before


def test_cli_schema_write_into_new_folder_failing_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_publish, "write_atomic", fail)
    assert main(["schema", "--write", "--dir", str(tmp_path / "ny")]) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"]])
def test_cli_output_help_to_full_stdout_is_coded(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with _stdout(_FullStdout()):
        assert main(args) == 1
    assert _codes(capsys.readouterr().err) == ["stdout_unwritable"]


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["assess", "--help"]])
def test_cli_output_help_to_closed_stdout_is_coded(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse drops the error of its own write; the command still says it printed nothing.
    monkeypatch.setattr(sys, "stdout", None)  # as `>&-` leaves it
    assert main(args) == 1
    assert _codes(capsys.readouterr().err) == ["stdout_unwritable"]


@pytest.mark.parametrize(
    "args",
    [["validate", "-"], ["convert", "-", "--to", "fhir"], ["assess", "--batch", "-", "-o", "-"]],
    ids=" ".join,
)
def test_cli_closed_stdin_is_coded(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert main(args) == 1
    assert _codes(capsys.readouterr().err) == ["file_unreadable"]


@pytest.mark.parametrize("content", [b"skrap\n", b"\xff\xfe"], ids=["malformed", "not_utf8"])
def test_cli_schema_write_with_broken_sums_writes_nothing(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "schemas"
    assert main(["schema", "--write", "--dir", str(root)]) == 0
    capsys.readouterr()
    (root / "SHA256SUMS").write_bytes(content)
    (root / "bedomning" / "1.0.0" / "bedomning.schema.json").unlink()
    before = _tree(root)
    assert main(["schema", "--write", "--dir", str(root)]) == 1
    assert _codes(capsys.readouterr().err) == ["schema_checksum"]
    assert _tree(root) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
@pytest.mark.parametrize(
    "argv",
    [
        ("convert", "--to", "fhir", "{cert}", "-o", "{out}"),
        ("example", "-o", "{out}"),
        ("assess", "--batch", "{batch}", "-o", "{out}"),
    ],
)
def test_cli_output_name_the_file_system_encoding_cannot_hold_as_text(
    tmp_path: Path, cert: Path, batch: Path, argv: tuple[str, ...]
) -> None:
    # With an ASCII file system encoding (no UTF-8 mode), a name typed in a UTF-8 terminal
    # reaches Python as undecodable bytes; its temporary file's name must keep them as bytes.
    out = tmp_path / "ut-åäö.json"
    names = {"cert": str(cert), "batch": str(batch), "out": "ut-åäö.json"}
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "intyg", *(a.format(**names) for a in argv)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr.count(b"Traceback")) == (0, 0), done.stderr[-600:]
    assert out.stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_a_problem_of_the_run_is_not_placed_in_the_document() -> None:
    # stdout, memory or PDF support are no part of what was read: no "(hela dokumentet)".
    from intyg._cli import print_problems
    from intyg._problems import make_problem

    out = io.StringIO()
    codes = ["stdout_unwritable", "pdf_unavailable", "out_of_memory", "empty_input", "json_syntax"]
    print_problems([make_problem(code, "") for code in codes], out)
    lines = out.getvalue().splitlines()
    assert [line.startswith("FEL: (hela dokumentet): ") for line in lines] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert _codes(out.getvalue()) == codes


@pytest.mark.skipif(not Path("/dev/fd/1").exists(), reason="needs /dev/fd")
@pytest.mark.parametrize("name", ["/dev/fd/1", "/proc/self/fd/1", "/dev/stdout"])
def test_cli_output_named_as_the_appended_stdout_is_appended_to(
    tmp_path: Path, batch: Path, name: str
) -> None:
    # `-o /dev/fd/1 >> logg` replaced the log, as a file, with the run's output: what was in
    # it was lost. A name for the file stdout writes to is stdout.
    if not Path(name).exists():
        pytest.skip(f"no {name} here")
    log = tmp_path / "logg.txt"
    log.write_text("tidigare\n", "utf-8")
    with log.open("ab") as append:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", *_argv("assess", batch, name)],
            stdout=append,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    lines = log.read_text("utf-8").splitlines()
    assert lines[0] == "tidigare"
    assert len(lines) == 1 + len(batch.read_bytes().splitlines())


@pytest.mark.skipif(not Path("/dev/stderr").exists(), reason="needs /dev/stderr")
@pytest.mark.parametrize("command", ["assess", "convert"])
def test_cli_output_named_as_the_redirected_stderr_is_usage_error(
    tmp_path: Path, batch: Path, cert: Path, command: str
) -> None:
    log = tmp_path / "fel.txt"
    log.write_text("tidigare\n", "utf-8")
    source = batch if command == "assess" else cert
    with log.open("ab") as append:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", *_argv(command, source, "/dev/stderr")],
            stdout=subprocess.PIPE,
            stderr=append,
            check=False,
        )
    assert done.returncode == 2
    text = log.read_text("utf-8")
    assert text.startswith("tidigare\n")
    assert usage_errors(text) == [("usage_output_is_stderr", "")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["fel.txt", batch.name, cert.name])


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_cli_output_to_stdout_shared_with_stderr_is_written(tmp_path: Path, batch: Path) -> None:
    # `-o /dev/stdout > logg 2>&1`: standard error writes to the same regular file, but -o
    # names standard output, which is written to as it comes, not replaced.
    log = tmp_path / "logg.txt"
    with log.open("wb") as both:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", *_argv("assess", batch, "/dev/stdout")],
            stdout=both,
            stderr=both,
            check=False,
        )
    assert done.returncode == 0
    lines = log.read_bytes().splitlines()
    assert [json.loads(line)["valid"] for line in lines[:-1]] == [True, True, True]
    assert len(lines) == 4  # and the summary, last


@pytest.mark.skipif(not Path("/dev/stderr").exists(), reason="needs /dev/stderr")
def test_cli_output_named_as_stderr_that_is_no_regular_file_is_refused_as_output(
    tmp_path: Path, batch: Path
) -> None:
    # `-o /dev/stderr 2>/dev/null`: no log is lost (it is no file), so no usage error; the
    # target is a device, which is not replaced: output_unwritable, exit 1.
    done = subprocess.run(
        [sys.executable, "-m", "intyg", *_argv("assess", batch, "/dev/stderr")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == b""


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_cli_batch_from_and_to_the_null_device_is_no_output_is_input() -> None:
    # `--batch - -o - < /dev/null > /dev/null`: the same device on both sides is no file
    # that could be overwritten: an empty run, exit 0.
    with open(os.devnull, "rb") as nothing_in, open(os.devnull, "wb") as nothing_out:
        done = subprocess.run(
            [sys.executable, "-m", "intyg", "assess", "--batch", "-", "-o", "-", "--on", ON],
            stdin=nothing_in,
            stdout=nothing_out,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert b"[usage_" not in done.stderr


def test_main_leaves_the_signal_handlers_and_hooks_as_it_found_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # main may be called in a long-lived process: its handlers are for its own run only. One
    # that is ignored (nohup) or a host's own Ctrl-C handler is not replaced even then.
    import threading

    from intyg._cli_process import signals_stop

    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        pytest.skip("signal handlers are set in the main thread only")

    def host_handler(signum: int, frame: Any) -> None:  # pragma: no cover - never called
        pass

    old_int = signal.signal(signal.SIGINT, host_handler)
    old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        hook = sys.unraisablehook
        with signals_stop():
            inside = {s: signal.getsignal(s) for s in before}
            unraisable = sys.unraisablehook
        assert inside[signal.SIGTERM] is not before[signal.SIGTERM]  # its own, during the run
        assert unraisable is not hook
        assert inside[signal.SIGINT] is host_handler  # the host's own Ctrl-C handler stays
        assert inside[signal.SIGHUP] is signal.SIG_IGN  # ignored (nohup) stays ignored
        assert {s: signal.getsignal(s) for s in before} == before
        assert sys.unraisablehook is hook
        assert main(["validate", "--example"]) == 0
        assert {s: signal.getsignal(s) for s in before} == before
        assert sys.unraisablehook is hook
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGHUP, old_hup)
    capsys.readouterr()


def test_a_handler_python_cannot_name_is_restored_as_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # getsignal() gives None for a handler not set from Python (an embedding host's own);
    # signal() takes no None back, so the default action is what is put back.
    import threading

    from intyg._cli_process import signals_stop

    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        pytest.skip("signal handlers are set in the main thread only")
    real_getsignal, real_signal = signal.getsignal, signal.signal
    saved = real_getsignal(signal.SIGTERM)
    set_to: list[Any] = []

    def getsignal(signum: int) -> Any:
        return None if signum == signal.SIGTERM else real_getsignal(signum)

    def recording_signal(signum: int, handler: Any) -> Any:
        if signum == signal.SIGTERM:
            set_to.append(handler)
        return real_signal(signum, handler)

    monkeypatch.setattr(signal, "getsignal", getsignal)
    monkeypatch.setattr(signal, "signal", recording_signal)
    try:
        with signals_stop():
            pass
    finally:
        real_signal(signal.SIGTERM, saved)
    assert len(set_to) == 2 and set_to[0] is not signal.SIG_DFL  # its own, then the default
    assert set_to[1] is signal.SIG_DFL


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "full"), ValueError("closed")])
def test_quiet_errors_drops_what_cannot_be_written_and_says_so_to_no_one(
    failure: Exception,
) -> None:
    # A closed descriptor (ValueError) or a full disk (OSError) on stderr never fails the run.
    from intyg._cli_process import QuietErrors

    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise failure

        def flush(self) -> None:
            raise failure

        def isatty(self) -> bool:
            raise failure

    quiet = QuietErrors(Broken())
    assert quiet.write("text") == 4
    quiet.flush()
    assert quiet.isatty() is False
