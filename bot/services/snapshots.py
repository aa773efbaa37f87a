"""Nightly indicator snapshots: every indicator for the current period and every scope.

Stored in ``indicator_snapshots`` (one row per indicator, period and scope, updated in
place), so trends and targets can be shown without recomputing history.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.indicators import Scope, compute_all
from bot.periods import Period, period_containing
from bot.services.upserts import upsert
from bot.settings import Settings
from storage.models import Community, IndicatorSnapshot, Unit
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
    """Compute and store every indicator of the current quarter for each scope.

    One transaction per scope keeps each commit small; returns the rows written.
    """
    period = current_period(now, settings)
    tz = ZoneInfo(settings.copbot_timezone)
    written = 0
    for scope in scopes if scopes is not None else scopes_in(uow):
        with uow:
            session = uow.session
            values = compute_all(
                session,
                period=period,
                scope=scope,
                tz=tz,
                active_threshold=settings.copbot_active_threshold,
            )
            for value in values:
                upsert(
                    session,
                    IndicatorSnapshot,
                    {
                        "indicator": value.key,
                        "period": period.label,
                        "scope_kind": scope.kind,
                        "scope_id": scope.id,
                        "value": value.value,
                        "details": dict(value.details),
                        "computed_at": now,
                    },
                    unique=("indicator", "period", "scope_kind", "scope_id"),
                    update=("value", "details", "computed_at"),
                )
                written += 1
            uow.commit()
    return written
