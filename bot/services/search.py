"""Search: ideas, lessons learned, requests (and how they were resolved) and events.

Two rankings are fused: the database's full-text search (words, stems, corrected typos)
and the sentence embeddings (meaning, across English, French, Spanish and more). A hit
found by both ranks first; a hit found by meaning alone must be close enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.knowledge import embedder, fulltext, vectors
from bot.periods import parse_period
from bot.reads.views import community_name, idea_view, person_label
from bot.services.access import find_community, load_caller
from bot.services.context import Context
from bot.services.themes import find_theme
from storage.models import CreditedHelper, Event, HelpRequest, Idea, KnowledgeDoc
from storage.uow import UnitOfWork

KINDS = ("idea", "lesson", "request", "event")
CANDIDATES = 40
MIN_MEANING = 0.35  # cosine below which a hit by meaning alone is left out
_RRF = 20.0


@dataclass(frozen=True, slots=True)
class Found:
    kind: str
    ref: str
    title: str
    details: tuple[str, ...]
    link: str | None
    score: float


def _window(period: str | None, ctx: Context) -> tuple[datetime | None, datetime | None]:
    if not period:
        return None, None
    p = parse_period(period, today=ctx.now.astimezone(ctx.timezone).date())
    return (
        datetime.combine(p.start, time(), tzinfo=UTC),
        datetime.combine(p.end, time(), tzinfo=UTC),
    )


def _allowed(doc: KnowledgeDoc, filters: fulltext.Filters) -> bool:
    if doc.kind not in filters.kinds:
        return False
    if filters.community_id is not None and doc.community_id != filters.community_id:
        return False
    if filters.theme and f"|{filters.theme}|" not in doc.themes:
        return False
    if filters.since is not None and doc.created_at < filters.since:
        return False
    return not (filters.until is not None and doc.created_at >= filters.until)


def rank(session: Session, query: str, filters: fulltext.Filters, *, limit: int) -> list[int]:
    """Document ids, best first."""
    scores: dict[int, float] = {}
    for i, word_hit in enumerate(fulltext.search(session, query, filters, limit=CANDIDATES)):
        scores[word_hit.doc_id] = 1.0 / (_RRF + i)
    if embedder.available():
        hits = vectors.nearest(
            session,
            embedder.embed_one(query),
            kinds=filters.kinds,
            limit=CANDIDATES,
            min_score=MIN_MEANING,
            community_id=filters.community_id,
        )
        for i, hit in enumerate(hits):
            scores[hit.doc_id] = scores.get(hit.doc_id, 0.0) + 1.0 / (_RRF + i) + hit.score / 10
    if not scores:
        return []
    docs = {
        d.id: d for d in session.scalars(select(KnowledgeDoc).where(KnowledgeDoc.id.in_(scores)))
    }
    ordered = sorted(scores, key=lambda d: -scores[d])
    return [d for d in ordered if d in docs and _allowed(docs[d], filters)][:limit]


def describe(session: Session, doc: KnowledgeDoc, score: float = 0.0) -> Found | None:
    """What a hit shows: the item's title and state, who champions or helped."""
    if doc.kind in ("idea", "lesson"):
        idea = session.get(Idea, doc.item_id)
        if idea is None:
            return None
        view = idea_view(session, idea)
        details: list[str] = [f"{view.stage} · champion {view.champion}"]
        if doc.kind == "lesson" and view.lessons:
            details.append(f"lessons: {view.lessons}")
        if view.themes:
            details.append("themes: " + ", ".join(view.themes))
        return Found(doc.kind, view.ref, view.title, tuple(details), view.permalink, score)
    if doc.kind == "request":
        request = session.get(HelpRequest, doc.item_id)
        if request is None:
            return None
        helpers = session.scalars(
            select(CreditedHelper.person_id).where(CreditedHelper.request_id == request.id)
        ).all()
        details = [f"{request.status} · asked by {person_label(session, request.requester_id)}"]
        if helpers:
            details.append("helped by " + ", ".join(person_label(session, p) for p in helpers))
        return Found(
            "request", request.ref, request.question, tuple(details), request.permalink, score
        )
    event = session.get(Event, doc.item_id)
    if event is None:
        return None
    where = community_name(session, event.community_id)
    when = f"{event.kind} on {event.day.isoformat()}" + (f" · {where}" if where else "")
    return Found("event", event.ref, event.title, (when,), None, score)


def search(
    uow: UnitOfWork,
    ctx: Context,
    *,
    query: str,
    kinds: tuple[str, ...] = (),
    theme: str | None = None,
    community: str | None = None,
    period: str | None = None,
    limit: int = 10,
) -> list[Found]:
    if not fulltext.words_of(query):
        raise InvalidInput("What should I look for?", usage="search <words> [idea|request|lesson]")
    since, until = _window(period, ctx)
    with uow:
        session = uow.session
        load_caller(session, ctx)
        community_id = find_community(session, community).id if community else None
        theme_name = find_theme(session, theme).name if theme else None
        filters = fulltext.Filters(
            kinds=kinds or (("idea", "lesson") if theme else KINDS),
            community_id=community_id,
            theme=theme_name,
            since=since,
            until=until,
        )
        found = []
        for doc_id in rank(session, query, filters, limit=limit):
            doc = session.get(KnowledgeDoc, doc_id)
            if doc is not None and (hit := describe(session, doc)) is not None:
                found.append(hit)
        uow.commit()
        return found
