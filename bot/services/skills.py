"""What people can help with, and who to ask about a topic."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot import limits
from bot.errors import InvalidInput
from bot.i18n import _
from bot.services import experts as matcher
from bot.services.access import load_caller
from bot.services.context import Context
from bot.services.experts import Expert
from storage.models import HelpRequest, KnowledgeDoc, Skill
from storage.uow import UnitOfWork

MAX_SKILLS = limits.SKILLS


def normalise(skill: str) -> str:
    """A skill as stored and searched: lowercase words, no leading #, at most SKILL long."""
    return " ".join(limits.sanitize(skill).strip().lower().lstrip("#").split())[: limits.SKILL]


def _checked(skill: str) -> str:
    clean = " ".join(limits.sanitize(skill).strip().lower().lstrip("#").split())
    if not limits.visible(clean):
        return ""
    return limits.name(clean, what="skill", limit=limits.SKILL)


def change(
    uow: UnitOfWork, ctx: Context, *, action: str, skills: tuple[str, ...] = ()
) -> list[str]:
    """Add or remove skills (or just list them). Returns the caller's skills afterwards."""
    names = [n for n in (_checked(s) for s in skills) if n]
    if action in ("add", "remove") and not names:
        raise InvalidInput(
            _("Name at least one skill."), usage="skills add facilitation, survey design"
        )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        mine = set(session.scalars(select(Skill.name).where(Skill.person_id == caller.person.id)))
        if action == "add":
            new = [n for n in dict.fromkeys(names) if n not in mine]
            if len(mine) + len(new) > MAX_SKILLS:
                raise InvalidInput(
                    _("A person lists at most {MAX_SKILLS} skills; remove some first.").format(
                        MAX_SKILLS=MAX_SKILLS
                    )
                )
            for name in new:
                session.add(Skill(person_id=caller.person.id, name=name, created_at=ctx.now))
            mine |= set(new)
        elif action == "remove":
            gone = session.scalars(
                select(Skill.id).where(Skill.person_id == caller.person.id, Skill.name.in_(names))
            ).all()
            session.execute(
                delete(KnowledgeDoc).where(
                    KnowledgeDoc.kind == "skill", KnowledgeDoc.item_id.in_(gone)
                )
            )
            session.execute(delete(Skill).where(Skill.id.in_(gone)))
            mine -= set(names)
        uow.commit()
        return sorted(mine)


def experts(uow: UnitOfWork, ctx: Context, *, topic: str, limit: int = 5) -> list[Expert]:
    """People whose skills or past help match the topic by meaning or whole words."""
    if not normalise(topic):
        raise InvalidInput(_("Which topic?"), usage="experts <topic>")
    with uow:
        session = uow.session
        load_caller(session, ctx)
        found = matcher.rank(session, topic, limit=limit)
        uow.commit()
        return found


def matching_people(session_uow: UnitOfWork, request_id: int) -> list[int]:
    """People to suggest for a request (App Home, nudges): the same matcher as ``experts``."""
    with session_uow:
        session = session_uow.session
        request = session.get(HelpRequest, request_id)
        if request is None:
            return []
        vector = matcher.request_vector(session, request_id)
        people = [e.person_id for e in matcher.for_request(session, request, vector=vector)]
        session_uow.commit()
        return people
