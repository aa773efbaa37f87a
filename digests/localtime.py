"""People's time: working hours, weekly slots and week labels in a local time zone.

Everything here is a pure function of an aware ``now``; daylight-saving changes are handled
by working in local dates and wall-clock times and converting with :mod:`zoneinfo`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import WEEKDAYS

log = logging.getLogger(__name__)


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """``name`` as a time zone; an unknown or empty name falls back (logged)."""
    for candidate in (name, fallback, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("unknown time zone %r; using %r", candidate, fallback)
    return ZoneInfo("UTC")


def day_number(day: str) -> int:
    """``mon`` → 0 … ``sun`` → 6."""
    key = day.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ValueError(f"unknown day {day!r}; days: {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(key)


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri``, ``sun-thu``, ``mon,wed,fri`` or ``mon-wed,fri`` as weekday numbers."""
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        start = day_number(first)
        stop = day_number(last) if last else start
        n = start
        while True:
            days.add(n)
            if n == stop:
                break
            n = (n + 1) % 7
    if not days:
        raise ValueError(f"no working days in {text!r}")
    return frozenset(days)


def parse_clock(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def week_label(day: date) -> str:
    """The ISO week holding ``day``: ``2026-W48``."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def at_local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``clock`` on ``day`` in ``tz``."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When nudges may reach someone: ``start <= local time < end`` on ``days``."""

    start: time
    end: time
    days: frozenset[int]

    @classmethod
    def parse(cls, hours: str, days: str) -> WorkingHours:
        first, _, last = hours.partition("-")
        start, end = parse_clock(first), parse_clock(last)
        if end <= start:
            raise ValueError(f"working hours {hours!r} must end after they start")
        return cls(start, end, parse_days(days))

    def contains(self, moment: datetime, tz: ZoneInfo) -> bool:
        local = moment.astimezone(tz)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_start(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """The first instant at or after ``moment`` inside working hours (UTC)."""
        day = moment.astimezone(tz).date()
        for offset in range(8):
            current = day + timedelta(days=offset)
            if current.weekday() not in self.days:
                continue
            opens, closes = at_local(current, self.start, tz), at_local(current, self.end, tz)
            if moment < closes:
                return max(moment, opens)
        return moment  # unreachable: some weekday is always a working day


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """A weekly wall-clock appointment, e.g. Monday 09:00 in Europe/Zurich."""

    day: int
    at: time
    tz: ZoneInfo

    @classmethod
    def of(cls, day: str, at: str, tz: str, fallback_tz: str = "UTC") -> WeeklySlot:
        return cls(day_number(day), parse_clock(at), zone(tz, fallback_tz))

    def week(self, now: datetime) -> str:
        """The local ISO week ``now`` falls in: the key of this week's appointment."""
        return week_label(now.astimezone(self.tz).date())

    def this_week(self, now: datetime) -> tuple[date, datetime]:
        """This local week's appointment: its local date and its UTC instant."""
        local = now.astimezone(self.tz).date()
        iso = local.isocalendar()
        day = date.fromisocalendar(iso.year, iso.week, self.day + 1)
        return day, at_local(day, self.at, self.tz)

    def due(self, now: datetime) -> bool:
        """This week's appointment has come."""
        return now >= self.this_week(now)[1]


def own_hours(hours: str | None, days: str | None, *, default: WorkingHours) -> WorkingHours:
    """A person's own working hours and days (``settings``), each falling back to ``default``."""
    if not hours and not days:
        return default
    try:
        mine = WorkingHours.parse(hours, "mon") if hours else default
        return WorkingHours(mine.start, mine.end, parse_days(days) if days else default.days)
    except ValueError:
        return default  # stored values are checked when set; never let one stop a job
