"""Targets of the monitoring framework: how far an indicator is from its target, and which
indicators of a scope are behind.

A target belongs to one indicator, one period (its canonical label) and one scope, with a
baseline and an owner (``storage.models.IndicatorTarget``). Regions have no table of their own:
their targets and snapshots are keyed by a stable number derived from the region's name
(:func:`scope_key`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.indicators.compute import compute_all
from bot.indicators.definitions import Definition, Scope, definition
from bot.periods import Period
from storage.models import IndicatorTarget

Status = Literal["reached", "on track", "behind"]
MAX_ATTAINMENT = 9.99


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    period: str
    target: float
    baseline: float | None
    owner_id: int | None


class Behind(NamedTuple):
    """An indicator behind its target: unpacks as ``(key, value, target)``."""

    key: str
    value: float
    target: float


def scope_key(scope: Scope) -> tuple[str, int]:
    """``(scope_kind, scope_id)`` as stored with targets and snapshots.

    A region's id is a CRC-32 of its name (31 bits, so it fits an INTEGER column): stable
    across processes and databases, and different for the handful of regions there are.
    """
    if scope.kind == "region":
        return "region", zlib.crc32(scope.label.encode("utf-8")) & 0x7FFFFFFF
    return scope.kind, scope.id


def targets_for(
    session: Session, *, scope: Scope, periods: Iterable[str]
) -> dict[tuple[str, str], Target]:
    """The targets of ``scope`` for the period labels given, by ``(indicator, period)``."""
    labels = sorted(set(periods))
    if not labels:
        return {}
    kind, scope_id = scope_key(scope)
    rows = session.connection().execute(
        _TARGETS, {"scope_kind": kind, "scope_id": scope_id, "periods": labels}
    )
    return {
        (key, period): Target(key, period, target, baseline, owner_id)
        for key, period, target, baseline, owner_id in rows
    }


# Read-only figures: columns on the session's connection, not mapped objects (the ORM's
# per-statement work cost more than the query); built once.
_TARGETS = select(
    IndicatorTarget.indicator,
    IndicatorTarget.period,
    IndicatorTarget.target,
    IndicatorTarget.baseline,
    IndicatorTarget.owner_id,
).where(
    IndicatorTarget.scope_kind == bindparam("scope_kind"),
    IndicatorTarget.scope_id == bindparam("scope_id"),
    IndicatorTarget.period.in_(bindparam("periods", expanding=True)),
)


def elapsed(period: Period, today: date | None) -> float:
    """The share of the period's days that have begun by ``today`` (1.0 once it is over)."""
    if today is None or today >= period.end:
        return 1.0
    if today < period.start:
        return 0.0
    return ((today - period.start).days + 1) / (period.end - period.start).days


def attainment(d: Definition, value: float | None, target: float) -> float | None:
    """How much of the target is reached: ``value / target``, or ``target / value`` when lower
    is better; 1.0 means reached. Capped at 9.99 (a target of 0 is reached at once)."""
    if value is None:
        return None
    if d.lower_is_better:
        ratio = 1.0 if value <= target else target / value
    else:
        ratio = value / target if target else 1.0
    return min(max(ratio, 0.0), MAX_ATTAINMENT)


def status(
    d: Definition, value: float | None, target: float, *, share_elapsed: float
) -> Status | None:
    """Reached, on track (a cumulative indicator at or above the pro-rated target while the
    period runs) or behind; None when the value is undefined."""
    if value is None:
        return None
    if (value <= target) if d.lower_is_better else (value >= target):
        return "reached"
    if d.cumulative and share_elapsed < 1.0 and value >= target * share_elapsed:
        return "on track"
    return "behind"


def behind_target(
    session: Session,
    *,
    scope: Scope,
    period: Period,
    tz: ZoneInfo,
    active_threshold: int,
    today: date | None = None,
) -> list[Behind]:
    """The indicators of ``scope`` whose value for ``period`` is behind their target.

    Without ``today`` every target is judged as final. With ``today`` (the local date) a period
    still running judges cumulative indicators (counts of things done in the period) against
    the target pro-rated to the share of the period elapsed. Undefined values (an average of
    nothing) are not listed. In the order of ``DEFINITIONS``.
    """
    targets = targets_for(session, scope=scope, periods=[period.label])
    if not targets:
        return []
    share = elapsed(period, today)
    values = compute_all(
        session, period=period, scope=scope, tz=tz, active_threshold=active_threshold
    )
    behind = []
    for v in values:
        target = targets.get((v.key, period.label))
        if target is None or v.value is None:
            continue
        if status(definition(v.key), v.value, target.target, share_elapsed=share) == "behind":
            behind.append(Behind(v.key, v.value, target.target))
    return behind
