"""Worker processes of batch mode: order, and no hang or wrong code when a worker fails.

The failures are made real (a worker killed with SIGKILL, a start that fails as ``fork`` does
at a limit on processes); each run that could hang runs in a subprocess with a deadline.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import multiprocessing.connection
import multiprocessing.process
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intyg import _batch, _pool
from intyg._batch import run_batch
from intyg._cli import main
from intyg._pool import WINDOW, WorkerLost, WorkerPool, usable_cpus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and signals")

ON = "2026-11-24"


def _square(x: int) -> int:
    return x * x


def _slow_first(x: int) -> int:
    if x == 0:
        time.sleep(0.5)  # the other worker finishes many tasks meanwhile
    return x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise KeyError(x)
    return x


def _no_threads() -> None:
    """In a worker: no thread can be started, as at a limit on processes (threads count)."""
    import threading

    def refuse(self: Any) -> None:
        raise RuntimeError("can't start new thread")

    threading.Thread.start = refuse  # type: ignore[method-assign]


def _stop_signals_blocked(x: int) -> bool:
    """In a worker: whether any stop signal is blocked now."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    return bool(mask & {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def test_pool_starts_workers_with_stop_signals_held_and_serves_with_them_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Ctrl-C to the process group in the moment after fork, before the worker's initializer,
    # would raise in the child with the parent's handler (a traceback of multiprocessing's).
    seen: list[bool] = []
    start = multiprocessing.process.BaseProcess.start

    def recording_start(self: Any) -> None:
        seen.append(_stop_signals_blocked(0))
        start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", recording_start)
    assert not _stop_signals_blocked(0)
    with WorkerPool(_stop_signals_blocked, 2) as pool:
        assert list(pool.imap([(0,), (1,)])) == [False, False]  # unblocked in the worker
    assert seen == [True, True]
    assert not _stop_signals_blocked(0)  # and in the parent again


def test_worker_task_reader_ends_on_any_error_without_a_traceback() -> None:
    # Out of memory while receiving a task: the reading thread ends the worker's work quietly
    # (threading would print a traceback); the parent, missing results, says batch_worker_lost.
    class Broken:
        def recv(self) -> Any:
            raise MemoryError

        def fileno(self) -> int:
            return read_end

    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"x")  # readable, so wait() returns it
        inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        _pool._read_tasks(Broken(), inbox)  # type: ignore[arg-type]
        assert inbox.get_nowait() is None
    finally:
        os.close(read_end)
        os.close(write_end)


def _die_on_three(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_pool_gives_results_in_task_order() -> None:
    with WorkerPool(_square, 2) as pool:
        assert pool.size == 2
        assert list(pool.imap((i,) for i in range(50))) == [i * i for i in range(50)]


def test_pool_keeps_task_order_when_results_come_out_of_order() -> None:
    with WorkerPool(_slow_first, 2) as pool:
        assert list(pool.imap((i,) for i in range(40))) == list(range(40))


class _Tasks:
    """The tasks ``(0,)`` to ``(n - 1,)``, counting how many were taken."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.taken = 0

    def __iter__(self) -> Iterator[tuple[int]]:
        for i in range(self.n):
            self.taken += 1
            yield (i,)


def test_pool_takes_a_bounded_number_of_tasks_ahead_of_its_results() -> None:
    tasks = _Tasks(200)
    ahead: list[int] = []
    with WorkerPool(_slow_first, 2) as pool:  # the first result is late: the rest wait
        workers = pool.size
        for given, _ in enumerate(pool.imap(tasks), start=1):
            ahead.append(tasks.taken - given)  # taken from the source, not yet given back
    assert tasks.taken == 200
    assert max(ahead) < WINDOW * workers  # what memory holds is a bounded number of tasks


def test_usable_cpus_follows_the_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {1, 3}, raising=False)
    assert usable_cpus() == 2
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # not on every system
    assert usable_cpus() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cpus() == 1


@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset (util-linux)")
def test_usable_cpus_under_taskset_is_one() -> None:
    code = "from intyg._pool import usable_cpus; print(usable_cpus())"
    run = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.strip() == "1"


def test_pool_passes_on_what_the_function_raised_in_its_turn() -> None:
    got: list[int] = []
    with WorkerPool(_fail_on_three, 2) as pool, pytest.raises(KeyError):
        for result in pool.imap((i,) for i in range(10)):
            got.append(result)
    assert got == [0, 1, 2]  # the results before it came first


def test_pool_leaves_out_workers_that_never_became_ready() -> None:
    with WorkerPool(_square, 2, initializer=_no_threads) as pool:
        assert pool.size == 0
    assert multiprocessing.active_children() == []


def test_pool_stopped_while_starting_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    real = multiprocessing.process.BaseProcess.start

    def start_then_stop(self: Any) -> None:
        real(self)
        raise KeyboardInterrupt  # Ctrl-C just after the first worker started

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start_then_stop)
    with pytest.raises(KeyboardInterrupt):
        WorkerPool(_square, 2)
    assert multiprocessing.active_children() == []


def _hang() -> None:
    """In a worker: never become ready (as a child stuck on a lock held at the fork)."""
    time.sleep(3600)


def test_pool_leaves_out_workers_that_hang_before_they_are_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pool's clock and wait, faked: each wait "times out" at once and moves the clock on by
    # its timeout. One deadline for all four: the first waits READY_SECONDS, the rest nothing
    # (not 4 x READY_SECONDS in turn); and the stuck workers are killed, not waited for.
    clock = [1000.0]
    timeouts: list[float] = []

    def wait(objects: Any, timeout: float) -> list[Any]:
        timeouts.append(timeout)
        clock[0] += timeout
        return []

    monkeypatch.setattr(_pool, "wait", wait)
    monkeypatch.setattr(_pool, "time", types.SimpleNamespace(monotonic=lambda: clock[0]))
    with WorkerPool(_square, 4, initializer=_hang) as pool:
        assert pool.size == 0
    assert timeouts == [_pool.READY_SECONDS, 0.0, 0.0, 0.0]
    assert multiprocessing.active_children() == []


def _blocked(x: int) -> list[int]:
    return sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_pool_workers_keep_the_mask_their_host_had() -> None:
    # The stop signals are held while a worker starts and given back as the parent had them:
    # a host that blocks signals, a stop signal among them, keeps them blocked in the workers.
    # (The default start method here: fork. With spawn or forkserver, multiprocessing's
    # resource tracker unblocks SIGINT and SIGTERM in the host itself when it starts.)
    own = {signal.SIGTERM, signal.SIGUSR1}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, own)
    try:
        with WorkerPool(_blocked, 2) as pool:
            assert list(pool.imap([(0,), (1,)])) == [sorted(map(int, own))] * 2
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def test_pool_close_twice_is_harmless() -> None:
    pool = WorkerPool(_square, 2)
    pool.close()
    pool.close()
    assert pool.size == 0 and multiprocessing.active_children() == []


def test_pool_reports_a_killed_worker() -> None:
    with WorkerPool(_die_on_three, 2) as pool, pytest.raises(WorkerLost):
        list(pool.imap((i,) for i in range(10)))


def test_pool_reports_a_killed_worker_where_a_closed_pipe_cannot_be_polled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On Windows, polling a closed, empty pipe raises BrokenPipeError instead of saying it
    # has ended: still a lost worker, never an error of the output (or of a reader gone away).
    import array
    import fcntl
    import termios

    real = multiprocessing.connection.Connection.poll

    def poll(self: Any, timeout: float = 0.0) -> bool:
        ready = bool(real(self, timeout))
        waiting = array.array("i", [0])
        fcntl.ioctl(self.fileno(), termios.FIONREAD, waiting)
        if ready and waiting[0] == 0:  # readable with nothing to read: the other end closed
            raise BrokenPipeError(109, "The pipe has been ended")
        return ready

    monkeypatch.setattr(multiprocessing.connection.Connection, "poll", poll)
    # One worker, one task it dies on: the task is sent, and the death is seen in the reply.
    with WorkerPool(_die_on_three, 1) as pool, pytest.raises(WorkerLost):
        list(pool.imap([(3,)]))


def _pid(_: int) -> int:
    return os.getpid()


class _Unreadable(Exception):
    """Pickles, but does not unpickle: its ``args`` are one value, its ``__init__`` takes two."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(a)


def _unreadable_on_two(x: int) -> int:
    if x == 2:
        raise _Unreadable(x, x)
    return x


def test_pool_gives_the_next_task_to_the_least_busy_worker() -> None:
    with WorkerPool(_pid, 2) as pool:
        assert len(set(pool.imap([(0,), (1,)]))) == 2  # one each, not both to the first


def test_pool_worker_holds_at_most_ahead_tasks() -> None:
    tasks = _Tasks(10)
    with WorkerPool(_slow_first, 1) as pool:
        results = pool.imap(tasks)
        assert (next(results), tasks.taken) == (0, _pool.AHEAD)
        assert list(results) == list(range(1, 10))


def test_pool_reply_that_cannot_be_read_is_that_tasks_error_in_its_turn() -> None:
    got: list[int] = []
    with WorkerPool(_unreadable_on_two, 2) as pool, pytest.raises(RuntimeError):
        for result in pool.imap((i,) for i in range(6)):
            got.append(result)
    assert got == [0, 1]  # not a lost worker: the worker is alive, only the reply is bad


def test_pool_without_workers_refuses_tasks() -> None:
    # Without the refusal it would wait for ever on no worker: asked on a thread of its own.
    raised: list[BaseException] = []

    def ask(pool: WorkerPool) -> None:
        try:
            next(pool.imap([(1,)]))
        except BaseException as exc:
            raised.append(exc)

    with WorkerPool(_square, 0) as pool:
        asking = threading.Thread(target=ask, args=(pool,), daemon=True)
        asking.start()
        asking.join(60)
    assert [type(e) for e in raised] == [ValueError]


def test_pool_killed_at_exit_only_by_the_process_that_started_it() -> None:
    # A child forked while a pool runs (by the host application) ends with the pool's exit
    # hook copied: it must not kill the parent's workers.
    with WorkerPool(_square, 2) as pool:
        pid = os.fork()
        if pid == 0:  # the child: run the hook as its exit would, and end
            try:
                pool._finalizer()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        assert list(pool.imap((i,) for i in range(10))) == [i * i for i in range(10)]


def test_pool_stopped_while_waiting_for_its_workers_leaves_none_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Killed at once, not when the half-made pool is collected (the traceback holds it).
    def stopped(*args: Any) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(WorkerPool, "_ready", stopped)
    with pytest.raises(KeyboardInterrupt) as info:
        WorkerPool(_square, 2)
    assert info.traceback  # the frames, and the pool in them, are still held here
    assert multiprocessing.active_children() == []


def test_pool_starts_no_more_workers_than_it_can_wait_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows before Python 3.13 waits on at most 63 handles, two per worker.
    monkeypatch.setattr(_pool, "WAIT_LIMITED", True)
    monkeypatch.setattr(_pool, "MOST_WORKERS_WAITED", 2)
    real_wait = _pool.wait

    def wait(objects: Any, timeout: float | None = None) -> Any:
        assert len(objects) <= 2 * 2
        return real_wait(objects, timeout)

    monkeypatch.setattr(_pool, "wait", wait)
    with WorkerPool(_square, 4) as pool:
        assert pool.size == 2
        assert list(pool.imap((i,) for i in range(20))) == [i * i for i in range(20)]


def test_pool_stops_its_workers_on_every_way_out() -> None:
    pool = WorkerPool(_square, 2)
    pids = [p.pid for p, _, _ in pool._workers]
    results = pool.imap((i,) for i in range(10))
    assert next(results) == 0
    results.close()  # abandoned part way
    for pid in pids:
        assert pid is not None
        with pytest.raises(ChildProcessError):  # reaped: not a child any more
            os.waitpid(pid, os.WNOHANG)
    assert pool.size == 0


def _failing_start(monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """Let ``allowed`` processes start; the next start fails as fork does at RLIMIT_NPROC."""
    started = [0]
    real = multiprocessing.process.BaseProcess.start

    def start(self: Any) -> None:
        if started[0] >= allowed:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        started[0] += 1
        real(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)


@pytest.mark.parametrize("allowed", [0, 1])
def test_batch_goes_on_when_workers_cannot_start(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allowed: int
) -> None:
    monkeypatch.setattr(_batch, "CHUNK_LINES", 3)
    data = ((json.dumps(example, ensure_ascii=False) + "\n") * 20).encode()
    alone = tmp_path / "alone.jsonl"
    run_batch(io.BytesIO(data), alone, workers=1)
    _failing_start(monkeypatch, allowed)
    out = tmp_path / "ut.jsonl"
    summary = run_batch(io.BytesIO(data), out, workers=4)
    assert summary.worker_processes == allowed and summary.lines == 20
    assert out.read_bytes() == alone.read_bytes()


@pytest.mark.parametrize(("pipes", "started"), [(0, 0), (1, 0), (2, 1), (3, 1)])
def test_batch_goes_on_when_no_file_descriptor_is_left_for_a_worker(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pipes: int,
    started: int,
) -> None:
    # ulimit -n: the output file is open, but a worker's pipes cannot be made (EMFILE). The
    # run goes on with the workers that have theirs, not as an output that cannot be written.
    data = ((json.dumps(example, ensure_ascii=False) + "\n") * 7).encode()
    alone = tmp_path / "alone.jsonl"
    run_batch(io.BytesIO(data), alone, workers=1)
    made = itertools.count()
    real_pipe = multiprocessing.connection.Pipe

    def pipe(duplex: bool = True) -> Any:
        if next(made) >= pipes:
            raise OSError(errno.EMFILE, "Too many open files")
        return real_pipe(duplex)

    monkeypatch.setattr(multiprocessing.connection, "Pipe", pipe)
    out = tmp_path / "ut.jsonl"
    summary = run_batch(io.BytesIO(data), out, workers=2)
    assert summary.worker_processes == started and summary.lines == 7
    assert out.read_bytes() == alone.read_bytes()


def test_batch_goes_on_when_workers_get_no_threads(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = ((json.dumps(example, ensure_ascii=False) + "\n") * 5).encode()
    monkeypatch.setattr(_batch, "_ignore_stop_signals", _no_threads)
    summary = run_batch(io.BytesIO(data), tmp_path / "ut.jsonl", workers=2)
    assert summary.worker_processes == 0 and summary.valid == 5


@pytest.mark.parametrize("allowed", [0, 1])
def test_cli_batch_says_when_fewer_workers_started(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    allowed: int,
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(example, ensure_ascii=False) + "\n", "utf-8")
    monkeypatch.setattr(_pool, "usable_cpus", lambda: 4)
    _failing_start(monkeypatch, allowed)
    argv = ["assess", "--batch", str(src), "-o", str(tmp_path / "ut.jsonl"), "--on", ON]
    assert main([*argv, "--workers", "4"]) == 0
    note = capsys.readouterr().err.splitlines()[-1]
    assert note.startswith("Obs:") and " 4 " in note
    assert (" 1 " in note) == (allowed == 1)  # no worker started is not "1 started"
    assert main(argv) == 0  # one process asked for: nothing to say
    assert "Obs:" not in capsys.readouterr().err


def test_cli_batch_says_nothing_when_every_worker_started(
    example: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example, ensure_ascii=False) + "\n") * 4, "utf-8")
    monkeypatch.setattr(_pool, "usable_cpus", lambda: 4)
    argv = ["assess", "--batch", str(src), "-o", str(tmp_path / "ut.jsonl"), "--on", ON]
    assert main([*argv, "--workers", "2"]) == 0
    assert "Obs:" not in capsys.readouterr().err


def _run(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test instead of stopping the suite
        check=False,
    )


@pytest.mark.slow
def test_batch_worker_killed_is_coded_and_leaves_no_file(
    example: dict[str, Any], tmp_path: Path
) -> None:
    """The out-of-memory killer's way: SIGKILL to a worker in the middle of a run, while the
    parent is sending it chunks. This hung for ever with ProcessPoolExecutor."""
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps(example, ensure_ascii=False) + "\n") * 4000, "utf-8")
    out = tmp_path / "ut.jsonl"
    done = _run(
        f"""
        import os, signal
        from pathlib import Path
        import intyg
        from intyg import _batch, _pool

        real = _batch._work

        def work(chunk, on, icd10=None):
            if chunk[0][0] > 1000:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(chunk, on, icd10)

        _batch._work = work
        try:
            with open({str(src)!r}, "rb") as fh:
                _batch.run_batch(fh, Path({str(out)!r}), workers=2)
        except intyg.OutputError as exc:
            print(*[p.code for p in exc.problems])
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["batch_worker_lost"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.slow
def test_pool_reply_that_cannot_be_sent_or_told_is_a_lost_worker() -> None:
    """A result that neither pickles nor prints: the worker ends, and the parent does not wait
    for ever."""
    done = _run(
        """
        from intyg._pool import WINDOW, WorkerLost, WorkerPool, usable_cpus

        class Mute:
            def __reduce__(self):
                raise TypeError("no pickling")

            def __str__(self):
                raise TypeError("no text")

        def mute(x):
            return Mute()

        try:
            with WorkerPool(mute, 1) as pool:
                list(pool.imap([(1,)]))
        except WorkerLost:
            print("lost")
        """,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["lost"]


@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """A parent killed with SIGKILL cannot stop its workers: they notice and end themselves,
    also while they are sending results larger than a pipe holds (a forked worker must not
    hold the parent's end of its own pipes, or it waits for ever)."""
    code = """
        import sys, time
        from intyg._batch import _ignore_stop_signals
        from intyg._pool import WorkerPool

        def big(x):
            time.sleep(x)
            return b"x" * 1_000_000

        pool = WorkerPool(big, 2, _ignore_stop_signals)  # as in a batch
        print(*[p.pid for p, _, _ in pool._workers], flush=True)
        next(pool.imap((0.0,) for _ in range(100)))
        time.sleep(600)
        """
    script = tmp_path / "pool_parent.py"
    script.write_text(
        "import sys\nsys.path[:0] = " + repr(sys.path) + "\n" + textwrap.dedent(code), "utf-8"
    )
    with subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True
    ) as parent:
        try:
            assert parent.stdout is not None
            pids = [int(p) for p in parent.stdout.readline().split()]
            assert len(pids) == 2
            parent.kill()
            parent.wait(timeout=30)
            deadline = time.monotonic() + 30
            while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not any(_alive(pid) for pid in pids)
        finally:
            if parent.poll() is None:
                parent.kill()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead and waiting for init to reap it, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_intyg_batch_summary_counts_workers_of_a_plain_run(
    example: dict[str, Any], tmp_path: Path
) -> None:
    data = (json.dumps(example, ensure_ascii=False) + "\n").encode() * 3
    assert run_batch(io.BytesIO(data), tmp_path / "a.jsonl", workers=1).worker_processes == 0
    summary = run_batch(io.BytesIO(data), tmp_path / "b.jsonl", workers=2)
    assert summary.worker_processes == 2
