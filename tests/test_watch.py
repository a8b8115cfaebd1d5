"""diemtin watch against a newsroom on loopback: two outlets with RSS and Atom feeds and article
pages built from real vims-dev reports; robots.txt forbids one path. Nothing leaves the machine."""

from __future__ import annotations

import hashlib
import http.server
import ipaddress
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from html import escape

import pytest

from diemtin.cli import main
from diemtin.ingest.fetch import Fetcher
from diemtin.ingest.outlets import load_outlets
from diemtin.ingest import read_sources
from diemtin.store import Store
from diemtin.watch import Watcher
from tests.conftest import VIMS, needs_shared

pytestmark = needs_shared(VIMS)
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)
START = datetime(2016, 12, 3, 1, 0, tzinfo=timezone.utc)


def page(article, section: str, published: datetime) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n") if p.strip())
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(article.title)}</title>'
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            f'<meta property="article:section" content="{section}"></head><body>'
            f'<div class="menu">Thời sự | Thế giới | Kinh doanh</div><article><h1>{escape(article.title)}</h1>'
            f'{paragraphs}</article><div class="related">Tin liên quan | Bài khác</div></body></html>')


def rss(base: str, entries: list) -> str:
    items = "".join(f"<item><title>{escape(a.title)}</title><link>{base}{path}</link>"
                    f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(a.text[:150])}</description></item>"
                    for path, a, when in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo A - Thời sự</title>'
            f"<link>{base}/</link>{items}</channel></rss>")


def atom(base: str, entries: list) -> str:
    items = "".join(f'<entry><title>{escape(a.title)}</title><id>{base}{path}</id><link href="{base}{path}"/>'
                    f"<updated>{when.isoformat()}</updated><summary>{escape(a.text[:150])}</summary></entry>"
                    for path, a, when in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Báo B</title>'
            f"<id>{base}/</id><updated>{START.isoformat()}</updated>{items}</feed>")


class Newsroom(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        server = self.server
        server.log.append((self.path, dict(self.headers)))
        if self.path in server.on_request:
            server.on_request.pop(self.path)()
        if self.path in server.failing and server.failing[self.path] > 0:  # an outlet down, then back
            server.failing[self.path] -= 1
            return self._answer(500, b"")
        body = server.files.get(self.path)
        if body is None:
            return self._answer(404, b"")
        data = body.encode()
        tag = '"' + hashlib.sha1(data).hexdigest()[:12] + '"'
        if self.headers.get("If-None-Match") == tag:
            return self._answer(304, b"", tag)
        self._answer(200, data, tag)

    def _answer(self, status, data, tag=None):
        self.send_response(status)
        if tag:
            self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def newsroom(tmp_path):
    clusters = read_sources([VIMS]).clusters
    storm, other = clusters[0].articles, clusters[1].articles
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Newsroom)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.log, server.on_request, server.failing = [], {}, {}
    a_entries = [("/a/1.html", storm[0], START), ("/a/2.html", other[0], START + timedelta(hours=1))]
    # Báo B also carries Báo A's first report, under its address with tracking parameters
    b_entries = [("/b/1.html", storm[1], START + timedelta(hours=2)), ("/rieng/1.html", other[1], START),
                 ("/a/1.html?utm_source=baob&utm_medium=atom", storm[0], START)]
    server.files = {"/robots.txt": "User-agent: *\nDisallow: /rieng/\n", "/a/rss": rss(base, a_entries),
                    "/b/atom": atom(base, b_entries)}
    for path, article, when in a_entries + b_entries[:2]:
        server.files[path] = page(article, "Thời sự" if path.startswith("/a/") else "Thế giới", when)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sources = tmp_path / "sources.toml"
    sources.write_text(f'''
[[outlet]]
name = "Báo A"
home = "{base}/"
feeds = [{{ url = "{base}/a/rss", section = "Thời sự" }}]

[[outlet]]
name = "Báo B"
home = "{base}/"
every = "1h"
feeds = [{{ url = "{base}/b/atom" }}]
''', encoding="utf-8")
    server.publish = lambda entries: server.files.update(
        {"/a/rss": rss(base, a_entries + entries), **{p: page(a, "Thời sự", w) for p, a, w in entries}})
    server.next_report = ("/a/3.html", storm[2], START + timedelta(hours=3))
    yield server, sources
    server.shutdown()


def stored(db):
    with sqlite3.connect(db) as connection:
        return {row[0]: row[1:] for row in connection.execute(
            "select url, source, section, published_at, story_id from articles")}


def test_watch_stores_each_new_article_once_with_its_outlet_section_and_time(tmp_path, newsroom, capsys):
    server, sources = newsroom
    db = tmp_path / "news.db"
    code = main(["watch", "--sources", str(sources), "--db", str(db), "--polls", "1", "--no-facts", "--jobs", "1",
                 "--allow-private-urls", "127.0.0.1/32"])
    assert code == 0
    rows = stored(db)
    # the page robots.txt forbids is never asked for: its entry is stored with the feed's own text
    assert sorted(url.split("/", 3)[3] for url in rows) == ["a/1.html", "a/2.html", "b/1.html", "rieng/1.html"]
    by_path = {url.split("/", 3)[3]: row for url, row in rows.items()}
    assert by_path["a/1.html"][:2] == ("Báo A", "Thời sự") and by_path["b/1.html"][:2] == ("Báo B", "Thế giới")
    assert str(by_path["b/1.html"][2]).startswith("2016-12-03 03:00")  # the page's publication time, UTC
    # the two reports of one event are one story; robots.txt kept the forbidden page unasked
    assert by_path["a/1.html"][3] == by_path["b/1.html"][3] != by_path["a/2.html"][3]
    assert not any(path.startswith("/rieng/") for path, _ in server.log)
    # the report under two addresses is stored once, as the first outlet's, and fetched once
    assert [path for path, _ in server.log if path.startswith("/a/1.html")] == ["/a/1.html"]
    log = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert [r["event"] for r in log] == ["feed", "feed", "poll"] and log[-1]["stored"] == 4
    assert log[1]["problems"] == 1  # the forbidden page, named in the log

def test_watch_returns_with_every_changed_story_summarised_sectioned_and_with_facts(tmp_path, newsroom):
    # summaries and facts are written while the next poll fetches; a watch that ends (after
    # --polls, or stopped) has written them all, facts too (the default)
    server, sources = newsroom
    db = tmp_path / "news.db"
    assert main(["watch", "--sources", str(sources), "--db", str(db), "--polls", "1", "--jobs", "1",
                 "--allow-private-urls", "127.0.0.1/32"]) == 0
    with sqlite3.connect(db) as connection:
        stories = connection.execute("select id, summary_stale, section from stories").fetchall()
        summarised = {row[0] for row in connection.execute("select story_id from summaries")}
        facts = dict(connection.execute("select story_id, data from facts").fetchall())
    assert len(stories) >= 2 and not any(stale for _, stale, _ in stories) and all(section for *_, section in stories)
    assert {sid for sid, *_ in stories} == summarised == set(facts)
    assert any(json.loads(data)["entities"] for data in facts.values())


def test_a_later_poll_asks_conditionally_and_fetches_only_what_is_new(tmp_path, newsroom):
    server, sources = newsroom
    store = Store.open(str(tmp_path / "news.db"))
    with Fetcher(allow_private=LOOPBACK, host_interval=0.0) as fetcher:
        watcher = Watcher(store, load_outlets(sources), fetcher, facts=False)
        first = watcher.poll()
        assert (first.asked, first.new, first.stored) == (2, 4, 4)
        [story_of_storm] = [row[3] for url, row in stored(tmp_path / "news.db").items() if url.endswith("/a/1.html")]
        server.publish([server.next_report])
        asked_before = len(server.log)
        second = watcher.poll(at=time.monotonic() + 601)  # Báo A is due (10 min), Báo B not (1 h)
        third = watcher.poll(at=time.monotonic() + 3601)  # both due; nothing changed
    assert (second.asked, second.new, second.stored, second.not_modified) == (1, 1, 1, 0)
    assert [p for p, _ in server.log[asked_before:]][:2] == ["/a/rss", "/a/3.html"]  # no page fetched twice
    assert (third.asked, third.not_modified, third.new) == (2, 2, 0)
    assert all("If-None-Match" in headers for path, headers in server.log[-2:])
    rows = stored(tmp_path / "news.db")
    assert len(rows) == 5 and [row[3] for url, row in rows.items() if url.endswith("/a/3.html")] == [story_of_storm]


def test_a_page_stored_under_its_own_canonical_address_is_not_fetched_again(tmp_path, newsroom):
    # the feed links "/a/tin?id=7"; the page names "/a/7-bao-so-1.html" as its address, under
    # which the article is stored: later polls of the feed still listing the link must not fetch it
    server, sources = newsroom
    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = read_sources([VIMS]).clusters[2].articles[0]
    server.publish([("/a/tin?id=7", report, START + timedelta(hours=3))])
    server.files["/a/tin?id=7"] = page(report, "Thời sự", START + timedelta(hours=3)).replace(
        "</head>", f'<link rel="canonical" href="{base}/a/7-bao-so-1.html"></head>')
    store = Store.open(str(tmp_path / "news.db"))
    with Fetcher(allow_private=LOOPBACK, host_interval=0.0) as fetcher:
        watcher = Watcher(store, load_outlets(sources), fetcher, facts=False)
        first = watcher.poll()
        server.publish([("/a/tin?id=7", report, START + timedelta(hours=3)), server.next_report])
        second = watcher.poll(at=time.monotonic() + 601)
    assert f"{base}/a/7-bao-so-1.html" in stored(tmp_path / "news.db")
    assert [path for path, _ in server.log].count("/a/tin?id=7") == 1
    assert (first.stored, second.new, second.stored) == (5, 1, 1)  # the next report only


def test_sigterm_mid_poll_finishes_the_writes_and_loses_nothing(tmp_path, newsroom):
    server, sources = newsroom
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "diemtin.cli", "watch", "--sources", str(sources), "--db", str(db), "--no-facts",
               "--jobs", "1", "--allow-private-urls", "127.0.0.1/32"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    # SIGTERM while the first outlet's second page is being fetched: no --polls, so only the stop ends it
    server.on_request["/a/2.html"] = lambda: os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "SIGTERM: stopping after this poll's writes" in err and "Traceback" not in err
    first = stored(db)
    assert sorted(url.split("/", 3)[3] for url in first) == ["a/1.html", "a/2.html"]  # Báo B was not asked
    assert all(row[3] for row in first.values())  # every stored article is in a story
    assert not any(path == "/b/atom" for path, _ in server.log)
    # the next watch goes on: each article once, the earlier ones not fetched again
    asked_before = len(server.log)
    assert subprocess.run(command + ["--polls", "1"], capture_output=True, timeout=300).returncode == 0
    assert len(stored(db)) == 4
    assert [p for p, _ in server.log[asked_before:] if p.startswith("/a/")] == ["/a/rss"]


def test_a_second_watch_on_the_same_feeds_refuses_and_a_restarted_one_asks_conditionally(tmp_path, newsroom, capsys):
    server, sources = newsroom
    db = str(tmp_path / "news.db")
    store = Store.open(db)
    with Fetcher(allow_private=LOOPBACK, host_interval=0.0) as fetcher:
        first = Watcher(store, load_outlets(sources), fetcher, facts=False)
        first.poll()
        # another watch on this database, as an operator would start it by mistake
        assert main(["watch", "--sources", str(sources), "--db", db, "--polls", "1",
                     "--allow-private-urls", "127.0.0.1/32"]) == 2
        err = capsys.readouterr().err
        assert "another diemtin watch" in err and "polls 2 of these feeds" in err and "Traceback" not in err
        # one told to follow other outlets runs beside it
        other = tmp_path / "other.toml"
        other.write_text(sources.read_text(encoding="utf-8").split("[[outlet]]")[2].join(["[[outlet]]", ""]),
                         encoding="utf-8")
        assert "Báo A" not in other.read_text(encoding="utf-8")
        with pytest.raises(Exception, match="another diemtin watch"):
            Watcher(store, load_outlets(other), fetcher, facts=False)  # Báo B is the first one's too
        first.close()
        asked = len(server.log)
        with Watcher(store, load_outlets(sources), fetcher, facts=False) as restarted:
            again = restarted.poll()
    # the restarted watch read the validators the first one stored: both feeds answer 304
    assert (again.asked, again.not_modified, again.new) == (2, 2, 0)
    assert all("If-None-Match" in headers for _, headers in server.log[asked:])


def test_metrics_and_healthz_show_what_the_watch_did(tmp_path, newsroom):
    from fastapi.testclient import TestClient

    from diemtin.web.app import create_app

    server, sources = newsroom
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        '/b/atom" }', f'/b/atom" }}, {{ url = "{base}/gone.rss" }}'), encoding="utf-8")  # a feed that 404s
    server.failing["/a/rss"] = 1  # Báo A answers 500 to the first poll, then recovers
    store = Store.open(str(tmp_path / "news.db"))
    with Fetcher(allow_private=LOOPBACK, host_interval=0.0, retries=0) as fetcher:
        with Watcher(store, load_outlets(sources), fetcher, facts=False) as watcher:
            assert watcher.poll().errors == 2
            # a poll late, Báo A's second report (its first came in Báo B's feed meanwhile)
            assert watcher.poll(at=time.monotonic() + 601).new == 1
    with TestClient(create_app(store, token="t", refresh=False)) as client:
        health = client.get("/healthz")
        metrics = client.get("/metrics")
    assert health.status_code == 200 and health.json()["articles"] == 4
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    from prometheus_client.parser import text_string_to_metric_families

    samples = {(s.name, s.labels.get("feed", "").rsplit("/", 1)[-1]): s.value
               for family in text_string_to_metric_families(metrics.text) for s in family.samples
               if not s.name.endswith("_created")}
    assert samples[("diemtin_feed_fetched_total", "rss")] == 1 and samples[("diemtin_feed_new_articles_total", "rss")] == 1
    assert samples[("diemtin_feed_errors_total", "rss")] == 1  # the outlet that failed, then recovered
    assert samples[("diemtin_feed_last_success_timestamp_seconds", "rss")] > 1.7e9
    assert samples[("diemtin_feed_errors_total", "gone.rss")] == 1  # the failing outlet, reported
    assert samples[("diemtin_feed_fetched_total", "gone.rss")] == 0
    assert samples[("diemtin_articles", "")] == 4
    # the vims-dev reports were "published" in 2016: the lag to their arrival is years
    assert samples[("diemtin_publication_lag_seconds", "")] > 3 * 365 * 86400


def test_serve_watch_follows_the_outlets_in_the_web_process(tmp_path, newsroom):
    from fastapi.testclient import TestClient

    from diemtin.cli import _watcher_factory, build_parser
    from diemtin.web.app import create_app

    server, sources = newsroom
    args = build_parser().parse_args(["serve", "--watch", "--sources", str(sources), "--no-facts", "--jobs", "1",
                                      "--allow-private-urls", "127.0.0.1/32"])
    store = Store.open(str(tmp_path / "news.db"))
    app = create_app(store, token="t", refresh=False, watch=_watcher_factory(args))
    with TestClient(app) as client:
        deadline = time.monotonic() + 240
        while not app.state.watcher.reports and time.monotonic() < deadline:
            time.sleep(0.2)
        stories = client.get("/api/stories").json()
        metrics = client.get("/metrics").text
    # the app's shutdown stopped the poller (it was waiting for the feeds to be due again) and let its feeds go
    assert not app.state.watching.is_alive()
    assert app.state.watcher.reports[0].stored == 4 and sorted(s["articles"] for s in stories["stories"]) == [2, 2]
    assert 'diemtin_feed_fetched_total{feed="' in metrics
    with sqlite3.connect(tmp_path / "news.db") as connection:
        assert connection.execute("select count(*) from feeds where owner is not null").fetchone() == (0,)


def test_a_slow_outlet_times_out_without_holding_up_the_others(tmp_path, newsroom):
    server, sources = newsroom

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            time.sleep(3)  # longer than the fetcher waits
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    slow = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Slow)
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    sources.write_text(sources.read_text(encoding="utf-8") + f'''
[[outlet]]
name = "Báo Chậm"
home = "http://127.0.0.2:{slow.server_address[1]}/"
feeds = [{{ url = "http://127.0.0.2:{slow.server_address[1]}/rss" }}]
''', encoding="utf-8")
    store = Store.open(str(tmp_path / "news.db"))
    try:
        with Fetcher(allow_private=(ipaddress.ip_network("127.0.0.0/8"),), host_interval=0.0, timeout=0.5,
                     retries=1, retry_wait=0.01) as fetcher:
            with Watcher(store, load_outlets(sources), fetcher, facts=False) as watcher:
                report = watcher.poll()
    finally:
        slow.shutdown()
    # its robots.txt does not come in time either: nothing is fetched from it, and it is said
    [problem] = [p for p in report.problems if "127.0.0.2" in p]
    assert report.errors == 1 and "robots.txt could not be read" in problem
    assert report.stored == 4  # the other outlets' articles, in the same poll
    [row] = [s.row for s in watcher.feeds if s.outlet.name == "Báo Chậm"]
    assert row.errors == 1 and row.fetched == 0 and "try again later" in row.last_problem
