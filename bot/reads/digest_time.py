"""What a digest run finds by time rather than by community, read once for the whole run.

Offers of help and check-ins carry their time but not their community (that is their
request's, their event's); stage changes likewise (their idea's). Walking each community's
requests, events or ideas to find the week's few would read every community's history, so
for many communities these rows are found by time: one pass over the week per window for the
counts, one pass over all the weeks for the stage moves, however the run is cut into parts
(:func:`bot.reads.digest_data.collect` takes the result). For a few communities they are
found by community.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from bot.reads.digest_views import Window
from storage.models import Attendance, Event, HelpOffer, HelpRequest, Idea, StageChange
from storage.sql import among

BY_TIME_FROM = 50  # communities from which these rows are found by time


@dataclass(slots=True)
class TimeLed:
    """Per community: offers and check-ins (this week, the week before), and stage moves in
    the community's week, oldest first."""

    offers: dict[int, tuple[int, int]] = field(default_factory=dict)
    attendances: dict[int, tuple[int, int]] = field(default_factory=dict)
    moves: dict[int, list[Any]] = field(default_factory=dict)


def which(community: Any, ids: Sequence[int]) -> list[ColumnElement[bool]]:
    """The condition on the community for a query led by time: for a few communities, their
    ids; for many, none (every row of the period is read once, and the caller keeps those of
    its communities)."""
    return [among(community, ids)] if len(ids) < BY_TIME_FROM else []


def grouped(
    session: Session,
    community: Any,
    at: Any,
    window: Window,
    where: list[ColumnElement[bool]],
    joined: Any = None,
) -> dict[int, tuple[int, int]]:
    """Per community: (count in the window, count in the week before)."""
    statement: Select[Any] = select(
        community,
        func.count(case((at >= window.start, 1))),
        func.count(case((at < window.start, 1))),
    )
    if joined is not None:
        statement = statement.join(*joined)
    rows = session.execute(
        statement.where(*where, at >= window.previous_start, at < window.end).group_by(community)
    ).all()
    return {cid: (int(now or 0), int(before or 0)) for cid, now, before in rows}


def time_led(session: Session, wanted: Sequence[tuple[int, Window]]) -> TimeLed:
    """Offers, check-ins and stage moves of the communities in ``wanted``."""
    found = TimeLed()
    by_window: dict[Window, list[int]] = {}
    for community_id, window in wanted:
        by_window.setdefault(window, []).append(community_id)
    for window, ids in by_window.items():
        offers = grouped(
            session,
            HelpRequest.community_id,
            HelpOffer.at,
            window,
            which(HelpRequest.community_id, ids),
            (HelpRequest, HelpRequest.id == HelpOffer.request_id),
        )
        attendances = grouped(
            session,
            Event.community_id,
            Attendance.at,
            window,
            which(Event.community_id, ids),
            (Event, Event.id == Attendance.event_id),
        )
        for cid in ids:
            found.offers[cid] = offers.get(cid, (0, 0))
            found.attendances[cid] = attendances.get(cid, (0, 0))
    if wanted:
        found.moves = _moves(session, dict(wanted))
    return found


def _moves(session: Session, windows: dict[int, Window]) -> dict[int, list[Any]]:
    """Stage changes in each community's week, in one query over the time the weeks span."""
    start = min(window.start for window in windows.values())
    end = max(window.end for window in windows.values())
    out: dict[int, list[Any]] = {}
    for row in session.execute(
        select(
            Idea.community_id,
            StageChange.idea_id,
            Idea.title,
            StageChange.from_stage,
            StageChange.to_stage,
            StageChange.note,
            Idea.lessons,
            Idea.permalink,
            StageChange.at,
        )
        .join(Idea, Idea.id == StageChange.idea_id)
        .where(*which(Idea.community_id, list(windows)), StageChange.from_stage.is_not(None))
        .where(StageChange.at >= start, StageChange.at < end)
        .order_by(StageChange.at, StageChange.id)
    ).all():
        window = windows.get(row.community_id)
        if window is not None and window.start <= row.at < window.end:
            out.setdefault(row.community_id, []).append(row)
    return out
