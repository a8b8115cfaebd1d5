"""Where the clustering phase of an ingest spends its time: wall and CPU seconds of the main
process's steps, and the workers' CPU seconds (no summaries are written).

    python bench/ingest_phases.py ../shared/data/baomoi-2017.jsonl.gz --db /tmp/bench/phases.db

The steps are timed by wrapping the product's own functions; the figures are inclusive (a
step's time holds the time of the steps it calls: ``add_articles`` holds ``run``). "waiting
for workers" is the main process idle until the next chunk's segmentation is done; the phase
is bound by the total CPU of main and workers on two cores.
"""

from __future__ import annotations

import argparse
import functools
import resource
import time
from collections import defaultdict
from pathlib import Path

import diemtin.cluster.stories as stories
import diemtin.store.update as update

WALL: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)


def timed(owner, name: str, label: str | None = None) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            WALL[label or name] += time.perf_counter() - wall
            CPU[label or name] += time.process_time() - cpu

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--db", required=True, help="a new SQLite file (deleted first if it exists)")
    args = parser.parse_args()

    for owner, name, label in [
        (update, "_prepare_ahead", "text keys (main)"), (update._Ahead, "result", "waiting for workers"),
        (update, "_ingest_chunk", None), (update, "add_articles", None), (update, "_save_state", None),
        (stories, "_find_copies", None), (stories, "vectorize", None), (stories, "_neighbour_pairs", None),
        (stories._Agglomeration, "link_all", None), (stories._Agglomeration, "run", "run (merging)"),
        (stories._Agglomeration, "attach_singles", None), (stories, "_add_head", None),
    ]:
        timed(owner, name, label)

    from diemtin.ingest import read_sources
    from diemtin.parallel import LocalEngine

    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    with LocalEngine() as engine:  # as ``diemtin ingest``: one engine for every step
        batch = read_sources([args.corpus], engine=engine)
        articles = batch.articles + [a for c in batch.clusters for a in c.articles]
        print(f"read {len(articles)} articles in {time.perf_counter() - start:.1f} s", flush=True)
        store = update.Store.open(args.db)
        update.ingest_articles(store, articles, summarize=False, engine=engine)
    total = time.perf_counter() - start
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"clustering phase {total:.1f} s; CPU: main {time.process_time():.1f} s, "
          f"workers {workers.ru_utime + workers.ru_stime:.1f} s")
    for label in WALL:
        print(f"  {label:22s} wall {WALL[label]:7.1f} s  CPU {CPU[label]:7.1f} s")


if __name__ == "__main__":
    main()
