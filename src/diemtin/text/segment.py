"""Vietnamese sentence splitting and word segmentation with underthesea (offline, from its wheel).

underthesea is imported on first use, not when diemtin is imported, so commands that never
segment (``diemtin eval --summaries``) start fast. underthesea itself keeps its CRF model
once per process after the first call.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diemtin.text.memory import WORDS, remembered
from diemtin.text.normalize import canonical_words

_HAS_WORD = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def _underthesea():
    import underthesea  # noqa: PLC0415  (deliberately lazy: loading costs about a second)

    return underthesea


# A quotation is joined over at most this many characters: beyond it (a quote mark that is
# never closed in a long text) the pieces stay apart. The longest joined quote of the dev
# files is about 1,400 characters.
MAX_JOINED_CHARS = 3000


def split_sentences(paragraph: str, join_quotes: bool = True) -> list[str]:
    """Split one paragraph into sentences; a quotation of several sentences stays one sentence.

    ``join_quotes=False`` gives underthesea's split as it is (EVALUATION.md's baselines use it).

    >>> split_sentences('Ông Rutte đến Kiev. Ông nói: "NATO ủng hộ Ukraine. Đây là bước khó".')
    ['Ông Rutte đến Kiev.', 'Ông nói: "NATO ủng hộ Ukraine. Đây là bước khó".']
    """
    if not _HAS_WORD.search(paragraph):
        return []
    sentences: list[str] = []
    # the sentence being built, in pieces, with its length and its open quote marks so far
    # (counted as pieces come: re-counting the joined text would be quadratic in a long text)
    pieces: list[str] = []
    size = straight = curly = 0
    for piece in _underthesea().sent_tokenize(paragraph):
        # underthesea splits inside quotations; a summary sentence with an unclosed quote
        # misleads the reader about who said what, so the pieces are joined back.
        inside_quote = straight % 2 == 1 or curly > 0
        if pieces and not (join_quotes and inside_quote and size < MAX_JOINED_CHARS):
            sentences.append(" ".join(pieces))
            pieces, size, straight, curly = [], 0, 0, 0
        pieces.append(piece)
        size += len(piece) + 1
        straight += piece.count('"')
        curly += piece.count("“") - piece.count("”")
    if pieces:
        sentences.append(" ".join(pieces))
    return [s for s in sentences if _HAS_WORD.search(s)]


# Sentences whose words a process remembers (about 1 kB each): the summary and the POS tagger
# segment the same sentences (the same text in 999 sentences of 1,000), when an article's memory is
# made and wherever a story is read without memories (``diemtin summarize``, ``batch``); the store's
# stories recall their articles' memories instead (``text.memory``).
REMEMBERED_SENTENCES = 16384


@lru_cache(maxsize=REMEMBERED_SENTENCES)
def _word_tokenize(text: str) -> tuple[str, ...]:
    return tuple(_underthesea().word_tokenize(text))


def word_tokenize(text: str) -> tuple[str, ...]:
    """``underthesea.word_tokenize(text)`` (its words; syllables of a word joined by spaces), or
    what a recalled article memory holds for it (``text.memory``)."""
    return remembered(WORDS, text, _word_tokenize)


def segment_words(sentence: str, lowercase: bool = True, memo: dict[str, list[str]] | None = None) -> list[str]:
    """Segment a sentence into words; the syllables of a word are joined by ``_``.

    Syllables come out in one tone placement ("hoà" and "hòa" are one word).

    >>> segment_words("Tổng thống Ukraine gặp bác sĩ ở Hoà Bình")
    ['tổng_thống', 'ukraine', 'gặp', 'bác_sĩ', 'ở', 'hòa_bình']

    ``memo`` maps sentences to their words as segmented (case kept): a sentence found there is
    not segmented again, one not found is segmented and added. The store keeps the memo of
    each article's title and lead, segmented for clustering, so its summary does not pay twice.
    """
    words = memo.get(sentence) if memo is not None else None
    if words is None:
        words = [w.replace(" ", "_") for w in word_tokenize(canonical_words(sentence)) if _HAS_WORD.search(w)]
        if memo is not None:
            memo[sentence] = words
    if lowercase:
        return [w.lower() for w in words]
    return words if memo is None else list(words)  # the memo's own list stays as segmented
