"""The outlets to follow: a TOML file of news outlets and their RSS/Atom feeds.

    [[outlet]]
    name = "VnExpress"
    home = "https://vnexpress.net"
    every = "10m"                      # optional: how often to poll its feeds
    text_selector = "article.fck_detail"   # optional: where its pages keep the article's text
    feeds = [
      { url = "https://vnexpress.net/rss/thoi-su.rss", section = "Thời sự" },
      { url = "https://vnexpress.net/rss/tin-moi-nhat.rss" },   # no section: the latest news
    ]

A feed's ``section`` is the outlet's own name for it; ``sections.outlet_section`` maps it to
ours. ``BUNDLED`` lists the major national outlets' public feeds (``diemtin sources``);
``check_feeds`` fetches each feed once and says what it holds (``diemtin sources --check``),
one request at a time per host.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from diemtin.errors import DiemtinError, require
from diemtin.ingest.fetch import Fetcher
from diemtin.links import http_url
from diemtin.times import parse_interval
from diemtin.types import Problem

BUNDLED = Path(__file__).parent / "data" / "outlets.toml"
# Polling more often than this asks an outlet for more than its news is worth.
MIN_EVERY_SECONDS = 60
DEFAULT_EVERY = "10m"
# Hosts checked at once; each host is asked one feed at a time.
CHECK_HOSTS_AT_ONCE = 8


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    section: str = ""  # the outlet's name for it ("Thời sự"); empty for its latest news


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    home: str
    feeds: tuple[Feed, ...]
    every_seconds: int
    text_selector: str = ""


def load_outlets(path: str | Path = BUNDLED) -> list[Outlet]:
    """The outlets of a TOML file, or a DiemtinError naming the file (and line) and what to fix."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DiemtinError(f"{path}: cannot read the outlets file ({exc.strerror or exc}); give an existing file") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DiemtinError(f"{path}: not UTF-8 text; save the outlets file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise DiemtinError(f"{path}: not valid TOML: {exc}; see the format in diemtin sources --help") from None
    entries = document.get("outlet")
    if not isinstance(entries, list) or not entries:
        raise DiemtinError(f"{path}: no [[outlet]] tables; each outlet is an [[outlet]] with a name, a home page "
                           "and feeds")
    outlets, names = [], set()
    for number, entry in enumerate(entries, start=1):
        outlet = _outlet(entry, f"{path}: outlet {number}")
        if outlet.name in names:
            raise DiemtinError(f"{path}: outlet {number}: the name '{outlet.name}' is used twice; give each outlet "
                               "its own name")
        names.add(outlet.name)
        outlets.append(outlet)
    return outlets


def poll_interval(value: str) -> int:
    """Seconds between polls ("90s", "5m", "1h"), at least ``MIN_EVERY_SECONDS``: a sources
    file's ``every`` and ``diemtin watch --every`` both read it here."""
    seconds = parse_interval(value)
    if seconds < MIN_EVERY_SECONDS:
        raise DiemtinError(f"'{value}' polls more than once a minute; give 1m or more")
    return seconds


def _outlet(entry: object, where: str) -> Outlet:
    if not isinstance(entry, dict):
        raise DiemtinError(f"{where}: not a table; write it as [[outlet]] with name, home and feeds")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DiemtinError(f"{where}: no name; add name = \"...\"")
    where = f"{where} ({name})"
    home = entry.get("home", "")
    if not isinstance(home, str) or not http_url(home):
        raise DiemtinError(f"{where}: home must be an http(s) address, not {home!r}")
    feeds = entry.get("feeds")
    if not isinstance(feeds, list) or not feeds:
        raise DiemtinError(f"{where}: no feeds; add feeds = [{{ url = \"https://...\", section = \"...\" }}]")
    parsed = []
    for number, feed in enumerate(feeds, start=1):
        if isinstance(feed, str):
            feed = {"url": feed}
        if not isinstance(feed, dict) or not isinstance(feed.get("url"), str) or not http_url(feed["url"]):
            raise DiemtinError(f"{where}: feed {number}: needs an http(s) url, not {feed!r}")
        section = feed.get("section", "")
        if not isinstance(section, str):
            raise DiemtinError(f"{where}: feed {number}: section must be text, not {section!r}")
        parsed.append(Feed(feed["url"], section.strip()))
    try:
        seconds = poll_interval(str(entry.get("every", DEFAULT_EVERY)))
    except DiemtinError as exc:
        raise DiemtinError(f"{where}: every: {exc}") from None
    selector = entry.get("text_selector", "")
    if not isinstance(selector, str):
        raise DiemtinError(f"{where}: text_selector must be text (a CSS selector), not {selector!r}")
    unknown = set(entry) - {"name", "home", "feeds", "every", "text_selector"}
    if unknown:
        raise DiemtinError(f"{where}: unknown keys {', '.join(sorted(unknown))}; the keys are name, home, feeds, "
                           "every and text_selector")
    return Outlet(name.strip(), home, tuple(parsed), seconds, selector.strip())


@dataclass(frozen=True, slots=True)
class FeedCheck:
    outlet: str
    feed: Feed
    problem: str = ""  # empty when the feed was read
    title: str = ""
    entries: int = 0
    newest: datetime | None = None  # the latest publication time of its entries (naive UTC, as ``times``)

    @property
    def ok(self) -> bool:
        return not self.problem


def check_feed(outlet: str, feed: Feed, fetcher: Fetcher) -> FeedCheck:
    """Fetch one feed once: its title, how many entries it holds and the newest one's time."""
    feedparser = require("feedparser", "feedparser", "service")
    data = fetcher.get(feed.url)
    if isinstance(data, Problem):
        return FeedCheck(outlet, feed, data.message)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.bozo else ""
        return FeedCheck(outlet, feed, f"not an RSS or Atom feed with entries{why}")
    times = [datetime(*value[:6]) for entry in parsed.entries
             for value in [entry.get("published_parsed") or entry.get("updated_parsed")] if value]
    return FeedCheck(outlet, feed, "", parsed.feed.get("title", ""), len(parsed.entries), max(times, default=None))


def check_feeds(outlets: list[Outlet], fetcher: Fetcher, done: Callable[[FeedCheck], None] | None = None
                ) -> list[FeedCheck]:
    """``check_feed`` for every feed: hosts in parallel, each host's feeds one after another, so
    no outlet is asked more than one thing at a time. Results in the outlets' order."""
    by_host: dict[str, list[tuple[int, str, Feed]]] = defaultdict(list)
    order = [(outlet.name, feed) for outlet in outlets for feed in outlet.feeds]
    for position, (name, feed) in enumerate(order):
        by_host[urlparse(feed.url).hostname or ""].append((position, name, feed))
    results: list[FeedCheck | None] = [None] * len(order)

    def host_run(items: list[tuple[int, str, Feed]]) -> None:
        for position, name, feed in items:
            results[position] = check_feed(name, feed, fetcher)
            if done:
                done(results[position])

    with ThreadPoolExecutor(max_workers=CHECK_HOSTS_AT_ONCE) as pool:
        list(pool.map(host_run, by_host.values()))
    return [r for r in results if r is not None]


__all__ = ["BUNDLED", "Feed", "FeedCheck", "Outlet", "check_feed", "check_feeds", "load_outlets"]
