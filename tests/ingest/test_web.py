"""HTML pages (trafilatura) and RSS feeds (feedparser), from files and over real HTTP on loopback;
the fetcher's refusal of the server's own network, at connect time and on every redirect."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from functools import partial
from pathlib import Path

import pytest

from diemtin.ingest import read_sources
from diemtin.ingest.fetch import Fetcher, address_refusal
from diemtin.ingest.web import read_url

DATA = Path(__file__).resolve().parents[1] / "data"

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bão số 3 đổ bộ Quảng Ninh</title>
<meta property="og:site_name" content="Báo Mẫu"><meta name="date" content="2024-09-07T10:00:00+07:00">
<meta property="og:image" content="https://baomau.example.vn/anh/bao-yagi.jpg">
<meta property="article:section" content="Thời sự"></head>
<body><div class="menu">Thời sự | Thế giới | Kinh doanh | Giải trí</div><script>window.ads = [1, 2, 3];</script>
<article><h1>Bão số 3 đổ bộ Quảng Ninh</h1>
<p>Trưa 7/9, bão số 3 (Yagi) đổ bộ vào đất liền Quảng Ninh và Hải Phòng với sức gió mạnh nhất cấp 14.</p>
<p>Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, bão gây mưa rất to ở các tỉnh Bắc Bộ trong hai ngày tới.</p>
<p>Hơn 50.000 người dân ở vùng ven biển đã được sơ tán đến nơi an toàn trước khi bão vào.</p></article>
<div class="related">Tin liên quan | Bão số 2 suy yếu | Dự báo thời tiết ngày mai</div></body></html>"""


def test_feed_file_gives_articles_with_outlet_link_and_time():
    batch = read_sources([DATA / "feed.rss"])
    assert [a.title for a in batch.articles] == ["Tổng thư ký NATO thăm Kiev", "Giá vàng tăng mạnh"]
    nato = batch.articles[0]
    assert nato.source == "Báo Mẫu - Thời sự" and nato.url == "https://baomau.example.vn/nato-kiev.html"
    assert nato.published == "2024-10-04T01:30:00+00:00"
    assert nato.image == "https://baomau.example.vn/anh/rutte-kiev.jpg"  # the entry's image enclosure
    assert batch.articles[1].image == ""
    # the outlet's own section: the entry's category, else the feed's (here its title names it)
    assert [a.section for a in batch.articles] == ["Báo Mẫu - Thời sự", "Kinh doanh"]
    assert "Mark Rutte" in nato.text and "track()" not in nato.text
    assert len(batch.problems) == 1 and "entry 3" in str(batch.problems[0]) and "no text" in str(batch.problems[0])


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of a folder, a request log, and redirects: /go?to=URL answers 302 to URL."""

    def do_GET(self):  # noqa: N802
        self.server.requests.append(self.path)
        if self.path.startswith("/go?to="):
            self.send_response(302)
            self.send_header("Location", self.path[len("/go?to="):])
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def _serve(folder: Path, host: str):
    server = http.server.ThreadingHTTPServer((host, 0), partial(_Handler, directory=str(folder)))
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def site(tmp_path):
    (tmp_path / "bao.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "feed.rss").write_bytes((DATA / "feed.rss").read_bytes())
    server = _serve(tmp_path, "127.0.0.1")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture()
def internal(tmp_path_factory):
    """Another host of the "intranet", on 127.0.0.2: nothing may reach it unless allowed."""
    folder = tmp_path_factory.mktemp("internal")
    (folder / "secret.html").write_text(PAGE.replace("Bão số 3", "Tài liệu nội bộ"), encoding="utf-8")
    server = _serve(folder, "127.0.0.2")
    yield server
    server.shutdown()


# The tests' own server is on loopback: they let 127.0.0.1 through, and nothing else.
ONLY_THE_TEST_SERVER = (ipaddress.ip_network("127.0.0.1/32"),)


def _fetcher():
    return Fetcher(allow_private=ONLY_THE_TEST_SERVER)


def test_page_over_http_keeps_the_story_and_drops_menus_scripts_and_links(site):
    articles, problems = read_url(f"{site}/bao.html", _fetcher())
    assert not problems
    [article] = articles
    assert article.title == "Bão số 3 đổ bộ Quảng Ninh" and article.url == f"{site}/bao.html"
    assert "sức gió mạnh nhất cấp 14" in article.text and "Hơn 50.000 người dân" in article.text
    for junk in ("window.ads", "Thời sự | Thế giới", "Tin liên quan"):
        assert junk not in article.text
    assert article.published and article.published.startswith("2024-09-07")
    assert article.image == "https://baomau.example.vn/anh/bao-yagi.jpg"  # the page's og:image
    assert article.section == "Thời sự"  # its article:section


def test_feed_over_http_and_missing_pages(site):
    articles, _ = read_url(f"{site}/feed.rss", _fetcher())
    assert len(articles) == 2
    articles, problems = read_url(f"{site}/khong-co.html", _fetcher())
    assert not articles and "404" in str(problems[0])


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "172.16.3.3", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                                     "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
                                     "64:ff9b::7f00:1", "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:80ff:fffe"])
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_refused(address):
    assert address_refusal(address)
    assert address_refusal(address, allowed=None) is None  # --allow-private-urls: all


def test_public_addresses_pass_and_an_allowed_network_opens_only_itself():
    assert address_refusal("8.8.8.8") is None and address_refusal("2001:4860:4860::8888") is None
    assert address_refusal("::ffff:8.8.8.8") is None
    intranet = (ipaddress.ip_network("10.1.0.0/16"),)
    assert address_refusal("10.1.2.3", intranet) is None and address_refusal("10.2.2.3", intranet)


def test_cloud_metadata_address_is_refused_before_any_connection():
    problem = Fetcher().get("http://169.254.169.254/latest/meta-data/")
    assert "169.254.169.254" in str(problem) and "link-local" in problem.message
    assert "--allow-private-urls" in problem.message
    assert "only http" in Fetcher().get("file:///etc/passwd").message
    assert "only http" in Fetcher().get("ftp://example.com/x").message


def test_a_redirect_to_another_private_host_or_scheme_is_refused(site, internal):
    target = f"http://127.0.0.2:{internal.server_address[1]}/secret.html"
    problem = _fetcher().get(f"{site}/go?to={target}")
    assert f"redirected to {target}" in problem.message and "127.0.0.2" in problem.message
    assert internal.requests == []
    problem = _fetcher().get(f"{site}/go?to=file:///etc/passwd")
    assert "redirected to file:///etc/passwd: only http" in problem.message
    # a redirect within what is allowed is followed
    articles, problems = read_url(f"{site}/go?to={site}/bao.html", _fetcher())
    assert not problems and articles[0].title == "Bão số 3 đổ bộ Quảng Ninh"


def test_the_address_is_checked_when_connecting_not_by_the_name(site, internal, monkeypatch):
    # DNS rebinding: a name the checks never saw resolves to an internal address at connect time
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        return real("127.0.0.2" if host == "tin-nhanh.example.vn" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    problem = _fetcher().get(f"http://tin-nhanh.example.vn:{internal.server_address[1]}/secret.html")
    assert "tin-nhanh.example.vn resolves to 127.0.0.2, a loopback address" in problem.message
    assert internal.requests == []


def test_a_feed_cannot_make_the_fetcher_follow_its_links_into_the_intranet(site, internal, tmp_path):
    secret = f"http://127.0.0.2:{internal.server_address[1]}/secret.html"
    feed = (DATA / "feed.rss").read_text(encoding="utf-8").replace("https://baomau.example.vn/nato-kiev.html", secret)
    (tmp_path / "evil.rss").write_text(feed, encoding="utf-8")
    articles, problems = read_url(f"{site}/evil.rss", _fetcher(), follow=True)
    assert any(secret in str(p) and "loopback" in str(p) for p in problems)
    assert internal.requests == []
    assert not any("Tài liệu nội bộ" in a.title for a in articles)


def test_cli_refuses_a_loopback_url_by_default_and_takes_it_with_the_opt_in(site, tmp_path, capsys, monkeypatch):
    from diemtin.cli import main
    from diemtin.store import Store

    db = str(tmp_path / "news.db")
    monkeypatch.delenv("DIEMTIN_ALLOW_PRIVATE_URLS", raising=False)
    assert main(["ingest", f"{site}/bao.html", "--db", db, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{site}/bao.html" in err and "loopback" in err and "--allow-private-urls" in err
    assert Store.open(db).counts()["articles"] == 0
    monkeypatch.setenv("DIEMTIN_ALLOW_PRIVATE_URLS", "127.0.0.1/32")
    assert main(["ingest", f"{site}/bao.html", "--db", db, "--quiet"]) == 0
    monkeypatch.delenv("DIEMTIN_ALLOW_PRIVATE_URLS")
    assert main(["ingest", f"{site}/feed.rss", "--db", db, "--quiet", "--allow-private-urls"]) == 0
    assert Store.open(db).counts()["articles"] == 3
