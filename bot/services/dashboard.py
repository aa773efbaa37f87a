"""What the dashboard pages show, read through the same services and permission rules as chat:
``stats.table`` for the indicators, ``stats_scopes.resolve_scope`` for who may see a scope,
``stats_scopes.visible_scopes`` for the scopes offered, the indicator snapshots and
computation for the trends, and the read models of the pipeline and the communities."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.clock import local_date
from bot.indicators import DEFINITIONS, IndicatorValue, Scope, compute_all
from bot.indicators.chart import ChartPoint
from bot.indicators.history import final_snapshots
from bot.indicators.targets import targets_for
from bot.periods import Period, parse_period, periods_back
from bot.reads.community_activity import CommunityRow, activity
from bot.reads.pipeline import PipelineView, pipeline
from bot.services import stats, stats_scopes
from bot.services.access import load_caller
from bot.services.context import Context
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ScopeChoice:
    value: str  # as ``stats`` takes it: all, community:<name>, unit:<name>, region:<name>
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class IndicatorsPage:
    table: stats.StatsResult
    trends: dict[str, tuple[ChartPoint, ...]]
    computed_at: datetime


CacheKey = tuple[str, Scope, str]  # page, scope, period label
T = TypeVar("T")


@dataclass(slots=True)
class FiguresCache:
    """What a page computed for a scope and period, kept for ``ttl`` so that a page reloaded,
    or opened by several people at once, is computed once. Who may see a scope is decided on
    every request, before the cache is asked."""

    ttl: timedelta = timedelta(seconds=60)
    _entries: dict[CacheKey, tuple[datetime, object]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: CacheKey, now: datetime, kind: type[T]) -> T | None:
        with self._lock:
            found = self._entries.get(key)
        if found is None or not found[0] <= now < found[0] + self.ttl:
            return None
        return found[1] if isinstance(found[1], kind) else None

    def put(self, key: CacheKey, now: datetime, value: object) -> None:
        if self.ttl <= timedelta(0):
            return
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items() if now < v[0] + self.ttl}
            self._entries[key] = (now, value)


def _cached(
    cache: FiguresCache | None, key: CacheKey, ctx: Context, kind: type[T], build: Callable[[], T]
) -> T:
    found = cache.get(key, ctx.now, kind) if cache is not None else None
    if found is None:
        found = build()
        if cache is not None:
            cache.put(key, ctx.now, found)
    return found


def _allowed(uow: UnitOfWork, ctx: Context, scope: str) -> Scope:
    """The scope asked for, if the person may see it (``NotAllowed`` else)."""
    with uow:
        session = uow.session
        where = stats_scopes.resolve_scope(session, load_caller(session, ctx), scope)
        uow.commit()
    return where


def scope_value(scope: Scope) -> str:
    return "all" if scope.kind == "org" else f"{scope.kind}:{scope.label}"


def scopes(uow: UnitOfWork, ctx: Context) -> list[ScopeChoice]:
    """The scopes the person may look at, their widest first; ``NotAllowed`` for members."""
    with uow:
        session = uow.session
        found = stats_scopes.visible_scopes(session, load_caller(session, ctx))
        uow.commit()
    return [ScopeChoice(scope_value(s), s.kind, s.label or s.kind) for s in found]


def _period(ctx: Context, text: str | None) -> tuple[Period, ZoneInfo]:
    tz = stats.org_tz(ctx)
    return parse_period(text, today=local_date(ctx.now, tz)), tz


def indicators(
    uow: UnitOfWork,
    ctx: Context,
    *,
    scope: str,
    period: str | None,
    cache: FiguresCache | None = None,
) -> IndicatorsPage:
    """The ``stats`` table and every indicator's trend over the last 8 periods, as
    ``stats chart`` draws them: final snapshots for the periods that are over, computed
    otherwise (the two periods of the table are not computed twice). From ``cache`` when the
    same scope and period were computed less than its ``ttl`` ago."""
    key = ("indicators", _allowed(uow, ctx, scope), _period(ctx, period)[0].label)
    return _cached(
        cache, key, ctx, IndicatorsPage, lambda: _indicators(uow, ctx, scope=scope, period=period)
    )


def _indicators(uow: UnitOfWork, ctx: Context, *, scope: str, period: str | None) -> IndicatorsPage:
    table = stats.table(uow, ctx, scope=scope, period=period)
    chosen = table.period
    tz = stats.org_tz(ctx)
    today = local_date(ctx.now, tz)
    threshold = ctx.settings.copbot_active_threshold
    periods = periods_back(chosen, stats.CHART_PERIODS)
    known = {
        chosen.label: {row.key: row.current for row in table.rows},
        chosen.previous().label: {row.key: row.previous for row in table.rows},
    }
    with uow:
        session = uow.session
        where = stats_scopes.resolve_scope(session, load_caller(session, ctx), scope)
        closed = [p for p in periods if p.end <= today and p.label not in known]
        snaps = final_snapshots(
            session, periods=closed, scope=where, tz=tz, active_threshold=threshold
        )
        values: dict[str, dict[str, IndicatorValue]] = {}
        for p in periods:
            if p.label in known:
                values[p.label] = known[p.label]
                continue
            found = snaps.get(p.label, {})
            if len(found) < len(DEFINITIONS):
                computed = compute_all(
                    session, period=p, scope=where, tz=tz, active_threshold=threshold
                )
                found = {v.key: v for v in computed} | found
            values[p.label] = found
        targets = targets_for(session, scope=where, periods=[p.label for p in periods])
        uow.commit()
    trends = {
        key: tuple(
            ChartPoint(
                label=stats.chart_label(p),
                value=values[p.label][key].value,
                target=t.target if (t := targets.get((key, p.label))) else None,
                partial=p.start <= today < p.end,
            )
            for p in periods
        )
        for key in DEFINITIONS
    }
    return IndicatorsPage(table, trends, computed_at=ctx.now)


def idea_pipeline(
    uow: UnitOfWork, ctx: Context, *, scope: str, cache: FiguresCache | None = None
) -> tuple[Scope, PipelineView]:
    where = _allowed(uow, ctx, scope)

    def build() -> PipelineView:
        with uow:
            return pipeline(uow.session, scope=where, now=ctx.now)

    return where, _cached(cache, ("pipeline", where, ""), ctx, PipelineView, build)


@dataclass(frozen=True, slots=True)
class CommunitiesPage:
    scope: Scope
    period: Period
    rows: tuple[CommunityRow, ...]


def communities(
    uow: UnitOfWork,
    ctx: Context,
    *,
    scope: str,
    period: str | None,
    cache: FiguresCache | None = None,
) -> CommunitiesPage:
    chosen, tz = _period(ctx, period)
    where = _allowed(uow, ctx, scope)

    def build() -> CommunitiesPage:
        with uow:
            rows = activity(uow.session, scope=where, period=chosen, tz=tz, now=ctx.now)
        return CommunitiesPage(where, chosen, tuple(rows))

    return _cached(cache, ("communities", where, chosen.label), ctx, CommunitiesPage, build)
