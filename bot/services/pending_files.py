"""Files offered to a person who has not accepted them yet (Teams' file consent card).

They are kept in the database, not in one web process's memory, so the person's click can
reach any process behind the load balancer; each is taken once, and expires.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot.messages import Attachment
from bot.text import cut
from storage.models import PendingFile
from storage.uow import UnitOfWork

TTL = timedelta(hours=1)


def put(uow: UnitOfWork, attachment: Attachment, *, now: datetime, ttl: timedelta = TTL) -> str:
    """Keep ``attachment`` until ``now + ttl``; the token that takes it back. Expired files
    are dropped on the way."""
    token = secrets.token_urlsafe(16)
    with uow:
        session = uow.session
        session.execute(delete(PendingFile).where(PendingFile.expires_at <= now))
        session.add(
            PendingFile(
                token=token,
                filename=attachment.filename[:255],
                mimetype=attachment.mimetype[:100],
                title=cut(attachment.title, 300, "…") if attachment.title else None,
                content=attachment.content,
                expires_at=now + ttl,
                created_at=now,
            )
        )
        uow.commit()
    return token


def take(uow: UnitOfWork, token: str, *, now: datetime) -> Attachment | None:
    """The file for ``token``, removed so it is delivered once; None when unknown or expired."""
    with uow:
        session = uow.session
        row = session.scalar(select(PendingFile).where(PendingFile.token == token[:64]))
        if row is None:
            return None
        file = Attachment(row.filename, bytes(row.content), row.mimetype, row.title)
        expired = row.expires_at <= now
        gone = session.execute(delete(PendingFile).where(PendingFile.id == row.id))
        uow.commit()
        if expired or not getattr(gone, "rowcount", 1):
            return None  # expired, or another process took it a moment ago
        return file
