"""Story sections: the shipped classifier on stories it was not trained on (vims-dev has no
sections; abmusu-train, which it was trained on, is not used here)."""

from __future__ import annotations

import pytest

from diemtin.ingest import read_sources
from diemtin.sections import classify_story, section_slug, sections
from diemtin.types import Article
from tests.conftest import VIMS, needs_shared

# Unambiguous stories of vims-dev, by their titles
CLEAR = {
    "vims-001": "Thế giới",  # Giải mã bí ẩn máy bay rơi của EgyptAir
    "vims-016": "Thế giới",  # NATO ký thoả thuận kết nạp Montenegro, Nga doạ đáp trả
    "vims-019": "Pháp luật",  # Giết vợ, truy sát mẹ vợ, lãnh án chung thân
    "vims-034": "Kinh tế",  # VietinBank thoái hơn 5% vốn tại SaigonBank
    "vims-050": "Giải trí - Thể thao",  # Bị loại phút chót, Lee Nguyễn lỡ Copa America
}


@needs_shared(VIMS)
def test_clear_stories_of_another_corpus_get_their_section():
    clusters = {c.id: c for c in read_sources([VIMS]).clusters if c.id in CLEAR}
    assert {cid: classify_story(c.articles) for cid, c in clusters.items()} == CLEAR


def test_the_sections_are_abmusus_eight_with_url_slugs():
    names = sections()
    assert len(names) == 8 and "Khoa học - Công nghệ" in names
    slugs = [section_slug(n) for n in names]
    assert len(set(slugs)) == 8 and all(s.isascii() and " " not in s for s in slugs)


@pytest.mark.parametrize("articles", [[], [Article("e", "", "")]])
def test_a_story_without_text_has_no_section(articles):
    assert classify_story(articles) is None


@needs_shared(VIMS)
def test_the_outlets_own_sections_decide_when_half_the_articles_carry_one(tmp_path):
    import dataclasses

    from diemtin.store import Store, ingest_articles

    [crash] = [c for c in read_sources([VIMS]).clusters if c.id == "vims-001"]  # EgyptAir: Thế giới by its text
    articles = crash.articles[:6]
    assert classify_story(articles) == "Thế giới"
    # a feed that files it under "Kinh doanh" for half the articles: the outlets' word wins
    tagged = [dataclasses.replace(a, section="Kinh doanh" if i % 2 else "") for i, a in enumerate(articles)]
    assert classify_story(tagged) == "Kinh tế"
    # one article in six is not enough: the text decides; nor is a section name we do not know
    assert classify_story([dataclasses.replace(a, section="Kinh doanh" if i == 0 else "")
                           for i, a in enumerate(articles)]) == "Thế giới"
    assert classify_story([dataclasses.replace(a, section="Tâm sự") for a in articles]) == "Thế giới"
    # the store keeps each article's own section and the story gets it through the product's path
    store = Store.open(str(tmp_path / "diemtin.db"))
    ingest_articles(store, tagged, facts=False)
    [story] = store.stories()
    assert store.story(story["id"])["section"] == "Kinh tế"
