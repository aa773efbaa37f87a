"""Ideas: capture, the stage history every idea starts, listing, showing and voting.

The stage vocabulary lives here (``STAGES``, ``OPEN_STAGES``) with the lookup every idea
action starts from (:func:`find_idea`); moving an idea along its stages is in
:mod:`bot.services.idea_stages`, and who may do so, with the hand-over to a new champion, in
:mod:`bot.services.idea_champions`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, NotFound
from bot.i18n import _
from bot.knowledge import index as knowledge
from bot.knowledge.embedder import Vector
from bot.messages import Notice
from bot.reads.views import IdeaView, StageStep, idea_view, idea_views, label_of, person_labels
from bot.services import similar
from bot.services import themes as theme_list
from bot.services.access import load_caller
from bot.services.capture import already_captured, clean_text, origin, split_title
from bot.services.context import Context
from bot.services.holds import hold, holds_here
from bot.services.places import find_community
from bot.services.similar import SimilarIdea
from storage.models import Idea, KnowledgeDoc, StageChange, Vote
from storage.uow import UnitOfWork

STAGES = ("proposed", "development", "pilot", "scaled")
OPEN_STAGES = ("proposed", "development", "pilot")


def find_idea(session: Session, number: int) -> Idea:
    """Idea I-``number``; refused with a pointer to ``ideas`` when there is none."""
    idea = session.get(Idea, number)
    if idea is None:
        raise NotFound(
            _("There is no idea I-{number}. Try `ideas` to list them.").format(number=number)
        )
    return idea


def _history(session: Session, idea: Idea) -> tuple[StageStep, ...]:
    rows = session.scalars(
        select(StageChange).where(StageChange.idea_id == idea.id).order_by(StageChange.at)
    ).all()
    labels = person_labels(session, [r.actor_id for r in rows])
    return tuple(
        StageStep(r.at, r.from_stage, r.to_stage, label_of(labels, r.actor_id), r.note)
        for r in rows
    )


@dataclass(frozen=True, slots=True)
class Captured:
    view: IdeaView
    notices: tuple[Notice, ...]
    similar: tuple[SimilarIdea, ...] = ()


def add_new(session: Session, idea: Idea, *, actor_id: int | None, note: str | None = None) -> None:
    """Store a new idea with the first step of its stage history (``proposed``, at its
    ``created_at``)."""
    session.add(idea)
    session.flush()
    session.add(
        StageChange(
            idea_id=idea.id,
            from_stage=None,
            to_stage="proposed",
            actor_id=actor_id,
            at=idea.created_at,
            note=note,
        )
    )


def create(
    uow: UnitOfWork,
    ctx: Context,
    *,
    text: str,
    description: str | None = None,
    themes: tuple[str, ...] = (),
) -> Captured:
    """Capture an idea. When ``ctx.source`` names a message, its author becomes the author.

    Themes come from the form, from ``#theme`` words in the text, or else from the closest
    theme by meaning. The idea's document and vector are stored for search, and up to three
    existing ideas that look like the same thing come back with it."""
    body = clean_text(text, what="idea")
    themes = limits.words(themes, what="theme", each=limits.THEME, most=limits.THEMES)
    with uow:
        session = uow.session
        body, tagged = theme_list.tagged(session, body)
        title, rest = split_title(body or clean_text(text, what="idea"))
        if description and limits.visible(description):
            rest = clean_text(description, what="description")
        chosen = [m for t in themes if (m := theme_list.match(session, t))] + tagged
        vector = similar.vector_for(similar.idea_text(title, rest))
        if not chosen and (hint := theme_list.suggest(session, vector)):
            chosen = [hint]
        caller = load_caller(session, ctx)
        came_from = origin(session, ctx, caller)
        already_captured(session, Idea, came_from)
        # Read before the first write: on SQLite the write lock is held from the first
        # insert to the commit, so the scan of every stored idea must not happen inside it.
        alike = similar.ideas_like(session, vector)
        idea = Idea(
            community_id=caller.community.id if caller.community else None,
            title=title,
            description=rest,
            themes=list(limits.words(chosen, what="theme", each=limits.THEME, most=limits.THEMES)),
            author_id=came_from.author.id,
            champion_id=came_from.author.id,
            captured_by=caller.person.id,
            created_at=ctx.now,
            stage_changed_at=ctx.now,
            **came_from.source_columns(),
        )
        add_new(session, idea, actor_id=caller.person.id)
        if caller.community is None and holds_here(ctx):
            hold(session, ctx, kind="idea", item_id=idea.id)
        notices = came_from.tell_author(
            ctx,
            caller,
            lambda: _("{person} saved your message as idea {ref}: {title}").format(
                person=caller.person.label, ref=idea.ref, title=title
            ),
        )
        index_idea(session, idea, vector=vector)
        view = idea_view(session, idea)
        uow.commit()
        remember(ctx, [view])
        return Captured(view, notices, tuple(alike))


def remember(ctx: Context, views: list[IdeaView]) -> None:
    """Who champions the ideas a reply shows and where they live, for its buttons."""
    ctx.memo.ideas.update({v.id: (v.champion_id, v.community_id) for v in views})


def index_idea(session: Session, idea: Idea, *, vector: Vector | None = None) -> None:
    """The idea's search documents: title and description, and lessons once shelved."""
    knowledge.upsert(
        session,
        kind="idea",
        item_id=idea.id,
        community_id=idea.community_id,
        text=similar.idea_text(idea.title, idea.description),
        created_at=idea.created_at,
        themes=idea.themes,
        vector=vector,
    )
    if idea.lessons:
        knowledge.upsert(
            session,
            kind="lesson",
            item_id=idea.id,
            community_id=idea.community_id,
            text=f"{idea.title}. {idea.lessons}",
            created_at=idea.stage_changed_at,
            themes=idea.themes,
        )


def listing(
    uow: UnitOfWork,
    ctx: Context,
    *,
    filter: str = "all",
    community: str | None = None,
    theme: str | None = None,
    limit: int = 20,
) -> tuple[list[IdeaView], int]:
    """Ideas matching the filter, and how many matched in all."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        query = select(Idea)
        if theme:
            name = theme_list.find_theme(session, theme).name
            query = query.where(
                Idea.id.in_(
                    select(KnowledgeDoc.item_id).where(
                        KnowledgeDoc.kind == "idea", KnowledgeDoc.themes.contains(f"|{name}|")
                    )
                )
            )
        if community:
            query = query.where(Idea.community_id == find_community(session, community).id)
        elif caller.community is not None:
            query = query.where(Idea.community_id == caller.community.id)
        if filter in STAGES or filter == "shelved":
            query = query.where(Idea.stage == filter)
        elif filter == "mine":
            query = query.where(
                (Idea.author_id == caller.person.id) | (Idea.champion_id == caller.person.id)
            )
        elif filter == "top":
            query = query.where(Idea.stage != "shelved")
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = (Idea.votes.desc(), Idea.id.desc()) if filter == "top" else (Idea.id.desc(),)
        ideas = session.scalars(query.order_by(*order).limit(limit)).all()
        views = idea_views(session, ideas)
        uow.commit()
        remember(ctx, views)
        return views, total


def show(uow: UnitOfWork, ctx: Context, *, number: int) -> IdeaView:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        idea = find_idea(session, number)
        view = idea_view(session, idea, history=_history(session, idea))
        uow.commit()
        return view


def vote(uow: UnitOfWork, ctx: Context, *, number: int) -> IdeaView:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = find_idea(session, number)
        if idea.stage == "shelved":
            raise Conflict(_("{ref} is shelved; votes are closed.").format(ref=idea.ref))
        voted = session.scalar(
            select(Vote.id).where(Vote.idea_id == idea.id, Vote.person_id == caller.person.id)
        )
        if voted is not None:
            raise Conflict(
                _("You already voted for {ref}. One vote per person.").format(ref=idea.ref)
            )
        session.add(Vote(idea_id=idea.id, person_id=caller.person.id, at=ctx.now))
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(
                _("You already voted for {ref}. One vote per person.").format(ref=idea.ref)
            ) from None
        idea.votes = session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == idea.id)) or 0
        view = idea_view(session, idea)
        uow.commit()
        return view


def stage_of(uow: UnitOfWork, *, number: int) -> str | None:
    """The idea's current stage, or None when there is no such idea (a read, for replies)."""
    with uow:
        return uow.session.scalar(select(Idea.stage).where(Idea.id == number))
