"""What an import keeps about a person is in their ``my-data``, and ``forget-me`` removes the
past messages of theirs still waiting for review."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.container import Container
from bot.messages import Actor, Platform
from bot.services import privacy
from bot.services.context import Context
from storage.models import Account, ImportCandidate, ImportedCount, Participation, Person
from tests.conftest import NOW
from tests.importing.conftest import WORKSPACE, Import


def test_my_data_lists_and_forget_me_removes_pending_candidates(
    run: Import, container: Container
) -> None:
    run()
    with container.uow() as uow:
        author_id, user_id = uow.session.execute(
            select(ImportCandidate.author_id, Account.user_id)
            .join(Account, Account.person_id == ImportCandidate.author_id)
            .limit(1)
        ).one()
    ctx = Context(
        actor=Actor(Platform.SLACK, WORKSPACE, user_id),
        channel="D1",
        now=NOW,
        settings=container.settings,
    )

    data = json.loads(privacy.my_data(container.uow(), ctx))
    assert data["review_candidates"] and data["imported_counts"]

    counts = privacy.forget_me(container.uow(), ctx)

    assert counts["review_candidates"] >= 1
    with container.uow() as uow:
        left = uow.session.scalars(
            select(ImportCandidate.id).where(ImportCandidate.author_id == author_id)
        ).all()
    assert left == []


def test_importing_again_after_forget_me_neither_counts_twice_nor_brings_them_back(
    run: Import, container: Container
) -> None:
    run()
    with container.uow() as uow:
        user_id = uow.session.scalar(
            select(Account.user_id)
            .join(ImportedCount, ImportedCount.person_id == Account.person_id)
            .limit(1)
        )
        assert user_id is not None
    ctx = Context(
        actor=Actor(Platform.SLACK, WORKSPACE, user_id),
        channel="D1",
        now=NOW,
        settings=container.settings,
    )
    privacy.forget_me(container.uow(), ctx)
    with container.uow() as uow:
        total = uow.session.scalar(select(func.sum(Participation.messages)))
        people = uow.session.scalar(select(func.count(Person.id)))

    again = run()

    assert (again.added, again.people_created, again.people_forgotten) == (0, 0, 1)
    with container.uow() as uow:
        assert uow.session.scalar(select(func.sum(Participation.messages))) == total
        assert uow.session.scalar(select(func.count(Person.id))) == people
        assert (
            uow.session.scalar(select(func.count(Account.id)).where(Account.user_id == user_id))
            == 0
        )
