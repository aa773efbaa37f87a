"""Two first requests from one person at once: the one that loses the race on creating the
account uses the winner's. A first contact also survives writes committed by others while it
runs (on SQLite a stale snapshot would refuse its insert at every attempt under load)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bot.container import Container
from bot.messages import Actor, Platform
from bot.services.people import resolve_person
from storage.errors import is_conflict
from storage.models import Account, Person
from tests.conftest import NOW

BO = Actor(
    platform=Platform.SLACK,
    workspace="T1",
    user_id="UBO",
    display_name="bo",
    email="bo@example.org",
)
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
        person = resolve_person(uow.session, NIA, now=NOW)
        uow.commit()
        person_id = person.id

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


def test_a_first_contact_survives_a_write_committed_while_it_looks_up_the_address(
    container: Container,
) -> None:
    """Other requests keep writing while a new person's first request runs (a busy
    channel): the person and their account are stored at the first attempt."""
    fired = {"done": False}

    @event.listens_for(container.engine, "after_cursor_execute")
    def meanwhile(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if fired["done"] or "lower(people.email)" not in statement:
            return
        fired["done"] = True
        with container.uow() as other:
            resolve_person(other.session, BO, now=NOW)
            other.commit()

    try:
        with container.uow() as uow:
            person = resolve_person(uow.session, NIA, now=NOW)
            uow.commit()
            person_id = person.id
    finally:
        event.remove(container.engine, "after_cursor_execute", meanwhile)

    assert fired["done"]
    with container.uow() as uow:
        owner = uow.session.scalar(select(Account.person_id).where(Account.user_id == "UNIA"))
        people = uow.session.scalar(select(func.count()).select_from(Person))
    assert owner == person_id
    assert people == 2
