"""Innovation ideas, their stage history and votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class Idea(Base):
    __tablename__ = "ideas"
    __table_args__ = (
        Index("ix_ideas_community_stage", "community_id", "stage"),
        Index("ix_ideas_created_at", "created_at"),
        # Listings: newest first and most voted first (migration 0009).
        Index("ix_ideas_community_id", "community_id", "id"),
        Index("ix_ideas_community_votes", "community_id", "votes", "id"),
        Index("ix_ideas_votes", "votes", "id"),
        # Digests: a community's ideas by time (migration 0010).
        Index("ix_ideas_community_created", "community_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(default=list)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    champion_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    captured_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(16), default="proposed")
    scaling: Mapped[str] = mapped_column(String(8), default="unrated")
    lessons: Mapped[str | None] = mapped_column(Text)
    votes: Mapped[int] = mapped_column(default=0)
    source_platform: Mapped[str | None] = mapped_column(String(16))
    source_channel: Mapped[str | None] = mapped_column(String(128))
    source_ts: Mapped[str | None] = mapped_column(String(64))
    permalink: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    stage_changed_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        return f"I-{self.id}"


class StageChange(Base):
    __tablename__ = "idea_stage_changes"
    __table_args__ = (
        Index("ix_idea_stage_changes_at_stage", "at", "to_stage"),
        # Moves only (a creation has no from_stage): what the digests list, by time.
        Index(
            "ix_idea_stage_changes_moves",
            "at",
            sqlite_where=text("from_stage IS NOT NULL"),
            postgresql_where=text("from_stage IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class Vote(Base):
    __tablename__ = "idea_votes"
    __table_args__ = (UniqueConstraint("idea_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
