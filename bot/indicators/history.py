"""Indicator values over time: snapshots of closed periods, recomputation otherwise.

The nightly tally (``digests``) calls :func:`record_snapshots`. A snapshot is *final* when it
was taken after its period ended (at or after local midnight of the period's end): only final
snapshots stand in for a computation, so a tally taken on the last afternoon of a quarter
never hides that evening's activity. Rolling ``last-30d`` windows are never snapshotted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.clock import local_midnight_utc
from bot.indicators.compute import compute, compute_all
from bot.indicators.definitions import DEFINITIONS, IndicatorValue, Scope
from bot.indicators.targets import scope_key
from bot.periods import Period
from bot.services.upserts import upsert
from storage.models import IndicatorSnapshot


def snapshottable(period: Period) -> bool:
    return period.kind != "days"


def final_snapshots(
    session: Session,
    *,
    periods: Sequence[Period],
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int,
) -> dict[str, dict[str, IndicatorValue]]:
    """Final snapshots of ``scope`` for ``periods``: period label → indicator key → value.

    A snapshot of ``active_communities`` taken with another activity threshold is left out.
    """
    wanted = {p.label: p for p in periods if snapshottable(p)}
    if not wanted:
        return {}
    kind, scope_id = scope_key(scope)
    rows = session.connection().execute(
        _SNAPSHOTS, {"scope_kind": kind, "scope_id": scope_id, "periods": sorted(wanted)}
    )
    found: dict[str, dict[str, IndicatorValue]] = {}
    for row in rows:
        period = wanted[row.period]
        if row.indicator not in DEFINITIONS:
            continue
        if row.computed_at < local_midnight_utc(period.end, tz):
            continue
        details = dict(row.details or {})
        if row.indicator == "active_communities" and details.get("threshold") != active_threshold:
            continue
        found.setdefault(row.period, {})[row.indicator] = IndicatorValue(
            row.indicator, row.value, details
        )
    return found


# Read-only figures: columns on the session's connection, not mapped objects (the ORM's
# per-statement work cost more than the query); built once.
_SNAPSHOTS = select(
    IndicatorSnapshot.period,
    IndicatorSnapshot.indicator,
    IndicatorSnapshot.value,
    IndicatorSnapshot.details,
    IndicatorSnapshot.computed_at,
).where(
    IndicatorSnapshot.scope_kind == bindparam("scope_kind"),
    IndicatorSnapshot.scope_id == bindparam("scope_id"),
    IndicatorSnapshot.period.in_(bindparam("periods", expanding=True)),
)


def values_for(
    session: Session,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int,
    today: date,
) -> list[IndicatorValue]:
    """Every indicator for ``period``: from final snapshots when the period is over and all of
    them are there, computed otherwise."""
    if period.end <= today:
        snap = final_snapshots(
            session, periods=[period], scope=scope, tz=tz, active_threshold=active_threshold
        ).get(period.label, {})
        if len(snap) == len(DEFINITIONS):
            return [snap[key] for key in DEFINITIONS]
    return compute_all(
        session, period=period, scope=scope, tz=tz, active_threshold=active_threshold, today=today
    )


def series(
    session: Session,
    key: str,
    *,
    periods: Sequence[Period],
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int,
    today: date,
) -> list[IndicatorValue]:
    """One indicator for each of ``periods`` (same order): final snapshots for periods that
    are over, computation for the rest."""
    closed = [p for p in periods if p.end <= today]
    snaps = final_snapshots(
        session, periods=closed, scope=scope, tz=tz, active_threshold=active_threshold
    )
    out = []
    for period in periods:
        snap = snaps.get(period.label, {}).get(key)
        if snap is None:
            snap = compute(
                session,
                key,
                period=period,
                scope=scope,
                tz=tz,
                active_threshold=active_threshold,
                today=today,
            )
        out.append(snap)
    return out


def record_snapshots(
    session: Session,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int,
    now: datetime,
) -> list[IndicatorValue]:
    """Compute every indicator of ``scope`` for ``period`` and store (or refresh) the snapshots.

    For the nightly tally: run it for the current period, and once more for a period that has
    just ended so that its snapshot is final. The caller commits. Rolling windows are refused.
    """
    if not snapshottable(period):
        raise ValueError("rolling periods are not snapshotted")
    values = compute_all(
        session,
        period=period,
        scope=scope,
        tz=tz,
        active_threshold=active_threshold,
        today=now.astimezone(tz).date(),
    )
    kind, scope_id = scope_key(scope)
    for v in values:
        upsert(
            session,
            IndicatorSnapshot,
            {
                "indicator": v.key,
                "period": period.label,
                "scope_kind": kind,
                "scope_id": scope_id,
                "value": v.value,
                "details": dict(v.details),
                "computed_at": now,
            },
            unique=("indicator", "period", "scope_kind", "scope_id"),
            update=("value", "details", "computed_at"),
        )
    return values


def is_final(session: Session, *, period: Period, scope: Scope, tz: ZoneInfo) -> bool:
    """Whether ``scope`` has a snapshot of ``period`` taken after the period ended."""
    kind, scope_id = scope_key(scope)
    return (
        session.scalar(
            select(IndicatorSnapshot.id)
            .where(
                IndicatorSnapshot.scope_kind == kind,
                IndicatorSnapshot.scope_id == scope_id,
                IndicatorSnapshot.period == period.label,
                IndicatorSnapshot.computed_at >= local_midnight_utc(period.end, tz),
            )
            .limit(1)
        )
        is not None
    )
