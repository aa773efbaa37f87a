"""What search and matching read: one document per searchable thing, with its vector.

A document is an idea (title and description), a lesson (a shelved idea's lessons), a
request (question, tags and how it was resolved) or an event (title). The words are indexed
by the database's own full-text search (SQLite FTS5, PostgreSQL ``tsvector``: see migration
0007); the vector is the sentence embedding, computed once per version of the text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

# The PostgreSQL text-search vector: English, French and Spanish stems of the same text. The
# expression index in migration 0007 and the search query use this exact expression.
PG_TSVECTOR = (
    "(to_tsvector('english', text) || to_tsvector('french', text) "
    "|| to_tsvector('spanish', text) || to_tsvector('simple', text))"
)
PG_CONFIGS = ("english", "french", "spanish", "simple")


class KnowledgeDoc(Base):
    __tablename__ = "knowledge_docs"
    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index("ix_knowledge_docs_seq", "seq"),
        Index("ix_knowledge_docs_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # idea | lesson | request | event
    item_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    themes: Mapped[str] = mapped_column(String(500), default="")  # "|skills|climate|"
    created_at: Mapped[datetime]
    # Raised on every change: readers keep vectors in memory and load what changed since.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    model: Mapped[str | None] = mapped_column(String(40))


class Theme(Base):
    """The configurable theme list (SPEC §1); coordinators edit it in chat."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
