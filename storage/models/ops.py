"""Operational tables: outbox, processed platform events, indicator targets and snapshots,
the scheduler lease and stored conversation references."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class OutboxMessage(Base):
    """A scheduled outbound message. ``key`` is deterministic, so it is only ever queued once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[dict[str, Any]]
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(
        String(12), default="pending"
    )  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    platform_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class ProcessedEvent(Base):
    """Platform event ids already handled: Slack retries never create a second item."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(index=True)


class IndicatorTarget(Base):
    __tablename__ = "indicator_targets"
    __table_args__ = (
        UniqueConstraint("indicator", "period", "scope_kind", "scope_id", name="uq_targets_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    scope_kind: Mapped[str] = mapped_column(String(16))  # org|community|unit|region
    scope_id: Mapped[int] = mapped_column(default=0)
    baseline: Mapped[float | None]
    target: Mapped[float]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    set_at: Mapped[datetime]


class IndicatorSnapshot(Base):
    __tablename__ = "indicator_snapshots"
    __table_args__ = (
        UniqueConstraint("indicator", "period", "scope_kind", "scope_id", name="uq_snapshots_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    scope_kind: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[int] = mapped_column(default=0)
    value: Mapped[float | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[datetime]


class SchedulerLease(Base):
    """Which process runs the scheduler; expires unless its holder renews it."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class ConversationRef(Base):
    """Where the bot can reach a person or channel proactively (Teams conversation references,
    Slack DM channels)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "workspace", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128))
    key: Mapped[str] = mapped_column(String(200))  # "user:<id>" or "channel:<id>"
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
