"""Where the bot can reach people and channels proactively.

Platforms that can only message a conversation the bot has seen (Teams) store a reference to
it here, keyed ``user:<id>`` for a person's direct chat and ``channel:<id>`` for a channel.
The reference itself is the platform's JSON, opaque to the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.messages import Actor
from bot.services.people import resolve_person
from storage.models import Account, ConversationRef, Person
from storage.uow import UnitOfWork, UnitOfWorkFactory


def user_key(user_id: str) -> str:
    return f"user:{user_id}"


def channel_key(channel_id: str) -> str:
    return f"channel:{channel_id}"


@dataclass(frozen=True, slots=True)
class StoredReference:
    platform: str
    workspace: str
    key: str
    person_id: int | None
    reference: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Reachable:
    """One platform account of a person: where a direct message to them goes."""

    platform: str
    workspace: str
    user_id: str


def _view(row: ConversationRef) -> StoredReference:
    return StoredReference(
        row.platform, row.workspace, row.key, row.person_id, dict(row.reference), row.updated_at
    )


def remember(
    uow: UnitOfWorkFactory,
    *,
    platform: str,
    workspace: str,
    key: str,
    reference: dict[str, Any],
    now: datetime,
    actor: Actor | None = None,
) -> StoredReference:
    """Store or refresh a reference. With ``actor`` (a direct chat) it is linked to their person,
    who is created on first contact exactly as a command would create them."""
    try:
        return _remember(uow(), platform, workspace, key, reference, now, actor)
    except IntegrityError:
        # Another process stored the same reference (or person) at the same moment: update it.
        return _remember(uow(), platform, workspace, key, reference, now, actor)


def _remember(
    uow: UnitOfWork,
    platform: str,
    workspace: str,
    key: str,
    reference: dict[str, Any],
    now: datetime,
    actor: Actor | None,
) -> StoredReference:
    with uow:
        session = uow.session
        person_id = resolve_person(session, actor, now=now).id if actor is not None else None
        row = session.scalar(
            select(ConversationRef).where(
                ConversationRef.platform == platform,
                ConversationRef.workspace == workspace,
                ConversationRef.key == key,
            )
        )
        if row is None:
            row = ConversationRef(
                platform=platform,
                workspace=workspace,
                key=key,
                person_id=person_id,
                reference=reference,
                updated_at=now,
            )
            session.add(row)
        else:
            row.reference = reference
            row.updated_at = now
            if person_id is not None:
                row.person_id = person_id
        session.flush()
        view = _view(row)
        uow.commit()
        return view


def find(uow: UnitOfWork, *, platform: str, workspace: str, key: str) -> StoredReference | None:
    with uow:
        row = uow.session.scalar(
            select(ConversationRef).where(
                ConversationRef.platform == platform,
                ConversationRef.workspace == workspace,
                ConversationRef.key == key,
            )
        )
        return _view(row) if row is not None else None


def latest(uow: UnitOfWork, *, platform: str, workspace: str) -> StoredReference | None:
    """The most recently refreshed reference in a workspace (it tells where the platform lives)."""
    with uow:
        row = uow.session.scalar(
            select(ConversationRef)
            .where(ConversationRef.platform == platform, ConversationRef.workspace == workspace)
            .order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc())
            .limit(1)
        )
        return _view(row) if row is not None else None


def forget(uow: UnitOfWork, *, platform: str, workspace: str, key: str) -> bool:
    """Drop a reference the bot can no longer use (the app was removed there)."""
    with uow:
        result = uow.session.execute(
            delete(ConversationRef).where(
                ConversationRef.platform == platform,
                ConversationRef.workspace == workspace,
                ConversationRef.key == key,
            )
        )
        uow.commit()
        return bool(getattr(result, "rowcount", 0))


def reachable(uow: UnitOfWork, *, person_id: int) -> list[Reachable]:
    """A person's platform accounts, oldest first; nothing for a forgotten person."""
    with uow:
        session = uow.session
        person = session.get(Person, person_id)
        if person is None or person.forgotten_at is not None:
            return []
        rows = session.scalars(
            select(Account).where(Account.person_id == person_id).order_by(Account.id)
        ).all()
        return [Reachable(a.platform, a.workspace, a.user_id) for a in rows]
