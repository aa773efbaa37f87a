"""Things kept for later: captures made in a channel that is not part of a community yet, and
files waiting for a person to accept Teams' file consent card (any web process completes
the upload)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class HeldCapture(Base):
    """An idea, request or event captured in an unbound channel. It joins the community the
    channel is bound to, and the row goes, when the channel is bound."""

    __tablename__ = "held_captures"
    __table_args__ = (
        UniqueConstraint("item_kind", "item_id"),
        Index("ix_held_captures_channel", "platform", "workspace", "channel_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str] = mapped_column(String(128))
    channel_name: Mapped[str | None] = mapped_column(String(200))
    item_kind: Mapped[str] = mapped_column(String(16))  # idea|request|event
    item_id: Mapped[int]
    held_at: Mapped[datetime]


class PendingFile(Base):
    """A file offered through Teams' file consent card, until accepted, declined or expired."""

    __tablename__ = "pending_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
