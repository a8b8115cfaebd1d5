"""A simulated day of a live newsroom: articles of the 35k corpus published by outlets on
loopback over 24 simulated hours, followed by ``watch.Watcher`` into a fresh store.

    python bench/simulated_day.py ../shared/data/baomoi-2017.jsonl.gz --articles 3000 --db /tmp/day.db

Each outlet is its own host (127.0.0.2, 127.0.0.3, ...), so the fetcher's politeness (one
request at a time per host, 1 s apart, robots.txt) applies as on the internet. Articles are
shuffled with a fixed seed, dealt to the outlets and given publication times spread over the
day; an outlet's RSS feed lists its 50 newest published articles (ETag, so an unchanged feed
answers 304), and each article has a page shaped like a news page. The replay advances the
day in steps of ``--step`` simulated minutes and polls once per step, as fast as it can.

Prints: the keep-up factor (simulated hours per wall hour: above 24, a day's news is followed
in less than a day), the lag from publication to the digest (the wait for the next poll, in
simulated time, plus the wall time until that poll's summaries and facts are written: the
watcher writes them while the next poll fetches), and the process's memory every few hours.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import ipaddress
import random
import resource
import statistics
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from diemtin.ingest import read_sources
from diemtin.ingest.fetch import Fetcher
from diemtin.ingest.outlets import Feed, Outlet
from diemtin.parallel import LocalEngine
from diemtin.store import Store
from diemtin.watch import Watcher

DAY_START = datetime(2017, 5, 10, tzinfo=timezone.utc)


class Outlet_(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        server = self.server
        if self.path == "/robots.txt":
            return self._answer(200, b"User-agent: *\nDisallow: /admin/\n")
        if self.path == "/rss":
            published = [a for a in server.articles if a[2] <= server.clock[0]][-50:]
            items = "".join(f"<item><title>{escape(a.title)}</title><link>{server.base}/a/{n}.html</link>"
                            f"<pubDate>{format_datetime(when)}</pubDate></item>" for n, a, when in reversed(published))
            body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{server.name}</title>'
                    f"<link>{server.base}/</link>{items}</channel></rss>").encode()
            tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == tag:
                return self._answer(304, b"", tag)
            return self._answer(200, body, tag)
        if self.path.startswith("/a/"):
            n = int(self.path[3:].split(".")[0])
            _, article, when = server.by_number[n]
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n") if p.strip())
            sapo = f"<p class='sapo'>{escape(article.sapo)}</p>" if article.sapo else ""
            body = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(article.title)}</title>'
                    f'<meta property="article:published_time" content="{when.isoformat()}"></head><body>'
                    f'<div class="menu">Thời sự | Thế giới | Kinh doanh</div><article><h1>{escape(article.title)}</h1>'
                    f'{sapo}{paragraphs}</article><div class="related">Tin liên quan | Bài khác</div></body></html>')
            return self._answer(200, body.encode())
        self._answer(404, b"")

    def _answer(self, status, body, tag=None):
        self.send_response(status)
        if tag:
            self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def current_memory_mb() -> float:
    """This process's resident memory now (not its peak), from /proc; the peak where /proc is absent."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def published_over(corpus: str, count: int, seed: int, start: datetime, seconds: float) -> tuple[list, list[datetime]]:
    """The corpus's articles with text, shuffled with ``seed`` and cut to ``count`` (0: all), and
    their publication times, drawn at random over ``seconds`` from ``start`` and sorted."""
    articles = [a for a in read_sources([corpus]).articles if a.text.strip()]
    random.Random(seed).shuffle(articles)
    articles = articles[:count] if count else articles
    rng = random.Random(seed)
    return articles, sorted(start + timedelta(seconds=rng.uniform(0, seconds)) for _ in articles)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--articles", type=int, default=3000, help="articles published over the day (0: all)")
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--step", type=int, default=10, help="simulated minutes between polls")
    parser.add_argument("--db", required=True, help="a new SQLite file or PostgreSQL URL")
    parser.add_argument("--no-facts", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hours", type=float, default=24, help="stop after this many simulated hours")
    args = parser.parse_args()

    articles, moments = published_over(args.corpus, args.articles, args.seed, DAY_START, 86400)
    clock = [DAY_START]
    servers = []
    for k in range(args.outlets):
        server = http.server.ThreadingHTTPServer((f"127.0.0.{k + 2}", 0), Outlet_)
        server.name, server.clock = f"Báo {k + 1}", clock
        server.base = f"http://127.0.0.{k + 2}:{server.server_address[1]}"
        server.articles, server.by_number = [], {}
        servers.append(server)
    for n, (article, when) in enumerate(zip(articles, moments)):
        server = servers[n % args.outlets]
        server.articles.append((n, article, when))
        server.by_number[n] = (n, article, when)
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    outlets = [Outlet(s.name, s.base + "/", (Feed(s.base + "/rss", "Thời sự"),), 600) for s in servers]

    store = Store.open(args.db)
    waits, rows = [], []
    started = time.monotonic()
    steps = int(args.hours * 60) // args.step
    fetching = 0.0
    with LocalEngine() as engine, Fetcher(allow_private=(ipaddress.ip_network("127.0.0.0/8"),)) as fetcher, \
            Watcher(store, outlets, fetcher, every=args.step * 60, facts=not args.no_facts, engine=engine) as watcher:
        published_before = 0
        for step in range(1, steps + 1):
            clock[0] = DAY_START + timedelta(minutes=step * args.step)
            poll_began = time.monotonic()
            report = watcher.poll(at=time.monotonic() + step * args.step * 60 + 1, wait=False)
            wall = time.monotonic() - poll_began
            fetching += report.fetch_seconds
            new = [when for when in moments[published_before:] if when <= clock[0]]
            published_before += len(new)
            waits.append((report, [(clock[0] - when).total_seconds() for when in new]))
            if step % max(1, steps // 8) == 0 or step == steps:
                rss = current_memory_mb()
                rows.append((step * args.step / 60, time.monotonic() - started, store.counts()["articles"], rss))
                print(f"simulated {step * args.step / 60:5.1f} h  wall {time.monotonic() - started:7.1f} s  "
                      f"stored {rows[-1][2]:6d}  last poll {wall:6.1f} s ({report.new} new, fetching "
                      f"{report.fetch_seconds:.1f} s)  memory {rss:.0f} MB",
                      flush=True)
        watcher.finish_writing()
    total = time.monotonic() - started
    # publication to the digest: the wait for the poll, then until the poll's summaries and facts were written
    lags = sorted(waited + report.ready_seconds for report, waiting in waits for waited in waiting)
    hours = steps * args.step / 60
    print(f"{store.counts()['articles']} of the day's {len(articles)} articles from {args.outlets} outlets over "
          f"{hours:g} simulated hours in {total / 60:.1f} wall minutes ({fetching / 60:.1f} fetching): "
          f"keep-up factor {hours * 3600 / total:.1f}")
    print(f"lag from publication to the digest (summaries and facts written): median {statistics.median(lags) / 60:.1f} min, "
          f"p95 {lags[int(0.95 * len(lags))] / 60:.1f} min (polls every {args.step} simulated minutes)")
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
