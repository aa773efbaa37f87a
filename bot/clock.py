"""Time helpers. Services take ``now`` as a parameter; only entry points read the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Weekdays as settings and commands name them (``digest_day=mon``), Monday first as
# ``date.weekday()`` counts.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which ``day`` starts in ``tz``."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(hours=1)
