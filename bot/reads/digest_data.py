"""What happened in a community over a week, for many communities at once.

Communities that share a week window (same time zone and digest day) are read together, a
dozen grouped queries per window; stage changes and open requests in one query for all
windows. The communities go to the database as one parameter (``storage.sql.among``), so the
number of statements does not grow with the number of communities: a run for ten thousand
costs what a run for ten does in round trips. Everything returned is a frozen snapshot, safe
to use after the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from bot.reads.digest_views import (
    CommunityWeek,
    Counts,
    Highlight,
    NewIdea,
    OpenRequest,
    ResolvedRequest,
    StageMove,
    Upcoming,
    Window,
)
from bot.reads.recipients import names
from storage.models import (
    Attendance,
    Community,
    CreditedHelper,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    ParticipationDay,
    StageChange,
)
from storage.sql import among
from storage.uow import UnitOfWork

UPCOMING_DAYS = 14
BY_TIME_FROM = 50  # communities from which rows found by time are read by time alone


def collect(
    uow: UnitOfWork,
    wanted: Sequence[tuple[int, Window]],
    *,
    as_of: datetime,
    open_cap: int = 10,
) -> dict[int, CommunityWeek]:
    """The week of each community in ``wanted`` (community id, window), read in one transaction."""
    with uow:
        return collect_in(uow.session, wanted, as_of=as_of, open_cap=open_cap)


def collect_in(
    session: Session,
    wanted: Sequence[tuple[int, Window]],
    *,
    as_of: datetime,
    open_cap: int = 10,
) -> dict[int, CommunityWeek]:
    by_window: dict[Window, list[int]] = {}
    for community_id, window in wanted:
        by_window.setdefault(window, []).append(community_id)
    all_ids = [cid for cid, _ in wanted]
    labels: dict[int, str] = {
        cid: name
        for cid, name in session.execute(
            select(Community.id, Community.name).where(among(Community.id, all_ids))
        ).all()
    }
    weeks = {
        cid: CommunityWeek(cid, labels.get(cid, f"community {cid}"), window)
        for cid, window in wanted
    }
    people: set[int] = set()
    raw: list[tuple[str, int, Any]] = []
    for window, ids in by_window.items():
        _counts(session, window, ids, weeks)
        raw += _details(session, window, ids, as_of, people)
    if weeks:
        raw += _moves(session, weeks)
        raw += _open_requests(session, all_ids, as_of, open_cap, weeks, people)
    who = names(session, people)
    for kind, community_id, row in raw:
        _attach(weeks[community_id], kind, row, who)
    for week in weeks.values():
        week.new_ideas.sort(key=lambda i: (-i.votes, i.id))
    return weeks


def _for(community: Any, ids: Sequence[int]) -> list[ColumnElement[bool]]:
    """The condition that keeps rows of ``ids`` for a query led by time (the time is in a table
    without the community): for a few communities, go by community; for many, every row of
    the period is read once and the caller keeps those of ``ids``, rather than walking each
    community's whole history."""
    return [among(community, ids)] if len(ids) < BY_TIME_FROM else []


def _grouped(
    session: Session, community: Any, at: Any, window: Window, ids: list[int], joined: Any = None
) -> dict[int, tuple[int, int]]:
    """Per community: (count in the window, count in the week before); with ``joined``, the
    time is the joined table's and the rows are found by time (:func:`_for`)."""
    statement: Select[Any] = select(
        community,
        func.count(case((at >= window.start, 1))),
        func.count(case((at < window.start, 1))),
    )
    which = [among(community, ids)]
    if joined is not None:
        statement = statement.join(*joined)
        which = _for(community, ids)
    rows = session.execute(
        statement.where(*which, at >= window.previous_start, at < window.end).group_by(community)
    ).all()
    return {cid: (int(now or 0), int(before or 0)) for cid, now, before in rows}


def _counts(
    session: Session, window: Window, ids: list[int], weeks: dict[int, CommunityWeek]
) -> None:
    ideas = _grouped(session, Idea.community_id, Idea.created_at, window, ids)
    requests = _grouped(session, HelpRequest.community_id, HelpRequest.created_at, window, ids)
    offers = _grouped(
        session,
        HelpRequest.community_id,
        HelpOffer.at,
        window,
        ids,
        (HelpRequest, HelpRequest.id == HelpOffer.request_id),
    )
    feedback = _grouped(session, Feedback.community_id, Feedback.created_at, window, ids)
    attendances = _grouped(
        session,
        Event.community_id,
        Attendance.at,
        window,
        ids,
        (Event, Event.id == Attendance.event_id),
    )
    previous_first = window.first_day - (window.end_day - window.first_day)
    day = ParticipationDay.day  # one row per community and day, kept by the database
    messages = {
        cid: (int(now or 0), int(before or 0))
        for cid, now, before in session.execute(
            select(
                ParticipationDay.community_id,
                func.sum(case((day >= window.first_day, ParticipationDay.messages))),
                func.sum(case((day < window.first_day, ParticipationDay.messages))),
            )
            .where(
                day >= previous_first,
                day < window.end_day,
                among(ParticipationDay.community_id, ids),
            )
            .group_by(ParticipationDay.community_id)
        ).all()
    }
    for cid in ids:
        figures = [d.get(cid, (0, 0)) for d in (ideas, requests, offers, feedback, attendances)]
        figures.append(messages.get(cid, (0, 0)))
        weeks[cid].this = Counts(*(f[0] for f in figures))
        weeks[cid].previous = Counts(*(f[1] for f in figures))


def _details(
    session: Session,
    window: Window,
    ids: list[int],
    as_of: datetime,
    people: set[int],
) -> list[tuple[str, int, Any]]:
    """The listed items of one week window, as (kind, community id, row); names are resolved
    afterwards."""
    out: list[tuple[str, int, Any]] = []
    in_window = (window.start, window.end)

    for row in session.execute(
        select(Idea.community_id, Idea.id, Idea.title, Idea.votes, Idea.author_id, Idea.stage)
        .add_columns(Idea.permalink)
        .where(among(Idea.community_id, ids), Idea.created_at >= in_window[0])
        .where(Idea.created_at < in_window[1])
    ).all():
        if row.author_id:
            people.add(row.author_id)
        out.append(("idea", row.community_id, row))

    resolved = session.execute(
        select(HelpRequest.community_id, HelpRequest.id, HelpRequest.question)
        .add_columns(HelpRequest.permalink)
        .where(among(HelpRequest.community_id, ids), HelpRequest.status == "resolved")
        .where(HelpRequest.resolved_at >= in_window[0], HelpRequest.resolved_at < in_window[1])
        .order_by(HelpRequest.resolved_at, HelpRequest.id)
    ).all()
    helpers: dict[int, list[int]] = {}
    if resolved:
        for request_id, person_id in session.execute(
            select(CreditedHelper.request_id, CreditedHelper.person_id)
            .where(among(CreditedHelper.request_id, [r.id for r in resolved]))
            .order_by(CreditedHelper.id)
        ).all():
            helpers.setdefault(request_id, []).append(person_id)
            people.add(person_id)
    for row in resolved:
        out.append(("resolved", row.community_id, (row, tuple(helpers.get(row.id, ())))))

    for row in session.execute(
        select(
            Feedback.community_id,
            Feedback.id,
            Feedback.rating,
            Feedback.text,
            Feedback.anonymous,
            Feedback.author_id,
            Feedback.target_kind,
            Feedback.target_id,
            Feedback.permalink,
        )
        .where(among(Feedback.community_id, ids), Feedback.rating >= 4)
        .where(Feedback.text.is_not(None))
        .where(Feedback.created_at >= in_window[0], Feedback.created_at < in_window[1])
        .order_by(Feedback.rating.desc(), Feedback.created_at, Feedback.id)
    ).all():
        if row.author_id and not row.anonymous:
            people.add(row.author_id)
        out.append(("highlight", row.community_id, row))

    today = as_of.astimezone(window.tz).date()
    events = session.execute(
        select(Event.community_id, Event.id, Event.title, Event.day, Event.kind)
        .where(among(Event.community_id, ids), Event.day >= today)
        .where(Event.day < today + timedelta(days=UPCOMING_DAYS))
        .order_by(Event.day, Event.id)
    ).all()
    attending: dict[int, int] = {}
    if events:
        attending = {
            event_id: int(n)
            for event_id, n in session.execute(
                select(Attendance.event_id, func.count())
                .where(among(Attendance.event_id, [e.id for e in events]))
                .group_by(Attendance.event_id)
            ).all()
        }
    for row in events:
        out.append(("event", row.community_id, (row, attending.get(row.id, 0))))
    return out


def _moves(session: Session, weeks: dict[int, CommunityWeek]) -> list[tuple[str, int, Any]]:
    """Stage changes in each community's week, in one query over the time the weeks span."""
    start = min(week.window.start for week in weeks.values())
    end = max(week.window.end for week in weeks.values())
    out: list[tuple[str, int, Any]] = []
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
        .where(*_for(Idea.community_id, list(weeks)), StageChange.from_stage.is_not(None))
        .where(StageChange.at >= start, StageChange.at < end)
        .order_by(StageChange.at, StageChange.id)
    ).all():
        week = weeks.get(row.community_id)
        if week is not None and week.window.start <= row.at < week.window.end:
            out.append(("move", row.community_id, row))
    return out


def _open_requests(
    session: Session,
    ids: list[int],
    as_of: datetime,
    open_cap: int,
    weeks: dict[int, CommunityWeek],
    people: set[int],
) -> list[tuple[str, int, Any]]:
    """The oldest ``open_cap`` requests still waiting for an answer in each community, and how
    many wait in all."""
    ranked = (
        select(
            HelpRequest.community_id,
            HelpRequest.id,
            HelpRequest.question,
            HelpRequest.requester_id,
            HelpRequest.created_at,
            HelpRequest.permalink,
            func.row_number()
            .over(
                partition_by=HelpRequest.community_id,
                order_by=(HelpRequest.created_at, HelpRequest.id),
            )
            .label("rank"),
            func.count().over(partition_by=HelpRequest.community_id).label("total"),
        )
        .where(
            among(HelpRequest.community_id, ids),
            HelpRequest.status == "open",
            HelpRequest.first_response_at.is_(None),
            HelpRequest.created_at <= as_of,
        )
        .subquery()
    )
    out: list[tuple[str, int, Any]] = []
    for row in session.execute(
        select(ranked).where(ranked.c.rank <= open_cap).order_by(ranked.c.rank)
    ).all():
        if row.requester_id:
            people.add(row.requester_id)
        weeks[row.community_id].open_total = int(row.total)
        out.append(("open", row.community_id, row))
    return out


_TARGETS = {"idea": "I", "request": "R", "event": "E"}


def _target(kind: str, target_id: int | None) -> str:
    if kind in _TARGETS and target_id is not None:
        return f"{_TARGETS[kind]}-{target_id}"
    return "a deliverable" if kind == "deliverable" else "the community"


def _attach(week: CommunityWeek, kind: str, row: Any, who: dict[int, str]) -> None:
    def name(person_id: int | None) -> str:
        return who.get(person_id, "a former member") if person_id else "a former member"

    if kind == "idea":
        week.new_ideas.append(
            NewIdea(
                row.id, row.title, int(row.votes), name(row.author_id), row.stage, row.permalink
            )
        )
    elif kind == "move":
        move = StageMove(
            row.idea_id,
            row.title,
            row.from_stage,
            row.to_stage,
            row.note,
            row.lessons,
            row.permalink,
        )
        (week.shelved if row.to_stage == "shelved" else week.moves).append(move)
    elif kind == "open":
        week.open_requests.append(
            OpenRequest(row.id, row.question, name(row.requester_id), row.created_at, row.permalink)
        )
    elif kind == "resolved":
        request, helper_ids = row
        week.resolved.append(
            ResolvedRequest(
                request.id,
                request.question,
                tuple(name(p) for p in helper_ids),
                request.permalink,
            )
        )
    elif kind == "highlight":
        author = None if row.anonymous or row.author_id is None else name(row.author_id)
        week.highlights.append(
            Highlight(
                row.id,
                int(row.rating),
                row.text,
                author,
                _target(row.target_kind, row.target_id),
                row.permalink,
            )
        )
    elif kind == "event":
        event, attendees = row
        week.upcoming.append(Upcoming(event.id, event.title, event.day, event.kind, attendees))
