"""Where people can be reached on a platform: their account ids in one workspace."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from storage.models import Account, Person
from storage.uow import UnitOfWork


def account_ids(
    uow: UnitOfWork, *, platform: str, workspace: str, person_ids: Iterable[int]
) -> dict[int, str]:
    """``{person id: platform user id}`` for the people who have an account in ``workspace``.

    People who were forgotten, or who only use another platform or workspace, are left out.
    """
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    with uow:
        rows = uow.session.execute(
            select(Account.person_id, Account.user_id)
            .join(Person, Person.id == Account.person_id)
            .where(
                Account.platform == platform,
                Account.workspace == workspace,
                Account.person_id.in_(wanted),
                Person.forgotten_at.is_(None),
            )
            .order_by(Account.id)
        ).all()
        found: dict[int, str] = {}
        for person_id, user_id in rows:
            found.setdefault(person_id, user_id)
        return found
