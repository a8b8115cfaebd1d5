"""Vietnamese sentence splitting and word segmentation with underthesea (offline, from its wheel).

underthesea is imported on first use, not when diemtin is imported, so commands that never
segment (``diemtin eval --summaries``) start fast. underthesea itself keeps its CRF model
once per process after the first call.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HAS_WORD = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def _underthesea():
    import underthesea  # noqa: PLC0415  (deliberately lazy: loading costs about a second)

    return underthesea


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences.

    >>> split_sentences("Ông Rutte đến Kiev. Ông nói: \\"NATO đứng về phía Ukraine\\".")
    ['Ông Rutte đến Kiev.', 'Ông nói: "NATO đứng về phía Ukraine".']
    """
    if not _HAS_WORD.search(paragraph):
        return []
    return [s for s in _underthesea().sent_tokenize(paragraph) if _HAS_WORD.search(s)]


def segment_words(sentence: str) -> list[str]:
    """Segment a sentence into words; the syllables of a word are joined by ``_``, lower-cased.

    >>> segment_words("Tổng thống Ukraine gặp bác sĩ")
    ['tổng_thống', 'ukraine', 'gặp', 'bác_sĩ']
    """
    words = _underthesea().word_tokenize(sentence)
    return [w.lower().replace(" ", "_") for w in words if _HAS_WORD.search(w)]
