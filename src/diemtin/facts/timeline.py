"""When: date expressions resolved to calendar dates against the article's publication time.

"hôm 3/10", "tối 1/10", "ngày 12 tháng 10", "3/10/2024", "tháng 7", "năm 2023", "hôm qua",
"tháng trước", "thứ Hai tuần trước". A day and month without a year take the year that puts them
nearest the publication date. Without a publication time the year stays unknown and is
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_CUE = r"(?:hôm|ngày|sáng|trưa|chiều|tối|đêm|rạng sáng|khuya|sáng sớm|từ|đến|tới|trước|sau|cuối|đầu|tính đến|vào)"
DAY_MONTH = re.compile(
    rf"(?P<cue>(?:{_CUE}\s+)*)(?<![\d/.,-])(?P<day>[0-3]?\d)\s*(?P<sep>[/.-])\s*(?P<month>[01]?\d)(?:\s*[/.-]\s*(?P<year>(?:19|20)\d\d))?(?![\d/]|\.\d)",
    re.IGNORECASE)
DAY_MONTH_WORDS = re.compile(
    r"(?P<cue>(?:(?:hôm|ngày|sáng|trưa|chiều|tối|đêm)\s+)*)ngày\s+(?P<day>[0-3]?\d)\s+tháng\s+(?P<month>[01]?\d)"
    r"(?:\s+năm\s+(?P<year>(?:19|20)\d\d))?", re.IGNORECASE)
MONTH = re.compile(r"\btháng\s+(?P<month>[01]?\d)(?:(?:\s*[/-]\s*|\s+năm\s+)(?P<year>(?:19|20)\d\d)"
                   r"|\s+năm\s+(?P<rel>nay|ngoái|trước|sau|tới))?(?![\d/])", re.IGNORECASE)
YEAR = re.compile(r"\bnăm\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
WEEKDAYS = {"thứ hai": 0, "thứ 2": 0, "thứ ba": 1, "thứ 3": 1, "thứ tư": 2, "thứ 4": 2, "thứ năm": 3,
            "thứ 5": 3, "thứ sáu": 4, "thứ 6": 4, "thứ bảy": 5, "thứ 7": 5, "chủ nhật": 6}
WEEKDAY = re.compile(r"\b(?P<day>thứ (?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\b(?P<when>\s+tuần\s+(?:trước|này|tới|sau))?"
                     r"(?!\s*\(?\s*\d)", re.IGNORECASE)
# "thứ hai" is Monday or "second": a weekday is capitalised ("thứ Hai"), said of a day ("sáng thứ
# hai", "hôm thứ 5") or of a week ("thứ Năm tuần trước"); "người thứ ba", "lần thứ tư", "Thứ hai, ..."
# are ordinals and enumerations (41 of 47 false dates in the first check of unseen stories).
_WEEKDAY_CUE = re.compile(r"(?:hôm|sáng|trưa|chiều|tối|đêm|rạng sáng|khuya|vào|từ|đến|tới)\s+$", re.IGNORECASE)
_ORDINAL_BEFORE = re.compile(r"(?:năm|lần|hạng|vòng|tuần|kỳ|phiên|quý|đợt|số|người|ngày|tháng|đứng)\s+$", re.IGNORECASE)
# "từ 3-5 triệu đồng", "từ 3 - 6 tháng": a range of numbers, not a day and month
_UNIT_AFTER = re.compile(r"\s*(?:tháng|tuần|ngày|triệu|tỷ|tỉ|nghìn|ngàn|trăm|đồng|USD|người|km|kg|tấn|%|lần|tuổi|"
                         r"bàn|điểm|độ|năm(?!\s+(?:nay|ngoái|trước|sau|tới|\d)))\b", re.IGNORECASE)
# What a date names that is not an event of the story: a person's birth year ("sinh năm 1994"), the
# base of a comparison ("so với cùng kỳ năm 2021"), a futures contract ("giao tháng 9/2022"), a
# decade ("những năm 1990"), a document's own date ("Bộ luật Hình sự năm 2015", "Chỉ thị số
# 04-CT/TW ngày 2/6/2021", "sửa đổi, bổ sung năm 2017", "(ký năm 2010)").
_NOT_AN_EVENT_BEFORE = re.compile(r"(?:so với(?:\s+cùng (?:kỳ|thời điểm))?|sửa đổi,?\s+bổ sung|\(\s*ký)\s+$",
                                  re.IGNORECASE)
# a futures contract: "kỳ hạn giao tháng 9/2022", "Arabica giao tháng 9/2022" (not "ngoại giao", "bàn giao")
_CONTRACT_MONTH_BEFORE = re.compile(r"(?:kỳ hạn|hợp đồng|\b[A-Za-z]+|[,;])\s+giao\s+$")
_NOT_A_YEAR_OF_EVENT_BEFORE = re.compile(r"(?:\bsinh|\bnhững)\s+$", re.IGNORECASE)
_DOCUMENT_NUMBER_BEFORE = re.compile(r"\b\S*\d\S*/\S*[A-ZĐ]\S*(?:\s+ngày)?\s+$")
_DOCUMENT = re.compile(r"\b(?:Bộ luật|Luật|BLHS|BLTTHS|Hiến pháp|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Quyết định|"
                       r"Công ước|Hiệp định|Hiệp ước|Thỏa thuận|Thoả thuận|Pháp lệnh|Công văn)\b")
_DOCUMENT_REACH = 16  # words between a document's name and its year, within one clause
_YEAR_AS_WHEN = re.compile(r"(?:vào|trong|từ|cuối|đầu|giữa|hồi|đến|tới|sau|trước)\s+$", re.IGNORECASE)
# the start of a span ("từ 1/1/2016 đến nay", "từ ngày 08 đến ngày 11/7"): neither end is an event
_SPAN_TO = re.compile(r"\s*(?:(?:năm\s+)?nay\s+)?(?:đến|tới|[-–])\s*(?:(?:ngày|hết|cuối|đầu|giữa|sáng|chiều|tối)\s+)*"
                      r"(?:\d{1,2}\s*(?:[/.-]|\s+tháng)\s*\d{1,2}|tháng\s+\d|năm\s+\d|nay\b|hiện nay|hiện tại|bây giờ)",
                      re.IGNORECASE)
RELATIVE = {
    "hôm nay": 0, "sáng nay": 0, "trưa nay": 0, "chiều nay": 0, "tối nay": 0, "đêm nay": 0,
    "hôm qua": -1, "sáng qua": -1, "trưa qua": -1, "chiều qua": -1, "tối qua": -1, "đêm qua": -1,
    "ngày mai": 1, "sáng mai": 1, "tối mai": 1, "hôm kia": -2,
}
RELATIVE_RE = re.compile(r"\b(?P<rel>" + "|".join(sorted(RELATIVE, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_QUANTITY_BEFORE = re.compile(r"(?:\d+|nhiều|mấy|vài|các|những|một|nửa|hai|ba|bốn|năm|sáu|mười|gần|hơn|suốt)\s*$",
                              re.IGNORECASE)
RELATIVE_PERIOD = re.compile(r"\b(?P<unit>tuần|tháng|năm)\s+(?P<when>trước|qua|này|nay|tới|sau|ngoái)\b", re.IGNORECASE)


@dataclass(slots=True)
class DateMention:
    text: str
    date: str | None  # ISO date, "2024-10" or "2024" by granularity; "--10-03" when the year is unknown
    granularity: str  # day, week, month or year
    year_known: bool
    article_id: str
    sentence_index: int
    sentence: str
    start: int

    def to_dict(self) -> dict:
        return {"text": self.text, "date": self.date, "granularity": self.granularity,
                "year_known": self.year_known, "article_id": self.article_id,
                "sentence_index": self.sentence_index, "sentence": self.sentence, "confidence": self.confidence}

    @property
    def confidence(self) -> float:
        # the facts check set's dev half: 0.95 of the items shown are events on their date; a
        # named day is surer than a month or a year, which news also uses for periods and bases
        return 0.95 if self.granularity == "day" else 0.85


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
        return True
    except ValueError:
        return False


def _year_for(month: int, day: int, published: date) -> int:
    """The year that puts day/month nearest the publication date: news tells of the days just
    before and after it ("hôm 3/10" in an article of 4 October; "phiên họp ngày 12/10")."""
    years = [y for y in (published.year - 1, published.year, published.year + 1) if _valid(y, month, day)]
    return min(years, key=lambda y: abs((date(y, month, day) - published).days)) if years else published.year


def _month_shift(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


def _not_an_event(text: str, start: int) -> bool:
    before = text[:start]
    return bool(_NOT_AN_EVENT_BEFORE.search(before) or _DOCUMENT_NUMBER_BEFORE.search(before))


def _in_document_name(text: str, start: int) -> bool:
    """"Bộ luật Hình sự năm 2015", "Hiệp định năm 1995": the year names the document; "Luật ... vào
    năm 2016" is when something happened to it."""
    before = text[:start]
    if _YEAR_AS_WHEN.search(before):
        return False
    clause = re.split(r"[,;:.!?]", before)[-1].split()
    return bool(_DOCUMENT.search(" ".join(clause[-_DOCUMENT_REACH:])))


def _named_weekday(match: re.Match, text: str) -> bool:
    word = match.group("day")
    before = text[:match.start()]
    if word[-1].isdigit() and _ORDINAL_BEFORE.search(before):
        return False  # "năm thứ 3", "lần thứ 2"
    return bool(word.lower() == "chủ nhật" or match.group("when") or word.split()[-1][:1].isupper()
                or _WEEKDAY_CUE.search(before))


def _without_spans(text: str, found: list[DateMention]) -> list[DateMention]:
    """Drop both ends of a span ("từ 1/1/2016 đến nay", "từ ngày 08 đến ngày 11/7"): the timeline
    shows when things happened, and a span is neither."""
    dropped: list[tuple[int, int]] = []
    for mention in found:
        lowered = mention.text.lower()
        head = text[:mention.start] + re.match(r"(?:(?:đến|tới)\s+)?", lowered).group()
        if re.search(r"\btừ\s+(?:ngày\s+)?\d{1,2}\s*(?:đến|tới|[-–])\s*$", head, re.IGNORECASE):
            dropped.append((mention.start, mention.start + 1))  # "từ ngày 08 đến ngày 11/7": a span's end
            continue
        if not (lowered.startswith("từ ") or re.search(r"\btừ\s+$", text[:mention.start], re.IGNORECASE)):
            continue
        end = mention.start + len(mention.text)
        span = _SPAN_TO.match(text, end)
        if span:
            dropped.append((mention.start, span.end()))
    return [m for m in found if not any(a <= m.start < b for a, b in dropped)]


def find_dates(text: str, published: datetime | None, article_id: str = "", sentence_index: int = 0) -> list[DateMention]:
    """Date expressions of one sentence, resolved against ``published`` (None: year unknown)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    pub = published.date() if published else None

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(match, start: int, value: str | None, granularity: str, year_known: bool) -> None:
        end = match.end()
        taken.append((start, end))
        found.append(DateMention(text[start:end].strip(), value, granularity, year_known, article_id,
                                 sentence_index, text, start))

    def skip(match) -> None:  # not a date of an event: no shorter pattern may read it either
        taken.append((match.start(), match.end()))

    for pattern in (DAY_MONTH_WORDS, DAY_MONTH):
        for m in pattern.finditer(text):
            start = m.start()
            if not free(start, m.end()):
                continue
            day, month = int(m.group("day")), int(m.group("month"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            # "3/10" alone may be a score or a fraction: a cue word, a year, or a weekday must vouch
            before = text[max(0, start - 12):start].lower()
            if pattern is DAY_MONTH and m.group("sep") == "." and not m.group("cue"):
                continue  # "19.5" alone is a decimal number
            if pattern is DAY_MONTH and not (m.group("cue") or m.group("year") or re.search(r"(thứ \w+|chủ nhật)\s*\(?\s*$", before)
                                             or text[max(0, m.start("day") - 1):m.start("day")] == "("):
                continue
            if pattern is DAY_MONTH and not m.group("year") and _UNIT_AFTER.match(text, m.end()):
                skip(m)  # "từ 3-5 triệu đồng": a range of numbers
                continue
            if (_not_an_event(text, start) or "trước" in m.group("cue").lower().split()  # a deadline
                    or (m.group("year") and not m.group("cue") and re.search(r"\d{1,2}:\d{2}\s*$", text[:start])
                        and not text[m.end():].strip())):  # a page's time stamp: "| 22:05 20/06/2017"
                skip(m)
                continue
            if m.group("year"):
                year = int(m.group("year"))
                if _valid(year, month, day):
                    add(m, start, date(year, month, day).isoformat(), "day", True)
            elif pub is not None:
                year = _year_for(month, day, pub)
                if _valid(year, month, day):
                    add(m, start, date(year, month, day).isoformat(), "day", True)
            else:
                add(m, start, f"--{month:02d}-{day:02d}", "day", False)
    for m in RELATIVE_RE.finditer(text):
        if free(m.start(), m.end()) and not _not_an_event(text, m.start()):
            shift = RELATIVE[m.group("rel").lower()]
            if pub is not None:
                add(m, m.start(), (pub + timedelta(days=shift)).isoformat(), "day", True)
            else:
                add(m, m.start(), None, "day", False)
    for m in WEEKDAY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if not _named_weekday(m, text):
            continue  # "người thứ ba", "lần thứ 2", "Thứ hai, ...": an ordinal, not a weekday
        weekday = WEEKDAYS[m.group("day").lower()]
        when = (m.group("when") or "").split()[-1:] or [""]
        if pub is None:
            add(m, m.start(), None, "day", False)
            continue
        monday = pub - timedelta(days=pub.weekday())
        offset = {"trước": -7, "tới": 7, "sau": 7}.get(when[0].lower(), 0)
        day = monday + timedelta(days=weekday + offset)
        if not when[0] and day > pub:  # "thứ Hai" alone: the last one, not the next
            day -= timedelta(days=7)
        add(m, m.start(), day.isoformat(), "day", True)
    for m in MONTH.finditer(text):
        if not free(m.start(), m.end()):
            continue
        month = int(m.group("month"))
        if not 1 <= month <= 12:
            continue
        if (_not_an_event(text, m.start()) or _CONTRACT_MONTH_BEFORE.search(text[:m.start()])
                or re.search(r"\d\s*$", text[:m.start()])
                or re.match(r"\s+ngày\b(?!\s*\d)", text[m.end():])):
            skip(m)  # "giao tháng 9/2022" (a futures contract), "16 năm 6 tháng 8 ngày" (a duration)
            continue
        if m.group("year"):
            add(m, m.start(), f"{int(m.group('year'))}-{month:02d}", "month", True)
        elif m.group("rel"):  # "tháng 12 năm ngoái"
            step = {"nay": 0, "ngoái": -1, "trước": -1, "sau": 1, "tới": 1}[m.group("rel").lower()]
            if pub is not None:
                add(m, m.start(), f"{pub.year + step}-{month:02d}", "month", True)
            else:
                add(m, m.start(), f"--{month:02d}", "month", False)
        elif pub is not None:
            year = pub.year - 1 if month > pub.month + 1 else pub.year
            add(m, m.start(), f"{year}-{month:02d}", "month", True)
        else:
            add(m, m.start(), f"--{month:02d}", "month", False)
    for m in RELATIVE_PERIOD.finditer(text):
        if not free(m.start(), m.end()) or _not_an_event(text, m.start()):
            continue
        if _QUANTITY_BEFORE.search(text[:m.start()]):
            continue  # "3 tháng qua", "nhiều tháng qua", "10 năm nay": a span, not a date
        unit, when = m.group("unit").lower(), m.group("when").lower()
        step = {"trước": -1, "qua": -1, "ngoái": -1, "này": 0, "nay": 0, "tới": 1, "sau": 1}[when]
        if unit == "năm" and when == "qua":
            continue  # "năm qua" is usually "the past year", a span, not a date
        if pub is None:
            add(m, m.start(), None, {"tuần": "week", "tháng": "month", "năm": "year"}[unit], False)
        elif unit == "tuần":
            monday = pub - timedelta(days=pub.weekday()) + timedelta(days=7 * step)
            add(m, m.start(), monday.isoformat(), "week", True)
        elif unit == "tháng":
            year, month = _month_shift(pub, step)
            add(m, m.start(), f"{year}-{month:02d}", "month", True)
        else:
            add(m, m.start(), str(pub.year + step), "year", True)
    for m in YEAR.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if (_not_an_event(text, m.start()) or _NOT_A_YEAR_OF_EVENT_BEFORE.search(text[:m.start()])
                or _in_document_name(text, m.start())
                or re.match(r"\s*[-–/]\s*\d", text[m.end():])):  # "năm 2016-2017", "năm 2011-12": a span or a season
            continue
        add(m, m.start(), m.group("year"), "year", True)
    return _without_spans(text, sorted(found, key=lambda d: d.start))
