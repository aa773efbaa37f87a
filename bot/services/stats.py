"""Indicators for a scope and period: the table (with the previous period and the targets), the
trend chart's figures, the export's rows, and target setting.

Coordinators see every scope; focal points the communities (and units) they look after;
members none. Indicators are always counted in the organisation's time zone
(``COPBOT_TIMEZONE``), whoever asks, so everyone sees the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import local_date
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.indicators import IndicatorValue, Scope, compute, definition
from bot.indicators.chart import ChartPoint
from bot.indicators.definitions import Definition
from bot.indicators.export import ExportRow, all_scopes, collect
from bot.indicators.history import series, values_for
from bot.indicators.targets import Status, attainment, elapsed, scope_key, status, targets_for
from bot.periods import Period, parse_period, periods_back
from bot.reads.views import person_label
from bot.services.access import Caller, focal_community_ids, load_caller
from bot.services.context import Context
from bot.services.people import find_person
from bot.services.places import find_community
from storage.models import Community, IndicatorTarget, Unit
from storage.uow import UnitOfWork

CHART_PERIODS = 8
STATS_USAGE = "stats [community|unit|all|<name>|unit:<name>|region:<name>] [period]"


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
class TargetResult:
    scope: Scope
    period: Period
    view: TargetView
    owner_id: int | None


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


def resolve_scope(session: Session, caller: Caller, text: str | None) -> Scope:
    """The scope asked for, if the caller may see it."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if lowered in ("all", "org", "organisation", "organization") or (
        not raw and caller.community is None and caller.coordinator
    ):
        if not caller.coordinator:
            raise NotAllowed(_("Only coordinators can see the whole organisation's indicators."))
        return Scope.org()
    if lowered.startswith("region:"):
        if not caller.coordinator:
            raise NotAllowed(_("Only coordinators can see a region's indicators."))
        return _region_scope(session, raw[len("region:") :].strip())
    if lowered == "unit" or lowered.startswith("unit:"):
        return _unit_scope(session, caller, raw[5:].strip() if ":" in raw else None)
    if lowered.startswith("community:"):
        raw = raw[len("community:") :].strip()
        lowered = raw.lower()
    if not raw or lowered == "community":
        community = caller.community
        if community is None:
            raise InvalidInput(
                _("This channel is not bound to a community: name one, or use `stats all`."),
                usage=STATS_USAGE,
            )
    else:
        community = find_community(session, raw)
    _require_sees(session, caller, community.id)
    return Scope.community(community.id, community.name)


def _region_scope(session: Session, name: str) -> Scope:
    regions = [
        r for r in session.scalars(select(Unit.region).distinct().order_by(Unit.region)) if r
    ]
    if not name:
        raise InvalidInput(
            _("Name the region, e.g. region:{value}.").format(
                value=regions[0] if regions else "Africa"
            )
        )
    match = next((r for r in regions if r.lower() == name.lower()), None)
    if match is None:
        known = ", ".join(regions) if regions else "none yet (units carry their region)"
        raise NotFound(
            _('No region called "{name}". Regions: {known}.').format(name=name, known=known)
        )
    return Scope.region(match)


def _unit_scope(session: Session, caller: Caller, name: str | None) -> Scope:
    if name:
        unit = session.scalar(select(Unit).where(Unit.name == name))
        if unit is None:
            raise NotFound(_('No unit called "{name}".').format(name=name))
    else:
        unit_id = caller.community.unit_id if caller.community else caller.person.unit_id
        unit = session.get(Unit, unit_id) if unit_id else None
        if unit is None:
            raise InvalidInput(
                _(
                    "This community has no unit. Set one with `community "
                    "settings unit=<name>` or name it: `stats unit:<name>`."
                )
            )
    if not caller.coordinator:
        mine = focal_community_ids(session, caller.person.id)
        theirs = set(session.scalars(select(Community.id).where(Community.unit_id == unit.id)))
        if not theirs or not theirs <= mine:
            raise NotAllowed(
                _("Only the unit's focal points and coordinators can see {name}.").format(
                    name=unit.name
                )
            )
    return Scope.unit(unit.id, unit.name)


def _require_sees(session: Session, caller: Caller, community_id: int) -> None:
    if caller.coordinator or community_id in focal_community_ids(session, caller.person.id):
        return
    raise NotAllowed(
        _(
            "Indicators are for focal points and coordinators. Ask your "
            "community's focal point, or see your own data with "
            "`my-data`."
        )
    )


def visible_scopes(session: Session, caller: Caller) -> list[Scope]:
    """Every scope for a coordinator; a focal point's communities and whole units; else none."""
    if caller.coordinator:
        return all_scopes(session)
    mine = focal_community_ids(session, caller.person.id)
    if not mine:
        raise NotAllowed(
            _("Exports are for focal points and coordinators. See your own data with `my-data`.")
        )
    communities = session.scalars(
        select(Community).where(Community.id.in_(mine)).order_by(Community.name)
    ).all()
    scopes = [Scope.community(c.id, c.name) for c in communities]
    unit_ids = {c.unit_id for c in communities if c.unit_id is not None}
    for unit in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.name)):
        theirs = set(session.scalars(select(Community.id).where(Community.unit_id == unit.id)))
        if theirs <= mine:
            scopes.append(Scope.unit(unit.id, unit.name))
    return scopes


def _period(ctx: Context, text: str | None) -> tuple[Period, ZoneInfo]:
    tz = org_tz(ctx)
    return parse_period(text, today=local_date(ctx.now, tz)), tz


def table(
    uow: UnitOfWork, ctx: Context, *, scope: str | None = None, period: str | None = None
) -> StatsResult:
    """Every indicator for the scope and period, beside the previous period and the target."""
    chosen, tz = _period(ctx, period)
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
    chosen, tz = _period(ctx, period)
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
    return f"{period.end - timedelta(days=1):%d %b}"


def export(uow: UnitOfWork, ctx: Context, *, period: str | None = None) -> ExportResult:
    """Every indicator for every scope the caller may see, for one period."""
    chosen, tz = _period(ctx, period)
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


def _target_number(d: Definition, value: float, what: str) -> float:
    """A target or baseline in the indicator's unit; shares are given in percent (0–100)."""
    if value < 0:
        raise InvalidInput(_("A {what} is zero or more.").format(what=what))
    if d.unit == "share":
        if value > 100:
            raise InvalidInput(
                _("A {what} for a share is a percentage from 0 to 100.").format(what=what)
            )
        return value / 100
    if d.unit in ("rating", "score") and not 1 <= value <= 5:
        raise InvalidInput(
            _("A {what} for {label} is an average from 1 to 5.").format(what=what, label=d.label)
        )
    return value


def set_target(
    uow: UnitOfWork,
    ctx: Context,
    *,
    indicator: str,
    value: float,
    period: str | None = None,
    owner: PersonRef | None = None,
    baseline: float | None = None,
    scope: str | None = None,
    baseline_from: str | None = None,
) -> TargetResult:
    """Set the target of an indicator for a period and scope, with its owner (by default
    whoever sets it, or the owner already named) and its baseline (by default the indicator's
    value in the previous period, or in ``baseline_from``, a past period)."""
    d = definition(indicator)
    value = _target_number(d, value, "target")
    if baseline is not None:
        baseline = _target_number(d, baseline, "baseline")
    chosen, tz = _period(ctx, period)
    if chosen.kind == "days":
        raise InvalidInput(
            _(
                "Targets are set for calendar periods: a month, quarter, "
                "week, year or biennium, e.g. 2026-Q4."
            )
        )
    source = chosen.previous()
    if baseline_from is not None:
        source, _tz = _period(ctx, baseline_from)
        if source.kind == "days" or not source.end < chosen.end:
            raise InvalidInput(
                f"Take the baseline from a calendar period before {chosen.label}, "
                "e.g. baseline=from:2015."
            )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        if not caller.coordinator:
            raise NotAllowed(_("Only a coordinator can set targets."))
        where = resolve_scope(
            session, caller, scope or ("all" if caller.community is None else None)
        )
        if baseline is None:
            baseline = compute(
                session,
                indicator,
                period=source,
                scope=where,
                tz=tz,
                active_threshold=ctx.settings.copbot_active_threshold,
            ).value
        owner_id = find_person(session, owner, actor=ctx.actor, now=ctx.now).id if owner else None
        kind, scope_id = scope_key(where)
        row = session.scalar(
            select(IndicatorTarget).where(
                IndicatorTarget.indicator == indicator,
                IndicatorTarget.period == chosen.label,
                IndicatorTarget.scope_kind == kind,
                IndicatorTarget.scope_id == scope_id,
            )
        )
        if row is None:
            row = IndicatorTarget(
                indicator=indicator,
                period=chosen.label,
                scope_kind=kind,
                scope_id=scope_id,
                target=value,
                set_at=ctx.now,
            )
            session.add(row)
        row.target = value
        row.baseline = baseline
        row.owner_id = owner_id if owner_id is not None else row.owner_id or caller.person.id
        row.set_by = caller.person.id
        row.set_at = ctx.now
        session.flush()
        view = TargetView(row.baseline, row.target, person_label(session, row.owner_id))
        notify = row.owner_id if row.owner_id != caller.person.id else None
        uow.commit()
        return TargetResult(where, chosen, view, notify)
