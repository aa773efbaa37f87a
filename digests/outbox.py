"""The outbox: every scheduled message is queued once, under a deterministic key.

A job decides what to send and queues it here (``enqueue``); the dispatcher
(:mod:`digests.dispatcher`) sends what is due. The unique key makes a second run, a second
worker or a restart harmless: queuing a key that exists does nothing. A message's payload is
``{"reply": <reply_to_dict>, "meta": {...}}``; ``meta`` lets a job remember what a message
carried (the nudge items in it, for instance). A message may also carry ``expires_at``: the
dispatcher does not send it from then on and marks it ``expired`` (a nudge queued inside
working hours must not go out in the evening because the worker was down or a retry waited).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.messages import Reply
from bot.ports import Address
from bot.services.upserts import insert_ignore_all
from digests.serialize import reply_to_dict
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
EXPIRED = "expired"  # not sent: its ``expires_at`` passed first
MAX_KEY = 200
BATCH = 1000  # rows serialised and written at a time


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message a job wants sent: where, what, and from when on."""

    key: str
    address: Address
    reply: Reply
    not_before: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    expires_at: datetime | None = None  # not sent from then on (aware)
    language: str | None = None  # what the platform adds (buttons, "more") is written in it

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > MAX_KEY:
            raise ValueError(f"an outbox key has 1 to {MAX_KEY} characters: {self.key!r}")

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"reply": reply_to_dict(self.reply), "meta": dict(self.meta)}
        if self.language is not None:
            data["language"] = self.language
        if self.expires_at is not None:
            data["expires_at"] = self.expires_at.astimezone(UTC).isoformat()
        return data


def _row(message: Outgoing, now: datetime) -> dict[str, Any]:
    not_before = message.not_before or now
    return {
        "key": message.key,
        "platform": message.address.platform,
        "recipient": message.address.as_dict(),
        "payload": message.payload(),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": max(not_before, now),
        "claimed_until": None,
        "created_at": now,
    }


def queue_in(session: Session, message: Outgoing, *, now: datetime) -> bool:
    """Queue ``message`` in the caller's open transaction. True if it was not queued yet."""
    return queue_all_in(session, [message], now=now) == 1


def queue_all_in(session: Session, messages: Sequence[Outgoing], *, now: datetime) -> int:
    """Queue ``messages`` in the caller's open transaction, a thousand rows a statement;
    returns how many were not queued yet."""
    written = 0
    for i in range(0, len(messages), BATCH):
        rows = [_row(m, now) for m in messages[i : i + BATCH]]
        written += insert_ignore_all(session, OutboxMessage, rows, unique=("key",))
    return written


def enqueue(
    uow: UnitOfWork,
    *,
    key: str,
    address: Address,
    reply: Reply,
    now: datetime,
    not_before: datetime | None = None,
    meta: dict[str, Any] | None = None,
) -> bool:
    """Queue one message under ``key``; a key already queued (or sent) is left alone."""
    message = Outgoing(key, address, reply, not_before, dict(meta or {}))
    return enqueue_all(uow, [message], now=now) == 1


def enqueue_all(uow: UnitOfWork, messages: Sequence[Outgoing], *, now: datetime) -> int:
    """Queue ``messages`` in one transaction; returns how many were new."""
    if not messages:
        return 0
    with uow:
        added = queue_all_in(uow.session, messages, now=now)
        uow.commit()
        return added


def existing_keys(uow: UnitOfWork, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are in the outbox already (whatever their status)."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    with uow:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found.update(
                uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))
            )
    return found


def keys_like(uow: UnitOfWork, pattern: str) -> list[str]:
    """Keys matching a SQL ``LIKE`` pattern, e.g. ``digest:community:%:2026-W48@%``."""
    with uow:
        return list(
            uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like(pattern)))
        )


def status_counts(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    """How many messages per (platform, status)."""
    with uow:
        rows = uow.session.execute(
            select(OutboxMessage.platform, OutboxMessage.status, func.count()).group_by(
                OutboxMessage.platform, OutboxMessage.status
            )
        ).all()
    return {(platform, status): int(n) for platform, status, n in rows}
