"""HTML pages (trafilatura) and RSS feeds (feedparser), from files and over real HTTP on loopback."""

from __future__ import annotations

import http.server
import threading
from functools import partial
from pathlib import Path

import pytest

from diemtin.ingest import read_sources
from diemtin.ingest.web import check_url, read_url

DATA = Path(__file__).resolve().parents[1] / "data"

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bão số 3 đổ bộ Quảng Ninh</title>
<meta property="og:site_name" content="Báo Mẫu"><meta name="date" content="2024-09-07T10:00:00+07:00"></head>
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
    assert "Mark Rutte" in nato.text and "track()" not in nato.text
    assert len(batch.problems) == 1 and "entry 3" in str(batch.problems[0]) and "no text" in str(batch.problems[0])


@pytest.fixture()
def site(tmp_path):
    (tmp_path / "bao.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "feed.rss").write_bytes((DATA / "feed.rss").read_bytes())
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_page_over_http_keeps_the_story_and_drops_menus_scripts_and_links(site):
    articles, problems = read_url(f"{site}/bao.html")
    assert not problems
    [article] = articles
    assert article.title == "Bão số 3 đổ bộ Quảng Ninh" and article.url == f"{site}/bao.html"
    assert "sức gió mạnh nhất cấp 14" in article.text and "Hơn 50.000 người dân" in article.text
    for junk in ("window.ads", "Thời sự | Thế giới", "Tin liên quan"):
        assert junk not in article.text
    assert article.published and article.published.startswith("2024-09-07")


def test_feed_over_http_and_missing_pages(site):
    articles, _ = read_url(f"{site}/feed.rss")
    assert len(articles) == 2
    articles, problems = read_url(f"{site}/khong-co.html")
    assert not articles and "404" in str(problems[0])


def test_only_http_and_https_and_no_private_addresses_when_refused():
    assert "only http" in check_url("file:///etc/passwd")
    assert "only http" in check_url("ftp://example.com/x")
    assert check_url("http://127.0.0.1:8000/x") is None
    assert "private or loopback" in check_url("http://127.0.0.1:8000/x", allow_private=False)
    assert "private or loopback" in check_url("http://10.0.0.5/x", allow_private=False)
