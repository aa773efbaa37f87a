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

from bot import limits
from bot.errors import InvalidInput
from bot.i18n import _, formats
from bot.i18n.words import shown
from bot.knowledge import embedder, fulltext, vectors
from bot.periods import parse_period
from bot.reads.views import FORMER, community_name
from bot.services.access import load_caller
from bot.services.context import Context
from bot.services.places import find_community
from bot.services.themes import find_theme
from storage.models import CreditedHelper, Event, HelpRequest, Idea, KnowledgeDoc, Person
from storage.uow import UnitOfWork

KINDS = ("idea", "lesson", "request", "event")
CANDIDATES = 40
MIN_MEANING = 0.35  # cosine below which a hit by meaning alone is left out
_RRF = 20.0
_READS = (("idea", ("idea", "lesson")), ("request", ("request",)), ("event", ("event",)))


@dataclass(frozen=True, slots=True)
class Found:
    kind: str
    ref: str
    title: str
    details: tuple[str, ...]
    link: str | None


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


def _labels(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    found: dict[int | None, str] = {
        p.id: p.label for p in session.scalars(select(Person).where(Person.id.in_(wanted)))
    }
    return {i: found.get(i, str(FORMER)) for i in ids}


def describe(session: Session, docs: list[KnowledgeDoc]) -> list[Found]:
    """What each hit shows, read in one query per kind: the item's title and state, who
    champions it or helped."""
    wanted = {kind: [d.item_id for d in docs if d.kind in kinds] for kind, kinds in _READS}
    ideas = {i.id: i for i in session.scalars(select(Idea).where(Idea.id.in_(wanted["idea"])))}
    requests = {
        r.id: r
        for r in session.scalars(select(HelpRequest).where(HelpRequest.id.in_(wanted["request"])))
    }
    events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(wanted["event"])))}
    helpers: dict[int, list[int]] = {}
    for request_id, person_id in session.execute(
        select(CreditedHelper.request_id, CreditedHelper.person_id).where(
            CreditedHelper.request_id.in_(wanted["request"])
        )
    ):
        helpers.setdefault(request_id, []).append(person_id)
    people = {i.champion_id for i in ideas.values()} | {r.requester_id for r in requests.values()}
    labels = _labels(session, people | {p for ps in helpers.values() for p in ps})
    found: list[Found] = []
    for doc in docs:
        if doc.kind in ("idea", "lesson") and (idea := ideas.get(doc.item_id)):
            details = [
                _("{stage} · champion {champion}").format(
                    stage=shown(idea.stage), champion=labels[idea.champion_id]
                )
            ]
            if doc.kind == "lesson" and idea.lessons:
                details.append(_("lessons: {lessons}").format(lessons=idea.lessons))
            if idea.themes:
                details.append(_("themes: {themes}").format(themes=", ".join(idea.themes)))
            found.append(Found(doc.kind, idea.ref, idea.title, tuple(details), idea.permalink))
        elif doc.kind == "request" and (request := requests.get(doc.item_id)):
            details = [
                _("{status} · asked by {person}").format(
                    status=shown(request.status), person=labels[request.requester_id]
                )
            ]
            if names := [labels[p] for p in helpers.get(request.id, [])]:
                details.append(_("helped by {people}").format(people=", ".join(names)))
            found.append(
                Found("request", request.ref, request.question, tuple(details), request.permalink)
            )
        elif doc.kind == "event" and (event := events.get(doc.item_id)):
            where = community_name(session, event.community_id)
            when = _("{kind} on {day}").format(
                kind=shown(event.kind), day=formats.medium_day(event.day)
            ) + (f" · {where}" if where else "")
            found.append(Found("event", event.ref, event.title, (when,), None))
    return found


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
        raise InvalidInput(
            _("What should I look for?"), usage="search <words> [idea|request|lesson]"
        )
    if len(query) > limits.SEARCH:
        raise InvalidInput(
            _("That search is {length} characters long; the limit is {most}.").format(
                length=formats.number(len(query), digits=0), most=limits.SEARCH
            )
        )
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
        ranked = rank(session, query, filters, limit=limit)
        docs = {
            d.id: d
            for d in session.scalars(select(KnowledgeDoc).where(KnowledgeDoc.id.in_(ranked)))
        }
        found = describe(session, [docs[d] for d in ranked if d in docs])
        uow.commit()
        return found
