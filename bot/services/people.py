"""Who is who: the person behind a platform account, created on first contact and linked by
e-mail address to the same person on another platform, and a person named in a command
(by user id, display name or e-mail address)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot.errors import NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.messages import Actor
from storage.models import Account, Person


def resolve_person(session: Session, actor: Actor, *, now: datetime) -> Person:
    """The person behind a platform account; created on first contact.

    A new account whose e-mail address matches a known person is linked to that person,
    so one human with a Slack and a Teams identity is counted once.
    """
    account = find_account(session, actor)
    if account is not None:
        _refresh(account.person, account, actor)
        return account.person
    known = _person_by_email(session, actor.email)
    try:
        # Two first requests from one person can arrive together: the one that loses the
        # race on the account's unique key rolls back to here and uses the winner's row.
        # Nothing is read inside the savepoint: on SQLite a savepoint opened outside a
        # transaction starts one, and a read there would pin a snapshot that any write
        # committed meanwhile makes stale, so the insert would fail ("database is locked")
        # at every attempt while the database is busy.
        with session.begin_nested():
            return _first_contact(session, actor, known, now=now)
    except IntegrityError:
        account = session.scalar(
            select(Account).where(
                Account.platform == actor.platform.value,
                Account.workspace == actor.workspace,
                Account.user_id == actor.user_id,
            )
        )
        if account is None:
            raise
        return account.person


def _person_by_email(session: Session, email: str | None) -> Person | None:
    """The (not forgotten) person with this e-mail address, if any."""
    if not email:
        return None
    return session.scalar(
        select(Person)
        .where(func.lower(Person.email) == email.lower(), Person.forgotten_at.is_(None))
        .limit(1)
    )


def _first_contact(
    session: Session, actor: Actor, person: Person | None, *, now: datetime
) -> Person:
    if person is None:
        person = Person(
            display_name=actor.display_name or actor.user_id,
            email=actor.email,
            timezone=actor.timezone,
            platform_locale=actor.locale[:16] if actor.locale else None,
            created_at=now,
        )
        session.add(person)
        session.flush()
    account = Account(
        person_id=person.id,
        platform=actor.platform.value,
        workspace=actor.workspace,
        user_id=actor.user_id,
        display_name=actor.display_name,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return person


_ACCOUNT = (
    select(Account)
    .where(
        Account.platform == bindparam("platform"),
        Account.workspace == bindparam("workspace"),
        Account.user_id == bindparam("user_id"),
    )
    .options(joinedload(Account.person).joinedload(Person.accounts))
)


def find_account(session: Session, actor: Actor) -> Account | None:
    """The account behind ``actor`` with its person and the person's accounts, in one query
    (the coordinator check reads the accounts). The statement is built once: this runs for
    every request."""
    params = {
        "platform": actor.platform.value,
        "workspace": actor.workspace,
        "user_id": actor.user_id,
    }
    return session.execute(_ACCOUNT, params).unique().scalar_one_or_none()


def _refresh(person: Person, account: Account, actor: Actor) -> None:
    if actor.display_name and account.display_name != actor.display_name:
        account.display_name = actor.display_name
        person.display_name = actor.display_name
    if actor.email and not person.email:
        person.email = actor.email
    if actor.timezone and person.timezone != actor.timezone:
        person.timezone = actor.timezone
    if actor.locale and person.platform_locale != actor.locale:
        person.platform_locale = actor.locale[:16]


def find_person(session: Session, ref: PersonRef, *, actor: Actor, now: datetime) -> Person:
    """A person named in a command, looked up on the caller's platform and workspace."""
    raw = ref.raw.strip().lstrip("@")
    account = session.scalar(
        select(Account).where(
            Account.platform == actor.platform.value,
            Account.workspace == actor.workspace,
            or_(Account.user_id == raw, func.lower(Account.display_name) == raw.lower()),
        )
    )
    if account is not None:
        return account.person
    person = session.scalar(
        select(Person).where(
            Person.forgotten_at.is_(None),
            or_(
                func.lower(Person.display_name) == raw.lower(),
                func.lower(Person.email) == raw.lower(),
            ),
        )
    )
    if person is not None:
        return person
    if actor.platform.value == "slack" and ref.raw.startswith(("U", "W")) and raw.isalnum():
        # A Slack mention names a real account by id even if the bot has not met them yet:
        # create them now so roles and credits can be given before their first message.
        return resolve_person(
            session,
            Actor(
                platform=actor.platform,
                workspace=actor.workspace,
                user_id=raw,
                display_name=ref.label or raw,
            ),
            now=now,
        )
    raise NotFound(
        _("I don't know anyone called @{raw} yet. They need to talk to me once first.").format(
            raw=raw
        )
    )
