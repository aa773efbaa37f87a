"""What people can help with, and who to ask about a topic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from bot import limits
from bot.errors import InvalidInput
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import CreditedHelper, HelpRequest, Person, Skill
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


@dataclass(frozen=True, slots=True)
class Expert:
    person_id: int
    name: str
    skills: tuple[str, ...]
    helped: int


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
            session.execute(
                delete(Skill).where(Skill.person_id == caller.person.id, Skill.name.in_(names))
            )
            mine -= set(names)
        uow.commit()
        return sorted(mine)


def experts(uow: UnitOfWork, ctx: Context, *, topic: str, limit: int = 5) -> list[Expert]:
    """People whose skills match the topic, most-credited helpers first."""
    words = [w for w in normalise(topic).split() if len(w) > 1]
    if not words:
        raise InvalidInput(_("Which topic?"), usage="experts <topic>")
    with uow:
        session = uow.session
        load_caller(session, ctx)
        matches: dict[int, set[str]] = {}
        for word in words:
            rows = session.execute(
                select(Skill.person_id, Skill.name).where(Skill.name.contains(word))
            ).all()
            for person_id, name in rows:
                matches.setdefault(person_id, set()).add(name)
        helped = dict(
            session.execute(
                select(CreditedHelper.person_id, func.count(CreditedHelper.id))
                .where(CreditedHelper.person_id.in_(matches))
                .group_by(CreditedHelper.person_id)
            ).all()
        )
        people = {
            p.id: p
            for p in session.scalars(
                select(Person).where(Person.id.in_(matches), Person.forgotten_at.is_(None))
            )
        }
        found = [
            Expert(pid, people[pid].label, tuple(sorted(names)), int(helped.get(pid, 0)))
            for pid, names in matches.items()
            if pid in people
        ]
        found.sort(key=lambda e: (-len(e.skills), -e.helped, e.name))
        uow.commit()
        return found[:limit]


def matching_people(session_uow: UnitOfWork, request_id: int) -> list[int]:
    """People whose skills match a request's tags or words (for nudges and App Home)."""
    with session_uow:
        session = session_uow.session
        request = session.get(HelpRequest, request_id)
        if request is None:
            return []
        words = set(request.tags or ()) | {
            w.strip(".,?!:;").lower() for w in request.question.split() if len(w) > 4
        }
        if not words:
            return []
        ids = session.scalars(select(Skill.person_id).where(Skill.name.in_(words)).distinct()).all()
        return [i for i in ids if i != request.requester_id]
