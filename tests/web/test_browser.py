"""End to end in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser
download): the digest built from the seed articles and dev clusters, a story, a citation, search.
Screenshots go to tests/artifacts/ for a person to look at."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from diemtin.ingest import read_sources
from diemtin.store import Store, ingest_articles
from tests.conftest import ROOT, SEEDS, VIMS

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("DIEMTIN_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# As the machine notes say: without these, Chromium keeps dialling Google's hosts on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from diemtin.web.app import create_app

    store = Store.open(str(tmp_path_factory.mktemp("browser") / "diemtin.db"))
    articles = read_sources([SEEDS]).articles
    if VIMS.exists():
        # vims-001 (EgyptAir) is told as several stories: related stories to follow
        articles += [a for c in read_sources([VIMS]).clusters[:8] for a in c.articles]
    ingest_articles(store, articles)
    port = _free_port()
    config = uvicorn.Config(create_app(store, token=""), host="127.0.0.1", port=port, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uvicorn_server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser):
    # a reader's browser with scripts off: the pages need none
    return browser.new_context(java_script_enabled=False, locale="vi-VN").new_page()


def test_digest_story_citation_and_search(server, page):
    page.goto(f"{server}/?since=all")
    assert page.title().startswith("Điểm tin")
    stories = page.locator("article.story h2 a")
    assert stories.count() >= 2
    page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)

    # the top story is the one the most outlets carry; open it
    first_title = stories.first.inner_text()
    stories.first.click()
    page.wait_for_url("**/stories/**")
    assert "/stories/" in page.url and page.locator("h2").first.inner_text() == first_title
    assert page.locator("ol.articles li").count() >= 2
    assert page.locator("section.facts ul.entities li").count() >= 3  # the story's facts are shown
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)

    # follow the first citation: it lands on the cited sentence of the source article
    citation = page.locator("p.summary sup a").first
    cited_text = page.locator("p.summary").inner_text().split("[1]")[0].strip()
    href = citation.get_attribute("href")
    citation.click()
    page.wait_for_url("**/articles/**")
    anchor = href.split("#")[1]
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"span.sentence#{anchor}")
    assert target.inner_text().strip() in cited_text or cited_text.endswith(target.inner_text().strip())
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)

    # search without diacritics finds the seed story's articles
    page.fill("input[name=q]", "tong thu ky nato")
    page.check("input[name=fold]")
    page.click("form.search button")
    page.wait_for_url("**/search?**")
    found = {link.get_attribute("href") for link in page.locator("main ul li a").all()}
    assert {f"/articles/{p.stem}" for p in SEEDS.glob("*.txt")} <= found
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)


def test_exported_digest_keeps_its_style_under_its_own_content_security_policy(page, tmp_path):
    # The exported file carries its stylesheet inline and a policy that allows that stylesheet
    # by its hash, nothing else: Chromium applies the style and reports no violation.
    from diemtin.digest import build_digest
    from diemtin.web.pages import digest_html

    store = Store.open(str(tmp_path / "export.db"))
    ingest_articles(store, read_sources([SEEDS]).articles)
    path = tmp_path / "digest.html"
    path.write_text(digest_html(build_digest(store, since="all")), encoding="utf-8")
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(path.as_uri())
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "832px"  # style.css: 52rem
    assert "Segoe UI" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert not [m for m in messages if "Content Security Policy" in m]


AXE = ROOT / "tests" / "web" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_or_critical_accessibility_violations_on_any_kind_of_page(server, browser, width):
    # axe-core from npm (tests/web/axe, installed by .ci/run) runs in the page; the page's own
    # policy forbids scripts, so this context alone may bypass it to inject axe
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; .ci/run installs it with npm ci --prefix tests/web/axe")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/web/axe)")
    context = browser.new_context(bypass_csp=True, locale="vi-VN", viewport={"width": width, "height": 900})
    checker = context.new_page()
    checker.goto(f"{server}/?since=all")
    story = checker.locator("article.story h2 a").first.get_attribute("href")
    section = checker.locator("nav.sections a").nth(1).get_attribute("href")
    pages = {"home": "/?since=all", "story": story, "section": section + "?since=all",
             "search": "/search?q=NATO", "error": "/stories/khong-co-su-kien-nay"}
    found = {}
    for name, path in pages.items():
        checker.goto(server + path)
        checker.add_script_tag(path=str(AXE))
        results = checker.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        found[name] = [(v["id"], v["impact"], v["nodes"][0]["html"][:120]) for v in results["violations"]
                       if v["impact"] in SERIOUS]
        checker.screenshot(path=str(ARTIFACTS / f"axe-{name}-{width}.png"), full_page=True)
    context.close()
    assert found == {name: [] for name in pages}


@pytest.mark.parametrize("width", [1280, 390])
def test_a_readers_path_through_a_section_a_story_a_related_story_search_and_the_feed(server, browser, width):
    import feedparser

    context = browser.new_context(java_script_enabled=False, locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()

    def shot(step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"path-{step}-{width}.png"), full_page=True)

    page.goto(f"{server}/?since=all")
    assert page.locator("article.card").count() >= 5
    assert page.locator("article.card p.summary").first.locator("sup a").count() <= 2  # two cited sentences
    shot("home")
    # home -> the first card's section
    section_link = page.locator("article.card a.section").first
    section = section_link.inner_text()
    section_link.click()
    page.wait_for_url("**/sections/**")
    assert page.locator("h2.section-title").inner_text() == section
    assert page.locator("nav.sections a[aria-current=page]").inner_text() == section
    shot("section")
    # section -> a story of it (the page's default window is a week: show them all)
    page.goto(page.url.split("?")[0] + "?since=all")
    story_link = page.locator("article.card h2 a").first
    title = story_link.inner_text()
    story_link.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("article.story h2").first.inner_text() == title
    assert page.locator("p.meta a.section").first.inner_text() == section
    shot("story")
    # story -> a cited sentence of its source article
    citation = page.locator("p.summary sup a").first
    anchor = citation.get_attribute("href").split("#")[1]
    citation.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(f"span.sentence#{anchor}").inner_text().strip()
    shot("article")
    # search -> the EgyptAir crash -> a related story
    page.fill("input[name=q]", "máy bay Ai Cập")
    page.click("form.search button")
    page.wait_for_url("**/search?**")
    page.locator("main ul li a[href^='/stories/']").first.click()
    page.wait_for_url("**/stories/**")
    here = page.locator("article.story h2").first.inner_text()
    related = page.locator("ul.related a").first
    related_title = related.inner_text()
    related.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("article.story h2").first.inner_text() == related_title != here
    shot("related")
    # the feed lists the stories with links to their pages
    feed = feedparser.parse(page.request.get(f"{server}/feed.atom").body())
    assert not feed.bozo and feed.entries
    page.goto(feed.entries[0].link)
    assert page.locator("article.story h2").first.inner_text() == feed.entries[0].title
    context.close()

