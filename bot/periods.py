"""Reporting periods: months, quarters, ISO weeks, years, bienniums and rolling day windows.

A period is a half-open range of dates, ``start <= d < end``. Its ``label`` is the
canonical text for it (``2026-11``, ``2026-Q4``, ``2026-W47``, ``2026``, ``2026-27``,
``last-30d``); labels of calendar periods are unique across kinds, so they can be
used as keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.errors import InvalidPeriod
from bot.i18n import _
from bot.text import cut

PeriodKind = Literal["month", "quarter", "week", "year", "biennium", "days"]

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_DAYS = 730
FORMS = "2026-11, 2026-Q4, 2026-W47, 2026, 2026-27, last-30d"

_FLAGS = re.IGNORECASE | re.ASCII
_YEAR = re.compile(r"(\d{4})", _FLAGS)
_QUARTER = re.compile(r"(\d{4})-q(\d{1,2})", _FLAGS)
_WEEK = re.compile(r"(\d{4})-w(\d{1,2})", _FLAGS)
_MONTH_OR_BIENNIUM = re.compile(r"(\d{4})-(\d{1,2})", _FLAGS)
_LONG_BIENNIUM = re.compile(r"(\d{4})-(\d{4})", _FLAGS)
_LAST_DAYS = re.compile(r"last-(\d{1,6})d", _FLAGS)
_LOOKS = re.compile(r"\d{4}(?:-(?:\d{1,4}|q\d{1,2}|w\d{1,2}))?|last-\d{1,6}d|this-quarter", _FLAGS)


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # exclusive
    kind: PeriodKind

    def __str__(self) -> str:
        return self.label

    def contains(self, d: date) -> bool:
        return self.start <= d < self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one (same length for ``days``)."""
        start = self.start
        if self.kind == "month":
            if start.month == 1:
                return month_period(start.year - 1, 12)
            return month_period(start.year, start.month - 1)
        if self.kind == "quarter":
            quarter = (start.month - 1) // 3 + 1
            if quarter == 1:
                return quarter_period(start.year - 1, 4)
            return quarter_period(start.year, quarter - 1)
        if self.kind == "week":
            return period_containing(start - timedelta(days=7), "week")
        if self.kind == "year":
            return year_period(start.year - 1)
        if self.kind == "biennium":
            return biennium_period(start.year - 2)
        length = self.end - start
        return _days_between(start - length, start)


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(f"{year}-{month:02d}", start, end, "month")


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(f"{year}-Q{quarter}", start, end, "quarter")


def week_period(iso_year: int, week: int) -> Period:
    start = date.fromisocalendar(iso_year, week, 1)
    return Period(f"{iso_year}-W{week:02d}", start, start + timedelta(days=7), "week")


def year_period(year: int) -> Period:
    return Period(f"{year}", date(year, 1, 1), date(year + 1, 1, 1), "year")


def biennium_period(first_year: int) -> Period:
    """Two calendar years: ``2026-27``, or ``2010-2011`` where the short label is a month's."""
    second = (first_year + 1) % 100
    label = f"{first_year}-{first_year + 1}" if 1 <= second <= 12 else f"{first_year}-{second:02d}"
    return Period(label, date(first_year, 1, 1), date(first_year + 2, 1, 1), "biennium")


def last_days(n: int, *, today: date) -> Period:
    """The ``n`` days ending with ``today`` (inclusive)."""
    end = today + timedelta(days=1)
    return Period(f"last-{n}d", end - timedelta(days=n), end, "days")


def period_containing(d: date, kind: PeriodKind) -> Period:
    """The calendar period of ``kind`` holding ``d``; bienniums start on even years."""
    if kind == "month":
        return month_period(d.year, d.month)
    if kind == "quarter":
        return quarter_period(d.year, (d.month - 1) // 3 + 1)
    if kind == "week":
        iso = d.isocalendar()
        return week_period(iso.year, iso.week)
    if kind == "year":
        return year_period(d.year)
    if kind == "biennium":
        return biennium_period(d.year - d.year % 2)
    raise ValueError("a days period needs a length; use last_days()")


def _days_between(start: date, end: date) -> Period:
    label = f"{start.isoformat()}..{(end - timedelta(days=1)).isoformat()}"
    return Period(label, start, end, "days")


def looks_like_period(token: str) -> bool:
    """True when ``token`` has the shape of a period, valid or not (``2026-13`` does)."""
    return _LOOKS.fullmatch(token.strip()) is not None


def parse_period(text: str | None, *, today: date) -> Period:
    """Parse a period; ``None``, empty text or ``this-quarter`` is the quarter holding ``today``."""
    if text is None or not text.strip() or text.strip().lower() == "this-quarter":
        return period_containing(today, "quarter")
    raw = text.strip()
    try:
        period = _parse(raw, today)
    except (ValueError, OverflowError):
        period = None
    if period is None:
        raise _unknown(raw)
    return period


def _parse(raw: str, today: date) -> Period | None:
    if m := _LAST_DAYS.fullmatch(raw):
        n = int(m[1])
        if not 1 <= n <= MAX_DAYS:
            raise _unknown(raw, f"Rolling periods run from last-1d to last-{MAX_DAYS}d.")
        return last_days(n, today=today)
    if m := _YEAR.fullmatch(raw):
        return year_period(_year(raw, m[1]))
    if m := _QUARTER.fullmatch(raw):
        year, quarter = _year(raw, m[1]), int(m[2])
        return quarter_period(year, quarter) if 1 <= quarter <= 4 else None
    if m := _WEEK.fullmatch(raw):
        year, week = _year(raw, m[1]), int(m[2])
        if week == 53 and date(year, 12, 28).isocalendar().week != 53:
            raise _unknown(raw, f"{year} has no week 53.")
        return week_period(year, week) if 1 <= week <= 53 else None
    if m := _MONTH_OR_BIENNIUM.fullmatch(raw):
        year, part = _year(raw, m[1]), int(m[2])
        if 1 <= part <= 12:
            return month_period(year, part)
        if len(m[2]) == 2 and part == (year + 1) % 100:
            return biennium_period(_year(raw, str(year + 1)) - 1)
        return None
    if m := _LONG_BIENNIUM.fullmatch(raw):
        year, second = _year(raw, m[1]), int(m[2])
        if second == year + 1:
            return biennium_period(_year(raw, m[2]) - 1)
    return None


def _year(raw: str, digits: str) -> int:
    year = int(digits)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _unknown(raw, f"Years run from {MIN_YEAR} to {MAX_YEAR}.")
    return year


def _unknown(raw: str, reason: str | None = None) -> InvalidPeriod:
    shown = " ".join(raw.split())
    shown = cut(shown, 40, "…")
    detail = f" {reason}" if reason else ""
    return InvalidPeriod(
        _('Unknown period "{shown}".{detail} Periods: {FORMS}.').format(
            shown=shown, detail=detail, FORMS=FORMS
        )
    )


def periods_back(period: Period, n: int) -> list[Period]:
    """The ``n`` periods ending with ``period``, oldest first."""
    if n <= 0:
        return []
    periods = [period]
    while len(periods) < n:
        periods.append(periods[-1].previous())
    periods.reverse()
    return periods
