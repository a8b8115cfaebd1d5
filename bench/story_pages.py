"""Story pages nobody opened before, under load (issue 20: a GET never does more than bounded reads).

    python bench/story_pages.py --db /tmp/bench/news.db            # 20 clients, 30 s a phase

A real `diemtin serve` over a store made by `diemtin ingest` (bench/service_speed.py: the whole
baomoi-2017 corpus). Two phases of the same length, on loopback only:

1. home page alone: 2 clients loop over `GET /` (the digest of the 24 hours before the newest story);
2. unvisited stories: 20 clients open story pages, each story once, drawn with a fixed seed from
   the stories of two or more articles, while the same 2 clients keep loading the home page.

Prints p50 / p95 / max per kind and phase. Before issue 20 the first view of a story extracted
its facts in the request (10 clients on unvisited stories: p50 36 s, max 64 s).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import time
from collections import defaultdict

from server import running_server


def _percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


async def _loop(http, next_request, deadline: float, latencies, failures) -> None:
    while time.monotonic() < deadline:
        request = next_request()
        if request is None:
            return
        kind, path, params = request
        start = time.perf_counter()
        try:
            response = await http.get(path, params=params)
            if response.status_code >= 400:
                failures[kind] += 1
        except Exception:  # noqa: BLE001  (a transport error is a failure to count)
            failures[kind] += 1
        latencies[kind].append((time.perf_counter() - start) * 1000)


def _report(phase: str, latencies, failures, seconds: float) -> None:
    for kind, values in sorted(latencies.items()):
        print(f"{phase:18s} {kind:12s} {len(values):6d} requests ({len(values) / seconds:5.1f}/s)  "
              f"p50 {statistics.median(values):6.0f} ms  p95 {_percentile(values, 0.95):6.0f} ms  "
              f"max {max(values):6.0f} ms  errors {failures[kind]}", flush=True)


async def _run(base: str, stories: list[str], clients: int, seconds: float, home_clients: int) -> None:
    import httpx

    limits = httpx.Limits(max_connections=clients + home_clients, max_keepalive_connections=clients + home_clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        latest = (await http.get("/api/stories", params={"limit": 1})).json()["stories"][0]["last_published"]
        home = ("home page", "/", {"since": "24h", "at": latest[:16]})
        await http.get("/", params=home[2])  # the digest is ranked once and cached, as in service

        latencies, failures = defaultdict(list), defaultdict(int)
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_loop(http, lambda: home, deadline, latencies, failures) for _ in range(home_clients)))
        _report("1. home alone", latencies, failures, seconds)

        todo = iter(stories)

        def next_story():
            story = next(todo, None)
            return None if story is None else ("story page", f"/stories/{story}", {})

        latencies, failures = defaultdict(list), defaultdict(int)
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_loop(http, next_story, deadline, latencies, failures) for _ in range(clients)),
                             *(_loop(http, lambda: home, deadline, latencies, failures) for _ in range(home_clients)))
        _report("2. unvisited+home", latencies, failures, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a SQLite store made by diemtin ingest")
    parser.add_argument("--clients", type=int, default=20, help="clients on story pages")
    parser.add_argument("--home-clients", type=int, default=2, help="clients on the home page")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as connection:
        stories = [row[0] for row in connection.execute("SELECT id FROM stories WHERE articles >= 2 ORDER BY id")]
        missing = connection.execute("SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM facts)"
                                     ).fetchone()[0]
    random.Random(args.seed).shuffle(stories)
    print(f"{len(stories)} stories of 2+ articles; {missing} stories without facts in the store", flush=True)
    with running_server(args.db) as base:
        asyncio.run(_run(base, stories, args.clients, args.seconds, args.home_clients))


if __name__ == "__main__":
    main()
