"""Retention: with COPBOT_RETENTION_DAYS set, old operational rows are deleted nightly.

What goes: processed platform event ids, delivered (failed, expired) outbox messages and
daily participation counts older than the retention period. What stays: every captured item
(ideas, requests, feedback, events, time logs, pulse answers) and the indicator snapshots.
Outbox rows are kept at least :data:`OUTBOX_MINIMUM` days whatever the setting, because they
remember which nudges went out and which digests were posted this week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select

from storage.models import OutboxMessage, Participation, ProcessedEvent
from storage.uow import UnitOfWork

OUTBOX_MINIMUM = 60


def apply(uow: UnitOfWork, *, now: datetime, days: int, dry_run: bool = False) -> dict[str, int]:
    """Delete (or, on a dry run, count) what is older than ``days``; 0 keeps everything."""
    if days <= 0:
        return {}
    cutoff = now - timedelta(days=days)
    outbox_cutoff = min(cutoff, now - timedelta(days=OUTBOX_MINIMUM))
    targets: dict[str, tuple[Any, list[Any]]] = {
        "processed_events": (ProcessedEvent, [ProcessedEvent.at < cutoff]),
        "outbox": (
            OutboxMessage,
            [
                OutboxMessage.status.in_(("sent", "failed", "expired")),
                OutboxMessage.created_at < outbox_cutoff,
            ],
        ),
        "participation": (Participation, [Participation.day < cutoff.date()]),
    }
    counts: dict[str, int] = {}
    with uow:
        session = uow.session
        for name, (model, where) in targets.items():
            if dry_run:
                counts[name] = int(
                    session.scalar(select(func.count()).select_from(model).where(*where)) or 0
                )
            else:
                result = cast(CursorResult[Any], session.execute(delete(model).where(*where)))
                counts[name] = int(result.rowcount or 0)
        if not dry_run:
            uow.commit()
    return counts
