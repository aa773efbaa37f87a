"""Who takes part: contributions and active communities, messages, events and training,
pulse answers, innovation hours."""

from __future__ import annotations

from sqlalchemy import case, func, null, select, union_all

from bot.indicators.definitions import DetailValue, IndicatorValue
from bot.indicators.query import Query, figure, share, tally, to_float, to_int
from storage.models import (
    Attendance,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    ParticipationDay,
    PulseQuestion,
    PulseResponse,
    TimeLog,
)

HELD_EVENT_KINDS = ("training", "workshop", "webinar")


def contributions(q: Query) -> list[IndicatorValue]:
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
        .where(*q.held(Event.day), *q.within(Event.community_id)),
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
        tally("active_communities", communities, threshold=q.active_threshold),
        tally("active_members", people),
        tally("contributions", total),
    ]


def messages(q: Query) -> list[IndicatorValue]:
    total = q.session.scalar(  # one row per community and day, kept by the database
        select(func.sum(ParticipationDay.messages)).where(
            *q.on(ParticipationDay.day), *q.within(ParticipationDay.community_id)
        )
    )
    return [tally("community_messages", total)]


def events(q: Query) -> list[IndicatorValue]:
    rows = q.session.execute(
        select(Event.kind, func.count())
        .where(Event.kind.in_(HELD_EVENT_KINDS), *q.held(Event.day), *q.within(Event.community_id))
        .group_by(Event.kind)
    ).all()
    by_kind: dict[str, DetailValue] = dict.fromkeys(HELD_EVENT_KINDS, 0)
    by_kind.update({kind: to_int(n) for kind, n in rows})
    attendances, people = q.session.execute(
        select(func.count(), func.count(Attendance.person_id.distinct()))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(Event.kind == "training", *q.held(Event.day), *q.within(Event.community_id))
    ).one()
    return [
        tally("events_held", sum(to_int(n) for _, n in rows), **by_kind),
        tally("training_participation", attendances, people=to_int(people)),
    ]


def pulse(q: Query) -> list[IndicatorValue]:
    sent = [*q.at(PulseQuestion.sent_at), *q.within(PulseQuestion.community_id)]
    average, responses = q.session.execute(
        select(func.avg(PulseResponse.score), func.count(PulseResponse.id))
        .join(PulseQuestion, PulseQuestion.id == PulseResponse.question_id)
        .where(*sent)
    ).one()
    recipients = q.session.scalar(select(func.sum(PulseQuestion.recipients)).where(*sent))
    responses = to_int(responses)
    return [
        figure(
            "pulse_score",
            to_float(average),
            responses=responses,
            response_rate=share(responses, to_int(recipients)),
        )
    ]


def time_logged(q: Query) -> list[IndicatorValue]:
    """Hours logged; a log without a community counts for the community of its idea."""
    statement = select(func.sum(TimeLog.hours), func.count(TimeLog.person_id.distinct())).where(
        *q.at(TimeLog.at)
    )
    if q.scope.kind != "org":
        statement = statement.outerjoin(Idea, Idea.id == TimeLog.idea_id).where(
            *q.within(func.coalesce(TimeLog.community_id, Idea.community_id))
        )
    hours, people = q.session.execute(statement).one()
    return [figure("innovation_hours", to_float(hours) or 0.0, people=to_int(people))]
