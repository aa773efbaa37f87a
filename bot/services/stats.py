"""Indicators for a scope and period: the table (with the previous period and the targets), the
trend chart's figures and the export's rows.

Who may see which scope is decided in :mod:`bot.services.stats_scopes`; targets are set in
:mod:`bot.services.stats_targets`. Indicators are always counted in the organisation's time
zone (``COPBOT_TIMEZONE``), whoever asks, so everyone sees the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import local_date
from bot.i18n import formats
from bot.indicators import IndicatorValue, Scope, definition
from bot.indicators.chart import ChartPoint
from bot.indicators.definitions import Definition
from bot.indicators.export import ExportRow, collect
from bot.indicators.history import series, values_for
from bot.indicators.targets import Status, attainment, elapsed, status, targets_for
from bot.periods import Period, parse_period, periods_back
from bot.reads.views import person_label
from bot.services.access import load_caller
from bot.services.context import Context
from bot.services.stats_scopes import resolve_scope, visible_scopes
from storage.uow import UnitOfWork

CHART_PERIODS = 8


@dataclass(frozen=True, slots=True)
class TargetView:
    baseline: float | None
    target: float
    owner: str | None


@dataclass(frozen=True, slots=True)
class StatsRow:
    key: str
    current: IndicatorValue
    previous: IndicatorValue
    target: TargetView | None
    attainment: float | None = None  # share of the target reached (1.0: reached)
    status: Status | None = None


@dataclass(frozen=True, slots=True)
class StatsResult:
    scope: Scope
    period: Period
    rows: tuple[StatsRow, ...]
    elapsed: float = 1.0  # share of the period's days begun


@dataclass(frozen=True, slots=True)
class ChartResult:
    scope: Scope
    period: Period
    definition: Definition
    points: tuple[ChartPoint, ...]


@dataclass(frozen=True, slots=True)
class ExportResult:
    period: Period
    tz: ZoneInfo
    scopes: int
    rows: tuple[ExportRow, ...]


def org_tz(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.settings.copbot_timezone)


def org_period(ctx: Context, text: str | None) -> tuple[Period, ZoneInfo]:
    """The period asked for (the current quarter by default) and the organisation's time zone."""
    tz = org_tz(ctx)
    return parse_period(text, today=local_date(ctx.now, tz)), tz


def table(
    uow: UnitOfWork, ctx: Context, *, scope: str | None = None, period: str | None = None
) -> StatsResult:
    """Every indicator for the scope and period, beside the previous period and the target."""
    chosen, tz = org_period(ctx, period)
    today = local_date(ctx.now, tz)
    share = elapsed(chosen, today)
    threshold = ctx.settings.copbot_active_threshold
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        where = resolve_scope(session, caller, scope)
        now_values = values_for(
            session, period=chosen, scope=where, tz=tz, active_threshold=threshold, today=today
        )
        before = {
            v.key: v
            for v in values_for(
                session,
                period=chosen.previous(),
                scope=where,
                tz=tz,
                active_threshold=threshold,
                today=today,
            )
        }
        targets = targets_for(session, scope=where, periods=[chosen.label])
        rows = []
        for v in now_values:
            found = targets.get((v.key, chosen.label))
            view, reached, state = None, None, None
            if found is not None:
                # session.get behind person_label reads each owner once (identity map)
                owner = person_label(session, found.owner_id) if found.owner_id else None
                view = TargetView(found.baseline, found.target, owner)
                d = definition(v.key)
                reached = attainment(d, v.value, found.target)
                state = status(d, v.value, found.target, share_elapsed=share)
            rows.append(StatsRow(v.key, v, before[v.key], view, reached, state))
        uow.commit()
        return StatsResult(where, chosen, tuple(rows), share)


def chart(
    uow: UnitOfWork,
    ctx: Context,
    *,
    indicator: str,
    scope: str | None = None,
    period: str | None = None,
) -> ChartResult:
    """The figures of one indicator's trend: the last 8 periods of the kind asked for, ending
    with it, and the targets set for them."""
    d = definition(indicator)
    chosen, tz = org_period(ctx, period)
    today = local_date(ctx.now, tz)
    periods = periods_back(chosen, CHART_PERIODS)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        where = resolve_scope(session, caller, scope)
        values = series(
            session,
            d.key,
            periods=periods,
            scope=where,
            tz=tz,
            active_threshold=ctx.settings.copbot_active_threshold,
            today=today,
        )
        targets = targets_for(session, scope=where, periods=[p.label for p in periods])
        uow.commit()
    points = []
    for p, v in zip(periods, values, strict=True):
        found = targets.get((d.key, p.label))
        points.append(
            ChartPoint(
                label=chart_label(p),
                value=v.value,
                target=found.target if found else None,
                partial=p.start <= today < p.end,
            )
        )
    return ChartResult(where, chosen, d, tuple(points))


def chart_label(period: Period) -> str:
    if period.kind != "days":
        return period.label
    return formats.short_day(period.end - timedelta(days=1))


def export(uow: UnitOfWork, ctx: Context, *, period: str | None = None) -> ExportResult:
    """Every indicator for every scope the caller may see, for one period."""
    chosen, tz = org_period(ctx, period)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        scopes = visible_scopes(session, caller)
        rows = collect(
            session,
            period=chosen,
            scopes=scopes,
            tz=tz,
            active_threshold=ctx.settings.copbot_active_threshold,
            today=local_date(ctx.now, tz),
        )
        uow.commit()
    return ExportResult(chosen, tz, len(scopes), tuple(rows))
