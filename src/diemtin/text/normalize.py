"""Unicode clean-up for Vietnamese text: NFC, invisible characters, spaces, syllables."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters and the byte-order mark turn up inside scraped words and
# make two copies of one word compare unequal.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters except tab and newline (which carry paragraph structure).
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SYLLABLE = re.compile(r"[^\W_]+")


def normalize_text(text: str) -> str:
    """Return ``text`` in NFC with invisible and control characters removed.

    Line breaks become ``\\n``; runs of spaces become one space; lines are stripped.

    >>> normalize_text("Ha\u0300 Nô\u0323i\u200b\\r\\n")
    'Hà Nội'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)  # one pass: no run of spaces crosses a line break
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


def syllables(text: str) -> list[str]:
    """Lower-cased syllables: maximal runs of letters or digits, as EVALUATION.md counts them.

    This is the unit of every length budget and of ROUGE.

    >>> syllables("Hà Nội có 5.000 người_dân")
    ['hà', 'nội', 'có', '5', '000', 'người', 'dân']
    """
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def fold_diacritics(text: str) -> str:
    """Lower-case ``text`` and drop Vietnamese tone and vowel marks, for search that ignores them.

    >>> fold_diacritics("Hà Nội, Đà Nẵng")
    'ha noi, da nang'
    """
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _token_normalize():
    # underthesea's rule table (in its wheel, offline) of 2,904 non-standard spellings,
    # among them every old/new tone placement pair: "hoà" -> "hòa", "thuỷ" -> "thủy".
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize  # noqa: PLC0415

    return token_normalize


@lru_cache(maxsize=2**16)
def canonical_syllable(syllable: str) -> str:
    """One spelling for a syllable written with the old or the new tone placement.

    Used wherever two texts are compared (duplicates, clustering, summary features, names);
    the text shown to readers keeps the outlet's own spelling.

    >>> canonical_syllable("hoà"), canonical_syllable("Thuỷ"), canonical_syllable("quý")
    ('hòa', 'Thủy', 'quý')
    """
    return _token_normalize()(syllable)


def canonical_syllables(text: str) -> list[str]:
    """``syllables(text)`` with one tone placement: for matching, not for ROUGE.

    >>> canonical_syllables("Hoà Bình") == canonical_syllables("Hòa Bình")
    True
    """
    return [canonical_syllable(s) for s in syllables(text)]


def canonical_words(text: str) -> str:
    """``text`` with every syllable in its canonical tone placement, all else unchanged.

    >>> canonical_words("Toà án tỉnh Hoà Bình, ngày 3/10")
    'Tòa án tỉnh Hòa Bình, ngày 3/10'
    """
    return _SYLLABLE.sub(lambda m: canonical_syllable(m.group()), text)
