"""An idea's champion: who may move an idea (its champion, a focal point of its community, or
a coordinator), checked before every stage decision and shown as buttons, and handing the
idea over to a new champion, who is told in their own language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import NotAllowed
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.i18n.words import shown
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.reads.views import IdeaView, idea_view
from bot.services.access import Caller, can_steward, load_caller
from bot.services.context import Context
from bot.services.ideas import OPEN_STAGES, STAGES, find_idea
from bot.services.people import find_person
from storage.models import Idea
from storage.uow import UnitOfWork


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


def require_mover(session: Session, caller: Caller, idea: Idea, doing: str) -> None:
    """Refuse ``doing`` to anyone :func:`may_move` does not allow."""
    if not may_move(session, caller, idea):
        raise NotAllowed(
            _(
                "Only the champion of {ref}, a focal point of its community "
                "or a coordinator can {doing}."
            ).format(ref=idea.ref, doing=doing)
        )


def hand_over(
    uow: UnitOfWork, ctx: Context, *, number: int, to: PersonRef
) -> tuple[IdeaView, tuple[Notice, ...]]:
    """Make someone else the idea's champion; they are told (unless they did it)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = find_idea(session, number)
        require_mover(session, caller, idea, _("hand it over"))
        person = find_person(session, to, actor=ctx.actor, now=ctx.now)
        idea.champion_id = person.id
        view = idea_view(session, idea)
        notices: tuple[Notice, ...] = ()
        if person.id != caller.person.id:
            nxt = STAGES[STAGES.index(idea.stage) + 1] if idea.stage in OPEN_STAGES else None

            def champion() -> str:
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
                return text

            notices = (notice_to(session, person.id, ctx.settings, champion),)
        uow.commit()
        return view, notices
