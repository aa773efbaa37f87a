"""The inbox: verified platform requests, stored before they are acknowledged and worked
through by the inbox workers (the mirror of the outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

CLAIM_INDEX = "ix_inbox_status_id"
OLD_CLAIM_INDEX = "ix_inbox_status_next"  # (status, next_attempt_at), before migration 0011


class InboxEntry(Base):
    """One acknowledged request. ``key`` (Slack's event id, or a hash of the request) makes a
    retried or replayed delivery land on the same row."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "key", name="uq_inbox_platform_key"),
        # Claims take the oldest due rows (``ORDER BY id LIMIT n``): read in id order from
        # this index they stop at the first few, whatever the backlog.
        Index(CLAIM_INDEX, "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[str] = mapped_column(Text)  # JSON object of the headers the replay needs
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
