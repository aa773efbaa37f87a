"""Read-only snapshots of stored items, built inside a transaction and safe to use after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Community, Event, HelpRequest, Idea, Person


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
        return "a former member"
    person = session.get(Person, person_id)
    return person.label if person is not None else "a former member"


def community_name(session: Session, community_id: int | None) -> str | None:
    if community_id is None:
        return None
    return session.scalar(select(Community.name).where(Community.id == community_id))


def idea_view(session: Session, idea: Idea, *, history: tuple[StageStep, ...] = ()) -> IdeaView:
    return IdeaView(
        id=idea.id,
        title=idea.title,
        description=idea.description,
        stage=idea.stage,
        scaling=idea.scaling,
        votes=idea.votes,
        themes=tuple(idea.themes or ()),
        author=person_label(session, idea.author_id),
        champion=person_label(session, idea.champion_id),
        champion_id=idea.champion_id,
        community=community_name(session, idea.community_id),
        community_id=idea.community_id,
        permalink=idea.permalink,
        lessons=idea.lessons,
        created_at=idea.created_at,
        stage_changed_at=idea.stage_changed_at,
        history=history,
    )


def request_view(
    session: Session,
    request: HelpRequest,
    *,
    offers: tuple[str, ...] = (),
    helpers: tuple[str, ...] = (),
) -> RequestView:
    return RequestView(
        id=request.id,
        question=request.question,
        tags=tuple(request.tags or ()),
        status=request.status,
        requester=person_label(session, request.requester_id),
        requester_id=request.requester_id,
        community=community_name(session, request.community_id),
        community_id=request.community_id,
        permalink=request.permalink,
        created_at=request.created_at,
        first_response_at=request.first_response_at,
        offers=offers,
        helpers=helpers,
    )


def event_view(session: Session, event: Event, attendees: int) -> EventView:
    return EventView(
        id=event.id,
        title=event.title,
        day=event.day,
        kind=event.kind,
        community=community_name(session, event.community_id),
        attendees=attendees,
    )
