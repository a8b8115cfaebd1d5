"""The HTTP API under load: N concurrent clients on loopback for a fixed time, against a real
`diemtin serve` over a real store. Prints errors and p50/p99 latency per kind of request.

    python bench/api_load.py --db /tmp/bench/news.db                    # 50 clients, 60 s
    python bench/api_load.py --db /tmp/bench/news.db --clients 50 --seconds 60 --max-requests 200000

The database is one made by bench/service_speed.py (the whole baomoi-2017 corpus). Each client
loops over a mix a reader and an aggregator would send: the digest page and JSON, the story
list, story pages (the 30 top stories; pages nobody opened before are timed by story_pages.py),
articles, and searches. The run is
bounded in time and in requests and only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import defaultdict

from server import running_server

SEARCHES = ["Hà Nội", "ha noi", "bão", "giá xăng", "Ronaldo", "tai nạn giao thông", "Thủ tướng", "xyzkhôngcó"]


def _percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


async def _client(http, requests: list[tuple[str, str, dict]], deadline: float, budget: list[int], latencies,
                  failures, rng: random.Random) -> None:
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        kind, path, params = rng.choice(requests)
        start = time.perf_counter()
        try:
            response = await http.get(path, params=params)
            if response.status_code >= 400:
                failures[kind].append(f"{response.status_code} {path}")
        except Exception as exc:  # noqa: BLE001  (a transport error is a failure to count, not to raise)
            failures[kind].append(f"{type(exc).__name__} {path}")
        latencies[kind].append((time.perf_counter() - start) * 1000)


async def _load(base: str, clients: int, seconds: float, max_requests: int) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients)) as http:
        stories = (await http.get("/api/stories", params={"limit": 30})).json()["stories"]
        at = stories[0]["last_published"] if stories and stories[0].get("last_published") else None
        digest = {"since": "24h", **({"at": at[:16]} if at else {})}
        for story in stories:  # warm up: the top stories read once before the clock starts
            await http.get(f"/api/stories/{story['id']}")
        articles = [a["id"] for s in stories[:10] for a in (await http.get(f"/api/stories/{s['id']}")).json()["sources"]]
        requests = (
            [("digest page", "/", digest)] * 3 + [("digest json", "/api/digest", digest)] * 3
            + [("story list", "/api/stories", {"limit": 20})]
            + [("story json", f"/api/stories/{s['id']}", {}) for s in stories]
            + [("story page", f"/stories/{s['id']}", {}) for s in stories]
            + [("article json", f"/api/articles/{a}", {}) for a in articles[:30]]
            + [("search", "/api/search", {"q": q, "fold": q.isascii()}) for q in SEARCHES]
        )
        latencies: dict[str, list[float]] = defaultdict(list)
        failures: dict[str, list[str]] = defaultdict(list)
        budget = [max_requests]
        start = time.monotonic()
        await asyncio.gather(*(_client(http, requests, start + seconds, budget, latencies, failures,
                                       random.Random(n)) for n in range(clients)))
        elapsed = time.monotonic() - start
    every = [x for values in latencies.values() for x in values]
    errors = sum(len(f) for f in failures.values())
    print(f"{clients} clients, {elapsed:.0f} s: {len(every)} requests ({len(every) / elapsed:.0f}/s), {errors} errors; "
          f"p50 {statistics.median(every):.0f} ms, p99 {_percentile(every, 0.99):.0f} ms, max {max(every):.0f} ms")
    for kind in sorted(latencies):
        values = latencies[kind]
        print(f"  {kind:13s} {len(values):6d} requests  p50 {statistics.median(values):6.0f} ms  "
              f"p99 {_percentile(values, 0.99):6.0f} ms  errors {len(failures[kind])}")
    for kind, messages in failures.items():
        for message in messages[:3]:
            print(f"  error: {kind}: {message}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a diemtin store (SQLite path or database URL)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()
    with running_server(args.db) as base:
        asyncio.run(_load(base, args.clients, args.seconds, args.max_requests))


if __name__ == "__main__":
    main()
