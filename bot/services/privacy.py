"""A person's own data: export everything (my-data), erase it (forget-me), snooze nudges.

Both are complete by construction: they walk every column of the schema that points at a
person (:func:`person_columns`), and each such column must say what forget-me does with it
(:data:`ON_FORGET`); a test fails when a new one says nothing.

Forget-me turns the person into a tombstone: every platform account, skill, membership,
role and conversation reference is deleted, and name, e-mail and time zone are wiped. Their
contributions stay, attributed to "a former member", so aggregate counts do not change. Their
name is also taken out of the stored copies of messages (sent digests) and out of the search
documents of requests they helped resolve, and the database is
asked to overwrite what it freed (SQLite: ``secure_delete`` and a WAL checkpoint).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Select, delete, false, func, or_, select, update
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import (
    Account,
    CreditedHelper,
    KnowledgeDoc,
    OutboxMessage,
    Person,
    PulseResponse,
    TimeLog,
)
from storage.models.base import Base
from storage.uow import UnitOfWork

DELETE, DETACH, KEEP = "delete", "detach", "keep"

# What forget-me does with each column that points at a person: delete the row (it is about
# them alone), detach it (set the column to NULL), or keep it (a contribution, counted in the
# indicators and shown as "a former member").
ON_FORGET: dict[tuple[str, str], str] = {
    ("accounts", "person_id"): DELETE,
    ("skills", "person_id"): DELETE,
    ("memberships", "person_id"): DELETE,
    ("role_grants", "person_id"): DELETE,
    ("conversation_refs", "person_id"): DELETE,
    ("indicator_targets", "owner_id"): DETACH,
    ("indicator_targets", "set_by"): KEEP,
    ("communities", "created_by"): KEEP,
    ("events", "created_by"): KEEP,
    ("feedback", "author_id"): KEEP,
    ("ideas", "author_id"): KEEP,
    ("ideas", "champion_id"): KEEP,
    ("ideas", "captured_by"): KEEP,
    ("idea_stage_changes", "actor_id"): KEEP,
    ("idea_votes", "person_id"): KEEP,
    ("participation", "person_id"): KEEP,
    ("requests", "requester_id"): KEEP,
    ("requests", "captured_by"): KEEP,
    ("requests", "resolved_by"): KEEP,
    ("request_helpers", "person_id"): KEEP,
    ("request_offers", "person_id"): KEEP,
    ("role_grants", "granted_by"): KEEP,
    ("attendances", "person_id"): KEEP,
    ("attendances", "recorded_by"): KEEP,
    ("pulse_responses", "person_id"): KEEP,
    ("time_logs", "person_id"): KEEP,
    ("imported_counts", "person_id"): KEEP,
    ("import_candidates", "author_id"): DELETE,
    ("import_candidates", "reviewed_by"): DETACH,
    ("feedback", "subject_author_id"): DETACH,
}

# Section names in the my-data export; any other column is exported as "<table>.<column>".
SECTIONS: dict[tuple[str, str], str] = {
    ("accounts", "person_id"): "accounts",
    ("role_grants", "person_id"): "roles",
    ("role_grants", "granted_by"): "roles_granted",
    ("memberships", "person_id"): "memberships",
    ("skills", "person_id"): "skills",
    ("ideas", "author_id"): "ideas_authored",
    ("ideas", "champion_id"): "ideas_championed",
    ("ideas", "captured_by"): "ideas_saved_for_others",
    ("idea_votes", "person_id"): "votes",
    ("idea_stage_changes", "actor_id"): "stage_decisions",
    ("requests", "requester_id"): "requests",
    ("requests", "captured_by"): "requests_saved_for_others",
    ("requests", "resolved_by"): "requests_resolved",
    ("request_offers", "person_id"): "offers",
    ("request_helpers", "person_id"): "credited_help",
    ("feedback", "author_id"): "feedback",
    ("attendances", "person_id"): "attendances",
    ("attendances", "recorded_by"): "attendances_recorded",
    ("time_logs", "person_id"): "time_logs",
    ("pulse_responses", "person_id"): "pulse_responses",
    ("participation", "person_id"): "participation",
    ("indicator_targets", "owner_id"): "targets_owned",
    ("indicator_targets", "set_by"): "targets_set",
    ("communities", "created_by"): "communities_created",
    ("events", "created_by"): "events_created",
    ("conversation_refs", "person_id"): "conversations",
    ("imported_counts", "person_id"): "imported_counts",
    ("import_candidates", "author_id"): "review_candidates",
    ("import_candidates", "reviewed_by"): "review_candidates_reviewed",
    ("feedback", "subject_author_id"): "feedback_on_your_messages",
}
FORMER = "a former member"


def person_columns() -> list[Column[Any]]:
    """Every column in the schema with a foreign key to ``people``, in a stable order."""
    found: list[Column[Any]] = []
    for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
        for column in table.columns:
            if any(fk.column.table.name == Person.__tablename__ for fk in column.foreign_keys):
                found.append(column)
    return found


def _key(column: Column[Any]) -> tuple[str, str]:
    return column.table.name, column.name


def section_name(column: Column[Any]) -> str:
    return SECTIONS.get(_key(column), ".".join(_key(column)))


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
    """Every row that points at the person, by section, plus messages addressed to them."""
    person = session.get(Person, person_id)
    assert person is not None
    data: dict[str, Any] = {"person": _row(person)}
    for column in person_columns():
        table = column.table
        order = list(table.primary_key.columns) or list(table.columns)[:1]
        rows = session.execute(select(table).where(column == person_id).order_by(*order))
        data[section_name(column)] = [
            {k: _plain(v) for k, v in row.items()} for row in rows.mappings()
        ]
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


def _names_of(session: Session, person: Person) -> set[str]:
    names = {person.display_name or "", person.email or ""}
    names |= set(
        session.scalars(select(Account.display_name).where(Account.person_id == person.id))
    )
    return {n.strip() for n in names if n and len(n.strip()) >= 2}


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(FORMER, value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def _names_pattern(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub_search_documents(session: Session, person_id: int, names: set[str]) -> int:
    """Take ``names`` out of the search documents of the requests the person helped resolve
    (they say "Helped by <name>"); returns how many documents changed."""
    if not names:
        return 0
    pattern = _names_pattern(names)
    helped = select(CreditedHelper.request_id).where(CreditedHelper.person_id == person_id)
    docs = session.scalars(
        select(KnowledgeDoc).where(KnowledgeDoc.kind == "request", KnowledgeDoc.item_id.in_(helped))
    ).all()
    seq = (session.scalar(select(func.max(KnowledgeDoc.seq))) or 0) + 1
    changed = 0
    for doc in docs:
        text = pattern.sub(FORMER, doc.text)
        if text != doc.text:
            doc.text, doc.seq = text, seq
            changed += 1
    return changed


def scrub_stored_messages(session: Session, names: set[str]) -> int:
    """Replace ``names`` in every stored message (sent digests included); returns how many
    messages changed."""
    if not names:
        return 0
    pattern = _names_pattern(names)
    changed = 0
    for message in session.scalars(select(OutboxMessage)):
        scrubbed = _scrub(message.payload, pattern)
        if scrubbed != message.payload:
            message.payload = scrubbed
            changed += 1
    return changed


def forget_me(uow: UnitOfWork, ctx: Context) -> dict[str, int]:
    """Erase the caller's personal data; returns how many rows of each kind were touched."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        person = caller.person
        pid = person.id
        names = _names_of(session, person)
        counts: dict[str, int] = {}
        # Scheduled messages addressed to them carry their platform ids and the text of their
        # nudges: they go before the accounts that locate them.
        messages = session.scalars(_messages_to(session, pid)).all()
        for message in messages:
            session.delete(message)
        counts["messages"] = len(messages)
        session.flush()
        counts["messages_scrubbed"] = scrub_stored_messages(session, names)
        counts["search_documents_scrubbed"] = scrub_search_documents(session, pid, names)
        for column in person_columns():
            action = ON_FORGET[_key(column)]
            if action == KEEP:
                continue
            table = column.table
            if action == DELETE:
                result = session.execute(delete(table).where(column == pid))
            else:
                result = session.execute(
                    update(table).where(column == pid).values({column.name: None})
                )
            counts[section_name(column)] = int(result.rowcount)  # type: ignore[attr-defined]
        session.execute(update(TimeLog).where(TimeLog.person_id == pid).values(note=None))
        session.execute(
            update(PulseResponse).where(PulseResponse.person_id == pid).values(comment=None)
        )
        person.display_name = None
        person.email = None
        person.timezone = None
        person.unit_id = None
        person.snoozed_until = None
        person.forgotten_at = ctx.now
        uow.commit()
    uow.overwrite_freed()
    return counts


def set_language(uow: UnitOfWork, ctx: Context, *, code: str | None) -> None:
    """Keep ``code`` (en, fr, es) as the caller's language; None follows their platform."""
    with uow:
        caller = load_caller(uow.session, ctx)
        caller.person.language = code
        uow.commit()
    ctx.memo.language_changed = True


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
