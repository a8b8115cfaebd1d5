"""Is this text Vietnamese? Two measures, each for the question it answers well.

- ``vietnamese_share``: the share of words that are Vietnamese syllables (underthesea's
  dictionary). It tells a right decoding of legacy bytes from a wrong one.
- ``not_vietnamese``: few words with Vietnamese diacritics *and* many English function words.
  The syllable share cannot tell English ("to", "an", "the" are syllables), and diacritics
  alone cannot either: a squad list ("Hậu vệ: Chris Gunter, James Chester, ...") has 14%.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# A text of at least this many words is English, not Vietnamese, when under 15% of its words
# carry Vietnamese diacritics and at least 10% are English function words. Of the 37,351
# articles in baomoi-2017 and the dev clusters none is flagged: the lowest diacritic share is
# 14% (a squad list), and the six under 30% have at most 0.5% English function words. An
# English report naming Hà Nội has 11% diacritics and 16% function words.
LANGUAGE_MIN_WORDS = 20
VIETNAMESE_MIN_DIACRITIC_SHARE = 0.15
ENGLISH_MIN_FUNCTION_WORD_SHARE = 0.10
# Function words that are not also Vietnamese syllables ("an", "to", "the", "in" are).
_ENGLISH = frozenset("of and is was for that with as by from his her it said are were has have this which will "
                     "or its their not but at on they who would been".split())
_VIETNAMESE_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    # underthesea ships a 74,000-word Vietnamese dictionary in its wheel: its syllables are
    # the yardstick for "this decoding reads as Vietnamese".
    import underthesea  # noqa: PLC0415

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    words = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).lower().split()
    return frozenset(words)


def vietnamese_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s words that are Vietnamese syllables, and the number of words.

    >>> vietnamese_share("Thủ tướng làm việc với Hà Nội")
    (1.0, 7)
    >>> vietnamese_share("Thuû töôùng laøm vieäc")[0] < 0.5
    True
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if not words:
        return 0.0, 0
    known = _syllables()
    return sum(w in known for w in words) / len(words), len(words)


def not_vietnamese(text: str) -> str | None:
    """Why ``text`` is not a Vietnamese article, or None when it is (or is too short to tell).

    >>> not_vietnamese("Thủ tướng làm việc với lãnh đạo thành phố Hà Nội về kế hoạch năm 2024") is None
    True
    """
    words = _WORD.findall(text.lower())
    if len(words) < LANGUAGE_MIN_WORDS:
        return None
    english = sum(w in _ENGLISH for w in words) / len(words)
    if english < ENGLISH_MIN_FUNCTION_WORD_SHARE:  # every Vietnamese article: the costlier count is not needed
        return None
    share = sum(not _VIETNAMESE_LETTERS.isdisjoint(w) for w in words) / len(words)
    if share >= VIETNAMESE_MIN_DIACRITIC_SHARE:
        return None
    return (f"the text looks like English, not Vietnamese ({english:.0%} of its words are English function "
            f"words, {share:.0%} have Vietnamese diacritics); diemtin summarises Vietnamese news, so it was skipped")
