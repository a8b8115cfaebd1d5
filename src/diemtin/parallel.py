"""Where per-item work runs: this machine's cores or a Dask cluster, behind one interface.

Every stage that spreads work (reading a large file, segmenting and fingerprinting articles,
the neighbour search and block merging of the story layer, summaries, facts, the batch
pipeline's partitions and parts) takes an ``Engine`` and calls ``map``, ``imap`` or
``submit`` with a module-level function. Two implementations:

- ``LocalEngine``: worker processes on this machine (``jobs``; 1 runs everything in this
  process). The pool starts at the first call that has work for more than one worker and is
  kept until ``close``, so workers load their models once.
- ``DaskEngine``: a Dask cluster, an existing scheduler or one started on this machine.

The same input gives the same results on either. Every worker process uses one thread for
numerical libraries, and watches its parent: a parent killed with SIGKILL cannot shut its pool
down, and its workers would otherwise wait for work for ever (seen: two workers of 270 MB to
2.4 GB each left by a killed ``diemtin ingest``).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Protocol

from diemtin import errors
from diemtin.errors import DiemtinError

# How often a worker looks whether its parent is still there.
PARENT_CHECK_SECONDS = 0.5
# A Dask task whose worker dies (killed, out of memory) is rerun this many times.
DASK_RETRIES = 3


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def exit_with_parent(parent: int) -> None:
    """Exit this process as soon as ``parent`` is no longer its parent (it died and the process
    was handed to init or a subreaper). A daemon thread checks every ``PARENT_CHECK_SECONDS``."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # no cleanup to run: the work belonged to the parent, and it is gone

    threading.Thread(target=watch, name="diemtin-parent-watch", daemon=True).start()


def one_thread() -> None:
    # Each worker is one core's worth of work; letting scikit-learn's OpenMP start a thread
    # per core in every worker doubled the run time on 2 cores (docs/BENCHMARKS.md).
    from threadpoolctl import threadpool_limits  # noqa: PLC0415

    threadpool_limits(1)


def init_worker(parent: int) -> None:
    """What every worker process does first: one thread, and exit with its parent."""
    exit_with_parent(parent)
    one_thread()


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """Processes for per-item work, each using one thread and exiting with this process."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=(os.getpid(),))


def _call(fn: Callable, shared: tuple, item):
    return fn(item, *shared)


class Engine(Protocol):
    name: str

    @property
    def workers(self) -> int: ...

    def imap(self, fn: Callable, items: Sequence, *shared) -> Iterator:
        """``fn(item, *shared)`` for each item, in order, as they come."""

    def map(self, fn: Callable, items: Sequence, *shared, progress: Callable[[int], None] | None = None) -> list:
        """``imap`` as a list; ``progress(1)`` after each item."""

    def submit(self, fn: Callable, *args) -> Future:
        """``fn(*args)`` to run while the caller goes on."""

    def close(self) -> None: ...


class LocalEngine:
    """This machine: ``jobs`` worker processes (default one per core). With one job every task
    runs in this process, unless ``in_process=False`` (a server hands its background work to one
    worker so that its own process keeps answering requests)."""

    name = "local"

    def __init__(self, jobs: int | None = None, in_process: bool | None = None):
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.in_process = self.jobs == 1 if in_process is None else in_process
        if multiprocessing.current_process().daemon:
            self.in_process = True  # inside another engine's worker, which has its core to itself
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    @property
    def workers(self) -> int:
        return 1 if self.in_process else self.jobs

    def _started(self) -> ProcessPoolExecutor:
        if self._closed:
            # A closed engine starting a new pool would leave worker processes no one shuts down
            # (a server's background thread still running as the server stops).
            raise RuntimeError("this engine was closed")
        if self._pool is None:
            self._pool = worker_pool(self.jobs)
        return self._pool

    def imap(self, fn: Callable, items: Sequence, *shared) -> Iterator:
        # No task, or one that a pool would only delay (unless the caller asked for work to
        # leave this process: a server's background worker).
        if self.in_process or not items or (len(items) == 1 and self.jobs > 1):
            return (fn(item, *shared) for item in items)
        # shared data is pickled with every chunk of items: one chunk per worker when there is any
        chunk = max(1, -(-len(items) // self.jobs)) if shared else 1
        return self._started().map(partial(_call, fn, shared), items, chunksize=chunk)

    def map(self, fn: Callable, items: Sequence, *shared, progress: Callable[[int], None] | None = None) -> list:
        results = []
        for result in self.imap(fn, items, *shared):
            results.append(result)
            if progress:
                progress(1)
        return results

    def submit(self, fn: Callable, *args) -> Future:
        if not self.in_process:
            return self._started().submit(fn, *args)
        done: Future = Future()
        done.set_result(fn(*args))
        return done

    def close(self) -> None:
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *_) -> None:
        self.close()


class DaskEngine:
    """A Dask cluster: an existing scheduler (``tcp://host:8786``) or ``workers`` local processes."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        distributed = errors.require("distributed", "dask[distributed]", "dask")
        self._cluster = None
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise DiemtinError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                                   "check the address, or use --workers N for a cluster on this machine") from None
        else:
            # one single-threaded process per worker: segmentation holds the GIL
            self._cluster = distributed.LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1,
                                                     processes=True, dashboard_address=None)
            self.client = distributed.Client(self._cluster)
        self.client.run(one_thread)

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def _futures(self, fn: Callable, items: Sequence, shared: tuple) -> list:
        # shared data is copied to every worker, so it outlives any one of them
        shared_futures = [self.client.scatter(s, broadcast=True, hash=False) for s in shared]
        with warnings.catch_warnings():
            # Items stay in the task graph, not scattered: the scheduler can then rerun a task
            # whose worker died; scattered data would die with it. The graph can be large and
            # Dask warns about that.
            warnings.filterwarnings("ignore", message="Sending large graph")
            return self.client.map(fn, list(items), *[[f] * len(items) for f in shared_futures],
                                   retries=DASK_RETRIES, pure=False)

    def imap(self, fn: Callable, items: Sequence, *shared) -> Iterator:
        for future in self._futures(fn, items, shared) if items else []:
            yield future.result()

    def map(self, fn: Callable, items: Sequence, *shared, progress: Callable[[int], None] | None = None) -> list:
        distributed = errors.require("distributed", "dask[distributed]", "dask")
        if not items:
            return []
        futures = self._futures(fn, items, shared)
        if progress:
            for _ in distributed.as_completed(futures):
                progress(1)
        results = self.client.gather(futures)
        del futures
        return results

    def submit(self, fn: Callable, *args) -> Future:
        return self.client.submit(fn, *args, retries=DASK_RETRIES, pure=False)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def open_engine(name: str = "local", jobs: int | None = None, scheduler: str | None = None,
                workers: int | None = None) -> LocalEngine | DaskEngine:
    """An engine by name, as ``diemtin batch --engine`` chooses it."""
    if name == "local":
        if scheduler:
            raise DiemtinError("--scheduler needs --engine dask")
        return LocalEngine(jobs if jobs is not None else workers)
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers)
    raise DiemtinError(f"unknown engine '{name}'; choose local or dask")


@contextmanager
def engine_for(engine: Engine | None, jobs: int | None = None) -> Iterator[Engine]:
    """The caller's ``engine``; else a local one of ``jobs`` for this step, closed after it."""
    if engine is not None:
        yield engine
        return
    with LocalEngine(jobs) as own:
        yield own
