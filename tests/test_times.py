"""Times: spans and dates a user may give, however extreme, give a moment or a clear error."""

from __future__ import annotations

from datetime import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from diemtin.errors import DiemtinError
from diemtin.times import parse_at, parse_since, parse_time, utcnow

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
