"""Is this text Vietnamese? Two measures, each for the question it answers well.

- ``vietnamese_share``: the share of words that are Vietnamese syllables (underthesea's
  dictionary). It tells a right decoding of legacy bytes from a wrong one.
- ``not_vietnamese``: the share of words with Vietnamese diacritics. It tells Vietnamese news
  from an English report, where the syllable share cannot: "to", "an", "the" are syllables,
  and a football page full of foreign names scores as low as English does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# A text of at least this many words is Vietnamese when at least this share of its words
# carry Vietnamese diacritics: the lowest of the 35,440 baomoi articles (a page of football
# names) has 25%, an English report naming Hà Nội 11%.
LANGUAGE_MIN_WORDS = 20
VIETNAMESE_MIN_DIACRITIC_SHARE = 0.15
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
    share = sum(not _VIETNAMESE_LETTERS.isdisjoint(w) for w in words) / len(words)
    if share >= VIETNAMESE_MIN_DIACRITIC_SHARE:
        return None
    return (f"the text does not look like Vietnamese (only {share:.0%} of its words have Vietnamese "
            "diacritics); diemtin summarises Vietnamese news, so it was skipped")
