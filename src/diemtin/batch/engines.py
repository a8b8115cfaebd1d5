"""Where the batch pipeline's tasks run: this machine's cores, or a Dask cluster.

An engine maps a module-level function over a list of items and returns the results in
order; ``shared`` arguments (a large matrix every task needs) are sent to each worker once.
The pipeline is the same code on both engines, so the same input gives the same stories.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import partial

from diemtin import errors
from diemtin.errors import DiemtinError
from diemtin.parallel import default_jobs, one_thread, worker_pool

# A worker that dies mid-task (killed, out of memory) costs a retry, not the run.
DASK_RETRIES = 3


def _call(fn: Callable, shared: tuple, item):
    return fn(item, *shared)


class LocalEngine:
    """This machine: one process per core (``jobs``; 1 runs every task in this process)."""

    name = "local"

    def __init__(self, jobs: int | None = None):
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self._pool = None

    @property
    def workers(self) -> int:
        return self.jobs

    def map(self, fn: Callable, items: Sequence, *shared, progress: Callable | None = None) -> list:
        if self.jobs == 1 or len(items) <= 1:
            results = []
            for item in items:
                results.append(fn(item, *shared))
                if progress:
                    progress(1)
            return results
        if self._pool is None:  # kept for the whole run: workers load their models once
            self._pool = worker_pool(self.jobs)
        results = []
        # shared data is pickled with every chunk of items: one chunk per worker when there is any
        chunk = -(-len(items) // self.jobs) if shared else 1
        for result in self._pool.map(partial(_call, fn, shared), items, chunksize=chunk):
            results.append(result)
            if progress:
                progress(1)
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


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

    def map(self, fn: Callable, items: Sequence, *shared, progress: Callable | None = None) -> list:
        distributed = errors.require("distributed", "dask[distributed]", "dask")
        if not items:
            return []
        # shared data is copied to every worker, so it outlives any one of them
        shared_futures = [self.client.scatter(s, broadcast=True, hash=False) for s in shared]
        with warnings.catch_warnings():
            # Items stay in the task graph, not scattered: the scheduler can then rerun a task
            # whose worker died; scattered data would die with it. The graph is large (the
            # articles of the story parts) and Dask warns about that.
            warnings.filterwarnings("ignore", message="Sending large graph")
            futures = self.client.map(fn, list(items), *[[f] * len(items) for f in shared_futures],
                                      retries=DASK_RETRIES, pure=False)
        if progress:
            for _ in distributed.as_completed(futures):
                progress(1)
        results = self.client.gather(futures)
        del futures, shared_futures
        return results

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def open_engine(name: str, jobs: int | None = None, scheduler: str | None = None,
                workers: int | None = None) -> LocalEngine | DaskEngine:
    if name == "local":
        if scheduler:
            raise DiemtinError("--scheduler needs --engine dask")
        return LocalEngine(jobs if jobs is not None else workers)
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers)
    raise DiemtinError(f"unknown engine '{name}'; choose local or dask")
