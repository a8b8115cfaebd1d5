from dataclasses import replace

from diemtin.dedup import DuplicateIndex, duplicate_groups, find_duplicates
from diemtin.ingest import read_sources
from diemtin.types import Article
from tests.conftest import SEEDS


def _seeds():
    return read_sources([SEEDS]).articles


def test_exact_copy_with_other_case_and_spacing_is_an_exact_duplicate():
    a, b = _seeds()
    copy = replace(a, id="copy", text=a.text.upper().replace(" ", "  "), source="báo khác")
    head_of = find_duplicates([a, b, copy])
    assert head_of == {"copy": a.id}
    groups = duplicate_groups([a, b, copy], head_of)
    assert [(g.article_ids, g.exact) for g in groups] == [([a.id, "copy"], True)]


def test_edited_copy_is_a_near_duplicate_and_different_reports_are_not():
    a, b = _seeds()
    paragraphs = a.text.split("\n")
    edited = replace(a, id="edited", text="\n".join(paragraphs[:-1]) + "\nẢnh minh họa đã được thay.")
    head_of = find_duplicates([a, b, edited])
    assert head_of == {"edited": a.id}  # the two outlets' own reports of one event stay apart
    assert [g.exact for g in duplicate_groups([a, b, edited], head_of)] == [False]


def test_index_remembers_articles_between_calls():
    a, b = _seeds()
    index = DuplicateIndex.new()
    assert find_duplicates([a], index) == {}
    assert find_duplicates([replace(a, id="again")], index) == {"again": a.id}


def test_byline_only_bodies_are_not_copies_of_each_other():
    # baomoi-2017 video pages: the story is in the sapo, the text is the byline
    clip_a = Article("a", "Clip: Chạy siêu xe Lamborghini, Phan Thành vẫn nhận cái kết thê thảm", "G.T",
                     sapo="\"Ninja\" đường phố không ngừng tạt đầu và chặn đường chiếc siêu xe Lamborghini.")
    clip_b = Article("b", "Clip: Anh chàng da đen cover cực hay Say tình khiến Đàm Vĩnh Hưng khen", "G.T",
                     sapo="Khả năng hát tiếng Việt của anh chàng da đen khiến Mr. Đàm vô cùng bất ngờ.")
    assert find_duplicates([clip_a, clip_b]) == {}
    again = Article("c", clip_a.title, "G.T", sapo=clip_a.sapo)
    assert find_duplicates([clip_a, clip_b, again]) == {"c": "a"}


def test_a_forgotten_article_is_no_longer_matched_exactly_or_nearly():
    a, b = _seeds()
    index = DuplicateIndex.new()
    near = replace(a, id="near", text=a.text + "\nTheo báo Tuổi Trẻ.")
    assert find_duplicates([a, b], index) == {}
    index.forget([a.id])
    # neither an exact nor a near copy of the forgotten article finds it; the other one stays
    assert find_duplicates([replace(a, id="exact"), near, replace(b, id="copy-of-b")], index) == {
        "near": "exact", "copy-of-b": b.id}
    assert a.id not in index.signatures and a.id not in index.exact.values()
