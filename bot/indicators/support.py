"""Help and feedback: requests opened, answered and resolved; feedback on deliverables and
from outside.

Each statement is built once per kind of scope (``@cache`` on a :class:`Shape`) and run with
the computation's parameters (:attr:`Query.params`)."""

from __future__ import annotations

import statistics
from functools import cache

from sqlalchemy import case, func, select

from bot.indicators.definitions import IndicatorValue
from bot.indicators.query import Query, Shape, Statement, figure, share, tally, to_float, to_int
from storage.models import Feedback, HelpRequest
from storage.sql import hours_between

EXTERNAL_SOURCES = ("constituent", "partner")
DELIVERABLE_TARGETS = ("deliverable", "community")


@cache
def _feedback(shape: Shape) -> Statement:
    external = Feedback.source.in_(EXTERNAL_SOURCES)
    deliverable = Feedback.target_kind.in_(DELIVERABLE_TARGETS)
    return select(
        func.count(case((deliverable, 1))),
        func.avg(case((deliverable, Feedback.rating))),
        func.count(case((external, 1))),
        func.count(case((external, Feedback.rating))),
        func.avg(case((external, Feedback.rating))),
    ).where(*shape.at(Feedback.created_at), *shape.within(Feedback.community_id))


def feedback(q: Query) -> list[IndicatorValue]:
    on_deliverables, deliverable_avg, from_outside, rated, outside_avg = q.one(_feedback(q.shape))
    return [
        tally("deliverable_feedback", on_deliverables, average_rating=to_float(deliverable_avg)),
        figure(
            "constituent_satisfaction",
            to_float(outside_avg),
            count=to_int(from_outside),
            rated=to_int(rated),
        ),
    ]


@cache
def _help_requests(shape: Shape) -> tuple[Statement, Statement]:
    in_period = [*shape.at(HelpRequest.created_at), *shape.within(HelpRequest.community_id)]
    counts = select(func.count(), func.count(case((HelpRequest.status == "resolved", 1)))).where(
        *in_period
    )
    waits = select(hours_between(HelpRequest.created_at, HelpRequest.first_response_at)).where(
        *in_period, HelpRequest.first_response_at.is_not(None)
    )
    return counts, waits


def help_requests(q: Query) -> list[IndicatorValue]:
    counts, hours = _help_requests(q.shape)
    opened, resolved = q.one(counts)
    opened, resolved = to_int(opened), to_int(resolved)
    waits = [
        round(float(h), 6)  # the database's float arithmetic, to the nearest 3.6 ms
        for h in q.scalars(hours)
        if h is not None
    ]
    return [
        tally("requests_opened", opened),
        figure(
            "time_to_first_response",
            statistics.median(waits) if waits else None,
            responded=len(waits),
        ),
        figure(
            "requests_resolved_share", share(resolved, opened), opened=opened, resolved=resolved
        ),
    ]
