"""What one computation works on: the session, the period as a UTC window and as local
dates, the scope; and the small helpers that shape a figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Date,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    select,
)
from sqlalchemy.orm import Session

from bot.clock import local_midnight_utc
from bot.indicators.definitions import DetailValue, IndicatorValue, Scope, ScopeKind
from bot.indicators.prepared import prepared
from bot.periods import Period
from storage.models import Community, Unit, UTCDateTime

Statement = Select[*tuple[Any, ...]]

# The values of one computation, as parameters: every indicator statement is built once per
# kind of scope (:class:`Shape`) and run with a computation's values (:attr:`Query.params`),
# so that computing the indicators costs their SQL, not the building of it.
START = bindparam("start", type_=UTCDateTime())
END = bindparam("end", type_=UTCDateTime())
FIRST_DAY = bindparam("first_day", type_=Date())
END_DAY = bindparam("end_day", type_=Date())
HELD_BEFORE = bindparam("held_before", type_=Date())
SCOPE_ID = bindparam("scope_id", type_=Integer())
SCOPE_LABEL = bindparam("scope_label", type_=String())
THRESHOLD = bindparam("threshold", type_=Integer())
PARAMETERS = frozenset(
    p.key for p in (START, END, FIRST_DAY, END_DAY, HELD_BEFORE, SCOPE_ID, SCOPE_LABEL, THRESHOLD)
)


@dataclass(frozen=True, slots=True)
class Shape:
    """What an indicator statement depends on besides its parameters: the kind of scope."""

    kind: ScopeKind

    def at(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (an aware UTC timestamp) falls in the period."""
        return [column >= START, column < END]

    def on(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (a local date) falls in the period."""
        return [column >= FIRST_DAY, column < END_DAY]

    def held(self, day: Any) -> list[ColumnElement[bool]]:
        """An event on ``day`` (a local date) took place in the period, as of today: before its
        day an attendance is only a registration and the event is not held yet."""
        return [day >= FIRST_DAY, day < HELD_BEFORE]

    def within(self, community_id: Any) -> list[ColumnElement[bool]]:
        """The item whose community is ``community_id`` belongs to the scope."""
        return _within(self.kind, community_id, SCOPE_ID, SCOPE_LABEL)


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

    @property
    def shape(self) -> Shape:
        return Shape(self.scope.kind)

    @property
    def params(self) -> dict[str, Any]:
        """The values of the statements' parameters for this computation."""
        return {
            "start": self.start,
            "end": self.end,
            "first_day": self.first_day,
            "end_day": self.end_day,
            "held_before": self.held_before,
            "scope_id": self.scope.id,
            "scope_label": self.scope.label,
            "threshold": self.active_threshold,
        }

    # The statements select columns and aggregates, never mapped objects: they run on the
    # session's connection, without the ORM's per-statement work, which for a small scope
    # cost as much as the SQL itself; and each is compiled once per dialect
    # (bot.indicators.prepared) and sent as text.

    def _run(self, statement: Statement) -> CursorResult[Any]:
        conn = self.session.connection()
        ready = prepared(statement, conn.dialect, PARAMETERS)
        if ready is None:
            return conn.execute(statement, self.params)
        return ready.execute(conn, self.params)

    def one(self, statement: Statement) -> Row[*tuple[Any, ...]]:
        return self._run(statement).one()

    def all(self, statement: Statement) -> Sequence[Row[*tuple[Any, ...]]]:
        return self._run(statement).all()

    def scalar(self, statement: Statement) -> Any:
        return self._run(statement).scalar()

    def scalars(self, statement: Statement) -> Sequence[Any]:
        return self._run(statement).scalars().all()


def within(scope: Scope, community_id: Any) -> list[ColumnElement[bool]]:
    """Conditions under which an item whose community is ``community_id`` is in ``scope``."""
    return _within(scope.kind, community_id, scope.id, scope.label)


def _within(
    kind: ScopeKind, community_id: Any, scope_id: Any, label: Any
) -> list[ColumnElement[bool]]:
    if kind == "org":
        return []
    if kind == "community":
        return [community_id == scope_id]
    if kind == "unit":
        return [community_id.in_(select(Community.id).where(Community.unit_id == scope_id))]
    in_region = (
        select(Community.id).join(Unit, Unit.id == Community.unit_id).where(Unit.region == label)
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
