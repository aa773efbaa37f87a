"""People from an export's ``users.json``, linked to the people the bot already knows.

A Slack user id the bot has met in the same workspace is that person; otherwise a person
with the same e-mail address (one human on Slack and Teams) gets this account; otherwise
a new person is made. Bots are never people, and someone an earlier import brought in who
then asked the bot to forget them is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.importing.export import User
from bot.importing.ledger import author_of
from storage.models import Account, ImportedCount, Person

PLATFORM = "slack"


@dataclass
class PeopleTally:
    created: int = 0
    linked_by_email: int = 0
    known: int = 0
    forgotten: int = 0  # asked the bot to forget them: left out


class People:
    """Person ids by Slack user id for one workspace, made or found on first use."""

    def __init__(self, workspace: str, users: dict[str, User], *, accept_unknown: bool) -> None:
        self.workspace = workspace
        self.users = users
        self.accept_unknown = accept_unknown
        self.tally = PeopleTally()
        self._ids: dict[str, int] = {}
        self._forgotten: set[str] = set()  # author hashes of people who used forget-me
        self.left_out: set[str] = set()  # their user ids: their messages are not read

    def preload(self, session: Session) -> None:
        rows = session.execute(
            select(Account.user_id, Account.person_id).where(
                Account.platform == PLATFORM, Account.workspace == self.workspace
            )
        ).all()
        self._ids.update({user_id: person_id for user_id, person_id in rows})
        self._forgotten = set(
            session.scalars(
                select(ImportedCount.author)
                .join(Person, Person.id == ImportedCount.person_id)
                .where(
                    Person.forgotten_at.is_not(None),
                    ImportedCount.source.startswith(f"{PLATFORM}:{self.workspace}:"),
                )
                .distinct()
            )
        )

    def author(self, user_id: str) -> str:
        return author_of(PLATFORM, self.workspace, user_id)

    def is_person(self, user_id: str) -> bool:
        user = self.users.get(user_id)
        if user is None:
            return self.accept_unknown and user_id != "USLACKBOT"
        return not user.is_bot

    def forgotten(self, user_id: str) -> bool:
        """Imported before, then forgotten at their request: not brought back."""
        if user_id in self.left_out:
            return True
        if user_id in self._ids or self.author(user_id) not in self._forgotten:
            return False
        self.left_out.add(user_id)
        self.tally.forgotten += 1
        return True

    def names(self) -> dict[str, str]:
        return {u.id: u.name for u in self.users.values()}

    def person_id(self, session: Session, user_id: str, *, now: datetime) -> int:
        """The person behind ``user_id``: known account, same e-mail, or a new person."""
        found = self._ids.get(user_id)
        if found is not None:
            return found
        user = self.users.get(user_id)
        email = user.email if user is not None else None
        person: Person | None = None
        if email:
            person = session.scalar(
                select(Person)
                .where(func.lower(Person.email) == email.lower(), Person.forgotten_at.is_(None))
                .order_by(Person.id)
                .limit(1)
            )
        if person is not None:
            self.tally.linked_by_email += 1
        else:
            person = Person(
                display_name=user.name if user is not None else user_id,
                email=email,
                timezone=user.timezone if user is not None else None,
                created_at=now,
            )
            session.add(person)
            session.flush()
            self.tally.created += 1
        session.add(
            Account(
                person_id=person.id,
                platform=PLATFORM,
                workspace=self.workspace,
                user_id=user_id,
                display_name=user.name if user is not None else None,
                created_at=now,
            )
        )
        session.flush()
        self._ids[user_id] = person.id
        return person.id

    def make_all(self, session: Session, *, now: datetime) -> None:
        """Every person in ``users.json`` (bots aside), found or made."""
        for user_id in self.users:
            if not self.is_person(user_id) or self.forgotten(user_id):
                continue
            if user_id in self._ids:
                self.tally.known += 1
            else:
                self.person_id(session, user_id, now=now)
