"""Vietnamese sentence splitting and word segmentation with underthesea (offline, from its wheel).

underthesea is imported on first use, not when diemtin is imported, so commands that never
segment (``diemtin eval --summaries``) start fast. underthesea itself keeps its CRF model
once per process after the first call.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diemtin.text.normalize import canonical_words

_HAS_WORD = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def _underthesea():
    import underthesea  # noqa: PLC0415  (deliberately lazy: loading costs about a second)

    return underthesea


def _open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def split_sentences(paragraph: str, join_quotes: bool = True) -> list[str]:
    """Split one paragraph into sentences; a quotation of several sentences stays one sentence.

    ``join_quotes=False`` gives underthesea's split as it is (EVALUATION.md's baselines use it).

    >>> split_sentences('Ông Rutte đến Kiev. Ông nói: "NATO ủng hộ Ukraine. Đây là bước khó".')
    ['Ông Rutte đến Kiev.', 'Ông nói: "NATO ủng hộ Ukraine. Đây là bước khó".']
    """
    if not _HAS_WORD.search(paragraph):
        return []
    sentences: list[str] = []
    for piece in _underthesea().sent_tokenize(paragraph):
        # underthesea splits inside quotations; a summary sentence with an unclosed quote
        # misleads the reader about who said what, so the pieces are joined back.
        if join_quotes and sentences and _open_quote(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [s for s in sentences if _HAS_WORD.search(s)]


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
        words = [w.replace(" ", "_") for w in _underthesea().word_tokenize(canonical_words(sentence))
                 if _HAS_WORD.search(w)]
        if memo is not None:
            memo[sentence] = words
    if lowercase:
        return [w.lower() for w in words]
    return words if memo is None else list(words)  # the memo's own list stays as segmented
