"""What already exists that looks like the same thing: ideas at capture, answered questions
when someone asks. Matching is by meaning (sentence embeddings), so paraphrases are caught:
"peer coaching groups for newcomers" finds "mentoring circles for new staff"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge import embedder, vectors
from bot.reads.views import label_of, person_label, person_labels
from storage.models import CreditedHelper, HelpRequest, Idea

LIMIT = 3
SAME_IDEA = 0.42  # cosine from which two ideas read as the same thing (benchmarks/knowledge.py)
SAME_QUESTION = 0.50


@dataclass(frozen=True, slots=True)
class SimilarIdea:
    number: int
    title: str
    stage: str
    champion: str
    score: float

    @property
    def ref(self) -> str:
        return f"I-{self.number}"


@dataclass(frozen=True, slots=True)
class AnsweredQuestion:
    number: int
    question: str
    helpers: tuple[str, ...]
    link: str | None
    score: float

    @property
    def ref(self) -> str:
        return f"R-{self.number}"


def idea_text(title: str, description: str | None) -> str:
    return f"{title}. {description}" if description else title


def ideas_like(
    session: Session, vector: embedder.Vector | None, *, exclude: int | None = None
) -> list[SimilarIdea]:
    """Up to three ideas (not shelved) that look like the same thing, closest first: one
    query for the ideas and one for their champions' names."""
    if vector is None:
        return []
    hits = vectors.nearest(
        session,
        vector,
        kinds=("idea",),
        limit=LIMIT * 2,
        min_score=SAME_IDEA,
        exclude=(("idea", exclude),) if exclude is not None else (),
    )
    if not hits:
        return []
    ideas = {
        row.id: row
        for row in session.execute(
            select(Idea.id, Idea.title, Idea.stage, Idea.champion_id).where(
                Idea.id.in_([hit.item_id for hit in hits])
            )
        )
    }
    chosen = [
        (ideas[hit.item_id], hit.score)
        for hit in hits
        if hit.item_id in ideas and ideas[hit.item_id].stage != "shelved"
    ][:LIMIT]
    labels = person_labels(session, [row.champion_id for row, _ in chosen])
    return [
        SimilarIdea(row.id, row.title, row.stage, label_of(labels, row.champion_id), score)
        for row, score in chosen
    ]


def answered_like(
    session: Session, vector: embedder.Vector | None, *, exclude: int | None = None
) -> list[AnsweredQuestion]:
    """Up to three resolved requests that look like the same question, with who helped."""
    if vector is None:
        return []
    hits = vectors.nearest(
        session,
        vector,
        kinds=("request",),
        limit=LIMIT * 4,
        min_score=SAME_QUESTION,
        exclude=(("request", exclude),) if exclude is not None else (),
    )
    found: list[AnsweredQuestion] = []
    for hit in hits:
        request = session.get(HelpRequest, hit.item_id)
        if request is None or request.status != "resolved":
            continue
        helpers = session.scalars(
            select(CreditedHelper.person_id).where(CreditedHelper.request_id == request.id)
        ).all()
        names = tuple(person_label(session, p) for p in helpers)
        found.append(
            AnsweredQuestion(request.id, request.question, names, request.permalink, hit.score)
        )
        if len(found) == LIMIT:
            break
    return found


def vector_for(text: str) -> embedder.Vector | None:
    return embedder.embed_one(text) if embedder.available() else None
