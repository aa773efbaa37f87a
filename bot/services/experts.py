"""Who knows about a topic: people ranked by their declared skills and by the requests they
helped resolve, matched by meaning and by whole words, never by substring.

``experts AI`` does not find "email campaigns" (no shared word, unrelated meaning); the skill
"design sprints" matches a request about "a design sprint" (the same words in another form).
One matcher serves ``experts``, the people suggested when a request opens, and the 24-hour
nudge rung.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import Conflict, NotAllowed, NotFound
from bot.i18n import _
from bot.i18n.words import shown
from bot.knowledge import embedder, vectors
from bot.knowledge import index as knowledge
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.services.access import can_steward, load_caller
from bot.services.context import Context
from storage.models import CreditedHelper, HelpRequest, KnowledgeDoc, Person, Skill
from storage.uow import UnitOfWork

SKILL_MEANING = 0.30  # cosine from which a skill matches a topic by meaning
HELPED_MEANING = 0.45  # cosine from which a resolved request counts as help on the topic
_WORD = re.compile(r"\w+", re.UNICODE)
_BACKFILL = 500


@dataclass(frozen=True, slots=True)
class Expert:
    person_id: int
    name: str
    skills: tuple[str, ...]
    helped: int  # resolved requests on the topic they were credited for
    score: float = 0.0


def _stem(word: str) -> str:
    for end in ("ings", "ing", "ies", "es", "s"):
        if len(word) > len(end) + 2 and word.endswith(end):
            return word[: -len(end)]
    return word


def stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower())}


def index_skills(session: Session, limit: int = _BACKFILL) -> None:
    """Vectors for skills that have none yet (new skills, or skills from before search)."""
    missing = session.execute(
        select(Skill.id, Skill.person_id, Skill.name, Skill.created_at)
        .outerjoin(
            KnowledgeDoc, (KnowledgeDoc.kind == "skill") & (KnowledgeDoc.item_id == Skill.id)
        )
        .where(KnowledgeDoc.id.is_(None))
        .limit(limit)
    ).all()
    if not missing:
        return
    vecs = embedder.embed([r.name for r in missing]) if embedder.available() else None
    for i, row in enumerate(missing):
        knowledge.upsert(
            session,
            kind="skill",
            item_id=row.id,
            community_id=None,
            text=row.name,
            created_at=row.created_at,
            vector=None if vecs is None else vecs[i],
        )


def rank(
    session: Session,
    topic: str,
    *,
    vector: embedder.Vector | None = None,
    exclude: set[int] | None = None,
    limit: int = 5,
) -> list[Expert]:
    """People for ``topic``, best first."""
    index_skills(session)
    if vector is None and embedder.available():
        vector = embedder.embed_one(topic)
    words = stems(topic)
    score: dict[int, float] = {}
    matched: dict[int, set[str]] = {}
    helped: dict[int, int] = {}

    def credit(person_id: int, value: float) -> None:
        score[person_id] = max(score.get(person_id, 0.0), value)

    # Whole words: every word of the skill appears in the topic ("design sprints").
    for person_id, name in session.execute(select(Skill.person_id, Skill.name)):
        skill_words = stems(name)
        if skill_words and skill_words <= words:
            credit(person_id, 1.0)
            matched.setdefault(person_id, set()).add(name)
    if vector is not None:
        for hit in vectors.nearest(
            session, vector, kinds=("skill",), limit=40, min_score=SKILL_MEANING
        ):
            row = session.get(Skill, hit.item_id)
            if row is not None:
                credit(row.person_id, hit.score)
                matched.setdefault(row.person_id, set()).add(row.name)
        for hit in vectors.nearest(
            session, vector, kinds=("request",), limit=40, min_score=HELPED_MEANING
        ):
            request = session.get(HelpRequest, hit.item_id)
            if request is None or request.status != "resolved":
                continue
            for person_id in session.scalars(
                select(CreditedHelper.person_id).where(CreditedHelper.request_id == request.id)
            ):
                helped[person_id] = helped.get(person_id, 0) + 1
                credit(person_id, hit.score * 0.9)
    for person_id, count in helped.items():
        score[person_id] += 0.05 * min(count, 3)
    skip = exclude or set()
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_(score), Person.forgotten_at.is_(None))
        )
    }
    found = [
        Expert(
            pid,
            people[pid].label,
            tuple(sorted(matched.get(pid, ()))),
            helped.get(pid, 0),
            round(value, 3),
        )
        for pid, value in score.items()
        if pid in people and pid not in skip
    ]
    found.sort(key=lambda e: (-e.score, -e.helped, e.name))
    return found[:limit]


def for_request(
    session: Session, request: HelpRequest, *, vector: embedder.Vector | None = None
) -> list[Expert]:
    """Up to three people to suggest for an open request (never the requester)."""
    topic = " ".join([request.question, *(request.tags or ())])
    exclude = {request.requester_id} if request.requester_id is not None else set()
    return rank(session, topic, vector=vector, exclude=exclude, limit=3)


def request_vector(session: Session, request_id: int) -> embedder.Vector | None:
    blob = session.scalar(
        select(KnowledgeDoc.vector).where(
            KnowledgeDoc.kind == "request",
            KnowledgeDoc.item_id == request_id,
            KnowledgeDoc.model == embedder.MODEL,
        )
    )
    return embedder.from_bytes(blob) if blob else None


def notify(
    uow: UnitOfWork, ctx: Context, *, number: int
) -> tuple[list[Expert], tuple[Notice, ...]]:
    """Tell the people suggested for R-``number`` that their help is wanted (the requester,
    a focal point of its community or a coordinator may)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        request = session.get(HelpRequest, number)
        if request is None:
            raise NotFound(_("There is no request R-{number}.").format(number=number))
        if request.requester_id != caller.person.id and not can_steward(
            session, caller, request.community_id
        ):
            raise NotAllowed(
                _("Only whoever asked {ref}, a focal point or a coordinator can do that.").format(
                    ref=request.ref
                )
            )
        if request.status not in ("open", "answered"):
            raise Conflict(
                _("{ref} is {status}; nobody needs to be asked.").format(
                    ref=request.ref, status=shown(request.status)
                )
            )
        people = for_request(session, request, vector=request_vector(session, number))
        asker = caller.person.label
        notices = tuple(
            notice_to(
                session,
                e.person_id,
                ctx.settings,
                lambda: _(
                    "{person} thinks you could help with {ref}: {question} "
                    "(reply with `offer {ref}`)"
                ).format(person=asker, ref=request.ref, question=request.question),
            )
            for e in people
            if e.person_id != caller.person.id
        )
        uow.commit()
        return people, notices
