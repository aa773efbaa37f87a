"""Supporting an existing idea instead of adding a near-duplicate one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from bot.errors import Conflict, NotAllowed, NotFound
from bot.i18n import _
from bot.knowledge import index as knowledge
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.reads.views import IdeaView, idea_view
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import Idea, StageChange, Vote
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Supported:
    view: IdeaView
    voted: bool  # False when the caller had voted for it already
    withdrawn: str | None  # the caller's own idea, withdrawn in its favour
    notices: tuple[Notice, ...]


def support(
    uow: UnitOfWork, ctx: Context, *, number: int, instead_of: int | None = None
) -> Supported:
    """A vote for I-``number`` and a note to its champion; with ``instead_of``, the caller's
    own new idea (no votes from others, still proposed) is withdrawn."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        idea = session.get(Idea, number)
        if idea is None:
            raise NotFound(
                _("There is no idea I-{number}. Try `ideas` to list them.").format(number=number)
            )
        if idea.stage == "shelved":
            raise Conflict(
                _("{ref} is shelved; support an open idea instead.").format(ref=idea.ref)
            )
        withdrawn = None
        mine_title = None
        if instead_of is not None:
            mine = session.get(Idea, instead_of)
            if mine is None:
                raise NotFound(_("There is no idea I-{number}.").format(number=instead_of))
            if caller.person.id not in (mine.author_id, mine.captured_by):
                raise NotAllowed(
                    _("Only the author of {ref} can withdraw it.").format(ref=mine.ref)
                )
            others = session.scalar(
                select(func.count(Vote.id)).where(
                    Vote.idea_id == mine.id, Vote.person_id != caller.person.id
                )
            )
            if mine.stage != "proposed" or others:
                raise Conflict(
                    _(
                        "{ref} already has support or moved on; keep it, or shelve it with "
                        "what was learned."
                    ).format(ref=mine.ref)
                )
            withdrawn, mine_title = mine.ref, mine.title
            knowledge.remove(session, kind="idea", item_id=mine.id)
            knowledge.remove(session, kind="lesson", item_id=mine.id)
            session.execute(delete(StageChange).where(StageChange.idea_id == mine.id))
            session.execute(delete(Vote).where(Vote.idea_id == mine.id))
            session.delete(mine)
        voted = (
            session.scalar(
                select(Vote.id).where(Vote.idea_id == idea.id, Vote.person_id == caller.person.id)
            )
            is None
        )
        if voted:
            session.add(Vote(idea_id=idea.id, person_id=caller.person.id, at=ctx.now))
            session.flush()
            idea.votes = (
                session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == idea.id)) or 0
            )
        notices: tuple[Notice, ...] = ()
        if idea.champion_id is not None and idea.champion_id != caller.person.id:

            def supported() -> str:
                values = {"person": caller.person.label, "ref": idea.ref, "title": idea.title}
                if mine_title:
                    return _(
                        "{person} supports your idea {ref}: {title} "
                        "(instead of their similar idea: {mine})"
                    ).format(mine=mine_title, **values)
                return _("{person} supports your idea {ref}: {title}").format(**values)

            notices = (notice_to(session, idea.champion_id, ctx.settings, supported),)
        view = idea_view(session, idea)
        uow.commit()
        return Supported(view, voted, withdrawn, notices)


def keep(uow: UnitOfWork, ctx: Context, *, number: int) -> IdeaView:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        idea = session.get(Idea, number)
        if idea is None:
            raise NotFound(_("There is no idea I-{number}.").format(number=number))
        view = idea_view(session, idea)
        uow.commit()
        return view
