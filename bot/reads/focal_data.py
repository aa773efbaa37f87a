"""What a focal point should act on this week, across the communities in their scope.

Read in one transaction for every focal point at once: the facts are gathered per community
(unanswered requests, ideas waiting for a decision, silence) and then handed to each focal
point whose scope holds that community. Indicators against targets are computed once per
(indicator, period, scope) and shown only where the current value is behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from bot.errors import InvalidPeriod
from bot.i18n import Text, later, nlater
from bot.i18n.formats import ShortDay
from bot.i18n.words import Word
from bot.indicators import Scope, compute, definition
from bot.indicators.targets import elapsed, status
from bot.periods import Period, parse_period
from bot.services.ideas import OPEN_STAGES, STAGES
from bot.settings import Settings
from storage.models import (
    Attendance,
    Community,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    IndicatorTarget,
    ParticipationDay,
    RoleGrant,
    Unit,
)
from storage.uow import UnitOfWork

UNANSWERED_AFTER = timedelta(hours=48)
DECISION_AFTER = timedelta(days=14)
SILENT_AFTER = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class ActionItem:
    ref: str
    title: str
    community: str
    reason: Text  # translated for each reader when shown
    link: str | None
    next_stage: str | None = None  # for ideas: the stage a "move on" decision leads to
    decision: bool = False  # an idea waiting for a stage decision


@dataclass(frozen=True, slots=True)
class Gap:
    indicator: str
    label: str
    unit: str
    scope: str
    period: str
    value: float
    target: float


@dataclass(slots=True)
class FocalView:
    person_id: int
    communities: list[str] = field(default_factory=list)
    unanswered: list[ActionItem] = field(default_factory=list)
    waiting: list[ActionItem] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    behind: list[Gap] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.unanswered or self.waiting or self.silent or self.behind)


def scopes(session: Session) -> dict[int, tuple[set[int], set[int]]]:
    """Every focal point: (community ids in scope, unit ids granted)."""
    grants = session.execute(
        select(RoleGrant.person_id, RoleGrant.community_id, RoleGrant.unit_id).where(
            RoleGrant.role == "focal_point"
        )
    ).all()
    by_unit: dict[int, set[int]] = {}
    for cid, unit_id in session.execute(
        select(Community.id, Community.unit_id).where(
            Community.unit_id.is_not(None), Community.archived_at.is_(None)
        )
    ).all():
        if unit_id is not None:
            by_unit.setdefault(unit_id, set()).add(cid)
    found: dict[int, tuple[set[int], set[int]]] = {}
    for person_id, community_id, unit_id in grants:
        communities, units = found.setdefault(person_id, (set(), set()))
        if community_id is not None:
            communities.add(community_id)
        if unit_id is not None:
            units.add(unit_id)
            communities |= by_unit.get(unit_id, set())
    return found


def collect(
    uow: UnitOfWork, *, person_ids: Iterable[int], now: datetime, settings: Settings
) -> dict[int, FocalView]:
    wanted = set(person_ids)
    with uow:
        session = uow.session
        all_scopes = {p: s for p, s in scopes(session).items() if p in wanted}
        community_ids = set().union(*(c for c, _ in all_scopes.values()))
        names = {
            cid: name
            for cid, name in session.execute(
                select(Community.id, Community.name).where(
                    Community.id.in_(community_ids), Community.archived_at.is_(None)
                )
            ).all()
        }
        unanswered = _unanswered(session, names, now)
        waiting = _waiting(session, names, now)
        quiet = silent(session, set(names), now)
        gaps = _gaps(session, all_scopes, names, now, settings)
    views: dict[int, FocalView] = {}
    for person_id, (communities, units) in all_scopes.items():
        mine = sorted((c for c in communities if c in names), key=lambda c: names[c])
        view = FocalView(person_id, communities=[names[c] for c in mine])
        for cid in mine:
            view.unanswered += unanswered.get(cid, [])
            view.waiting += waiting.get(cid, [])
            if cid in quiet:
                view.silent.append(names[cid])
        scope_keys = [("community", c) for c in mine] + [("unit", u) for u in sorted(units)]
        view.behind = [g for key in scope_keys for g in gaps.get(key, [])]
        views[person_id] = view
    return views


def unanswered(now: datetime) -> ColumnElement[bool]:
    """Requests still open with no offer of help after ``UNANSWERED_AFTER``: the focal-point
    digest and App Home list the same ones."""
    return and_(
        HelpRequest.status == "open",
        HelpRequest.first_response_at.is_(None),
        HelpRequest.created_at <= now - UNANSWERED_AFTER,
    )


def _unanswered(
    session: Session, names: dict[int, str], now: datetime
) -> dict[int, list[ActionItem]]:
    found: dict[int, list[ActionItem]] = {}
    rows = session.execute(
        select(
            HelpRequest.community_id,
            HelpRequest.id,
            HelpRequest.question,
            HelpRequest.created_at,
            HelpRequest.permalink,
        )
        .where(
            HelpRequest.community_id.in_(list(names)),
            unanswered(now),
        )
        .order_by(HelpRequest.created_at, HelpRequest.id)
    ).all()
    for cid, rid, question, created, link in rows:
        if cid is None:
            continue
        hours = int((now - created).total_seconds() // 3600)
        reason = (
            nlater("no answer for {n} day", "no answer for {n} days", hours // 24)
            if hours >= 72
            else later("no answer for {hours} h", hours=hours)
        )
        found.setdefault(cid, []).append(ActionItem(f"R-{rid}", question, names[cid], reason, link))
    return found


def _waiting(session: Session, names: dict[int, str], now: datetime) -> dict[int, list[ActionItem]]:
    found: dict[int, list[ActionItem]] = {}
    stale = now - DECISION_AFTER
    rows = session.execute(
        select(
            Idea.community_id,
            Idea.id,
            Idea.title,
            Idea.stage,
            Idea.scaling,
            Idea.stage_changed_at,
            Idea.permalink,
        )
        .where(
            Idea.community_id.in_(list(names)),
            Idea.stage.in_(OPEN_STAGES),
            or_(
                Idea.stage_changed_at <= stale,
                (Idea.stage == "pilot") & (Idea.scaling == "unrated"),
            ),
        )
        .order_by(Idea.stage_changed_at, Idea.id)
    ).all()
    for cid, iid, title, stage, scaling, changed, link in rows:
        if cid is None:
            continue
        waiting = changed <= stale
        unrated = stage == "pilot" and scaling == "unrated"
        since = {"stage": Word(stage), "day": ShortDay(changed)}
        if waiting and unrated:
            reason = later(
                "in {stage} since {day}: waiting for a stage decision; "
                "pilot without a scaling rating",
                **since,
            )
        elif waiting:
            reason = later("in {stage} since {day}: waiting for a stage decision", **since)
        else:
            reason = later("pilot without a scaling rating")
        found.setdefault(cid, []).append(
            ActionItem(
                f"I-{iid}",
                title,
                names[cid],
                reason,
                link,
                STAGES[STAGES.index(stage) + 1] if stage in STAGES[:-1] else None,
                decision=waiting,
            )
        )
    return found


def silent(session: Session, ids: set[int], now: datetime) -> set[int]:
    """Communities with no contribution and no counted message in the last 14 days."""
    since = now - SILENT_AFTER
    heard: set[int] = set()
    if not ids:
        return heard
    checks = [
        select(Idea.community_id).where(Idea.created_at >= since),
        select(HelpRequest.community_id).where(HelpRequest.created_at >= since),
        select(HelpRequest.community_id)
        .join(HelpOffer, HelpOffer.request_id == HelpRequest.id)
        .where(HelpOffer.at >= since),
        select(Feedback.community_id).where(Feedback.created_at >= since),
        select(Event.community_id)
        .join(Attendance, Attendance.event_id == Event.id)
        .where(Attendance.at >= since),
    ]
    for check in checks:  # a fortnight of items: few rows, deduplicated here
        heard |= set(session.scalars(check))
    first_day: date = since.date()
    # One row per community and day (kept by the database), in (day, community) order.
    heard |= set(
        session.scalars(
            select(ParticipationDay.community_id).where(
                ParticipationDay.day >= first_day, ParticipationDay.messages > 0
            )
        )
    )
    return ids - heard


def _current(period_label: str, today: date) -> Period | None:
    try:
        period = parse_period(period_label, today=today)
    except InvalidPeriod:
        return None
    return period if period.contains(today) else None


def _gaps(
    session: Session,
    all_scopes: dict[int, tuple[set[int], set[int]]],
    names: dict[int, str],
    now: datetime,
    settings: Settings,
) -> dict[tuple[str, int], list[Gap]]:
    """Targets of the scopes in play whose current value is behind, per (scope kind, id)."""
    tz = ZoneInfo(settings.copbot_timezone)
    today = now.astimezone(tz).date()
    units = set().union(*(u for _, u in all_scopes.values()))
    unit_names = {
        uid: name
        for uid, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(units)))
    }
    targets = session.execute(
        select(IndicatorTarget).where(
            or_(
                (IndicatorTarget.scope_kind == "community")
                & IndicatorTarget.scope_id.in_(list(names)),
                (IndicatorTarget.scope_kind == "unit") & IndicatorTarget.scope_id.in_(units),
            )
        )
    ).scalars()
    found: dict[tuple[str, int], list[Gap]] = {}
    for target in targets:
        period = _current(target.period, today)
        if period is None:
            continue
        kind, sid = target.scope_kind, target.scope_id
        label = names.get(sid, "") if kind == "community" else unit_names.get(sid, "")
        scope = Scope.community(sid, label) if kind == "community" else Scope.unit(sid, label)
        value = compute(
            session,
            target.indicator,
            period=period,
            scope=scope,
            tz=tz,
            active_threshold=settings.copbot_active_threshold,
            today=today,
        ).value
        if value is None:
            continue
        meta = definition(target.indicator)
        share = elapsed(period, today)
        if status(meta, value, target.target, share_elapsed=share) == "behind":
            found.setdefault((kind, sid), []).append(
                Gap(
                    target.indicator,
                    meta.label,
                    meta.unit,
                    label,
                    period.label,
                    value,
                    target.target,
                )
            )
    return found
