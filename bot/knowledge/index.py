"""Writing documents: what services call when a searchable thing is made or changes."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.knowledge import embedder
from storage.models import Idea, KnowledgeDoc
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


def themes_field(themes: list[str] | tuple[str, ...] | None) -> str:
    return "|" + "|".join(themes) + "|" if themes else ""


def upsert(
    session: Session,
    *,
    kind: str,
    item_id: int,
    community_id: int | None,
    text: str,
    created_at: datetime,
    themes: list[str] | tuple[str, ...] | None = None,
    vector: embedder.Vector | None = None,
    reembed: bool = True,
) -> KnowledgeDoc:
    """Store the document for one item and its vector (computed here unless given; the text's
    vector is computed only when the text changed)."""
    body = " ".join(text.split())
    doc = session.scalar(
        select(KnowledgeDoc).where(KnowledgeDoc.kind == kind, KnowledgeDoc.item_id == item_id)
    )
    seq = (session.scalar(select(func.max(KnowledgeDoc.seq))) or 0) + 1
    if doc is None:
        doc = KnowledgeDoc(kind=kind, item_id=item_id, created_at=created_at, text=body)
        session.add(doc)
    changed = (doc.text != body and reembed) or doc.vector is None
    doc.text = body
    doc.community_id = community_id
    doc.themes = themes_field(themes)
    doc.seq = seq
    if vector is not None:
        doc.vector, doc.model = embedder.to_bytes(vector), embedder.MODEL
    elif changed and embedder.available():
        doc.vector, doc.model = embedder.to_bytes(embedder.embed_one(body)), embedder.MODEL
    session.flush()
    return doc


def backfill(uow: UnitOfWork, *, batch: int = 200) -> int:
    """Compute the vectors that are missing (documents made by migration 0007 from what was
    captured before, or saved while the model was unavailable). Returns how many."""
    if not embedder.available():
        return 0
    done = 0
    while True:
        with uow:
            session = uow.session
            docs = session.scalars(
                select(KnowledgeDoc).where(KnowledgeDoc.vector.is_(None)).limit(batch)
            ).all()
            if not docs:
                return done
            vectors = embedder.embed([d.text for d in docs])
            seq = (session.scalar(select(func.max(KnowledgeDoc.seq))) or 0) + 1
            ideas = {
                i.id: i
                for i in session.scalars(
                    select(Idea).where(
                        Idea.id.in_([d.item_id for d in docs if d.kind in ("idea", "lesson")])
                    )
                )
            }
            for doc, vector in zip(docs, vectors, strict=True):
                doc.vector, doc.model, doc.seq = embedder.to_bytes(vector), embedder.MODEL, seq
                if doc.kind in ("idea", "lesson") and doc.item_id in ideas:
                    doc.themes = themes_field(ideas[doc.item_id].themes)
            uow.commit()
            done += len(docs)


def remove(session: Session, *, kind: str, item_id: int) -> None:
    doc = session.scalar(
        select(KnowledgeDoc).where(KnowledgeDoc.kind == kind, KnowledgeDoc.item_id == item_id)
    )
    if doc is not None:
        session.delete(doc)
        session.flush()
