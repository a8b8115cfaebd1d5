"""The reader's pages as a reader sees them (issue 24): cards with a two-sentence summary,
publication times said the Vietnamese way, outlet counts that agree with the facts, untitled
articles named by their opening words, and "Xem thêm" paging in each order."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest

from diemtin.ingest import read_sources
from diemtin.store import Store, ingest_articles
from diemtin.times import utcnow
from tests.conftest import ROOT, VIMS, needs_shared

# Half the stories are published 3 to 14 hours before the tests run; the other half carry no
# publication time, so the store knows them only by when they were ingested (now).
NOW = utcnow()
OUTLETS = ["VnExpress", "Tuổi Trẻ", "Thanh Niên"]

pytestmark = needs_shared(VIMS)


def _text(html: str) -> str:
    """What a reader reads: the page without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from fastapi.testclient import TestClient

    from diemtin.web.app import create_app

    clusters = read_sources([VIMS]).clusters[:24]
    articles = []
    for number, cluster in enumerate(clusters):
        for k, article in enumerate(cluster.articles):
            if number < 12:  # half the stories: outlets named, published 3 to 14 hours ago
                article = dataclasses.replace(article, source=OUTLETS[k % 3],
                                              published=(NOW - timedelta(hours=3 + number, minutes=k)).isoformat(),
                                              # two articles of each story name a lead image
                                              image=f"https://anh.example.vn/{number}-{k}.jpg" if k in (1, 2) else "")
            articles.append(article)
    # an untitled article, as pages without a <title> or files without a title line give
    untitled = dataclasses.replace(clusters[0].articles[0], id="untitled-1", title="", source="", published=None,
                                   text="Cơ quan chức năng tỉnh Quảng Nam cho biết đã sơ tán hơn 2.000 hộ dân khỏi "
                                        "vùng sạt lở núi trong đêm qua. Không có thương vong về người.")
    articles.append(untitled)
    store = Store.open(str(tmp_path_factory.mktemp("reader") / "diemtin.db"))
    ingest_articles(store, articles)
    with TestClient(create_app(store, token="")) as client:
        yield client


def test_home_page_cards_say_publication_times_in_vietnamese_and_cite_two_sentences(site):
    html = site.get("/", params={"since": "all"}).text
    cards = html.split('<article class="story card"')[1:]
    assert len(cards) == 20
    for card in cards:
        assert card.count('class="cite"') <= 2  # two cited sentences at most; the rest on the story page
    dated = [c for c in cards if "<time" in c]
    assert len(dated) >= 5
    # times relative to the digest's moment, from the articles' publication times
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT\d\d:\d\dZ\"[^>]*>\d+ giờ trước</time>", html)
    # no raw ISO times in what a reader reads, and no ingest time passed off as a publication time
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", _text(html))
    undated = [c for c in cards if "<time" not in c]
    meta_lines = [_text(re.search(r'<p class="meta">(.*?)</p>', c).group(1)) for c in undated]
    assert meta_lines and all(re.fullmatch(r"[^·]+ · \d+ bài, \d+ nguồn", m.strip()) for m in meta_lines)


def test_cards_show_the_earliest_lead_image_over_https_without_a_referrer(site):
    from diemtin.ingest.readers import article_from_json

    response = site.get("/", params={"since": "all", "limit": 40})
    assert "img-src 'self' https:" in response.headers["content-security-policy"]
    images = re.findall(r'<img class="lead" src="([^"]+)" alt="" loading="lazy" referrerpolicy="no-referrer"',
                        response.text)
    digest = site.get("/api/digest", params={"since": "all", "limit": 40}).json()
    with_image = [e for e in digest["stories"] if e["image"]]
    assert len(with_image) >= 8 and images == [e["image"] for e in with_image]
    assert all(re.fullmatch(r"https://anh\.example\.vn/\d+-[12]\.jpg", i) for i in images)
    # an image URL that is not http(s) never gets in
    made = article_from_json({"title": "Mưa lớn ở Hà Nội", "text": "Sáng nay mưa lớn gây ngập nhiều tuyến phố ở Hà Nội.",
                              "image": "javascript:alert(1)"}, "x")
    assert made.image == ""


def test_outlet_counts_agree_with_the_facts_when_articles_name_no_outlet(site):
    digest = site.get("/api/digest", params={"since": "all", "limit": 40}).json()
    unnamed = next(e for e in digest["stories"] if not e["outlets"] and e["articles"] >= 3)
    page = _text(site.get(f"/stories/{unnamed['id']}").text)
    assert "Không rõ nguồn" not in page
    assert f"{unnamed['outlets_unnamed']} nguồn chưa rõ tên" in page
    assert f"{unnamed['articles']} bài, {unnamed['outlets_unnamed']} nguồn" in page
    named = next(e for e in digest["stories"] if e["outlets"])
    assert set(named["outlets"]) <= set(OUTLETS) and named["outlets_unnamed"] == 0
    story = site.get(f"/stories/{named['id']}").text
    # the articles are grouped by outlet, each group headed by the outlet's name
    headings = re.findall(r"<h4>([^<]+?) <span", story)
    assert sorted(h.strip() for h in headings) == sorted(named["outlets"])


def test_untitled_articles_are_named_by_their_opening_words_not_their_id(site):
    html = site.get("/search", params={"q": "sạt lở núi Quảng Nam"}).text
    assert "Cơ quan chức năng tỉnh Quảng Nam cho biết đã sơ tán hơn 2.000 hộ dân" in html
    assert ">untitled-1<" not in html
    article = site.get("/articles/untitled-1").text
    assert "<h2>Cơ quan chức năng tỉnh Quảng Nam" in article


@pytest.mark.parametrize("order", ["rank", "newest", "outlets"])
def test_xem_them_pages_through_every_story_once_in_each_order(site, order):
    params = {"since": "all", "order": order}
    first = site.get("/", params=params).text
    more = re.search(r'<a rel="next" href="\?([^"]+)">Xem thêm</a>', first)
    assert more, "the first page links to the next"
    second = site.get("/?" + more.group(1).replace("&amp;", "&")).text
    digest = site.get("/api/digest", params={**params, "limit": 40}).json()
    assert 20 < digest["stories_in_window"] <= 40
    assert 'rel="next"' not in second  # the second page is the last
    ids = [re.findall(r'<h2><a href="/stories/([^"]+)"', page) for page in (first, second)]
    assert len(ids[0]) == 20 and len(ids[1]) == digest["stories_in_window"] - 20 and not set(ids[0]) & set(ids[1])
    assert [e["id"] for e in digest["stories"]] == ids[0] + ids[1]
    if order == "outlets":
        counts = [len(e["outlets"]) + e["outlets_unnamed"] for e in digest["stories"]]
        assert counts == sorted(counts, reverse=True)
    # the current order is marked, the other two are links
    orders = re.search(r'<nav class="orders".*?</nav>', first, re.S).group(0)
    assert orders.count('aria-current="page"') == 1 and orders.count("<a href") == 2


def test_every_story_gets_a_section_and_each_section_page_lists_only_its_own(site):
    sections = site.get("/api/sections").json()["sections"]
    assert len(sections) == 8 and {"name": "Pháp luật", "slug": "phap-luat"} in sections
    digest = site.get("/api/digest", params={"since": "all", "limit": 40}).json()
    names = {s["name"] for s in sections}
    assert all(e["section"] in names for e in digest["stories"])
    # the home page's menu links every section
    home = site.get("/").text
    menu = re.search(r'<nav class="sections".*?</nav>', home, re.S).group(0)
    assert all(f'href="/sections/{s["slug"]}"' in menu for s in sections)
    by_section: dict[str, set[str]] = {}
    for entry in digest["stories"]:
        by_section.setdefault(entry["section"], set()).add(entry["id"])
    assert len(by_section) >= 3  # 24 dev clusters on varied events: not one section for all
    for section in sections:
        page = site.get(f"/sections/{section['slug']}", params={"since": "all", "limit": 40}).text
        shown = set(re.findall(r'<h2><a href="/stories/([^"]+)"', page))
        assert shown == by_section.get(section["name"], set())
        assert f'<h2 class="section-title">{section["name"]}</h2>' in page
    assert site.get("/sections/khong-co").status_code == 404



def test_atom_feeds_of_the_digest_and_a_section_read_cleanly_in_feedparser(site):
    import feedparser

    response = site.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Điểm tin" and feed.feed.language == "vi"
    digest = site.get("/api/digest", params={"since": "7d", "limit": 50, "order": "newest"}).json()
    assert [e.link for e in feed.entries] == [f"http://testserver/stories/{s['id']}" for s in digest["stories"]]
    first, story = feed.entries[0], digest["stories"][0]
    assert first.title == story["title"] and story["summary"][0]["text"] in first.summary
    assert first.tags[0].term == story["section"]
    # a section's feed holds that section's stories only, and its page links to it
    section = story["section"]
    slug = next(s["slug"] for s in site.get("/api/sections").json()["sections"] if s["name"] == section)
    section_feed = feedparser.parse(site.get(f"/sections/{slug}/feed.atom").content)
    assert not section_feed.bozo and section_feed.entries
    assert {e.tags[0].term for e in section_feed.entries} == {section}
    assert f'href="/sections/{slug}/feed.atom"' in site.get(f"/sections/{slug}").text
    assert 'type="application/atom+xml"' in site.get("/").text


def test_a_story_page_links_related_stories_about_the_same_event_and_not_others(site):
    # vims-dev's EgyptAir cluster is told as several stories (the crash, a flight attendant, the victims)
    found = site.get("/api/search", params={"q": "Trump nghi máy bay Ai Cập"}).json()["stories"]
    crash = found[0]
    entry = site.get(f"/api/stories/{crash['id']}").json()
    titles = [r["title"] for r in entry["related"]]
    assert titles and all("máy bay" in t or "MS804" in t or "EgyptAir" in t for t in titles), titles
    page = site.get(f"/stories/{crash['id']}").text
    assert "Sự kiện liên quan" in page and f'href="/stories/{entry["related"][0]["id"]}"' in page
    # a story about something else links none of them
    other = site.get("/api/search", params={"q": "NATO Montenegro"}).json()["stories"][0]
    related = site.get(f"/api/stories/{other['id']}").json()["related"]
    assert not {r["id"] for r in related} & {crash["id"], *(r["id"] for r in entry["related"])}


def test_facts_cite_articles_by_their_number_on_the_page_never_by_id(site):
    # a quote or a date may come from an article the summary does not cite: it has a number too
    digest = site.get("/api/digest", params={"since": "all", "limit": 40}).json()
    checked = 0
    for entry in digest["stories"]:
        if entry["articles"] < 5:
            continue
        page = site.get(f"/stories/{entry['id']}").text
        assert not re.search(r">\[[^\]]*(vims|/)[^\]]*\]<", page), entry["id"]
        numbers = [a["citation"] for a in site.get(f"/api/stories/{entry['id']}").json()["links"]]
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        checked += 1
    assert checked >= 3


def test_a_report_of_a_daily_series_links_the_reports_before_and_after_it_by_their_dates(tmp_path):
    # four mornings of "Tin HOT bóng đá sáng" from the 35k corpus, stored out of order
    from fastapi.testclient import TestClient

    from diemtin.web.app import create_app

    store = Store.open(str(tmp_path / "series.db"))
    ingest_articles(store, read_sources([ROOT / "tests" / "data" / "series.jsonl"]).articles, facts=False)
    with TestClient(create_app(store, token="")) as client:
        stories = {s["title"]: s["id"] for s in client.get("/api/stories").json()["stories"]}
        assert len(stories) == 4
        middle = stories["Tin HOT bóng đá sáng 16/5: Terry cân nhắc \"treo giày\""]
        series = client.get(f"/api/stories/{middle}").json()["series"]
        assert [s["title"][:25] for s in series["earlier"]] == ["Tin HOT bóng đá sáng 13/5"]
        assert [s["title"][:25] for s in series["later"]] == ["Tin HOT bóng đá sáng 21/5", "Tin HOT bóng đá sáng 10/7"]
        page = client.get(f"/stories/{middle}").text
        assert "Cùng loạt tin" in page
        assert re.search(rf'href="/stories/{stories[next(t for t in stories if "13/5" in t)]}" rel="prev"', page)
        assert re.search(rf'href="/stories/{stories[next(t for t in stories if "21/5" in t)]}" rel="next"', page)
        # a series' reports are not listed again as related stories
        related = client.get(f"/api/stories/{middle}").json()["related"]
        assert not {r["id"] for r in related} & set(stories.values())
