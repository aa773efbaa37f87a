"""What an import of a workspace export left behind: the counts it added, and the messages it
offers for review. Neither keeps any message text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ImportedCount(Base):
    """Messages an import added to one person's participation in one community on one day,
    from one source (``slack:<workspace>:<channel id>``). Importing again adds only what
    this ledger does not already hold, so a re-import or an overlapping export adds nothing
    twice.

    ``author`` is a one-way hash of the platform user id: the ledger still recognises a
    person's messages after ``forget-me`` deleted their account, so importing the same
    export again neither counts them twice nor brings the person back."""

    __tablename__ = "imported_counts"
    __table_args__ = (
        UniqueConstraint("community_id", "source", "author", "day", name="uq_imported_counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    messages: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime]


class ImportCandidate(Base):
    """A past message that reads like an idea or a help request, waiting for a focal point to
    capture or dismiss it. Only where it is (channel, ts) and who wrote it: never its text,
    which is read from the platform when someone reviews it."""

    __tablename__ = "import_candidates"
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel_id", "ts", name="uq_import_candidates"),
        Index("ix_import_candidates_community_status", "community_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str] = mapped_column(String(128))
    ts: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # idea | request
    posted_at: Mapped[datetime]
    permalink: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|captured|dismissed
    item_ref: Mapped[str | None] = mapped_column(String(16))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
