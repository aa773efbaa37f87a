from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InvalidPeriod
from bot.periods import (
    FORMS,
    Period,
    biennium_period,
    looks_like_period,
    parse_period,
    period_containing,
    periods_back,
)

TODAY = date(2026, 11, 21)  # a Saturday in 2026-W47, Q4


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "kind"),
    [
        ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 12, 1), "month"),
        ("2026-12", "2026-12", date(2026, 12, 1), date(2027, 1, 1), "month"),
        ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 3, 1), "month"),
        ("2026-Q4", "2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "quarter"),
        ("2026-q1", "2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "quarter"),
        ("2026-W47", "2026-W47", date(2026, 11, 16), date(2026, 11, 23), "week"),
        ("2026-w1", "2026-W01", date(2025, 12, 29), date(2026, 1, 5), "week"),
        ("2026-W53", "2026-W53", date(2026, 12, 28), date(2027, 1, 4), "week"),
        ("2020-W53", "2020-W53", date(2020, 12, 28), date(2021, 1, 4), "week"),
        ("2026", "2026", date(2026, 1, 1), date(2027, 1, 1), "year"),
        ("2026-27", "2026-27", date(2026, 1, 1), date(2028, 1, 1), "biennium"),
        ("2026-2027", "2026-27", date(2026, 1, 1), date(2028, 1, 1), "biennium"),
        ("2099-00", "2099-00", date(2099, 1, 1), date(2101, 1, 1), "biennium"),
        ("2010-2011", "2010-2011", date(2010, 1, 1), date(2012, 1, 1), "biennium"),
        ("2000", "2000", date(2000, 1, 1), date(2001, 1, 1), "year"),
        ("2100", "2100", date(2100, 1, 1), date(2101, 1, 1), "year"),
        ("last-30d", "last-30d", date(2026, 10, 23), date(2026, 11, 22), "days"),
        ("last-1d", "last-1d", date(2026, 11, 21), date(2026, 11, 22), "days"),
        ("LAST-730D", "last-730d", date(2024, 11, 22), date(2026, 11, 22), "days"),
        ("this-quarter", "2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "quarter"),
        ("  2026-Q4  ", "2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "quarter"),
    ],
)
def test_parses_every_form(text: str, label: str, start: date, end: date, kind: str) -> None:
    period = parse_period(text, today=TODAY)
    assert period == Period(label, start, end, kind)  # type: ignore[arg-type]
    assert str(period) == label


@pytest.mark.parametrize("text", [None, "", "   ", "This-Quarter"])
def test_default_is_the_current_quarter(text: str | None) -> None:
    assert parse_period(text, today=TODAY).label == "2026-Q4"
    assert parse_period(text, today=date(2027, 1, 1)).label == "2027-Q1"
    assert parse_period(text, today=date(2027, 3, 31)).label == "2027-Q1"


def test_month_beats_biennium_when_both_read_the_same() -> None:
    assert parse_period("2010-11", today=TODAY).kind == "month"
    assert biennium_period(2010).label == "2010-2011"
    assert biennium_period(2011).label == "2011-2012"
    assert biennium_period(2012).label == "2012-13"


def test_unknown_period_message_lists_the_forms() -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period("2026-13", today=TODAY)
    assert caught.value.message == (
        'Unknown period "2026-13". Periods: 2026-11, 2026-Q4, 2026-W47, 2026, 2026-27, last-30d.'
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13", None),
        ("2026-00", None),
        ("2026-Q0", None),
        ("2026-Q5", None),
        ("2026-W00", None),
        ("2026-W54", None),
        ("2025-W53", "2025 has no week 53."),
        ("2026-28", None),
        ("2026-2028", None),
        ("2026-26", None),
        ("1999", "Years run from 2000 to 2100."),
        ("2101", "Years run from 2000 to 2100."),
        ("2100-01-01", None),
        ("2100-2101", "Years run from 2000 to 2100."),
        ("1999-Q4", "Years run from 2000 to 2100."),
        ("last-0d", "Rolling periods run from last-1d to last-730d."),
        ("last-731d", "Rolling periods run from last-1d to last-730d."),
        ("last-30", None),
        ("last-month", None),
        ("next-quarter", None),
        ("Q4", None),
        ("26-Q4", None),
        ("٢٠٢٦", None),
        ("2026 Q4", None),
    ],
)
def test_rejects_bad_periods(text: str, reason: str | None) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(text, today=TODAY)
    message = caught.value.message
    assert message.startswith(f'Unknown period "{text}".')
    assert message.endswith(f"Periods: {FORMS}.")
    if reason:
        assert reason in message


def test_long_bad_text_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period("x" * 500 + "\n" + "y", today=TODAY)
    assert len(caught.value.message) < 200
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("label", "previous"),
    [
        ("2026-11", "2026-10"),
        ("2026-01", "2025-12"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026-W01", "2025-W52"),
        ("2021-W01", "2020-W53"),
        ("2026-W47", "2026-W46"),
        ("2026", "2025"),
        ("2026-27", "2024-25"),
        ("2012-13", "2010-2011"),
    ],
)
def test_previous_period(label: str, previous: str) -> None:
    period = parse_period(label, today=TODAY)
    before = period.previous()
    assert before.label == previous
    assert before.kind == period.kind
    assert before.end == period.start


def test_previous_of_a_rolling_window_is_the_same_length_just_before() -> None:
    period = parse_period("last-30d", today=TODAY)
    before = period.previous()
    assert before.kind == "days"
    assert before.end == period.start
    assert before.end - before.start == timedelta(days=30)
    assert before.label == "2026-09-23..2026-10-22"


def test_contains_is_half_open() -> None:
    period = parse_period("2026-11", today=TODAY)
    assert period.contains(date(2026, 11, 1))
    assert period.contains(date(2026, 11, 30))
    assert not period.contains(date(2026, 12, 1))
    assert not period.contains(date(2026, 10, 31))


def test_last_days_include_today() -> None:
    period = parse_period("last-7d", today=TODAY)
    assert period.contains(TODAY)
    assert period.contains(TODAY - timedelta(days=6))
    assert not period.contains(TODAY - timedelta(days=7))
    assert not period.contains(TODAY + timedelta(days=1))


def test_periods_back() -> None:
    period = parse_period("2026-02", today=TODAY)
    assert [p.label for p in periods_back(period, 4)] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert periods_back(period, 1) == [period]
    assert periods_back(period, 0) == []


def test_period_containing() -> None:
    assert period_containing(TODAY, "month").label == "2026-11"
    assert period_containing(TODAY, "quarter").label == "2026-Q4"
    assert period_containing(TODAY, "week").label == "2026-W47"
    assert period_containing(date(2027, 1, 2), "week").label == "2026-W53"
    assert period_containing(TODAY, "year").label == "2026"
    assert period_containing(TODAY, "biennium").label == "2026-27"
    assert period_containing(date(2027, 6, 1), "biennium").label == "2026-27"
    with pytest.raises(ValueError):
        period_containing(TODAY, "days")


@pytest.mark.parametrize(
    "token",
    ["2026", "2026-11", "2026-13", "2026-q4", "2026-Q9", "2026-W47", "2026-27", "last-30d",
     "last-0d", "this-quarter", "2026-2027"],
)  # fmt: skip
def test_looks_like_period(token: str) -> None:
    assert looks_like_period(token)


@pytest.mark.parametrize(
    "token", ["", "community", "all", "Data", "I-12", "30d", "2026-12-01", "last-month", "26"]
)
def test_does_not_look_like_period(token: str) -> None:
    assert not looks_like_period(token)


# --- properties -------------------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
years = st.integers(min_value=2000, max_value=2100)


@given(text=st.text(), today=dates)
def test_any_text_is_a_period_or_invalid_period(text: str, today: date) -> None:
    try:
        period = parse_period(text, today=today)
    except InvalidPeriod:
        return
    assert period.start < period.end


period_like = st.one_of(
    st.from_regex(r"\A[0-9]{1,5}(-([qQwW]?[0-9]{1,5}))?\Z"),
    st.from_regex(r"\A(last|LAST)-[0-9]{1,5}[dD]?\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{1,4}\Z"),
)


@given(text=period_like, today=dates)
def test_period_like_text_is_a_period_or_invalid_period(text: str, today: date) -> None:
    try:
        period = parse_period(text, today=today)
    except InvalidPeriod:
        return
    assert looks_like_period(text)
    assert period.start < period.end


def _week_labels() -> st.SearchStrategy[str]:
    def label(year: int, week: int) -> str:
        weeks = date(year, 12, 28).isocalendar().week
        return f"{year}-W{min(week, weeks):02d}"

    return st.builds(label, years, st.integers(min_value=1, max_value=53))


def _biennium_labels() -> st.SearchStrategy[str]:
    return st.builds(lambda y: biennium_period(y).label, st.integers(2000, 2099))


valid_labels = st.one_of(
    st.builds(lambda y, m: f"{y}-{m:02d}", years, st.integers(1, 12)),
    st.builds(lambda y, q: f"{y}-Q{q}", years, st.integers(1, 4)),
    _week_labels(),
    st.builds(str, years),
    _biennium_labels(),
    st.builds(lambda n: f"last-{n}d", st.integers(1, 730)),
)


@given(label=valid_labels, today=dates)
def test_valid_labels_round_trip(label: str, today: date) -> None:
    period = parse_period(label, today=today)
    assert period.label == label
    assert period.start < period.end
    assert period.previous().end == period.start
    assert period.previous().kind == period.kind
    assert period.contains(period.start)
    assert not period.contains(period.end)
    assert looks_like_period(label)
    if period.kind != "days":
        assert parse_period(label, today=TODAY) == period
    if period.kind != "days" and not (period.kind == "biennium" and period.start.year % 2):
        assert period_containing(period.start, period.kind) == period


@given(label=valid_labels, n=st.integers(min_value=1, max_value=12))
def test_periods_back_are_contiguous(label: str, n: int) -> None:
    period = parse_period(label, today=TODAY)
    series = periods_back(period, n)
    assert len(series) == n
    assert series[-1] == period
    for earlier, later in itertools.pairwise(series):
        assert earlier.end == later.start
