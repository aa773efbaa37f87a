"""Compute the indicators from the store for one period and scope.

Every figure is an aggregate query (only the response times for the median are loaded).
The period's dates are local dates in the caller's time zone: timestamps count when
``local midnight of start <= t < local midnight of end``; participation and event days are
local dates already and are compared with the date range directly.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, null, or_, select, union, union_all
from sqlalchemy.orm import Session, aliased

from bot.clock import local_midnight_utc
from bot.indicators.definitions import DEFINITIONS, DetailValue, IndicatorValue, Scope, definition
from bot.indicators.sql import hours_between
from bot.periods import Period
from storage.models import (
    Attendance,
    Community,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    Participation,
    PulseQuestion,
    PulseResponse,
    StageChange,
    TimeLog,
    Unit,
)

PAST_BRAINSTORMING = ("development", "pilot", "scaled")
HELD_EVENT_KINDS = ("training", "workshop", "webinar")
EXTERNAL_SOURCES = ("constituent", "partner")
DELIVERABLE_TARGETS = ("deliverable", "community")
SCALING_LEVELS = ("low", "medium", "high", "unrated")


@dataclass(frozen=True, slots=True)
class _Query:
    """Everything one computation needs: the session, the UTC window and the scope."""

    session: Session
    start: datetime
    end: datetime
    first_day: date
    end_day: date
    scope: Scope
    active_threshold: int

    def at(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (an aware UTC timestamp) falls in the period."""
        return [column >= self.start, column < self.end]

    def on(self, column: Any) -> list[ColumnElement[bool]]:
        """``column`` (a local date) falls in the period."""
        return [column >= self.first_day, column < self.end_day]

    def within(self, community_id: Any) -> list[ColumnElement[bool]]:
        """The item whose community is ``community_id`` belongs to the scope."""
        scope = self.scope
        if scope.kind == "org":
            return []
        if scope.kind == "community":
            return [community_id == scope.id]
        if scope.kind == "unit":
            return [community_id.in_(select(Community.id).where(Community.unit_id == scope.id))]
        in_region = (
            select(Community.id)
            .join(Unit, Unit.id == Community.unit_id)
            .where(Unit.region == scope.label)
        )
        return [community_id.in_(in_region)]


def _count(value: Any) -> int:
    return int(value or 0)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _value(key: str, value: float | None, **details: DetailValue) -> IndicatorValue:
    return IndicatorValue(key=key, value=value, details=details)


def _tally(key: str, count: Any, **details: DetailValue) -> IndicatorValue:
    return IndicatorValue(key=key, value=float(_count(count)), details=details)


def _contributions(q: _Query) -> list[IndicatorValue]:
    """Contributions, the people behind them and the communities with enough of them."""
    anonymous_safe_author = case((Feedback.anonymous.is_(True), null()), else_=Feedback.author_id)
    rows = union_all(
        select(Idea.community_id.label("community_id"), Idea.author_id.label("person_id")).where(
            *q.at(Idea.created_at), *q.within(Idea.community_id)
        ),
        select(HelpRequest.community_id, HelpRequest.requester_id).where(
            *q.at(HelpRequest.created_at), *q.within(HelpRequest.community_id)
        ),
        select(HelpRequest.community_id, HelpOffer.person_id)
        .join(HelpRequest, HelpRequest.id == HelpOffer.request_id)
        .where(*q.at(HelpOffer.at), *q.within(HelpRequest.community_id)),
        select(Feedback.community_id, anonymous_safe_author).where(
            *q.at(Feedback.created_at), *q.within(Feedback.community_id)
        ),
        select(Event.community_id, Attendance.person_id)
        .join(Attendance, Attendance.event_id == Event.id)
        .where(*q.on(Event.day), *q.within(Event.community_id)),
    ).cte("contributions")

    active = (
        select(rows.c.community_id)
        .where(rows.c.community_id.is_not(None))
        .group_by(rows.c.community_id)
        .having(func.count(rows.c.person_id.distinct()) >= q.active_threshold)
        .subquery("active")
    )
    # One statement over one materialised CTE: the contributions are gathered once.
    total, people, communities = q.session.execute(
        select(
            select(func.count()).select_from(rows).scalar_subquery(),
            select(func.count(rows.c.person_id.distinct())).scalar_subquery(),
            select(func.count()).select_from(active).scalar_subquery(),
        )
    ).one()
    return [
        _tally("active_communities", communities, threshold=q.active_threshold),
        _tally("active_members", people),
        _tally("contributions", total),
    ]


def _messages(q: _Query) -> list[IndicatorValue]:
    total = q.session.scalar(
        select(func.sum(Participation.messages)).where(
            *q.on(Participation.day), *q.within(Participation.community_id)
        )
    )
    return [_tally("community_messages", total)]


def _feedback(q: _Query) -> list[IndicatorValue]:
    external = Feedback.source.in_(EXTERNAL_SOURCES)
    deliverable = Feedback.target_kind.in_(DELIVERABLE_TARGETS)
    on_deliverables, deliverable_avg, from_outside, rated, outside_avg = q.session.execute(
        select(
            func.count(case((deliverable, 1))),
            func.avg(case((deliverable, Feedback.rating))),
            func.count(case((external, 1))),
            func.count(case((external, Feedback.rating))),
            func.avg(case((external, Feedback.rating))),
        ).where(*q.at(Feedback.created_at), *q.within(Feedback.community_id))
    ).one()
    return [
        _tally("deliverable_feedback", on_deliverables, average_rating=_number(deliverable_avg)),
        _value(
            "constituent_satisfaction",
            _number(outside_avg),
            count=_count(from_outside),
            rated=_count(rated),
        ),
    ]


def _ideas(q: _Query) -> list[IndicatorValue]:
    """Ideas created in the period, and how many of them have left brainstorming since."""
    progressed = or_(
        Idea.stage.in_(PAST_BRAINSTORMING),
        exists().where(
            StageChange.idea_id == Idea.id, StageChange.to_stage.in_(PAST_BRAINSTORMING)
        ),
    )
    submitted, converted = q.session.execute(
        select(func.count(), func.count(case((progressed, 1)))).where(
            *q.at(Idea.created_at), *q.within(Idea.community_id)
        )
    ).one()
    submitted, converted = _count(submitted), _count(converted)
    return [
        _tally("ideas_submitted", submitted, **_by_theme(q)),
        _value(
            "brainstorm_conversion",
            _share(converted, submitted),
            ideas=submitted,
            converted=converted,
        ),
    ]


def _by_theme(q: _Query) -> dict[str, DetailValue]:
    """How many of the period's ideas carry each theme (``theme:<name>``; an idea may carry
    several), and how many carry none."""
    counts: dict[str, int] = {}
    for (themes,) in q.session.execute(
        select(Idea.themes).where(*q.at(Idea.created_at), *q.within(Idea.community_id))
    ):
        for name in themes or ["none"]:
            counts[name] = counts.get(name, 0) + 1
    return {f"theme:{name}": counts[name] for name in sorted(counts)}


def _stage_moves(q: _Query) -> list[IndicatorValue]:
    """Ideas that left brainstorming, and ideas that were scaled, in the period."""
    left = and_(StageChange.from_stage == "proposed", StageChange.to_stage.in_(PAST_BRAINSTORMING))
    scaled = StageChange.to_stage == "scaled"
    statement = select(
        func.count(case((left, StageChange.idea_id)).distinct()),
        func.count(case((scaled, StageChange.idea_id)).distinct()),
    ).where(*q.at(StageChange.at))
    if q.scope.kind != "org":
        statement = statement.join(Idea, Idea.id == StageChange.idea_id).where(
            *q.within(Idea.community_id)
        )
    past, reached_scaled = q.session.execute(statement).one()
    return [
        _tally("ideas_past_brainstorming", past),
        _tally("ideas_scaled", reached_scaled),
    ]


def _pilots(q: _Query) -> list[IndicatorValue]:
    """Ideas whose stage at the end of the period was pilot, by current scaling potential.

    The stage at the end is the latest change before it; an idea with no change before the
    end is still in the stage it was created in (the first change's ``from_stage``, or its
    current stage when it has no history at all).
    """
    change, other, idea = aliased(StageChange), aliased(StageChange), aliased(Idea)
    moved_to_pilot = select(change.idea_id).where(
        change.to_stage == "pilot",
        change.at < q.end,
        ~exists().where(
            other.idea_id == change.idea_id,
            other.at < q.end,
            or_(other.at > change.at, and_(other.at == change.at, other.id > change.id)),
        ),
    )
    moved_from_pilot_after_end = select(change.idea_id).where(
        change.at >= q.end,
        func.coalesce(change.from_stage, change.to_stage) == "pilot",
        ~exists().where(
            other.idea_id == change.idea_id,
            or_(other.at < change.at, and_(other.at == change.at, other.id < change.id)),
        ),
    )
    pilot_without_history = select(idea.id).where(
        idea.stage == "pilot",
        *q.within(idea.community_id),
        ~exists().where(StageChange.idea_id == idea.id),
    )
    candidates = union(moved_to_pilot, moved_from_pilot_after_end, pilot_without_history)
    rows = q.session.execute(
        select(Idea.scaling, func.count())
        .where(Idea.id.in_(candidates), Idea.created_at < q.end, *q.within(Idea.community_id))
        .group_by(Idea.scaling)
    ).all()
    by_scaling: dict[str, DetailValue] = dict.fromkeys(SCALING_LEVELS, 0)
    by_scaling.update({scaling: _count(n) for scaling, n in rows})
    return [_tally("pilots_running", sum(_count(n) for _, n in rows), **by_scaling)]


def _events(q: _Query) -> list[IndicatorValue]:
    rows = q.session.execute(
        select(Event.kind, func.count())
        .where(Event.kind.in_(HELD_EVENT_KINDS), *q.on(Event.day), *q.within(Event.community_id))
        .group_by(Event.kind)
    ).all()
    by_kind: dict[str, DetailValue] = dict.fromkeys(HELD_EVENT_KINDS, 0)
    by_kind.update({kind: _count(n) for kind, n in rows})
    attendances, people = q.session.execute(
        select(func.count(), func.count(Attendance.person_id.distinct()))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(Event.kind == "training", *q.on(Event.day), *q.within(Event.community_id))
    ).one()
    return [
        _tally("events_held", sum(_count(n) for _, n in rows), **by_kind),
        _tally("training_participation", attendances, people=_count(people)),
    ]


def _pulse(q: _Query) -> list[IndicatorValue]:
    sent = [*q.at(PulseQuestion.sent_at), *q.within(PulseQuestion.community_id)]
    average, responses = q.session.execute(
        select(func.avg(PulseResponse.score), func.count(PulseResponse.id))
        .join(PulseQuestion, PulseQuestion.id == PulseResponse.question_id)
        .where(*sent)
    ).one()
    recipients = q.session.scalar(select(func.sum(PulseQuestion.recipients)).where(*sent))
    responses = _count(responses)
    return [
        _value(
            "pulse_score",
            _number(average),
            responses=responses,
            response_rate=_share(responses, _count(recipients)),
        )
    ]


def _hours(q: _Query) -> list[IndicatorValue]:
    """Hours logged; a log without a community counts for the community of its idea."""
    statement = select(func.sum(TimeLog.hours), func.count(TimeLog.person_id.distinct())).where(
        *q.at(TimeLog.at)
    )
    if q.scope.kind != "org":
        statement = statement.outerjoin(Idea, Idea.id == TimeLog.idea_id).where(
            *q.within(func.coalesce(TimeLog.community_id, Idea.community_id))
        )
    hours, people = q.session.execute(statement).one()
    return [_value("innovation_hours", _number(hours) or 0.0, people=_count(people))]


def _requests(q: _Query) -> list[IndicatorValue]:
    in_period = [*q.at(HelpRequest.created_at), *q.within(HelpRequest.community_id)]
    opened, resolved = q.session.execute(
        select(func.count(), func.count(case((HelpRequest.status == "resolved", 1)))).where(
            *in_period
        )
    ).one()
    opened, resolved = _count(opened), _count(resolved)
    waits = [
        round(float(hours), 6)  # the database's float arithmetic, to the nearest 3.6 ms
        for hours in q.session.scalars(
            select(hours_between(HelpRequest.created_at, HelpRequest.first_response_at)).where(
                *in_period, HelpRequest.first_response_at.is_not(None)
            )
        )
        if hours is not None
    ]
    return [
        _tally("requests_opened", opened),
        _value(
            "time_to_first_response",
            statistics.median(waits) if waits else None,
            responded=len(waits),
        ),
        _value(
            "requests_resolved_share", _share(resolved, opened), opened=opened, resolved=resolved
        ),
    ]


_Calculator = Callable[[_Query], list[IndicatorValue]]

_CALCULATORS: tuple[tuple[tuple[str, ...], _Calculator], ...] = (
    (("active_communities", "active_members", "contributions"), _contributions),
    (("community_messages",), _messages),
    (("deliverable_feedback", "constituent_satisfaction"), _feedback),
    (("ideas_submitted", "brainstorm_conversion"), _ideas),
    (("ideas_past_brainstorming", "ideas_scaled"), _stage_moves),
    (("pilots_running",), _pilots),
    (("events_held", "training_participation"), _events),
    (("pulse_score",), _pulse),
    (("innovation_hours",), _hours),
    (("requests_opened", "time_to_first_response", "requests_resolved_share"), _requests),
)
_BY_KEY: dict[str, _Calculator] = {key: calc for keys, calc in _CALCULATORS for key in keys}
_ORDER: dict[str, int] = {key: i for i, key in enumerate(DEFINITIONS)}


def _query(
    session: Session, period: Period, scope: Scope, tz: ZoneInfo, active_threshold: int
) -> _Query:
    if active_threshold < 1:
        raise ValueError("active_threshold must be at least 1")
    return _Query(
        session=session,
        start=local_midnight_utc(period.start, tz),
        end=local_midnight_utc(period.end, tz),
        first_day=period.start,
        end_day=period.end,
        scope=scope,
        active_threshold=active_threshold,
    )


def compute_all(
    session: Session,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int = 3,
) -> list[IndicatorValue]:
    """Every indicator for ``period`` and ``scope``, in the order of ``DEFINITIONS``."""
    q = _query(session, period, scope, tz, active_threshold)
    values = [value for _, calculator in _CALCULATORS for value in calculator(q)]
    return sorted(values, key=lambda value: _ORDER[value.key])


def compute(
    session: Session,
    key: str,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int = 3,
) -> IndicatorValue:
    """One indicator; raises ``InvalidInput`` for an unknown key."""
    definition(key)
    q = _query(session, period, scope, tz, active_threshold)
    return next(value for value in _BY_KEY[key](q) if value.key == key)
