"""Who takes part: contributions and active communities, messages, events and training,
pulse answers, innovation hours.

Each statement is built once per kind of scope (``@cache`` on a :class:`Shape`) and run with
the computation's parameters (:attr:`Query.params`)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import case, func, null, select, union_all

from bot.indicators.definitions import DetailValue, IndicatorValue
from bot.indicators.query import (
    THRESHOLD,
    Query,
    Shape,
    Statement,
    figure,
    share,
    tally,
    to_float,
    to_int,
)
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


@cache
def _contributions(shape: Shape) -> Statement:
    anonymous_safe_author = case((Feedback.anonymous.is_(True), null()), else_=Feedback.author_id)
    rows = union_all(
        select(Idea.community_id.label("community_id"), Idea.author_id.label("person_id")).where(
            *shape.at(Idea.created_at), *shape.within(Idea.community_id)
        ),
        select(HelpRequest.community_id, HelpRequest.requester_id).where(
            *shape.at(HelpRequest.created_at), *shape.within(HelpRequest.community_id)
        ),
        select(HelpRequest.community_id, HelpOffer.person_id)
        .join(HelpRequest, HelpRequest.id == HelpOffer.request_id)
        .where(*shape.at(HelpOffer.at), *shape.within(HelpRequest.community_id)),
        select(Feedback.community_id, anonymous_safe_author).where(
            *shape.at(Feedback.created_at), *shape.within(Feedback.community_id)
        ),
        select(Event.community_id, Attendance.person_id)
        .join(Attendance, Attendance.event_id == Event.id)
        .where(*shape.held(Event.day), *shape.within(Event.community_id)),
    ).cte("contributions")

    active = (
        select(rows.c.community_id)
        .where(rows.c.community_id.is_not(None))
        .group_by(rows.c.community_id)
        .having(func.count(rows.c.person_id.distinct()) >= THRESHOLD)
        .subquery("active")
    )
    # One statement over one materialised CTE: the contributions are gathered once.
    return select(
        select(func.count()).select_from(rows).scalar_subquery(),
        select(func.count(rows.c.person_id.distinct())).scalar_subquery(),
        select(func.count()).select_from(active).scalar_subquery(),
    )


def contributions(q: Query) -> list[IndicatorValue]:
    """Contributions, the people behind them and the communities with enough of them."""
    total, people, communities = q.one(_contributions(q.shape))
    return [
        tally("active_communities", communities, threshold=q.active_threshold),
        tally("active_members", people),
        tally("contributions", total),
    ]


@cache
def _messages(shape: Shape) -> Statement:
    # one row per community and day, kept by the database
    return select(func.sum(ParticipationDay.messages)).where(
        *shape.on(ParticipationDay.day), *shape.within(ParticipationDay.community_id)
    )


def messages(q: Query) -> list[IndicatorValue]:
    return [tally("community_messages", q.scalar(_messages(q.shape)))]


@cache
def _events(shape: Shape) -> tuple[Statement, Statement]:
    held = (
        select(Event.kind, func.count())
        .where(
            Event.kind.in_(HELD_EVENT_KINDS),
            *shape.held(Event.day),
            *shape.within(Event.community_id),
        )
        .group_by(Event.kind)
    )
    training = (
        select(func.count(), func.count(Attendance.person_id.distinct()))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(Event.kind == "training", *shape.held(Event.day), *shape.within(Event.community_id))
    )
    return held, training


def events(q: Query) -> list[IndicatorValue]:
    held, training = _events(q.shape)
    rows = q.all(held)
    by_kind: dict[str, DetailValue] = dict.fromkeys(HELD_EVENT_KINDS, 0)
    by_kind.update({kind: to_int(n) for kind, n in rows})
    attendances, people = q.one(training)
    return [
        tally("events_held", sum(to_int(n) for _, n in rows), **by_kind),
        tally("training_participation", attendances, people=to_int(people)),
    ]


@cache
def _pulse(shape: Shape) -> tuple[Statement, Statement]:
    sent = [*shape.at(PulseQuestion.sent_at), *shape.within(PulseQuestion.community_id)]
    answers = (
        select(func.avg(PulseResponse.score), func.count(PulseResponse.id))
        .join(PulseQuestion, PulseQuestion.id == PulseResponse.question_id)
        .where(*sent)
    )
    return answers, select(func.sum(PulseQuestion.recipients)).where(*sent)


def pulse(q: Query) -> list[IndicatorValue]:
    answers, asked = _pulse(q.shape)
    average, responses = q.one(answers)
    recipients = q.scalar(asked)
    responses = to_int(responses)
    return [
        figure(
            "pulse_score",
            to_float(average),
            responses=responses,
            response_rate=share(responses, to_int(recipients)),
        )
    ]


@cache
def _time_logged(shape: Shape) -> Statement:
    statement = select(func.sum(TimeLog.hours), func.count(TimeLog.person_id.distinct())).where(
        *shape.at(TimeLog.at)
    )
    if shape.kind != "org":
        statement = statement.outerjoin(Idea, Idea.id == TimeLog.idea_id).where(
            *shape.within(func.coalesce(TimeLog.community_id, Idea.community_id))
        )
    return statement


def time_logged(q: Query) -> list[IndicatorValue]:
    """Hours logged; a log without a community counts for the community of its idea."""
    hours, people = q.one(_time_logged(q.shape))
    return [figure("innovation_hours", to_float(hours) or 0.0, people=to_int(people))]
