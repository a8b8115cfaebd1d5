"""Remove what scrapers pick up around a Vietnamese news story, keep every story sentence.

What goes, line by line (see ``examples/seeds/`` for real cases):

- photo captions and credits: a line ending in "(Nguồn: Telegram)", "- Ảnh: AFP", "Ảnh: ...";
- "Tin liên quan" / "Xem thêm" blocks and the short headline links under them;
- rows of related-article links, which scrapers render with ``|`` separators;
- a byline or "Theo ..." credit line closing the article.

A body line that merely ends in a stray ``|`` keeps its text; only the ``|`` goes.
Inline editor's notes such as "(... - PV)" stay: they sit inside quoted sentences,
and cutting them would change what the article says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diemtin.text.normalize import normalize_text, syllables

_SENTENCE_END = ".?!…\"”'’)"

_RELATED_HEADER = re.compile(
    r"^(tin liên quan|tin cùng chuyên mục|bài liên quan|tin bài liên quan|xem thêm|đọc thêm|có thể bạn quan tâm)"
    r"\s*[:|>»]*\s*$",
    re.IGNORECASE,
)
_READ_MORE_LINE = re.compile(r"^(xem thêm|đọc thêm|>>|>>>)\s*[:>»]", re.IGNORECASE)
_CREDIT_AT_END = re.compile(
    r"(\((nguồn|ảnh|photo|video|clip)\s*:[^()]*\)"  # (Nguồn: Telegram)
    r"|[-–—]\s*(ảnh|nguồn|photo|video)\s*:\s*[^.!?]{1,80}"  # - Ảnh: AFP
    r")\s*$",
    re.IGNORECASE,
)
_CAPTION_START = re.compile(r"^(ảnh|ảnh minh họa|ảnh minh hoạ|video|clip)\s*[:.]", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\(?(theo|nguồn)\b[^.!?]{0,60}\)?$", re.IGNORECASE)

# A related-headline link is short; a body paragraph is rarely under 25 syllables
# and ends in sentence punctuation.
RELATED_LINK_MAX_SYLLABLES = 25
# Bylines are a name or two: "Minh Anh", "Nhóm PV", "Hà Phương (tổng hợp)".
BYLINE_MAX_SYLLABLES = 6


@dataclass(slots=True)
class RemovedLine:
    line: int  # 1-based line number in the text given to clean_text
    text: str
    reason: str


@dataclass(slots=True)
class CleanText:
    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _is_byline(line: str) -> bool:
    if line[-1] in ".?!:;,":
        return False
    words = line.strip("()").split()
    if not words or len(syllables(line)) > BYLINE_MAX_SYLLABLES:
        return False
    return all(w[0].isupper() or w.startswith("(") for w in words)


def clean_text(text: str) -> CleanText:
    """Normalise ``text`` and drop scraped boilerplate lines, saying which and why.

    >>> c = clean_text("Ông Rutte đến Kiev hôm 3/10. |\\nTin liên quan |\\nThách thức người cầm lái NATO |")
    >>> c.paragraphs
    ['Ông Rutte đến Kiev hôm 3/10.']
    >>> [r.reason for r in c.removed]
    ['related-articles header', 'related-article link']
    """
    lines = normalize_text(text).split("\n")
    kept: list[tuple[int, str]] = []
    removed: list[RemovedLine] = []
    in_related_block = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        reason = None
        body = line.strip("|").strip()
        if line.startswith("|"):
            reason = "related-article row"
        elif _RELATED_HEADER.match(body):
            reason = "related-articles header"
            in_related_block = True
        elif in_related_block and line.endswith("|") and len(syllables(body)) <= RELATED_LINK_MAX_SYLLABLES:
            reason = "related-article link"
        elif _READ_MORE_LINE.match(body):
            reason = "read-more link"
        elif _CREDIT_AT_END.search(body) or _CAPTION_START.match(body):
            reason = "photo caption or credit"
        elif not body:
            reason = "separator"
        if reason != "related-article link" and reason != "related-articles header":
            in_related_block = False
        if reason:
            removed.append(RemovedLine(number, raw, reason))
        else:
            kept.append((number, body))
    # A closing byline or "Theo TTXVN" credit: only the last lines can be one.
    while kept:
        number, body = kept[-1]
        if _SOURCE_LINE.match(body) or (len(kept) > 1 and _is_byline(body)):
            removed.append(RemovedLine(number, lines[number - 1], "byline or source credit"))
            kept.pop()
        else:
            break
    removed.sort(key=lambda r: r.line)
    return CleanText([body for _, body in kept], removed)
