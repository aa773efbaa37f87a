"""Help and feedback: requests opened, answered and resolved; feedback on deliverables and
from outside."""

from __future__ import annotations

import statistics

from sqlalchemy import case, func, select

from bot.indicators.definitions import IndicatorValue
from bot.indicators.query import Query, figure, share, tally, to_float, to_int
from bot.indicators.sql import hours_between
from storage.models import Feedback, HelpRequest

EXTERNAL_SOURCES = ("constituent", "partner")
DELIVERABLE_TARGETS = ("deliverable", "community")


def feedback(q: Query) -> list[IndicatorValue]:
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
        tally("deliverable_feedback", on_deliverables, average_rating=to_float(deliverable_avg)),
        figure(
            "constituent_satisfaction",
            to_float(outside_avg),
            count=to_int(from_outside),
            rated=to_int(rated),
        ),
    ]


def help_requests(q: Query) -> list[IndicatorValue]:
    in_period = [*q.at(HelpRequest.created_at), *q.within(HelpRequest.community_id)]
    opened, resolved = q.session.execute(
        select(func.count(), func.count(case((HelpRequest.status == "resolved", 1)))).where(
            *in_period
        )
    ).one()
    opened, resolved = to_int(opened), to_int(resolved)
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
