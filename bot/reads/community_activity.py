"""Each community of a scope over a period: messages, ideas and requests, the median time to a
first offer of help, the requests open now and those unanswered, and whether it went silent.

The figures follow the indicator definitions (``community_messages``, ``ideas_submitted``,
``requests_opened``, ``time_to_first_response`` for a community scope; the tests hold them to
``compute``), read grouped by community in a handful of statements instead of once per
community. Silent and unanswered mean what the focal-point digest means by them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import local_midnight_utc
from bot.indicators.definitions import Scope
from bot.indicators.query import within
from bot.periods import Period
from bot.reads.focal_data import silent, unanswered
from storage.models import Community, HelpRequest, Idea, ParticipationDay, Unit
from storage.sql import hours_between


@dataclass(frozen=True, slots=True)
class CommunityRow:
    name: str
    unit: str
    messages: int
    ideas: int
    requests: int
    median_first_response_hours: float | None
    responded: int
    open_requests: int
    unanswered: int
    silent: bool


def activity(
    session: Session, *, scope: Scope, period: Period, tz: ZoneInfo, now: datetime
) -> list[CommunityRow]:
    """The scope's communities (not archived), the busiest first."""
    communities = session.execute(
        select(Community.id, Community.name, Unit.name)
        .outerjoin(Unit, Unit.id == Community.unit_id)
        .where(Community.archived_at.is_(None), *within(scope, Community.id))
    ).all()
    ids = [cid for cid, _, _ in communities]
    if not ids:
        return []
    start, end = local_midnight_utc(period.start, tz), local_midnight_utc(period.end, tz)

    def grouped(statement: object) -> dict[int, int]:
        return {cid: int(n or 0) for cid, n in session.execute(statement)}  # type: ignore[call-overload]

    messages = grouped(
        select(ParticipationDay.community_id, func.sum(ParticipationDay.messages))
        .where(
            *within(scope, ParticipationDay.community_id),
            ParticipationDay.day >= period.start,
            ParticipationDay.day < period.end,
        )
        .group_by(ParticipationDay.community_id)
    )
    ideas = grouped(
        select(Idea.community_id, func.count())
        .where(*within(scope, Idea.community_id), Idea.created_at >= start, Idea.created_at < end)
        .group_by(Idea.community_id)
    )
    in_period = [
        *within(scope, HelpRequest.community_id),
        HelpRequest.created_at >= start,
        HelpRequest.created_at < end,
    ]
    requests = grouped(
        select(HelpRequest.community_id, func.count())
        .where(*in_period)
        .group_by(HelpRequest.community_id)
    )
    waits: dict[int, list[float]] = defaultdict(list)
    for cid, hours in session.execute(
        select(
            HelpRequest.community_id,
            hours_between(HelpRequest.created_at, HelpRequest.first_response_at),
        ).where(*in_period, HelpRequest.first_response_at.is_not(None))
    ):
        if cid is not None and hours is not None:
            waits[cid].append(round(float(hours), 6))
    open_now = grouped(
        select(HelpRequest.community_id, func.count())
        .where(*within(scope, HelpRequest.community_id), HelpRequest.status == "open")
        .group_by(HelpRequest.community_id)
    )
    waiting = grouped(
        select(HelpRequest.community_id, func.count())
        .where(*within(scope, HelpRequest.community_id), unanswered(now))
        .group_by(HelpRequest.community_id)
    )
    quiet = silent(session, set(ids), now)
    rows = [
        CommunityRow(
            name=name,
            unit=unit or "",
            messages=messages.get(cid, 0),
            ideas=ideas.get(cid, 0),
            requests=requests.get(cid, 0),
            median_first_response_hours=(statistics.median(waits[cid]) if waits.get(cid) else None),
            responded=len(waits.get(cid, [])),
            open_requests=open_now.get(cid, 0),
            unanswered=waiting.get(cid, 0),
            silent=cid in quiet,
        )
        for cid, name, unit in communities
    ]
    rows.sort(key=lambda r: (-(r.messages + r.ideas + r.requests), r.name))
    return rows
