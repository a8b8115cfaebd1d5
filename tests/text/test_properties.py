"""Property-based tests (hypothesis) of the text functions, on Vietnamese words from the
dictionary underthesea ships and on arbitrary Unicode."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import underthesea
from hypothesis import given, settings
from hypothesis import strategies as st

from diemtin.text.clean import clean_text
from diemtin.text.normalize import canonical_syllables, canonical_words, normalize_text, syllables

SETTINGS = settings(max_examples=300, deadline=None)


@lru_cache(maxsize=1)
def _dictionary_syllables() -> list[str]:
    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    words = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).split()
    return sorted({w.lower() for w in words if w.isalpha()})


vietnamese_word = st.sampled_from(_dictionary_syllables())
# the new tone placement of the same syllables ("hòa" written "hoà"): the tone moved one vowel on
_NEW_PLACEMENT = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ỏe": "oẻ",
                  "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}


def _new_placement(word: str) -> str:
    for old, new in _NEW_PLACEMENT.items():
        if word.endswith(old) and not word.startswith("q"):
            return word[: -len(old)] + new
    return word


@st.composite
def vietnamese_sentence(draw) -> str:
    words = draw(st.lists(vietnamese_word, min_size=3, max_size=25))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + draw(st.sampled_from([".", "!", "?", "…"]))


@SETTINGS
@given(st.text())
def test_normalising_twice_changes_nothing_for_any_text(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@SETTINGS
@given(st.lists(vietnamese_sentence(), min_size=1, max_size=5))
def test_nfd_and_nfc_normalise_to_the_same_text(sentences):
    text = " ".join(sentences)
    assert normalize_text(unicodedata.normalize("NFD", text)) == normalize_text(text) == text


@SETTINGS
@given(st.lists(vietnamese_word, min_size=1, max_size=30))
def test_tone_placement_is_one_spelling_and_canonical_twice_changes_nothing(words):
    old, new = " ".join(words), " ".join(_new_placement(w) for w in words)
    assert canonical_syllables(new) == canonical_syllables(old)
    once = canonical_words(new)
    assert canonical_words(once) == once
    assert len(syllables(once)) == len(syllables(new))  # a spelling changes, never a word count


@SETTINGS
@given(st.lists(st.lists(vietnamese_sentence(), min_size=1, max_size=4), min_size=1, max_size=8))
def test_cleaning_never_drops_a_sentence_made_only_of_vietnamese_words(paragraphs):
    lines = [" ".join(p) for p in paragraphs]
    cleaned = clean_text("\n".join(lines))
    assert cleaned.paragraphs == lines
    assert cleaned.removed == []
