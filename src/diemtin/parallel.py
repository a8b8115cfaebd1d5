"""Worker processes: how many, how each is set up, and that none outlives the process that
started it.

Every pool diemtin starts (reading, clustering, summarising, the store's ingest, the batch
engine) comes from ``worker_pool``. Each worker uses one thread for numerical libraries, and
watches its parent: a parent killed with SIGKILL cannot shut its pool down, and the workers
would otherwise wait for work for ever (seen: two workers of 270 MB to 2.4 GB each left by a
killed ``diemtin ingest``).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

# How often a worker looks whether its parent is still there.
PARENT_CHECK_SECONDS = 0.5


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


# Below this many tasks in a batch, starting worker processes costs more than it saves.
WORKERS_FROM = 20


class Workers:
    """Worker processes for one step of many batches: the caller's ``pool`` when given, else a
    pool started at the first batch of ``WORKERS_FROM`` tasks or more (when ``jobs`` > 1),
    kept for the step (its workers load their models once) and shut down with it."""

    def __init__(self, pool: ProcessPoolExecutor | None = None, jobs: int | None = None):
        self.given, self.own = pool, None
        self.jobs = default_jobs() if jobs is None else jobs

    def for_tasks(self, tasks: int) -> ProcessPoolExecutor | None:
        """The pool for a batch of ``tasks``, or None: run it in this process."""
        if self.given is not None:
            return self.given
        if self.own is None and self.jobs > 1 and tasks >= WORKERS_FROM:
            self.own = worker_pool(self.jobs)
        return self.own

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_) -> None:
        if self.own is not None:
            self.own.shutdown(cancel_futures=True)
