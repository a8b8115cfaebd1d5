"""Ingest a corpus into a fresh SQLite store (stories and summaries included), then time the
digest page served by a real `diemtin serve` over that database.

    python bench/service_speed.py ../shared/data/baomoi-2017.jsonl.gz --db /tmp/bench/news.db
    python bench/service_speed.py ../shared/data/baomoi-2017.jsonl.gz --db /tmp/bench/news.db --no-facts
    python bench/service_speed.py ../shared/data/baomoi-2017.jsonl.gz --db /tmp/bench/news.db --skip-ingest
    python bench/service_speed.py ../shared/data/baomoi-2017.jsonl.gz --db /tmp/bench/news.db --resummarize [--stories 5000]

The digest is asked for as of the newest story (the corpus is from 2017), for the 24 hours
before it, as a reader's morning page would be.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

from server import running_server


def ingest(path: str, db: str, with_facts: bool = True) -> None:
    from diemtin.ingest import read_sources
    from diemtin.parallel import LocalEngine
    from diemtin.store import Store, ingest_articles, refresh_facts, refresh_summaries

    if Path(db).exists():
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    done = [0]

    def progress(n):
        done[0] += n
        print(f"  {done[0]:6d} articles  {time.perf_counter() - start:7.1f} s", flush=True)

    with LocalEngine() as engine:  # as `diemtin ingest` runs: one engine for every step
        batch = read_sources([path], engine=engine)
        articles = batch.articles
        read_time = time.perf_counter() - start
        store = Store.open(db)
        # the three steps of `diemtin ingest`, timed apart
        report = ingest_articles(store, articles, summarize=False, facts=False, progress=progress, engine=engine)
        clustered = time.perf_counter() - start
        refresh_summaries(store, engine=engine)
        summarised = time.perf_counter() - start
        if with_facts:
            refresh_facts(store, engine=engine)
    elapsed = time.perf_counter() - start
    counts = store.counts()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ingest: {report.read} articles read ({len(batch.problems)} unusable lines) in {read_time:.1f} s; "
          f"stored {counts['articles']}, {counts['stories']} stories, {counts['summaries']} summaries; "
          f"clustering phase {clustered:.0f} s, summaries {summarised - clustered:.0f} s, "
          f"facts {elapsed - summarised:.0f} s; "
          f"total {elapsed:.1f} s ({elapsed / 60:.1f} min); peak memory {peak:.0f} MB, largest worker {child:.0f} MB; "
          f"database {os.path.getsize(db) / 1e6:.0f} MB", flush=True)


def resummarize(db: str, stories: int | None = None) -> None:
    """Mark every story (or the first ``stories`` by id) stale and time rewriting their
    summaries (the second phase of an ingest). The workers' CPU time is counted when they end."""
    import sqlite3

    from diemtin.store import Store, refresh_summaries

    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM summaries")
        connection.execute("UPDATE stories SET summary_stale = 0")
        connection.execute("UPDATE stories SET summary_stale = 1 WHERE id IN (SELECT id FROM stories ORDER BY id LIMIT ?)",
                           (-1 if stories is None else stories,))
    store = Store.open(db)
    start = time.perf_counter()
    written = refresh_summaries(store)
    elapsed = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"summaries: {written} written in {elapsed:.1f} s ({elapsed / 60:.1f} min); workers' CPU "
          f"{children.ru_utime + children.ru_stime:.1f} s; largest worker {children.ru_maxrss / 1024:.0f} MB", flush=True)


def serve_and_time(db: str, requests: int) -> None:
    import httpx

    from diemtin.store import Store

    latest = Store.open(db).latest_time()
    with running_server(db) as base:
        params = {"since": "24h", "at": latest.isoformat(timespec="minutes")}
        # a story page, opened for the first time and again (both only read what the store holds)
        top = httpx.get(base + "/api/digest", params={**params, "limit": 1}, timeout=60).json()["stories"][0]["id"]
        for attempt in ("first", "again"):
            start = time.perf_counter()
            httpx.get(f"{base}/stories/{top}", timeout=600).raise_for_status()
            print(f"GET /stories/{top} ({attempt} view): {(time.perf_counter() - start) * 1000:.0f} ms")
        for path in ("/", "/api/digest"):
            times = []
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(requests):
                    start = time.perf_counter()
                    response = client.get(path, params=params)
                    times.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
            first = times[0]  # the only request that ranks from the database; the rest hit the cache
            times.sort()
            print(f"GET {path}?since=24h&at={params['at']}: {requests} requests, first {first:.1f} ms, "
                  f"median {statistics.median(times):.1f} ms, "
                  f"p90 {times[int(0.9 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms, {len(response.content) / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--db", required=True)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--no-facts", action="store_true", help="leave out the facts step (40 min on the corpus)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--resummarize", action="store_true", help="only time rewriting every summary")
    parser.add_argument("--stories", type=int, help="with --resummarize: only the first N stories by id")
    args = parser.parse_args()
    if args.resummarize:
        resummarize(args.db, args.stories)
    elif not args.skip_ingest:
        ingest(args.file, args.db, with_facts=not args.no_facts)
    serve_and_time(args.db, args.requests)


if __name__ == "__main__":
    main()
