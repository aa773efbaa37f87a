"""Read-only snapshots of stored items, built inside a transaction and safe to use after it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.i18n import lazy
from storage.models import (
    Attendance,
    Community,
    CreditedHelper,
    Event,
    HelpOffer,
    HelpRequest,
    Idea,
    Person,
)
from storage.sql import among

FORMER = lazy("a former member")
CHUNK = 500


@dataclass(frozen=True, slots=True)
class StageStep:
    at: datetime
    from_stage: str | None
    to_stage: str
    actor: str
    note: str | None


@dataclass(frozen=True, slots=True)
class IdeaView:
    id: int
    title: str
    description: str | None
    stage: str
    scaling: str
    votes: int
    themes: tuple[str, ...]
    author: str
    champion: str
    champion_id: int | None
    community: str | None
    community_id: int | None
    permalink: str | None
    lessons: str | None
    created_at: datetime
    stage_changed_at: datetime
    history: tuple[StageStep, ...] = ()

    @property
    def ref(self) -> str:
        return f"I-{self.id}"


@dataclass(frozen=True, slots=True)
class RequestView:
    id: int
    question: str
    tags: tuple[str, ...]
    status: str
    requester: str
    requester_id: int | None
    community: str | None
    community_id: int | None
    permalink: str | None
    created_at: datetime
    first_response_at: datetime | None
    offers: tuple[str, ...] = ()
    helpers: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return f"R-{self.id}"


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    title: str
    day: date
    kind: str
    community: str | None
    attendees: int

    @property
    def ref(self) -> str:
        return f"E-{self.id}"


def person_label(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return str(FORMER)
    person = session.get(Person, person_id)
    return person.label if person is not None else str(FORMER)


def community_name(session: Session, community_id: int | None) -> str | None:
    if community_id is None:
        return None
    return session.scalar(select(Community.name).where(Community.id == community_id))


def _chunks(ids: Iterable[int | None]) -> Iterable[list[int]]:
    ordered = sorted({i for i in ids if i is not None})
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _loaded(session: Session, model: type[Any], ids: Iterable[int | None]) -> dict[int, Any]:
    """Rows of ``model`` already in the session (read earlier in this transaction)."""
    found: dict[int, Any] = {}
    if not session.identity_map:
        return found
    for i in ids:
        if i is not None:
            row = session.identity_map.get(Session.identity_key(model, i))
            if row is not None:
                found[i] = row
    return found


def person_labels(session: Session, person_ids: Iterable[int | None]) -> dict[int, str]:
    """How each person is shown: people already in the session, the rest read in one query
    however many they are (absent people are left out: :func:`label_of` shows them as a
    former member)."""
    wanted = set(person_ids)
    found = {i: p.label for i, p in _loaded(session, Person, wanted).items()}
    missing = [i for i in wanted - found.keys() if i is not None]
    if missing:
        rows = session.execute(
            select(Person.id, Person.display_name, Person.forgotten_at).where(
                among(Person.id, missing)
            )
        )
        for person_id, name, forgotten in rows:  # the same rule as Person.label
            found[person_id] = (
                str(FORMER) if forgotten is not None else name or f"person {person_id}"
            )
    return found


def label_of(labels: Mapping[int, str], person_id: int | None) -> str:
    return labels.get(person_id, str(FORMER)) if person_id is not None else str(FORMER)


def community_names(session: Session, community_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = set(community_ids)
    found = {i: c.name for i, c in _loaded(session, Community, wanted).items()}
    for chunk in _chunks(wanted - found.keys()):
        rows = session.execute(select(Community.id, Community.name).where(Community.id.in_(chunk)))
        found.update({cid: name for cid, name in rows})
    return found


def _idea(
    idea: Idea,
    labels: Mapping[int, str],
    names: Mapping[int, str],
    history: tuple[StageStep, ...] = (),
) -> IdeaView:
    return IdeaView(
        id=idea.id,
        title=idea.title,
        description=idea.description,
        stage=idea.stage,
        scaling=idea.scaling,
        votes=idea.votes,
        themes=tuple(idea.themes or ()),
        author=label_of(labels, idea.author_id),
        champion=label_of(labels, idea.champion_id),
        champion_id=idea.champion_id,
        community=names.get(idea.community_id) if idea.community_id is not None else None,
        community_id=idea.community_id,
        permalink=idea.permalink,
        lessons=idea.lessons,
        created_at=idea.created_at,
        stage_changed_at=idea.stage_changed_at,
        history=history,
    )


def idea_view(session: Session, idea: Idea, *, history: tuple[StageStep, ...] = ()) -> IdeaView:
    return idea_views(session, [idea], history=history)[0]


def idea_views(
    session: Session, ideas: Sequence[Idea], *, history: tuple[StageStep, ...] = ()
) -> list[IdeaView]:
    """Views of many ideas: one query for the people and one for the communities they name."""
    labels = person_labels(session, [p for i in ideas for p in (i.author_id, i.champion_id)])
    names = community_names(session, [i.community_id for i in ideas])
    return [_idea(i, labels, names, history) for i in ideas]


def request_view(
    session: Session,
    request: HelpRequest,
    *,
    offers: tuple[str, ...] = (),
    helpers: tuple[str, ...] = (),
) -> RequestView:
    labels = person_labels(session, [request.requester_id])
    names = community_names(session, [request.community_id])
    return _request(request, labels, names, offers=offers, helpers=helpers)


def _request(
    request: HelpRequest,
    labels: Mapping[int, str],
    names: Mapping[int, str],
    *,
    offers: tuple[str, ...] = (),
    helpers: tuple[str, ...] = (),
) -> RequestView:
    return RequestView(
        id=request.id,
        question=request.question,
        tags=tuple(request.tags or ()),
        status=request.status,
        requester=label_of(labels, request.requester_id),
        requester_id=request.requester_id,
        community=names.get(request.community_id) if request.community_id is not None else None,
        community_id=request.community_id,
        permalink=request.permalink,
        created_at=request.created_at,
        first_response_at=request.first_response_at,
        offers=offers,
        helpers=helpers,
    )


def full_request_views(session: Session, requests: Sequence[HelpRequest]) -> list[RequestView]:
    """Views of many requests with who offered and who was credited: four queries in all."""
    ids = [r.id for r in requests]
    offers: dict[int, list[int]] = {}
    helpers: dict[int, list[int]] = {}
    for chunk in _chunks(ids):
        for request_id, person_id in session.execute(
            select(HelpOffer.request_id, HelpOffer.person_id)
            .where(HelpOffer.request_id.in_(chunk))
            .order_by(HelpOffer.at, HelpOffer.id)
        ):
            offers.setdefault(request_id, []).append(person_id)
        for request_id, person_id in session.execute(
            select(CreditedHelper.request_id, CreditedHelper.person_id)
            .where(CreditedHelper.request_id.in_(chunk))
            .order_by(CreditedHelper.id)
        ):
            helpers.setdefault(request_id, []).append(person_id)
    people = [r.requester_id for r in requests]
    people += [p for found in (offers, helpers) for ps in found.values() for p in ps]
    labels = person_labels(session, people)
    names = community_names(session, [r.community_id for r in requests])
    return [
        _request(
            r,
            labels,
            names,
            offers=tuple(label_of(labels, p) for p in offers.get(r.id, ())),
            helpers=tuple(label_of(labels, p) for p in helpers.get(r.id, ())),
        )
        for r in requests
    ]


def event_view(session: Session, event: Event, attendees: int) -> EventView:
    return _event(event, community_names(session, [event.community_id]), attendees)


def _event(event: Event, names: Mapping[int, str], attendees: int) -> EventView:
    return EventView(
        id=event.id,
        title=event.title,
        day=event.day,
        kind=event.kind,
        community=names.get(event.community_id) if event.community_id is not None else None,
        attendees=attendees,
    )


def event_views(session: Session, events: Sequence[Event]) -> list[EventView]:
    """Views of many events with their attendance: one query for the counts, one for names."""
    counts: dict[int, int] = {}
    for chunk in _chunks([e.id for e in events]):
        rows = session.execute(
            select(Attendance.event_id, func.count(Attendance.id))
            .where(Attendance.event_id.in_(chunk))
            .group_by(Attendance.event_id)
        )
        counts.update({event_id: int(n) for event_id, n in rows})
    names = community_names(session, [e.community_id for e in events])
    return [_event(e, names, counts.get(e.id, 0)) for e in events]
