"""The HTTP API and pages through FastAPI's test client, over a real SQLite store."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diemtin.ingest import read_sources
from diemtin.store import Store, ingest_articles, refresh_summaries
from diemtin.types import Article
from tests.conftest import ROOT, SEEDS
from tests.test_times import TIME_TEXT

TOKEN = "s3cret-token"
FACTS_ARTICLES = ROOT / "tests" / "data" / "facts" / "articles.jsonl"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from diemtin.web.app import create_app

    store = Store.open(str(tmp_path_factory.mktemp("api") / "diemtin.db"))
    ingest_articles(store, read_sources([SEEDS]).articles)
    hostile = Article("xss", "<script>alert(1)</script> Cháy lớn ở chợ Đồng Xuân",
                      "Đám cháy lớn bùng phát tại chợ Đồng Xuân, Hà Nội lúc rạng sáng. "
                      "Lực lượng cứu hỏa đã khống chế được đám cháy sau hai giờ. <img src=x onerror=alert(2)>",
                      source="Báo <b>Mới</b>", url="https://example.vn/chay-cho.html")
    ingest_articles(store, [hostile])
    with TestClient(create_app(store, token=TOKEN)) as test_client:
        yield test_client


def test_digest_lists_the_seed_story_with_citations(client):
    digest = client.get("/api/digest", params={"since": "all"}).json()
    assert digest["stories_in_window"] == 2
    top = digest["stories"][0]
    assert top["articles"] == 2 and top["position"] == 1
    cited = {s["id"] for s in top["sources"]}
    assert {s["article_id"] for s in top["summary"]} == cited
    assert all(1 <= s["citation"] <= len(cited) for s in top["summary"])


def test_story_article_and_not_found(client):
    seed_story = client.get("/api/search", params={"q": "Zelensky"}).json()["articles"][0]["story_id"]
    facts = client.get(f"/api/stories/{seed_story}").json()["facts"]  # extracted on first view, then stored
    speakers = {q["speaker"] for q in facts["quotes"]}
    assert {"Mark Rutte", "Volodymyr Zelensky"} <= speakers
    assert any(e["name"] == "Mark Rutte" and e["articles"] == 2 for e in facts["entities"])
    story_id = client.get("/api/stories").json()["stories"][0]["id"]
    story = client.get(f"/api/stories/{story_id}").json()
    article_id = story["links"][0]["id"]
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["story_id"] == story_id and article["text"]
    missing = client.get("/api/stories/story-999")
    assert missing.status_code == 404 and "story-999" in missing.json()["error"]


def test_search_ignores_diacritics_when_asked(client):
    assert client.get("/api/search", params={"q": "cho dong xuan", "fold": "true"}).json()["articles"]
    assert not client.get("/api/search", params={"q": "cho dong xuan"}).json()["articles"]
    assert client.get("/api/search", params={"q": "chợ Đồng Xuân"}).json()["articles"][0]["id"] == "xss"
    bad = client.get("/api/search", params={"q": ""})
    assert bad.status_code == 422 and bad.json()["error"]


def test_adding_articles_needs_the_token(client):
    body = {"articles": [{"title": "Giá vàng tăng mạnh", "source": "VnExpress", "url": "https://vnexpress.net/vang.html",
                          "text": "Giá vàng miếng SJC sáng nay tăng thêm 500.000 đồng mỗi lượng so với hôm qua. "
                                  "Các doanh nghiệp cho biết lượng khách mua vào tăng mạnh."}]}
    assert client.post("/api/articles", json=body).status_code == 401
    assert client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    added = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert added.status_code == 201 and added.json()["stored"] == 1
    again = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["already_stored"] == 1
    assert client.get("/api/search", params={"q": "gia vang", "fold": "true"}).json()["articles"]


def test_bad_requests_get_json_errors(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    too_big = client.post("/api/articles", content=b"x" * (3 * 1024 * 1024), headers={**auth, "Content-Type": "application/json"})
    assert too_big.status_code == 413 and "MB" in too_big.json()["error"]
    broken = client.post("/api/articles", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]
    empty = client.post("/api/articles", json={"articles": [{"title": "x", "text": ""}]}, headers=auth)
    assert empty.status_code == 422
    assert client.get("/api/digest", params={"since": "yesterday-ish"}).json()["error"].startswith("cannot read the time")


def test_pages_escape_article_text_and_set_a_content_security_policy(client):
    page = client.get("/", params={"since": "all"})
    assert page.status_code == 200 and "Điểm tin" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    article = client.get("/articles/xss")
    assert "<img src=x" not in article.text and "&lt;img src=x onerror=alert(2)&gt;" in article.text
    assert "<b>Mới</b>" not in article.text
    missing = client.get("/stories/nope")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_openapi_schema_lists_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/digest", "/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
            "/api/search", "/api/articles"} <= set(paths)


def test_only_http_urls_are_stored_and_every_renderer_links_only_http(client, tmp_path):
    from html import unescape

    from diemtin.digest import render_digest
    from diemtin.web.pages import digest_html

    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"articles": [{"title": "Cháy lớn", "text": "Đám cháy lớn ở Hà Nội đã được khống chế.",
                          "url": "javascript:alert(3)"}]}
    refused = client.post("/api/articles", json=body, headers=auth)
    assert refused.status_code == 422 and "http" in str(refused.json()["details"])
    # a store written before the check, or by hand: the store keeps only http(s) URLs
    store = Store.open(str(tmp_path / "old.db"))
    ingest_articles(store, [Article("js", "Cháy lớn ở chợ", "Đám cháy lớn bùng phát tại chợ Đồng Xuân, Hà Nội.",
                                    source="Báo A", url="javascript:alert(3)")])
    assert store.article("js")["url"] is None
    # and each renderer checks what it links to, whatever the digest holds
    from diemtin.digest import build_digest

    digest = build_digest(store, since="all")
    for entry in digest["stories"]:
        for source in entry["sources"]:
            source["url"] = "javascript:alert(3)"
    html = digest_html(digest)
    assert "javascript:" not in html and '<meta http-equiv="Content-Security-Policy"' in html
    assert "default-src 'none'" in unescape(html) and "script-src" not in html
    markdown = render_digest(digest, "markdown")
    assert "](javascript:" not in markdown and "Cháy lớn ở chợ" in markdown
    page = client.get("/", params={"since": "all"})
    assert "javascript:" not in page.text


def test_article_text_cannot_make_links_or_html_in_markdown(tmp_path):
    from diemtin.digest import build_digest, render_digest

    store = Store.open(str(tmp_path / "md.db"))
    ingest_articles(store, [Article("md", "Tin [nóng](javascript:alert(1)) <img src=x onerror=alert(2)>",
                                    "Đám cháy lớn bùng phát tại chợ Đồng Xuân, Hà Nội vào rạng sáng nay. "
                                    "Xem <script>alert(3)</script> và [ảnh](javascript:alert(4)).",
                                    source="Báo A", url="https://example.vn/a.html")])
    markdown = render_digest(build_digest(store, since="all"), "markdown")
    # every bracket and angle bracket of the article comes out escaped: no link, no HTML
    assert not re.search(r"(?<!\\)\]\(javascript:|(?<!\\)<(?:script|img)", markdown)
    assert r"Tin \[nóng\](javascript:alert(1)) \<img src=x onerror=alert(2)\>" in markdown


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(since=TIME_TEXT, at=st.one_of(st.none(), TIME_TEXT))
@example(since="1000000d", at=None)  # the outside probe's three reproductions
@example(since="24h", at="0001-01-01")
def test_extreme_times_get_a_400_with_a_json_error_never_a_5xx(client, since, at):
    params = {"since": since, **({"at": at} if at is not None else {})}
    for path in ("/api/digest", "/"):
        response = client.get(path, params=params)
        assert response.status_code in (200, 400, 422), (path, params, response.status_code)
        if path == "/api/digest" and response.status_code != 200:
            assert response.json()["error"]


def test_the_cli_says_one_line_for_an_extreme_span(tmp_path, capsys):
    from diemtin.cli import main

    db = str(tmp_path / "empty.db")
    for argv in (["--since=1000000d"], ["--since=24h", "--at=0001-01-01"], ["--since=99999999999999999999w"]):
        assert main(["digest", "--db", db, *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("diemtin: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_requests_never_compute_facts_and_the_background_worker_writes_them(tmp_path, monkeypatch):
    # A store ingested without facts (as after `diemtin ingest --no-facts`, or right after a POST):
    # opening a story reads what is stored and says its facts are coming; the app's background
    # worker extracts them, and then the page shows them.
    from fastapi.testclient import TestClient

    import diemtin.facts
    from diemtin.web.app import create_app

    store = Store.open(str(tmp_path / "lazy.db"))
    ingest_articles(store, read_sources([SEEDS]).articles, facts=False)
    story_id = store.stories()[0]["id"]

    def no_facts_in_a_request(*_args, **_kwargs):
        raise AssertionError("a request extracted facts")

    with monkeypatch.context() as patch:
        patch.setattr(diemtin.facts, "extract_facts", no_facts_in_a_request)
        with TestClient(create_app(store, token=TOKEN, refresh=False)) as quiet:
            assert quiet.get(f"/api/stories/{story_id}").json()["facts"] is None
            page = quiet.get(f"/stories/{story_id}")
            assert page.status_code == 200 and "đang được tổng hợp" in page.text
            assert quiet.get("/api/digest", params={"since": "all"}).status_code == 200

    with TestClient(create_app(store, token=TOKEN)) as client:
        for _ in range(600):
            facts = client.get(f"/api/stories/{story_id}").json()["facts"]
            if facts:
                break
            time.sleep(0.1)
        assert facts and {"Mark Rutte", "Volodymyr Zelensky"} <= {q["speaker"] for q in facts["quotes"]}
        assert "Ai nói gì" in client.get(f"/stories/{story_id}").text


def test_a_server_stopped_during_its_background_round_logs_no_error_and_writes_nothing_half(tmp_path, caplog):
    # Stopping the server while the background worker extracted facts printed "background refresh
    # failed" and a CancelledError traceback: the shutdown cancelled the round, no bug did.
    import logging

    from diemtin.web.refresher import Refresher

    store = Store.open(str(tmp_path / "stopping.db"))  # 11 stories, none with facts yet
    ingest_articles(store, read_sources([FACTS_ARTICLES]).articles, facts=False)
    refresh_summaries(store)  # the round's only work is facts
    story_ids = [story["id"] for story in store.stories()]
    assert len(story_ids) > 2
    refresher = Refresher(store)
    with caplog.at_level(logging.INFO, logger="diemtin.refresher"):
        refresher.start()
        for _ in range(600):  # until the round has handed its work to the worker process
            if refresher._engine._pool is not None:
                break
            time.sleep(0.01)
        assert refresher._engine._pool is not None
        refresher.stop(wait_seconds=0)  # the worker finishes the story it has; the rest are cancelled
        refresher._thread.join(timeout=60)
    assert not refresher._thread.is_alive()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "stopped with the server" in caplog.text
    assert all(store.story(sid)["facts"] is None for sid in story_ids)  # none half-written: the next start does them


def test_a_posted_story_is_readable_at_once_and_summarised_in_the_background(tmp_path):
    from fastapi.testclient import TestClient

    from diemtin.web.app import create_app

    store = Store.open(str(tmp_path / "posted.db"))
    articles = [{"title": a.title, "text": a.text, "source": f"báo {n}", "url": f"https://example.vn/{n}.html"}
                for n, a in enumerate(read_sources([SEEDS]).articles)]
    with TestClient(create_app(store, token=TOKEN)) as client:
        added = client.post("/api/articles", json={"articles": articles}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert added.status_code == 201 and added.json()["stored"] == 2
        story = client.get("/api/stories").json()["stories"][0]
        assert client.get(f"/api/stories/{story['id']}").json()["summary"]  # readable at once
        for _ in range(600):
            if not store.story(story["id"])["summary_stale"] and store.story(story["id"])["facts"]:
                break
            time.sleep(0.1)
        assert not store.story(story["id"])["summary_stale"] and store.story(story["id"])["facts"]


def test_docs_page_is_the_apps_own_under_its_policy(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/digest" in page.text and "/openapi.json" in page.text
    assert "<script" not in page.text and "cdn" not in page.text.lower()
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "default-src 'none'" in client.get("/openapi.json").headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404


def test_error_pages_speak_vietnamese_and_the_api_answers_json(client):
    for path, params in (("/search", {"q": "x" * 201}), ("/khong-co-trang-nay", {}), ("/", {"since": "hôm qua"}),
                         ("/", {"limit": "0"}), ("/stories/khong-co", {})):
        page = client.get(path, params=params)
        assert page.status_code in (400, 404) and "text/html" in page.headers["content-type"]
        message = re.search(r"<main>(.*)</main>", page.text, re.S).group(1)
        assert not re.search(r"\b(the|String|should|nothing|cannot|valid|Input)\b", message), (path, message)
    assert client.get("/api/search", params={"q": "x" * 201}).json()["error"] == "the request is not valid"


def test_a_nul_in_a_search_matches_nothing_and_401_names_its_scheme(client):
    assert client.get("/api/search", params={"q": "\x00"}).json()["articles"] == []
    assert client.get("/api/search", params={"q": "\x00", "fold": "true"}).json()["articles"] == []
    assert client.get("/api/search", params={"q": "Zelensky\x00"}).json()["articles"]  # NUL separates words
    refused = client.post("/api/articles", json={"articles": [{"text": "Hà Nội mưa lớn."}]})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
