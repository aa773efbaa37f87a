"""Ideas: capture, voting, stage decisions, scaling ratings, shelving with lessons, reopening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound, UnknownStage
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.i18n.words import shown
from bot.knowledge import index as knowledge
from bot.knowledge.embedder import Vector
from bot.messages import Notice
from bot.reads.language import speaking_to
from bot.reads.views import (
    IdeaView,
    StageStep,
    idea_view,
    idea_views,
    label_of,
    person_labels,
)
from bot.services import similar
from bot.services import themes as theme_list
from bot.services.access import (
    Caller,
    can_steward,
    find_community,
    find_person,
    load_caller,
    require_coordinator,
    require_steward,
)
from bot.services.capture import already_captured, clean_text, origin, split_title
from bot.services.context import Context
from bot.services.holds import hold, holds_here
from bot.services.similar import SimilarIdea
from storage.models import Idea, KnowledgeDoc, StageChange, Vote
from storage.uow import UnitOfWork

STAGES = ("proposed", "development", "pilot", "scaled")
OPEN_STAGES = ("proposed", "development", "pilot")
RATINGS = ("low", "medium", "high")


def _get(session: Session, number: int) -> Idea:
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


def _record(
    session: Session, idea: Idea, to: str, *, actor: int | None, at: datetime, note: str | None
) -> None:
    session.add(
        StageChange(
            idea_id=idea.id, from_stage=idea.stage, to_stage=to, actor_id=actor, at=at, note=note
        )
    )
    idea.stage = to
    idea.stage_changed_at = at


def may_move(session: Session, caller: Caller, idea: Idea) -> bool:
    """The champion, a focal point of the idea's community, or a coordinator."""
    return may_move_item(
        session, caller, champion_id=idea.champion_id, community_id=idea.community_id
    )


def may_move_item(
    session: Session | None, caller: Caller, *, champion_id: int | None, community_id: int | None
) -> bool:
    """:func:`may_move` for an idea known by its champion and community."""
    return champion_id == caller.person.id or can_steward(session, caller, community_id)


def _require_mover(session: Session, caller: Caller, idea: Idea, doing: str) -> None:
    if not may_move(session, caller, idea):
        raise NotAllowed(
            _(
                "Only the champion of {ref}, a focal point of its community "
                "or a coordinator can {doing}."
            ).format(ref=idea.ref, doing=doing)
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


def skipped_stages(from_stage: str | None, to_stage: str) -> tuple[str, ...]:
    """The stages a move jumps over (``proposed`` → ``pilot`` skips ``development``)."""
    if from_stage not in STAGES or to_stage not in STAGES:
        return ()
    return STAGES[STAGES.index(from_stage) + 1 : STAGES.index(to_stage)]


def _check_skip(session: Session, caller: Caller, idea: Idea, stage: str, note: str | None) -> None:
    """A champion moves one stage at a time; a focal point or coordinator may skip stages,
    saying why in the note (the history then shows the skipped stages)."""
    skipped = skipped_stages(idea.stage, stage)
    if not skipped:
        return
    nxt = STAGES[STAGES.index(idea.stage) + 1]
    names = ", ".join(skipped)
    shown_names = ", ".join(shown(s) for s in skipped)
    if not can_steward(session, caller, idea.community_id):
        raise NotAllowed(
            _(
                "A champion moves {ref} one stage at a time: next is {stage} "
                "(`advance {ref} {next}`). A focal point or coordinator can skip {skipped}, "
                "with a note."
            ).format(ref=idea.ref, stage=shown(nxt), next=nxt, skipped=shown_names)
        )
    if not (note or "").strip():
        raise InvalidInput(
            _("Moving {ref} to {stage} skips {skipped}: add a note saying why.").format(
                ref=idea.ref, stage=shown(stage), skipped=shown_names
            ),
            usage=f"advance {idea.ref} {stage} <why {names} is skipped>",
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
        idea = _get(session, number)
        view = idea_view(session, idea, history=_history(session, idea))
        uow.commit()
        return view


def vote(uow: UnitOfWork, ctx: Context, *, number: int) -> IdeaView:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = _get(session, number)
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


def advance(
    uow: UnitOfWork, ctx: Context, *, number: int, stage: str, note: str | None = None
) -> IdeaView:
    if stage not in STAGES[1:]:
        raise UnknownStage(
            _('Unknown stage "{stage}". Stages: {listed}.').format(
                stage=stage, listed=", ".join(STAGES)
            ),
            usage="advance I-12 <development|pilot|scaled> [note]",
        )
    note = limits.optional_text(note, what="note", limit=limits.NOTE)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = _get(session, number)
        _require_mover(session, caller, idea, _("change its stage"))
        if idea.stage == "shelved":
            raise Conflict(
                _("{ref} is shelved. A coordinator can `reopen {ref}`.").format(ref=idea.ref)
            )
        if STAGES.index(stage) <= STAGES.index(idea.stage):
            raise Conflict(
                _("{ref} is already in {stage}; it can only move forward ({value}).").format(
                    ref=idea.ref,
                    stage=idea.stage,
                    value=", ".join(STAGES[STAGES.index(idea.stage) + 1 :]) or "no further stage",
                )
            )
        _check_skip(session, caller, idea, stage, note)
        _record(session, idea, stage, actor=caller.person.id, at=ctx.now, note=note)
        view = idea_view(session, idea)
        uow.commit()
        return view


def shelve(uow: UnitOfWork, ctx: Context, *, number: int, lessons: str) -> IdeaView:
    text = (lessons or "").strip()
    if len(text) < 10:
        raise InvalidInput(
            _(
                "Shelving needs the lessons learned, in a sentence or two, "
                "so others can reuse them."
            ),
            usage="shelve I-12 <lessons learned>",
        )
    text = clean_text(text, what="lessons learned")
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = _get(session, number)
        _require_mover(session, caller, idea, _("shelve it"))
        if idea.stage not in OPEN_STAGES:
            raise Conflict(
                _("{ref} is {stage}; only open ideas can be shelved.").format(
                    ref=idea.ref, stage=idea.stage
                )
            )
        idea.lessons = text
        _record(session, idea, "shelved", actor=caller.person.id, at=ctx.now, note=text)
        index_idea(session, idea)
        view = idea_view(session, idea)
        uow.commit()
        return view


def reopen(uow: UnitOfWork, ctx: Context, *, number: int, note: str | None = None) -> IdeaView:
    note = limits.optional_text(note, what="note", limit=limits.NOTE)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        require_coordinator(caller, _("reopen a shelved idea"))
        idea = _get(session, number)
        if idea.stage != "shelved":
            raise Conflict(
                _("{ref} is not shelved (it is in {stage}).").format(ref=idea.ref, stage=idea.stage)
            )
        before = session.scalar(
            select(StageChange.from_stage)
            .where(StageChange.idea_id == idea.id, StageChange.to_stage == "shelved")
            .order_by(StageChange.at.desc(), StageChange.id.desc())
            .limit(1)
        )
        _record(session, idea, before or "proposed", actor=caller.person.id, at=ctx.now, note=note)
        view = idea_view(session, idea)
        uow.commit()
        return view


def rate(uow: UnitOfWork, ctx: Context, *, number: int, rating: str) -> IdeaView:
    if rating not in RATINGS:
        raise InvalidInput(
            _('Unknown rating "{rating}". Ratings: low, medium, high.').format(rating=rating),
            usage="rate I-12 <low|medium|high>",
        )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = _get(session, number)
        require_steward(session, caller, idea.community_id, _("rate scaling potential"))
        idea.scaling = rating
        view = idea_view(session, idea)
        uow.commit()
        return view


def hand_over(
    uow: UnitOfWork, ctx: Context, *, number: int, to: PersonRef
) -> tuple[IdeaView, tuple[Notice, ...]]:
    """Make someone else the idea's champion; they are told (unless they did it)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = _get(session, number)
        _require_mover(session, caller, idea, _("hand it over"))
        person = find_person(session, to, actor=ctx.actor, now=ctx.now)
        idea.champion_id = person.id
        view = idea_view(session, idea)
        notices: tuple[Notice, ...] = ()
        if person.id != caller.person.id:
            nxt = STAGES[STAGES.index(idea.stage) + 1] if idea.stage in OPEN_STAGES else None
            with speaking_to(session, person.id, ctx.settings):
                text = _("{person} made you the champion of {ref} ({title}, {stage}).").format(
                    person=caller.person.label,
                    ref=idea.ref,
                    title=idea.title,
                    stage=shown(idea.stage),
                )
                if nxt:
                    text += " " + _("Next step: `advance {ref} {stage}` when it is ready.").format(
                        ref=idea.ref, stage=nxt
                    )
            notices = (Notice(recipient_person_id=person.id, text=text),)
        uow.commit()
        return view, notices


def stage_of(uow: UnitOfWork, *, number: int) -> str | None:
    """The idea's current stage, or None when there is no such idea (a read, for replies)."""
    with uow:
        return uow.session.scalar(select(Idea.stage).where(Idea.id == number))
