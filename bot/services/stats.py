"""Indicators for a scope and period, with the previous period and targets beside them.

Coordinators see every scope; focal points the communities (and units) they look after.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import local_date
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.indicators import DEFINITIONS, IndicatorValue, Scope, compute, compute_all, definition
from bot.periods import Period, parse_period
from bot.services.access import (
    Caller,
    find_community,
    find_person,
    focal_community_ids,
    load_caller,
)
from bot.services.context import Context
from bot.services.views import person_label
from storage.models import Community, IndicatorTarget, Unit
from storage.uow import UnitOfWork


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


@dataclass(frozen=True, slots=True)
class StatsResult:
    scope: Scope
    period: Period
    rows: tuple[StatsRow, ...]


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
            raise NotAllowed("Only coordinators can see the whole organisation's indicators.")
        return Scope.org()
    if lowered.startswith("region:"):
        if not caller.coordinator:
            raise NotAllowed("Only coordinators can see a region's indicators.")
        return Scope.region(raw[7:].strip())
    if lowered == "unit" or lowered.startswith("unit:"):
        return _unit_scope(session, caller, raw[5:].strip() if ":" in raw else None)
    if not raw or lowered == "community":
        community = caller.community
        if community is None:
            raise InvalidInput(
                "This channel is not bound to a community: name one, or use `stats all`.",
                usage="stats [community|unit|all|<name>] [period]",
            )
    else:
        community = find_community(session, raw)
    _require_sees(session, caller, community.id)
    return Scope.community(community.id, community.name)


def _unit_scope(session: Session, caller: Caller, name: str | None) -> Scope:
    if name:
        unit = session.scalar(select(Unit).where(Unit.name == name))
        if unit is None:
            raise NotFound(f'No unit called "{name}".')
    else:
        unit_id = caller.community.unit_id if caller.community else caller.person.unit_id
        unit = session.get(Unit, unit_id) if unit_id else None
        if unit is None:
            raise InvalidInput(
                "This community has no unit. Set one with "
                "`community settings unit=<name>` or name it: `stats unit:<name>`."
            )
    if not caller.coordinator:
        mine = focal_community_ids(session, caller.person.id)
        theirs = set(session.scalars(select(Community.id).where(Community.unit_id == unit.id)))
        if not theirs or not theirs <= mine:
            raise NotAllowed(f"Only the unit's focal points and coordinators can see {unit.name}.")
    return Scope.unit(unit.id, unit.name)


def _require_sees(session: Session, caller: Caller, community_id: int) -> None:
    if caller.coordinator or community_id in focal_community_ids(session, caller.person.id):
        return
    raise NotAllowed(
        "Indicators are for focal points and coordinators. "
        "Ask your community's focal point, or see your own data with `my-data`."
    )


def _target(session: Session, key: str, period: Period, scope: Scope) -> TargetView | None:
    row = session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator == key,
            IndicatorTarget.period == period.label,
            IndicatorTarget.scope_kind == scope.kind,
            IndicatorTarget.scope_id == scope.id,
        )
    )
    if row is None:
        return None
    owner = person_label(session, row.owner_id) if row.owner_id else None
    return TargetView(row.baseline, row.target, owner)


def table(
    uow: UnitOfWork, ctx: Context, *, scope: str | None = None, period: str | None = None
) -> StatsResult:
    tz = org_tz(ctx)
    chosen = parse_period(period, today=local_date(ctx.now, tz))
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        where = resolve_scope(session, caller, scope)
        threshold = ctx.settings.copbot_active_threshold
        now_values = compute_all(
            session, period=chosen, scope=where, tz=tz, active_threshold=threshold
        )
        before = {
            v.key: v
            for v in compute_all(
                session, period=chosen.previous(), scope=where, tz=tz, active_threshold=threshold
            )
        }
        rows = tuple(
            StatsRow(v.key, v, before[v.key], _target(session, v.key, chosen, where))
            for v in now_values
        )
        uow.commit()
        return StatsResult(where, chosen, rows)


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
) -> tuple[StatsResult, TargetView]:
    """Set the target (and baseline, by default the previous period's value) for an indicator."""
    definition(indicator)
    if value < 0:
        raise InvalidInput("Targets are zero or more.")
    if DEFINITIONS[indicator].unit == "share" and value > 1:
        value = value / 100 if value <= 100 else value
        if value > 1:
            raise InvalidInput("A share target is a percentage from 0 to 100.")
    tz = org_tz(ctx)
    chosen = parse_period(period, today=local_date(ctx.now, tz))
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        if not caller.coordinator:
            raise NotAllowed("Only a coordinator can set targets.")
        where = resolve_scope(
            session, caller, scope or ("all" if caller.community is None else None)
        )
        if baseline is None:
            baseline = compute(
                session,
                indicator,
                period=chosen.previous(),
                scope=where,
                tz=tz,
                active_threshold=ctx.settings.copbot_active_threshold,
            ).value
        owner_id = find_person(session, owner, actor=ctx.actor, now=ctx.now).id if owner else None
        row = session.scalar(
            select(IndicatorTarget).where(
                IndicatorTarget.indicator == indicator,
                IndicatorTarget.period == chosen.label,
                IndicatorTarget.scope_kind == where.kind,
                IndicatorTarget.scope_id == where.id,
            )
        )
        if row is None:
            row = IndicatorTarget(
                indicator=indicator,
                period=chosen.label,
                scope_kind=where.kind,
                scope_id=where.id,
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
        uow.commit()
        return StatsResult(where, chosen, ()), view
