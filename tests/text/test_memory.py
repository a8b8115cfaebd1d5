"""An article's memory of its sentences (``text.memory``): what it records, keeps and answers."""

from __future__ import annotations

import pytest

from diemtin.ingest import read_sources
from diemtin.pipeline import article_memory
from diemtin.text import memory
from diemtin.text.memory import NAMES, TAGS, WORDS, decode, encode, recalling, recording
from diemtin.text.segment import segment_words
from diemtin.text.tagger import forget_sentences, ner, pos_tag
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def article():
    return read_sources([SEEDS]).articles[0]


def test_a_memory_keeps_what_underthesea_answered(article):
    forget_sentences()
    kept = article_memory(article)
    record = decode(kept)
    assert {kind for kind, _ in record} == {WORDS, TAGS, NAMES}
    # every answer of a recording is kept
    with recording() as made:
        ner("Ông Mark Rutte đến Kiev.")
    assert decode(encode(made)) == made and len(made) == 3
    sentence = next(text for kind, text in record if kind == NAMES)
    assert "Rutte" in article.text and record[NAMES, sentence] == tuple(ner(sentence))
    assert record[TAGS, sentence] == tuple(pos_tag(sentence))
    # compact: about the size of the article's own text
    assert len(kept) < 2 * len((article.title + article.sapo + article.text).encode())


def test_recalled_answers_cost_no_segmentation(article, monkeypatch):
    import underthesea  # noqa: PLC0415

    kept = article_memory(article)
    sentence = next(text for kind, text in decode(kept) if kind == NAMES)
    forget_sentences()
    calls = []
    real = underthesea.word_tokenize
    monkeypatch.setattr(underthesea, "word_tokenize", lambda text, **kw: calls.append(text) or real(text, **kw))
    with recalling([kept]):
        tags = ner(sentence)
        words = segment_words(sentence)
    assert calls == []
    # outside the block the same answers are made again
    forget_sentences()
    assert ner(sentence) == tags and segment_words(sentence) == words
    assert sentence in calls


def test_another_releases_or_a_damaged_memory_is_not_used(article, monkeypatch):
    kept = article_memory(article)
    assert decode(kept) and memory.is_current(kept)
    assert decode(kept[:-10]) == {} and decode(b"") == {} and decode(None) == {}
    memory._made_by.cache_clear()
    monkeypatch.setattr(memory, "MEMORY_VERSION", memory.MEMORY_VERSION + 1)
    try:
        assert not memory.is_current(kept) and decode(kept) == {}
    finally:
        memory._made_by.cache_clear()


def test_recording_keeps_only_tags_that_belong_to_the_words_kept():
    # a record whose tags were made for other words (never the case in one process) keeps the words only
    record = {(WORDS, "Hà Nội mưa"): ("Hà Nội", "mưa"), (TAGS, "Hà Nội mưa"): (("Hà", "Np"), ("Nội mưa", "N"))}
    assert decode(encode(record)) == {(WORDS, "Hà Nội mưa"): ("Hà Nội", "mưa")}
