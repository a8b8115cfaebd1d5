"""Following outlets: poll their feeds for ever, and every new article goes into the store
through the same stages as ``diemtin ingest`` (stories, summaries, facts).

Each poll asks every feed that is due (its outlet's ``every``, or ``--every``) with the
validators of its last answer (conditional GET), so an unchanged feed costs a 304. Entries
whose link is stored already are skipped before their page is fetched; the others' pages are
fetched (politely: ``ingest.fetch``) for the full text, and the poll's new articles are
ingested in one go, each chunk one transaction with its stories (``ingest_articles``). The
summaries and facts of the stories they changed are written while the next poll fetches
(fetching is mostly waiting: one page per outlet a second), and before that poll's articles
are stored. A stop (Ctrl-C, SIGTERM) lets the poll's ingest and its summaries finish and
writes nothing half. One JSON line per feed asked and per poll
goes to the log.

The feeds' validators and counts live in the store (``store.feeds``): a restarted watch asks
conditionally, /metrics reads the counts, and a watch owns its feeds, so a second watch on the
same database that would poll one of them refuses to start.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from diemtin.ingest.fetch import Fetcher
from diemtin.ingest.outlets import Feed, Outlet
from diemtin.ingest.web import articles_from_feed
from diemtin.parallel import Engine
from diemtin.store import feeds as stored_feeds
from diemtin.store.database import Store
from diemtin.store.update import ingest_articles, refresh_facts, refresh_summaries, stored_urls
from diemtin.times import utcnow
from diemtin.types import Article


# Outlets asked side by side in a poll (threads waiting on the network: the bundled 17 and a
# monitoring list of dozens all at once, since one outlet's pages come a second apart); each
# outlet's feeds and pages one at a time (``ingest.fetch``).
HOSTS_AT_ONCE = 64


@dataclass(slots=True)
class FeedStatus:
    """One feed of a watcher: when it is due, and what the store keeps of it (``row``:
    validators and counts, read when the watcher claims it, written after every poll)."""

    outlet: Outlet
    feed: Feed
    row: stored_feeds.FeedRow
    due: float = 0.0  # monotonic time of its next poll
    # links of its entries that gave articles now stored (kept while the feed lists them): a page
    # that names another address as its own is stored under that one, and the store does not
    # know it by the feed's link; without this its page would be fetched again every poll
    read: set[str] = field(default_factory=set)
    reading: list[str] = field(default_factory=list)  # this poll's, until its articles are stored


@dataclass(slots=True)
class PollReport:
    asked: int = 0
    not_modified: int = 0
    errors: int = 0
    new: int = 0
    stored: int = 0
    stories_changed: int = 0
    seconds: float = 0.0
    fetch_seconds: float = 0.0  # of ``seconds``: asking the feeds and fetching the pages
    # from the poll's start until the summaries and facts of the stories it changed were written
    # (later than ``seconds`` when they are written in the background: ``poll(wait=False)``)
    ready_seconds: float | None = None
    problems: list[str] = field(default_factory=list)


class Watcher:
    """Polls the outlets' feeds into ``store``; claims them there when made (``close`` lets go)."""

    def __init__(self, store: Store, outlets: list[Outlet], fetcher: Fetcher, every: int | None = None,
                 follow: bool = True, facts: bool = True, engine: Engine | None = None,
                 log: Callable[[dict], None] | None = None, closing: tuple = ()):
        self.store, self.fetcher, self.every, self.follow, self.facts = store, fetcher, every, follow, facts
        self.closing = closing  # what ``close`` closes too (the fetcher and engine made for it)
        self.engine = engine
        self.log = log or (lambda record: None)
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self.reports: list[PollReport] = []
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        # summaries and facts of the last poll's stories, written while the next poll fetches
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diemtin-watch-summaries")
        self._writing: Future | None = None
        pairs = [(outlet, feed) for outlet in outlets for feed in outlet.feeds]
        kept = stored_feeds.claim(store, self.owner, [(feed.url, outlet.name, feed.section) for outlet, feed in pairs])
        self.feeds = [FeedStatus(outlet, feed, kept[feed.url]) for outlet, feed in pairs]

    def close(self) -> None:
        try:
            self.finish_writing()
        finally:
            self._writer.shutdown()
            stored_feeds.release(self.store, self.owner)
        for thing in self.closing:
            thing.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def interval(self, status: FeedStatus) -> int:
        return self.every or status.outlet.every_seconds

    def poll(self, at: float | None = None, wait: bool = True) -> PollReport:
        """Ask every feed due at ``at`` (a ``time.monotonic()`` value; default: now) once, and
        ingest what is new: stored and in its stories when this returns, with the summaries and
        facts of the stories it changed too, or, with ``wait=False``, while the next poll fetches
        (``finish_writing`` waits for them; the next poll's articles are stored only after)."""
        start = time.monotonic() if at is None else at
        began = time.monotonic()
        report = PollReport()
        seen: set[str] = set()  # the links of this poll's articles so far
        due = [s for s in self.feeds if s.due <= start]
        by_host: dict[str, list[int]] = {}
        for position, status in enumerate(due):
            status.due = start + self.interval(status)
            by_host.setdefault(urlparse(status.feed.url).netloc.lower(), []).append(position)
        found: list[list[Article]] = [[] for _ in due]

        def host_run(positions: list[int]) -> None:
            # the fetcher spaces one host's requests; hosts are asked side by side
            for position in positions:
                if self.stop.is_set():
                    return
                found[position] = self._ask(due[position], report, seen)

        with ThreadPoolExecutor(max_workers=HOSTS_AT_ONCE) as pool:
            list(pool.map(host_run, by_host.values()))
        report.fetch_seconds = round(time.monotonic() - began, 3)
        fresh = [article for articles in found for article in articles]  # in the sources' order
        if fresh:
            # one article per link: two feeds may carry one entry; the feed that read it first keeps it
            first: dict[str, Article] = {}
            for article in fresh:
                first.setdefault(article.url or article.id, article)
            unique = list(first.values())
            self.finish_writing()  # the last poll's summaries first: one writer of stories at a time
            result = ingest_articles(self.store, unique, summarize=False, facts=False, engine=self.engine)
            report.stored, report.stories_changed = result.stored, len(result.stories_changed)
            for status in due:
                status.read.update(status.reading)
            self._writing = self._writer.submit(self._write_summaries, report, began)
        else:
            report.ready_seconds = round(time.monotonic() - began, 3)
        stored_feeds.record(self.store, self.owner, [status.row for status in self.feeds])
        if wait:
            self.finish_writing()
        report.seconds = round(time.monotonic() - began, 3)
        self.log({"event": "poll", "asked": report.asked, "not_modified": report.not_modified,
                  "errors": report.errors, "new": report.new, "stored": report.stored,
                  "stories_changed": report.stories_changed, "seconds": report.seconds,
                  "fetch_seconds": report.fetch_seconds})
        return report

    def _write_summaries(self, report: PollReport, began: float) -> None:
        """The summaries, sections and facts of the stories the poll changed (every stale one),
        as ``ingest_articles`` writes them (on the engine's workers)."""
        refresh_summaries(self.store, engine=self.engine)
        if self.facts:
            refresh_facts(self.store, engine=self.engine)
        report.ready_seconds = round(time.monotonic() - began, 3)

    def finish_writing(self) -> None:
        """Wait until the last poll's summaries and facts are written (raises what stopped them)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def _ask(self, status: FeedStatus, report: PollReport, seen: set[str]) -> list[Article]:
        """Ask one feed (from a thread of ``poll``; the report is shared, under ``_lock``)."""
        with self._lock:
            report.asked += 1
        status.reading = []
        row = status.row
        fetched = self.fetcher.fetch(status.feed.url, row.etag, row.last_modified)
        record = {"event": "feed", "outlet": status.outlet.name, "url": status.feed.url}
        if fetched.problem is not None:
            row.errors += 1
            row.last_error = utcnow()
            row.last_problem = fetched.problem.message
            with self._lock:
                report.errors += 1
                report.problems.append(str(fetched.problem))
            self.log(record | {"status": "error", "problem": fetched.problem.message})
            return []
        row.fetched += 1
        row.last_success = utcnow()
        row.etag, row.last_modified = fetched.etag, fetched.last_modified
        if fetched.not_modified:
            row.not_modified += 1
            with self._lock:
                report.not_modified += 1
            self.log(record | {"status": "not modified"})
            return []
        # links stored already, or read from another feed in this poll: their pages are not fetched
        def known(urls: list[str]) -> set[str]:
            status.read &= set(urls)  # what the feed no longer lists is not asked about again
            with self._lock:  # claimed here: another host's feed carrying one of them skips it
                taken = stored_urls(self.store, urls) | (set(urls) & seen) | status.read
                seen.update(urls)
            return taken

        articles, problems = articles_from_feed(fetched.body, status.feed.url,
                                                self.fetcher if self.follow else None, known, status.reading.append)
        # the operator's name for the outlet and its feed's section, where the page names none
        articles = [replace(a, source=status.outlet.name, section=a.section or status.feed.section)
                    for a in articles]
        row.new += len(articles)
        with self._lock:
            report.new += len(articles)
            report.problems += [str(p) for p in problems]
        self.log(record | {"status": "ok", "new": len(articles), "problems": len(problems)})
        return articles

    def run(self, polls: int | None = None) -> list[PollReport]:
        """Poll until stopped (``stop``), or ``polls`` times; between polls, wait until a feed is due.
        The reports are also in ``reports`` as they come (another thread may read them)."""
        reports = self.reports
        try:
            while not self.stop.is_set() and (polls is None or len(reports) < polls):
                reports.append(self.poll(wait=False))  # its summaries are written while the next one fetches
                if polls is not None and len(reports) >= polls:
                    break
                next_due = min((s.due for s in self.feeds), default=time.monotonic())
                self.stop.wait(max(0.0, next_due - time.monotonic()))
        finally:
            self.finish_writing()
        return reports


def json_log(stream) -> Callable[[dict], None]:
    """A log of one JSON object per line, with the time."""
    def write(record: dict) -> None:
        print(json.dumps({"time": utcnow().isoformat(timespec="seconds"), **record}, ensure_ascii=False),
              file=stream, flush=True)
    return write


__all__ = ["FeedStatus", "PollReport", "Watcher", "json_log"]
