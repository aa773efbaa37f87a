"""Two first requests from one person at once: the one that loses the race on creating the
account uses the winner's (PostgreSQL), or meets a lock the inbox retries (SQLite)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bot.container import Container
from bot.messages import Actor, Platform
from bot.services.access import resolve_person
from storage.errors import is_conflict, is_transient
from storage.models import Account, Person
from tests.conftest import NOW

NIA = Actor(
    platform=Platform.SLACK,
    workspace="T1",
    user_id="UNIA",
    display_name="nia",
    email="nia@example.org",
)


def _the_other_request_wins(session: Session, container: Container) -> None:
    """Just before ``session`` writes, another request creates the same account."""
    fired = {"done": False}

    @event.listens_for(session, "before_flush")
    def race(inner: Session, *_: Any) -> None:
        if fired["done"]:
            return
        fired["done"] = True
        with container.uow() as other:
            resolve_person(other.session, NIA, now=NOW)
            other.commit()


def test_the_second_first_contact_uses_the_account_the_first_created(
    container: Container,
) -> None:
    with container.uow() as uow:
        _the_other_request_wins(uow.session, container)
        try:
            person = resolve_person(uow.session, NIA, now=NOW)
        except Exception as error:
            if container.settings.is_sqlite and is_transient(error):
                return  # SQLite refuses the stale writer; the inbox retries the request
            raise
        uow.commit()
        person_id = person.id

    assert not container.settings.is_sqlite or pytest.fail("SQLite should refuse the writer")
    with container.uow() as uow:
        owners = uow.session.scalars(
            select(Account.person_id).where(Account.user_id == "UNIA")
        ).all()
        people = uow.session.scalar(select(func.count()).select_from(Person))
    assert list(owners) == [person_id]
    assert people == 1


def test_a_unique_key_race_is_worth_another_attempt(container: Container) -> None:
    from sqlalchemy.exc import IntegrityError

    assert is_conflict(IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")))
