"""Polite fetching, against a newsroom served on loopback: robots.txt, one request at a time per
host and spaced, conditional GET, bounded retries, and who is asking (the User-Agent)."""

from __future__ import annotations

import http.server
import ipaddress
import threading
import time
from pathlib import Path

import pytest

from diemtin.ingest.fetch import Fetcher

FEED = (Path(__file__).parents[1] / "data" / "feed.rss").read_bytes()
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


class Newsroom(http.server.BaseHTTPRequestHandler):
    """/robots.txt as the test sets it; /feed.rss with an ETag; /flaky fails ``server.failures``
    times with 500 then answers; /down always 500; every request logged with its time and headers."""

    def do_GET(self):  # noqa: N802
        server = self.server
        server.log.append((time.monotonic(), self.path, dict(self.headers)))
        if self.path == "/robots.txt":
            if server.robots is None:
                return self._answer(404, b"")
            if server.robots == 500:
                return self._answer(500, b"")
            return self._answer(200, server.robots.encode())
        if self.path == "/feed.rss":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._answer(304, b"", {"ETag": '"v1"'})
            return self._answer(200, FEED, {"ETag": '"v1"', "Last-Modified": "Fri, 04 Oct 2024 02:00:00 GMT"})
        if self.path == "/flaky":
            server.failures -= 1
            if server.failures >= 0:
                return self._answer(500, b"busy")
            return self._answer(200, FEED)
        if self.path == "/nowhere":
            return self._answer(302, b"")  # a redirect without a Location
        if self.path == "/down":
            return self._answer(503, b"", {"Retry-After": "0"})
        if self.path.startswith("/tin/") or self.path.startswith("/rieng/"):
            return self._answer(200, FEED)
        return self._answer(404, b"")

    def _answer(self, status, body, headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def newsroom():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Newsroom)
    server.log, server.robots, server.failures = [], None, 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def paths(server):
    return [path for _, path, _ in server.log]


def fetcher(**kwargs):
    kwargs.setdefault("host_interval", 0.0)
    kwargs.setdefault("retry_wait", 0.01)
    return Fetcher(allow_private=LOOPBACK, **kwargs)


def test_robots_txt_is_read_once_per_host_and_obeyed(newsroom):
    server, base = newsroom
    server.robots = "User-agent: *\nDisallow: /rieng/\n\nUser-agent: diemtin\nDisallow: /rieng/\nAllow: /tin/\n"
    with fetcher() as f:
        assert f.get(f"{base}/tin/a.html")[:5] == b"<?xml"
        refused = f.get(f"{base}/rieng/b.html")
        assert "robots.txt does not allow diemtin" in refused.message
        assert f.get(f"{base}/tin/c.html")[:5] == b"<?xml"
    assert paths(server) == ["/robots.txt", "/tin/a.html", "/tin/c.html"]  # the refused page never asked for


def test_a_robots_txt_the_server_fails_to_give_means_nothing_is_fetched(newsroom):
    server, base = newsroom
    server.robots = 500
    with fetcher() as f:
        problem = f.get(f"{base}/tin/a.html")
    assert "robots.txt is unavailable (500)" in problem.message and paths(server) == ["/robots.txt"]


def test_conditional_get_sends_the_validators_and_a_304_carries_no_body(newsroom):
    server, base = newsroom
    with fetcher() as f:
        first = f.fetch(f"{base}/feed.rss")
        assert first.body == FEED and first.etag == '"v1"' and first.last_modified.endswith("GMT")
        again = f.fetch(f"{base}/feed.rss", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body is None and again.problem is None and again.etag == '"v1"'
    _, _, headers = server.log[-1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == first.last_modified


def test_server_errors_are_retried_a_bounded_number_of_times(newsroom):
    server, base = newsroom
    server.failures = 2
    with fetcher(retries=2) as f:
        recovered = f.fetch(f"{base}/flaky")
        assert recovered.body == FEED and recovered.attempts == 3
        down = f.fetch(f"{base}/down")
    assert down.problem is not None and "503" in down.problem.message and "after 3 tries" in down.problem.message
    assert paths(server).count("/flaky") == 3 and paths(server).count("/down") == 3


def test_requests_to_one_host_are_spaced_and_name_who_is_asking(newsroom, monkeypatch):
    server, base = newsroom
    monkeypatch.setenv("DIEMTIN_CONTACT_URL", "https://tin.example.vn/lien-he")
    with fetcher(host_interval=0.3) as f:
        threads = [threading.Thread(target=f.get, args=(f"{base}/tin/{n}.html",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    moments = [moment for moment, _, _ in server.log]
    assert len(moments) == 5  # robots.txt and four pages, asked from four threads at once
    assert all(later - earlier >= 0.25 for earlier, later in zip(moments, moments[1:]))
    [agent] = {headers["User-Agent"] for _, _, headers in server.log}
    assert agent.startswith("diemtin/") and agent.endswith("(news digest; +https://tin.example.vn/lien-he)")


def test_a_redirect_that_names_no_address_is_a_problem_not_a_crash(newsroom):
    # a 3xx without a Location raised KeyError out of the fetcher (a traceback for the user)
    server, base = newsroom
    with fetcher() as f:
        problem = f.get(f"{base}/nowhere")
        unasked_304 = f.fetch(f"{base}/feed.rss")
    assert "answered 302 Found with no address to go to" in problem.message
    assert unasked_304.body == FEED
