"""Worker processes for batch mode: tasks in, results out in the same order, no hang on failure.

Not :class:`concurrent.futures.ProcessPoolExecutor`, because of two failures seen with it on
Python 3.11:

* a worker killed while chunks were being fed to it (by the out-of-memory killer, say) left the
  executor waiting for ever on its own feeder thread (CPython issue 94777);
* a fork that failed part way (a limit on processes) left the workers already started without
  anyone to stop them, and the program hung at exit.

Here every worker has a pipe for tasks and one for results, and nothing else. The parent gives
the next task to the least busy worker (at most two each), takes results as they come and
hands them on in task order, holding a bounded number that came early. A worker reads its tasks
and sends its results on threads of its own: the parent's sending never waits on a worker that
is itself waiting to send a result, and a worker goes on with its next task while the parent is
still reading another's result. A worker that dies is seen from its process sentinel or a
broken pipe (:class:`WorkerLost`); every way out of :meth:`WorkerPool.imap` stops the workers.

Starting: a worker counts once it has said it is ready (a fork can succeed and the worker still
get no thread at a limit on processes); the others are reaped and the pool goes on with fewer.
Processes started are killed at exit or when the pool is dropped, whatever stopped it (a
stop signal while starting, say). A forked worker closes the parent's ends of every pipe, so
that an orphan (its parent killed) meets a closed pipe and ends instead of waiting for ever.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Generator, Iterable
from multiprocessing.connection import Connection, wait
from multiprocessing.util import register_after_fork
from typing import Any

from ._signals import held

AHEAD = 2
"""Tasks a worker holds at most: one to work on, one waiting."""
WINDOW = AHEAD + 1
"""Tasks per worker that may be sent beyond the oldest result not yet given: results that
arrive before an earlier one wait, and this bounds how many."""
_STOP_GRACE = 5.0
"""Seconds a worker gets to end after being told to stop, before it is killed."""


_READY = "ready"
"""A worker's first message: it runs, with its threads (a fork that succeeds can still leave a
worker without threads at a limit on processes)."""


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity (``taskset``, a container's cpuset),
    where the system tells it, else the machine's count; at least 1."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no sched_getaffinity here (macOS, Windows)
        return os.cpu_count() or 1


WAIT_LIMITED = sys.platform == "win32" and sys.version_info < (3, 13)
"""Whether waiting is limited to 63 handles (Windows before Python 3.13): the pool waits on two
per worker (its results and its end), so it starts at most ``MOST_WORKERS_WAITED`` there."""
MOST_WORKERS_WAITED = 31

READY_SECONDS = 120.0
"""How long a started worker may take to say it is ready; one that does not (a forked child
stuck on a lock another thread of the parent held at the fork) is killed and left out."""


class WorkerLost(Exception):
    """A worker process ended, or its pipe broke, before it returned the result of a task."""


def _read_tasks(tasks: Connection, inbox: queue.SimpleQueue[Any]) -> None:
    """In a worker: move tasks from the pipe to ``inbox``; None there means stop (told to, or
    the pipe broke, or the parent is gone: an orphan must not wait for ever)."""
    parent = multiprocessing.parent_process()
    watched: list[Connection | int] = [tasks]
    if parent is not None and parent.sentinel is not None:
        watched.append(parent.sentinel)
    try:
        while True:
            if tasks not in wait(watched):  # only the parent's sentinel: it has ended
                return
            task = tasks.recv()
            if task is None:
                return
            inbox.put(task)
    except Exception:  # EOF, a broken pipe, no memory for the task: the worker ends, and the
        return  # parent, missing its results, says batch_worker_lost
    finally:
        inbox.put(None)


def _send_results(results: Connection, outbox: queue.SimpleQueue[Any]) -> None:
    """In a worker: send the replies in ``outbox`` until None (the parent may be busy with
    another worker meanwhile: the work goes on)."""
    while (reply := outbox.get()) is not None:
        try:
            results.send(reply)
        except OSError:  # the parent is gone
            return
        except Exception as exc:  # the reply cannot be pickled: send what it said
            try:
                what = f"{type(reply[1]).__name__}: {reply[1]} ({exc})"
                results.send((False, RuntimeError(what)))
            except OSError:
                return
            except BaseException:  # not even that: end, and the parent sees the worker gone
                os._exit(1)


def _serve(
    tasks: Connection,
    results: Connection,
    fn: Callable[..., Any],
    initializer: Callable[[], None] | None,
    mask: set[int | signal.Signals] | None = None,
) -> None:
    """A worker's life: run ``fn(*task)`` for each task, and send back ``(True, result)`` or
    ``(False, exception)``. Tasks are read and results sent on threads of their own, so the
    pipes never hold up the work."""
    if initializer is not None:
        initializer()
    if mask is not None:  # started with the stop signals held (WorkerPool._start_one)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_results, args=(results, outbox))
    try:
        threading.Thread(target=_read_tasks, args=(tasks, inbox), daemon=True).start()
        sender.start()
    except RuntimeError:  # no thread to be had (a limit on processes): never ready, so unused
        return
    outbox.put(_READY)
    while (task := inbox.get()) is not None:
        try:
            outbox.put((True, fn(*task)))
        except BaseException as exc:  # handed to the parent, which raises it in its turn
            outbox.put((False, exc))
    outbox.put(None)
    sender.join()


def _start_helpers(context: Any) -> None:
    """Start the helper processes the start method needs (resource tracker, fork server) now,
    so that they are not started with a worker, under its held signals."""
    method = context.get_start_method()
    if method == "fork":
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    if method == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _kill(processes: list[multiprocessing.process.BaseProcess], owner: int) -> None:
    """Kill and reap ``processes``: the last resort at exit or when a pool is dropped (only in
    the process that started them: a forked child has a copy of the list)."""
    if os.getpid() != owner:
        return
    for process in processes:
        with contextlib.suppress(OSError, ValueError):  # gone already
            process.kill()
            process.join()
    processes.clear()


class WorkerPool:
    """Up to ``workers`` processes running ``fn``; :attr:`size` says how many started.

    A process that cannot be started (``fork`` fails, for instance at a limit on processes)
    ends the starting: the pool keeps those that did start, possibly none. ``fn`` and
    ``initializer`` must be functions at module level, so that a start method other than
    ``fork`` can find them.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        workers: int,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        context = multiprocessing.get_context()
        if WAIT_LIMITED:
            workers = min(workers, MOST_WORKERS_WAITED)
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection, Connection]]
        self._workers = []
        self._ends: list[Connection] = []  # the parent's ends of every worker's pipes
        # Every process started, until reaped: killed at exit or when the pool is dropped,
        # whatever happened (a stop signal while starting, say). Workers ignore SIGTERM, so
        # multiprocessing's own clean-up at exit would wait for them for ever.
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._finalizer = weakref.finalize(self, _kill, self._processes, os.getpid())
        atexit.register(self._finalizer)  # before multiprocessing's own hook, which would wait
        # In a forked worker, the parent's ends of the pipes are closed: a worker must not hold
        # the other end of its own pipes, or an orphan writing a large result would wait for
        # ever instead of meeting a broken pipe.
        register_after_fork(self, WorkerPool._close_parent_ends)
        try:
            # A new worker has Python's handlers (raising KeyboardInterrupt) until its
            # initializer runs: the stop signals are held while it starts (a spawned one keeps
            # the mask across exec), and _serve gives it the parent's own mask back.
            # multiprocessing's helper processes (resource tracker, fork server) are started
            # first, outside the hold, or they would keep the held mask for good.
            mask: set[int | signal.Signals] | None = None
            if hasattr(signal, "pthread_sigmask"):
                _start_helpers(context)
                mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())
            for _ in range(workers):
                if not self._start_one(context, fn, initializer, mask):
                    break
            deadline = time.monotonic() + READY_SECONDS  # for all of them, not each in turn
            self._workers = [w for w in self._workers if self._ready(w, deadline)]
        except BaseException:
            self._finalizer()
            for end in self._ends:
                end.close()
            raise

    def _start_one(
        self,
        context: Any,
        fn: Callable[..., Any],
        initializer: Callable[[], None] | None,
        mask: set[int | signal.Signals] | None,
    ) -> bool:
        """Start one worker, with the stop signals held unless ``mask`` (the parent's own, for
        the worker to take back) is None; False when the system would not (``fork`` failing at
        a limit on processes, no file descriptor left for its pipes; a forkserver that could
        not fork ends its connection)."""
        try:
            task_out, task_in = context.Pipe(duplex=False)
            try:
                result_out, result_in = context.Pipe(duplex=False)
            except OSError:
                task_out.close()
                task_in.close()
                raise
        except OSError:  # no file descriptor left (EMFILE, ENFILE): as a fork that failed
            return False
        self._ends += (task_in, result_out)
        args = (task_out, result_in, fn, initializer, mask)
        process = context.Process(target=_serve, args=args)
        try:
            with held() if mask is not None else contextlib.nullcontext():
                process.start()
        except (OSError, EOFError):
            task_in.close()
            result_out.close()
            return False
        except BaseException:  # a stop signal: a process that did start is killed with the rest
            if process.pid is not None:
                self._processes.append(process)
            raise
        finally:
            # The worker's ends belong to the worker alone: when it dies, reading its
            # results meets the end of the pipe instead of waiting.
            task_out.close()
            result_in.close()
        self._processes.append(process)
        self._workers.append((process, task_in, result_out))
        return True

    def _ready(
        self,
        worker: tuple[multiprocessing.process.BaseProcess, Connection, Connection],
        deadline: float,
    ) -> bool:
        """Wait, until ``deadline`` (``time.monotonic``), for a started worker's first message;
        one that ended without it, or did not send it in time, is reaped."""
        process, tasks, results = worker
        left = max(0.0, deadline - time.monotonic())
        if wait([results, process.sentinel], timeout=left):
            try:
                if results.poll() and results.recv() == _READY:
                    return True
            except (EOFError, OSError):
                pass
        else:  # too late: killed, whatever it may send now
            process.kill()
        process.join()
        self._processes.remove(process)
        tasks.close()
        results.close()
        process.close()
        return False

    def _close_parent_ends(self) -> None:
        for end in self._ends:
            end.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the workers still running (after :meth:`imap` finished, there are none)."""
        self._stop(graceful=False)

    @property
    def size(self) -> int:
        """The number of worker processes that started."""
        return len(self._workers)

    def imap(self, tasks: Iterable[tuple[Any, ...]]) -> Generator[Any, None, None]:
        """``fn(*task)`` for each task, in task order.

        Raises:
            WorkerLost: a worker died (killed, out of memory) or its pipe broke.
            Exception: what ``fn`` raised in a worker, raised again here.
        """
        if not self._workers:
            raise ValueError("WorkerPool.imap: no worker started")
        count = len(self._workers)
        held: list[deque[int]] = [deque() for _ in range(count)]  # each worker's tasks, in order
        done: dict[int, tuple[bool, Any]] = {}  # replies that came before an earlier one
        source = iter(tasks)
        sent = expected = 0
        exhausted = finished = False
        try:
            while True:
                # Hand out tasks to the least busy workers, but never run further than WINDOW
                # ahead of the oldest result not yet given, which bounds what ``done`` holds.
                while not exhausted and sent - expected < WINDOW * count:
                    worker = min(range(count), key=lambda w: len(held[w]))
                    if len(held[worker]) >= AHEAD:
                        break
                    task = next(source, None)
                    if task is None:
                        exhausted = True
                        break
                    self._send(worker, task)
                    held[worker].append(sent)
                    sent += 1
                if exhausted and expected == sent:
                    break
                busy = [w for w in range(count) if held[w]]
                ready = set(wait([end for w in busy for end in self._watched(w)]))
                for w in busy:
                    if not ready.isdisjoint(self._watched(w)):
                        done[held[w].popleft()] = self._receive(w)
                while expected in done:
                    ok, value = done.pop(expected)
                    if not ok:  # raised in its turn: the results before it are given first
                        raise value
                    yield value
                    expected += 1
            finished = True
        finally:
            self._stop(graceful=finished)

    def _watched(self, worker: int) -> tuple[Connection, int]:
        """What shows that ``worker`` has something to say: its result pipe and its sentinel."""
        process, _, results = self._workers[worker]
        return results, process.sentinel

    def _send(self, worker: int, task: tuple[Any, ...]) -> None:
        try:
            self._workers[worker][1].send(task)
        except OSError:  # the worker's end is closed: it has died
            raise WorkerLost from None

    def _receive(self, worker: int) -> tuple[bool, Any]:
        """A worker's next reply: ``(True, result)`` or ``(False, exception)``."""
        process, _, results = self._workers[worker]
        wait([results, process.sentinel])
        try:
            has_reply = results.poll()
        except OSError:  # on Windows a closed, empty pipe's peek fails (BrokenPipeError)
            raise WorkerLost from None
        if not has_reply:  # the worker ended and left nothing to read
            raise WorkerLost
        try:
            reply: tuple[bool, Any] = results.recv()
        except (EOFError, OSError):  # it died while sending
            raise WorkerLost from None
        except Exception as exc:  # an exception that pickles but does not unpickle
            return False, RuntimeError(f"a worker's reply could not be read: {exc!r}")
        return reply

    def _stop(self, *, graceful: bool) -> None:
        """After all tasks: tell each worker to stop and wait for it (briefly). Otherwise
        (a failure, Ctrl-C, an abandoned iteration): kill the workers at once, since what
        they are doing will not be used. Safe to call again, also when a stop signal cut the
        first call short: each worker is forgotten only once it has been reaped."""
        if graceful:
            for _, tasks, _ in self._workers:
                with contextlib.suppress(OSError):
                    tasks.send(None)
        while self._workers:
            process, tasks, results = self._workers[0]
            if graceful:
                process.join(_STOP_GRACE)
            if process.exitcode is None:
                process.kill()
                process.join()
            self._workers.pop(0)
            self._processes.remove(process)
            tasks.close()
            results.close()
            process.close()
        self._finalizer.detach()
        atexit.unregister(self._finalizer)
