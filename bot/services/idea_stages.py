"""Idea stage decisions: advancing (one stage at a time, or skipping with a note), shelving
with the lessons learned, reopening a shelved idea, and rating its scaling potential. Each
move is a step in the idea's stage history; who may make it is decided in
:mod:`bot.services.idea_champions`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, InvalidInput, NotAllowed, UnknownStage
from bot.i18n import _
from bot.i18n.words import shown
from bot.reads.views import IdeaView, idea_view
from bot.services.access import (
    Caller,
    can_steward,
    load_caller,
    require_coordinator,
    require_steward,
)
from bot.services.capture import clean_text
from bot.services.context import Context
from bot.services.idea_champions import require_mover
from bot.services.ideas import OPEN_STAGES, STAGES, find_idea, index_idea
from storage.models import Idea, StageChange
from storage.uow import UnitOfWork

RATINGS = ("low", "medium", "high")


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
        idea = find_idea(session, number)
        require_mover(session, caller, idea, _("change its stage"))
        if idea.stage == "shelved":
            raise Conflict(
                _("{ref} is shelved. A coordinator can `reopen {ref}`.").format(ref=idea.ref)
            )
        if STAGES.index(stage) <= STAGES.index(idea.stage):
            raise Conflict(
                _("{ref} is already in {stage}; it can only move forward ({value}).").format(
                    ref=idea.ref,
                    stage=shown(idea.stage),
                    value=", ".join(STAGES[STAGES.index(idea.stage) + 1 :])
                    or _("no further stage"),
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
        idea = find_idea(session, number)
        require_mover(session, caller, idea, _("shelve it"))
        if idea.stage not in OPEN_STAGES:
            raise Conflict(
                _("{ref} is {stage}; only open ideas can be shelved.").format(
                    ref=idea.ref, stage=shown(idea.stage)
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
        idea = find_idea(session, number)
        if idea.stage != "shelved":
            raise Conflict(
                _("{ref} is not shelved (it is in {stage}).").format(
                    ref=idea.ref, stage=shown(idea.stage)
                )
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
        idea = find_idea(session, number)
        require_steward(session, caller, idea.community_id, _("rate scaling potential"))
        idea.scaling = rating
        view = idea_view(session, idea)
        uow.commit()
        return view
