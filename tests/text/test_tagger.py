"""diemtin's fast path to underthesea's POS and NER models gives underthesea's own answers."""

from __future__ import annotations

import json

import underthesea
from hypothesis import example, given, settings
from hypothesis import strategies as st

from diemtin.ingest import read_sources
from diemtin.text import tagger
from diemtin.text.segment import split_sentences
from tests.conftest import ABMUSU, needs_shared
from tests.text.test_properties import vietnamese_word


def _sentences(texts) -> list[str]:
    return [s for text in texts for p in text.split("\n") for s in split_sentences(p)]


def test_same_tags_and_names_as_underthesea_on_the_seed_articles(seed_paths):
    sentences = _sentences(t for a in read_sources(seed_paths).articles for t in (a.title, a.text))
    assert len(sentences) >= 25
    for sentence in sentences:
        tagged = tagger.pos_tag(sentence)
        assert tagged == underthesea.pos_tag(sentence)
        assert tagger.ner(sentence, tagged) == tagger.ner(sentence) == underthesea.ner(sentence)
    # the features are underthesea's, so a person is still a person
    assert ("Rutte", "Np", "B-NP", "B-PER") in tagger.ner("Ông Rutte đến thăm Kiev.")


@needs_shared(ABMUSU)
def test_same_tags_and_names_as_underthesea_on_a_corpus_nobody_tuned_on():
    clusters = [json.loads(line) for line in ABMUSU.read_text(encoding="utf-8").splitlines()[:20]]
    sentences = _sentences(d["text"] for c in clusters for d in c["documents"])[:600:3]
    assert len(sentences) == 200
    assert [tagger.pos_tag(s) for s in sentences] == [underthesea.pos_tag(s) for s in sentences]
    assert [tagger.ner(s) for s in sentences[:100]] == [underthesea.ner(s) for s in sentences[:100]]


_piece = st.one_of(vietnamese_word, vietnamese_word.map(str.title), st.sampled_from(
    ["Hà Nội", "TP.HCM", "NATO", "Putin", ",", ".", "“", "”", "(", ")", "12/7", "3-1", "50%", "  ", "Nguyễn Văn A"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_piece, max_size=25).map(" ".join))
@example("")  # no words: underthesea tags nothing
@example("Ông  Putin")  # two spaces
def test_same_answers_as_underthesea_on_any_run_of_words(text):
    assert tagger.pos_tag(text) == underthesea.pos_tag(text)
    assert tagger.ner(text) == underthesea.ner(text)
