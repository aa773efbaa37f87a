"""Indicator targets, set by a coordinator for a calendar period and a scope: the value in the
indicator's unit (shares in percent), its owner, and its baseline, by default the
indicator's value in the previous period or in a past period named with ``baseline=from:``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.errors import InvalidInput, NotAllowed
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.indicators import Scope, compute, definition
from bot.indicators.definitions import Definition
from bot.indicators.targets import scope_key
from bot.periods import Period
from bot.reads.views import person_label
from bot.services.access import load_caller
from bot.services.context import Context
from bot.services.people import find_person
from bot.services.stats import TargetView, org_period
from bot.services.stats_scopes import resolve_scope
from storage.models import IndicatorTarget
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class TargetResult:
    scope: Scope
    period: Period
    view: TargetView
    owner_id: int | None


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
    chosen, tz = org_period(ctx, period)
    if chosen.kind == "days":
        raise InvalidInput(
            _(
                "Targets are set for calendar periods: a month, quarter, "
                "week, year or biennium, e.g. 2026-Q4."
            )
        )
    source = chosen.previous()
    if baseline_from is not None:
        source, _tz = org_period(ctx, baseline_from)
        if source.kind == "days" or not source.end < chosen.end:
            raise InvalidInput(
                _(
                    "Take the baseline from a calendar period before {period}, "
                    "e.g. baseline=from:2015."
                ).format(period=chosen.label)
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
