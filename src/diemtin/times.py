"""Times as news carries them: publication times, spans such as "24h", and "now".

Every stage reads times through here. Times are naive UTC ``datetime`` values; a time with an
offset is converted. A moment outside the years ``MIN_YEAR`` to ``MAX_YEAR`` is not one a news
article or a digest can name, and is refused: it would overflow the arithmetic that dates are
put through (a day before 1 January of year 1 does not exist).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from diemtin.errors import DiemtinError

MIN_YEAR, MAX_YEAR = 1000, 9000
SPAN_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_time(value: str | None) -> datetime | None:
    """Read "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or ISO 8601 as naive UTC; None when absent,
    unreadable or out of range.

    >>> parse_time("2024-10-03 14:30"), parse_time("2024-10-03T21:30+07:00")
    (datetime.datetime(2024, 10, 3, 14, 30), datetime.datetime(2024, 10, 3, 14, 30))
    >>> parse_time("0001-01-01T00:00+05:00"), parse_time("hôm qua")
    (None, None)
    """
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    for candidate in (text, text.replace(" ", "T", 1)):
        try:
            moment = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment
    return None


# A day a title names: "12/7", "6/2/2017", or after a word of time "hôm nay 7.2", "ngày 9-2".
# Dots and dashes count only after such a word: elsewhere "3.5" is a figure and "3-1" a score.
_TITLE_DATE = re.compile(
    r"(?<![\w/.,])(?P<d1>\d{1,2})/(?P<m1>\d{1,2})(?:/(?P<y1>\d{4}|\d{2}))?(?![\w/]|[.,]\d)"
    r"|\b(?:ngày|hôm nay|sáng|trưa|chiều|tối|đêm)\s+(?P<d2>\d{1,2})[.-](?P<m2>\d{1,2})(?:[.-](?P<y2>\d{4}))?(?![\w.,-]\d|\w)",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NamedDate:
    start: int  # where the day's digits begin in the text
    year: int  # 0 when not named
    month: int
    day: int


_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?!\d|[.,]\d)")
_SINCE = re.compile(r"\btừ\s+(?:năm\s+)?$", re.IGNORECASE)


def named_years(text: str) -> set[int]:
    """The years (1900-2099) a headline names, alone or as part of a date; not a year counted
    from ("kể từ năm 2011": the year of an earlier event, not the report's).

    >>> sorted(named_years("Điểm thi THPT quốc gia 2017, quý II/2016 và ngày 6/2/2015"))
    [2015, 2016, 2017]
    >>> named_years("Giá 2.017 đồng, tăng 2017,5 điểm; mã 120175; ECB tăng lãi suất lần đầu kể từ năm 2011")
    set()
    """
    text = text or ""
    return {int(m.group()) for m in _YEAR.finditer(text) if not _SINCE.search(text[max(0, m.start() - 12) : m.start()])}


def named_dates(text: str) -> list[NamedDate]:
    """The days a headline names, in order (a day and a month in range; a two-digit year read
    as 20xx).

    >>> [(d.month, d.day) for d in named_dates("Giá vàng hôm nay 7.2: tăng 3.5%, từ 16/7 đến 22/7")]
    [(2, 7), (7, 16), (7, 22)]
    >>> named_dates("Barca thắng 3-1, giảm 1,5/2 và 45/3"), named_dates("Kết quả xổ số ngày 6/2/2017")[0].year
    ([], 2017)
    """
    found = []
    for match in _TITLE_DATE.finditer(text or ""):
        which = "1" if match.group("d1") else "2"
        day, month = int(match.group("d" + which)), int(match.group("m" + which))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        year = int(match.group("y" + which) or 0)
        found.append(NamedDate(match.start("d" + which), year + 2000 if 0 < year < 100 else year, month, day))
    return found


def publication_order(published: Sequence[datetime | None], seen: Sequence[datetime] | None = None) -> list[int]:
    """Positions of a story's articles in publication order, the order its summary and facts read
    them in: oldest first; an article of unknown time counts from when it was first ``seen`` (the
    store's ingest time), or without that comes after every dated one; ties keep the given order.

    >>> publication_order([datetime(2024, 10, 3), None, datetime(2024, 10, 1)])
    [2, 0, 1]
    >>> publication_order([datetime(2024, 10, 3), None], seen=[datetime(2024, 10, 5), datetime(2024, 10, 2)])
    [1, 0]
    """
    moments = [p if p is not None else (seen[i] if seen is not None else None) for i, p in enumerate(published)]
    return sorted(range(len(moments)), key=lambda i: (moments[i] is None, moments[i] or datetime.min, i))


def parse_since(value: str | None, now: datetime) -> datetime | None:
    """'24h', '7d', '90m', '2w' or an ISO date/time -> the moment it names; None for None or 'all'.

    >>> parse_since("24h", datetime(2024, 10, 4)), parse_since("all", datetime(2024, 10, 4))
    (datetime.datetime(2024, 10, 3, 0, 0), None)
    """
    if value is None or value.strip().lower() == "all":
        return None
    text = value.strip().lower()
    if text[:-1].isdigit() and text[-1:] in SPAN_UNITS:
        try:
            moment = now - timedelta(**{SPAN_UNITS[text[-1]]: int(text[:-1])})
        except OverflowError:
            moment = None
        if moment is None or moment.year < MIN_YEAR:
            raise DiemtinError(f"the span '{value}' reaches back before the year {MIN_YEAR}; give a shorter one "
                               "(24h, 7d, 52w) or 'all'",
                               vi=f"Khoảng thời gian '{value}' quá dài; hãy chọn ngắn hơn (24h, 7d, 52w) hoặc 'all'.")
        return moment
    moment = parse_time(value)
    if moment is None:
        raise DiemtinError(f"cannot read the time '{value}'; give a span like 24h, 7d or 90m, or a date like "
                           f"2024-10-03 (years {MIN_YEAR} to {MAX_YEAR})",
                           vi=f"Không đọc được thời gian '{value}'; hãy ghi khoảng thời gian như 24h, 7d, 90m "
                              "hoặc ngày như 2024-10-03.")
    return moment


def parse_interval(value: str) -> int:
    """'90s', '5m', '1h', '1d' -> seconds; a DiemtinError for anything else.

    >>> parse_interval("5m"), parse_interval(" 1h "), parse_interval("90s")
    (300, 3600, 90)
    """
    text = (value or "").strip().lower()
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    if not (text[:-1].isdigit() and text[-1:] in seconds and len(text) < 12):
        raise DiemtinError(f"'{value}' is not an interval; give a number and a unit: 90s, 5m, 1h or 1d")
    return int(text[:-1]) * seconds[text[-1]]


def parse_at(value: str | None, now: datetime) -> datetime:
    """The moment a digest is made as of: ``now`` for None, else a span back from now or a date."""
    if value is None or not value.strip():
        return now
    moment = parse_since(value, now)
    if moment is None:
        raise DiemtinError(f"'{value}' names no moment; give a date like 2024-10-03 or a span back from now like 24h",
                           vi=f"'{value}' không phải một thời điểm; hãy ghi ngày như 2024-10-03 hoặc 24h.")
    return moment


# Readers of Vietnamese news read times in Vietnam's time zone (UTC+7, no daylight saving).
VIETNAM_OFFSET = timedelta(hours=7)


def vietnam_time(moment: datetime | str | None) -> str:
    """A stored (naive UTC) time as a Vietnamese reader writes it, in Vietnam's time: "14:30 03/10/2024".

    >>> vietnam_time("2024-10-03T07:30")
    '14:30 03/10/2024'
    """
    if isinstance(moment, str):
        moment = parse_time(moment)
    if moment is None:
        return ""
    return (moment + VIETNAM_OFFSET).strftime("%H:%M %d/%m/%Y")


def time_ago(moment: datetime | str | None, now: datetime | str) -> str:
    """How long before ``now`` a stored time is, as Vietnamese pages say it: "vừa xong",
    "25 phút trước", "3 giờ trước", "2 ngày trước"; a week or more back, or after ``now`` (a
    digest made as of an earlier day), the date itself in Vietnam's time. "" for no time.

    >>> now = datetime(2024, 10, 3, 12, 0)
    >>> [time_ago(t, now) for t in ("2024-10-03T11:59:30", "2024-10-03T11:35", "2024-10-03T09:00",
    ...                              "2024-10-01T12:00", "2024-09-01T12:00", "2024-10-04T12:00", None)]
    ['vừa xong', '25 phút trước', '3 giờ trước', '2 ngày trước', '01/09/2024', '04/10/2024', '']
    """
    if isinstance(moment, str):
        moment = parse_time(moment)
    if isinstance(now, str):
        now = parse_time(now) or utcnow()
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        return (moment + VIETNAM_OFFSET).strftime("%d/%m/%Y")
    if seconds < 60:
        return "vừa xong"
    if seconds < 3600:
        return f"{int(seconds // 60)} phút trước"
    if seconds < 86400:
        return f"{int(seconds // 3600)} giờ trước"
    return f"{int(seconds // 86400)} ngày trước"
