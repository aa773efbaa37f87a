"""What one computation works on: the session, the period as a UTC window and as local
dates, the scope; and the small helpers that shape a figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bot.clock import local_midnight_utc
from bot.indicators.definitions import DetailValue, IndicatorValue, Scope
from bot.periods import Period
from storage.models import Community, Unit


@dataclass(frozen=True, slots=True)
class Query:
    """Everything one computation needs: the session, the UTC window and the scope."""

    session: Session
    start: datetime
    end: datetime
    first_day: date
    end_day: date
    scope: Scope
    active_threshold: int
    held_before: date  # events count as held (and attended) on their day, not before

    def at(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (an aware UTC timestamp) falls in the period."""
        return [column >= self.start, column < self.end]

    def on(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (a local date) falls in the period."""
        return [column >= self.first_day, column < self.end_day]

    def held(self, day: Any) -> list[ColumnElement[bool]]:
        """An event on ``day`` (a local date) took place in the period, as of today: before its
        day an attendance is only a registration and the event is not held yet."""
        return [day >= self.first_day, day < self.held_before]

    def within(self, community_id: Any) -> list[ColumnElement[bool]]:
        """The item whose community is ``community_id`` belongs to the scope."""
        return within(self.scope, community_id)


def within(scope: Scope, community_id: Any) -> list[ColumnElement[bool]]:
    """Conditions under which an item whose community is ``community_id`` is in ``scope``."""
    if scope.kind == "org":
        return []
    if scope.kind == "community":
        return [community_id == scope.id]
    if scope.kind == "unit":
        return [community_id.in_(select(Community.id).where(Community.unit_id == scope.id))]
    in_region = (
        select(Community.id)
        .join(Unit, Unit.id == Community.unit_id)
        .where(Unit.region == scope.label)
    )
    return [community_id.in_(in_region)]


def query_for(
    session: Session,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int,
    today: date | None = None,
) -> Query:
    """The computation's inputs for ``period`` in the time zone ``tz``; a community is active
    with at least ``active_threshold`` contributors. ``today`` (the local date now) keeps
    events after it out: they are not held yet."""
    if active_threshold < 1:
        raise ValueError("active_threshold must be at least 1")
    held_before = period.end if today is None else min(period.end, today + timedelta(days=1))
    return Query(
        session=session,
        start=local_midnight_utc(period.start, tz),
        end=local_midnight_utc(period.end, tz),
        first_day=period.start,
        end_day=period.end,
        scope=scope,
        active_threshold=active_threshold,
        held_before=held_before,
    )


def to_int(value: Any) -> int:
    return int(value or 0)


def to_float(value: Any) -> float | None:
    return None if value is None else float(value)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figure(key: str, value: float | None, **details: DetailValue) -> IndicatorValue:
    return IndicatorValue(key=key, value=value, details=details)


def tally(key: str, count: Any, **details: DetailValue) -> IndicatorValue:
    return IndicatorValue(key=key, value=float(to_int(count)), details=details)
