"""Weeks of news through the store: does what a long-running watch holds stay bounded?

    python bench/open_stories.py ../shared/data/baomoi-2017.jsonl.gz --days 60 --db /tmp/weeks.db

The corpus's articles (shuffled, seed 0) get publication times spread over ``--days``
simulated days and are stored in publication order, a poll's worth at a time (``--every``
simulated hours), through ``store.ingest_articles`` as ``diemtin watch`` stores them (summaries
and facts left out: they do not touch the story state). After each simulated day it prints the
stories open in the story state (the rest are closed: ``store.update.KEEP_OPEN_DAYS``), the
bytes of the state as stored (the state row and the open stories' records), what the last
chunk's transaction took, and the process's resident memory. In steady state, after the first
17 days, the open stories and the memory should stop growing while the stored stories do.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from diemtin.store import Store, ingest_articles

from simulated_day import current_memory_mb, published_over  # bench/ is on the path when run as bench/open_stories.py

START = datetime(2017, 3, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--every", type=float, default=6, help="simulated hours between two stores")
    parser.add_argument("--db", required=True, help="a new SQLite file or PostgreSQL URL")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--articles", type=int, default=0, help="the first this many of the shuffled articles (0: all)")
    args = parser.parse_args()

    articles, moments = published_over(args.corpus, args.articles, args.seed, START, args.days * 86400)
    dated = [replace(a, published=when.isoformat(timespec="seconds")) for a, when in zip(articles, moments)]
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    store = Store.open(url)
    print(f"{len(dated)} articles over {args.days} simulated days, stored every {args.every:g} simulated hours")
    print("day  stored  stories  open  state MB  last chunk s  memory MB")
    started = time.monotonic()
    step = timedelta(hours=args.every)
    clock, i, day = START, 0, 0
    while i < len(dated):
        clock += step
        chunk = []
        while i < len(dated) and moments[i] < clock:
            chunk.append(dated[i])
            i += 1
        t = time.monotonic()
        if chunk:
            ingest_articles(store, chunk, summarize=False, facts=False)
        took = time.monotonic() - t
        if clock >= START + timedelta(days=day + 1) or i == len(dated):
            day += 1
            counts = store.counts()
            state = store._state_cache[1] if store._state_cache else None
            with store.read() as connection:
                size = sum(connection.exec_driver_sql(query).scalar_one() or 0 for query in (
                    "SELECT length(data) FROM story_state", "SELECT sum(length(data)) FROM story_records"))
            print(f"{day:3d}  {counts['articles']:6d}  {counts['stories']:7d}  {len(state.stories) if state else 0:4d}"
                  f"  {size / 2**20:8.1f}  {took:12.2f}  {current_memory_mb():9.0f}", flush=True)
    print(f"{time.monotonic() - started:.0f} s in all")
    store.close()


if __name__ == "__main__":
    main()
