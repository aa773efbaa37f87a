"""The scheduler lease: one row that says which process runs the scheduler on this database.

Taking it is one atomic statement: an ``UPDATE`` of an expired (or our own) lease, else an
``INSERT … ON CONFLICT DO NOTHING`` of a new one. When two processes try at once the
database serialises them (SQLite's write lock, PostgreSQL's row lock and unique index), so
exactly one wins. The holder renews it well before it expires; if the holder dies, the lease
lapses and another process takes over.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, update

from bot.services.upserts import insert_ignore
from storage.models import SchedulerLease
from storage.uow import UnitOfWorkFactory

NAME = "scheduler"
TTL_SECONDS = 60.0
RENEW_SECONDS = 20.0


def holder_id() -> str:
    """Names this process in the lease: host, pid and a random tail."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class LeaseInfo:
    holder: str
    expires_at: datetime


def try_acquire(
    uow: UnitOfWorkFactory,
    *,
    holder: str,
    now: datetime,
    ttl: float = TTL_SECONDS,
    name: str = NAME,
) -> bool:
    """Take (or keep) the lease. True if ``holder`` holds it until ``now + ttl``."""
    expires = now + timedelta(seconds=ttl)
    with uow() as work:
        session = work.session
        taken = cast(
            CursorResult[Any],
            session.execute(
                update(SchedulerLease)
                .where(
                    SchedulerLease.name == name,
                    or_(SchedulerLease.expires_at < now, SchedulerLease.holder == holder),
                )
                .values(holder=holder, expires_at=expires)
            ),
        )
        won = taken.rowcount == 1 or insert_ignore(
            session,
            SchedulerLease,
            {"name": name, "holder": holder, "expires_at": expires},
            unique=("name",),
        )
        work.commit()
        return won


def renew(
    uow: UnitOfWorkFactory,
    *,
    holder: str,
    now: datetime,
    ttl: float = TTL_SECONDS,
    name: str = NAME,
) -> bool:
    """Extend our lease; False if it is no longer ours (it lapsed and someone took it)."""
    with uow() as work:
        result = cast(
            CursorResult[Any],
            work.session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
                .values(expires_at=now + timedelta(seconds=ttl))
            ),
        )
        work.commit()
        return result.rowcount == 1


def release(uow: UnitOfWorkFactory, *, holder: str, name: str = NAME) -> None:
    """Give the lease up (on a clean stop) so a standby can take over at once."""
    with uow() as work:
        work.session.execute(
            delete(SchedulerLease).where(
                SchedulerLease.name == name, SchedulerLease.holder == holder
            )
        )
        work.commit()


def current(uow: UnitOfWorkFactory, *, name: str = NAME) -> LeaseInfo | None:
    with uow() as work:
        row = work.session.execute(
            select(SchedulerLease.holder, SchedulerLease.expires_at).where(
                SchedulerLease.name == name
            )
        ).first()
    return None if row is None else LeaseInfo(row[0], row[1])
