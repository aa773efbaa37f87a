"""Nightly indicator snapshots: every indicator for the current period and every scope.

Stored in ``indicator_snapshots`` (one row per indicator, period and scope, updated in
place), so trends and targets can be shown without recomputing history.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.indicators import Scope
from bot.indicators.history import is_final, record_snapshots
from bot.periods import Period, period_containing
from bot.settings import Settings
from storage.models import Community, Unit
from storage.uow import UnitOfWork


def scopes_in(uow: UnitOfWork) -> list[Scope]:
    """The organisation, each community that is not archived, each unit."""
    with uow:
        session = uow.session
        communities = session.execute(
            select(Community.id, Community.name)
            .where(Community.archived_at.is_(None))
            .order_by(Community.id)
        ).all()
        units = session.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all()
    return [
        Scope.org(),
        *(Scope.community(cid, name) for cid, name in communities),
        *(Scope.unit(uid, name) for uid, name in units),
    ]


def current_period(now: datetime, settings: Settings) -> Period:
    return period_containing(now.astimezone(ZoneInfo(settings.copbot_timezone)).date(), "quarter")


def snapshot(
    uow: UnitOfWork, *, now: datetime, settings: Settings, scopes: list[Scope] | None = None
) -> int:
    """Store every indicator of the current quarter for each scope, and of the quarter that
    just ended while it has no final snapshot yet (one taken after it ended).

    One transaction per scope keeps each commit small; returns the rows written.
    """
    period = current_period(now, settings)
    previous = period.previous()
    tz = ZoneInfo(settings.copbot_timezone)
    threshold = settings.copbot_active_threshold
    written = 0
    for scope in scopes if scopes is not None else scopes_in(uow):
        with uow:
            session = uow.session
            todo = [period]
            if not is_final(session, period=previous, scope=scope, tz=tz):
                todo.append(previous)
            for chosen in todo:
                values = record_snapshots(
                    session,
                    period=chosen,
                    scope=scope,
                    tz=tz,
                    active_threshold=threshold,
                    now=now,
                )
                written += len(values)
            uow.commit()
    return written
