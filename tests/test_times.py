"""Times: spans and dates a user may give, however extreme, give a moment or a clear error."""

from __future__ import annotations

from datetime import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from diemtin.errors import DiemtinError
from diemtin.times import named_dates, parse_at, parse_since, parse_time, utcnow

spans = st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10**25), st.sampled_from("mhdw"))
dates = st.builds(lambda y, m, d, rest: f"{y:04d}-{m:02d}-{d:02d}{rest}", st.integers(0, 9999), st.integers(0, 13),
                  st.integers(0, 32), st.sampled_from(["", "T00:00", " 23:59:59", "T00:00+14:00", "T23:59-12:00", "Z"]))
TIME_TEXT = st.one_of(spans, dates, st.text(max_size=40), st.sampled_from(["all", "ALL ", "24h", "0d", ""]))


@settings(max_examples=300)
@given(TIME_TEXT, st.one_of(st.none(), TIME_TEXT))
@example("1000000d", None)  # found by the outside probe: OverflowError
@example("24h", "0001-01-01")  # the day before the first day there is
@example("all", "9999-12-31T23:59:59-12:00")
@example("99999999999999999999d", None)
@example("24h", "all")
def test_since_and_at_give_a_moment_or_a_clear_error(since, at):
    try:
        now = parse_at(at, utcnow())
        start = parse_since(since, now)
    except DiemtinError as exc:
        assert any(words in str(exc) for words in ("span", "cannot read the time", "names no moment"))
        return
    assert start is None or isinstance(start, datetime)


def test_offsets_are_converted_to_utc_and_impossible_years_refused():
    assert parse_time("2024-10-04T08:00:00+07:00") == datetime(2024, 10, 4, 1, 0)
    assert parse_time("0001-01-01T00:00+05:00") is None  # converting it overflowed
    assert parse_time("9999-12-31") is None and parse_time("2017-02-08") == datetime(2017, 2, 8)


def test_headlines_name_their_days_and_figures_scores_and_fractions_are_not_days():
    named = lambda title: [(d.year, d.month, d.day) for d in named_dates(title)]  # noqa: E731
    assert named("Giá vàng hôm nay 9.2: Phiên 'thử lửa' để trụ vững mốc 37 triệu đồng/lượng") == [(0, 2, 9)]
    assert named("Kết quả xổ số điện toán Vietlott ngày 6/2/2017") == [(2017, 2, 6)]
    assert named("Tin HOT bóng đá sáng 13/5: Dani Alves đoạt giải ở Cúp C1") == [(0, 5, 13)]
    assert named("Thí điểm lưu thông hai chiều trên phố Phùng Hưng, Hà Nội từ 22/7") == [(0, 7, 22)]
    assert named("Chiều 30-4, pháo hoa rực sáng") == [(0, 4, 30)]
    assert named("Real Madrid thắng 3-1, Ronaldo lập cú đúp") == []
    assert named("Giá xăng giảm 1.5%, lãi suất 6.8% một năm") == []
    assert named("1/3 dân số thế giới thiếu nước, 45/63 tỉnh báo cáo") == [(0, 3, 1)]  # a fraction reads as a day


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("0123456789/.-, ngàyhôm nayNgày"), max_size=30))
def test_every_day_found_is_a_day(text):
    for found in named_dates(text):
        assert 1 <= found.day <= 31 and 1 <= found.month <= 12 and text[found.start].isdigit()
