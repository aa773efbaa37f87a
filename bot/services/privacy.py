"""A person's own data: export everything (my-data), erase it (forget-me), snooze nudges.

Forget-me turns the person into a tombstone: every platform account, skill, membership,
role and conversation reference is deleted, and name, e-mail and time zone are wiped. Their
contributions stay, attributed to "a former member", so aggregate counts do not change.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, false, or_, select, update
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import (
    Account,
    Attendance,
    ConversationRef,
    CreditedHelper,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    IndicatorTarget,
    Membership,
    OutboxMessage,
    Participation,
    Person,
    PulseResponse,
    RoleGrant,
    Skill,
    StageChange,
    TimeLog,
    Vote,
)
from storage.models.base import Base
from storage.uow import UnitOfWork

_OWNED: tuple[tuple[str, type[Base], str], ...] = (
    ("accounts", Account, "person_id"),
    ("roles", RoleGrant, "person_id"),
    ("memberships", Membership, "person_id"),
    ("skills", Skill, "person_id"),
    ("ideas_authored", Idea, "author_id"),
    ("ideas_championed", Idea, "champion_id"),
    ("votes", Vote, "person_id"),
    ("requests", HelpRequest, "requester_id"),
    ("offers", HelpOffer, "person_id"),
    ("credited_help", CreditedHelper, "person_id"),
    ("feedback", Feedback, "author_id"),
    ("attendances", Attendance, "person_id"),
    ("time_logs", TimeLog, "person_id"),
    ("pulse_responses", PulseResponse, "person_id"),
    ("participation", Participation, "person_id"),
    ("targets_owned", IndicatorTarget, "owner_id"),
    ("stage_decisions", StageChange, "actor_id"),
    ("conversations", ConversationRef, "person_id"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Base) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs}


def _messages_to(session: Session, person_id: int) -> Select[OutboxMessage]:
    """Scheduled messages addressed to the person's platform accounts (digests, nudges)."""
    accounts = session.execute(
        select(Account.platform, Account.workspace, Account.user_id).where(
            Account.person_id == person_id
        )
    ).all()
    mine = [
        (OutboxMessage.platform == platform)
        & (OutboxMessage.recipient["workspace"].as_string() == workspace)
        & (OutboxMessage.recipient["user"].as_string() == user)
        for platform, workspace, user in accounts
    ]
    return select(OutboxMessage).where(or_(*mine) if mine else false())


def collect(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get(Person, person_id)
    assert person is not None
    data: dict[str, Any] = {"person": _row(person)}
    for name, model, column in _OWNED:
        rows = session.scalars(select(model).where(getattr(model, column) == person_id))
        data[name] = [_row(r) for r in rows]
    data["messages_to_you"] = [_row(r) for r in session.scalars(_messages_to(session, person_id))]
    return data


def my_data(uow: UnitOfWork, ctx: Context) -> str:
    """Everything stored about the caller, as indented JSON."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        data = collect(session, caller.person.id)
        uow.commit()
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def forget_me(uow: UnitOfWork, ctx: Context) -> dict[str, int]:
    """Erase the caller's personal data; returns how many rows of each kind were touched."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        pid = caller.person.id
        counts: dict[str, int] = {}
        # Scheduled messages addressed to them carry their platform ids and the text of their
        # nudges: they go before the accounts that locate them.
        messages = session.scalars(_messages_to(session, pid)).all()
        for message in messages:
            session.delete(message)
        counts["messages"] = len(messages)
        for name, model in (
            ("accounts", Account),
            ("skills", Skill),
            ("memberships", Membership),
            ("roles", RoleGrant),
            ("conversations", ConversationRef),
        ):
            result = session.execute(delete(model).where(model.person_id == pid))  # type: ignore[attr-defined]
            counts[name] = int(result.rowcount)  # type: ignore[attr-defined]
        session.execute(update(TimeLog).where(TimeLog.person_id == pid).values(note=None))
        session.execute(
            update(PulseResponse).where(PulseResponse.person_id == pid).values(comment=None)
        )
        session.execute(
            update(IndicatorTarget).where(IndicatorTarget.owner_id == pid).values(owner_id=None)
        )
        person = caller.person
        person.display_name = None
        person.email = None
        person.timezone = None
        person.unit_id = None
        person.snoozed_until = None
        person.forgotten_at = ctx.now
        uow.commit()
        return counts


def set_language(uow: UnitOfWork, ctx: Context, *, code: str | None) -> None:
    """Keep ``code`` (en, fr, es) as the caller's language; None follows their platform."""
    with uow:
        caller = load_caller(uow.session, ctx)
        caller.person.language = code
        uow.commit()


def snooze(uow: UnitOfWork, ctx: Context, *, days: int) -> datetime:
    if not 1 <= days <= 90:
        raise InvalidInput(
            _("Snooze for 1 to 90 days, not {days}.").format(days=days), usage="snooze <days>d"
        )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        until = ctx.now + timedelta(days=days)
        caller.person.snoozed_until = until
        uow.commit()
        return until
