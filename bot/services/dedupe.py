"""Each platform delivery handled once: Slack retries an event until it is acknowledged, so
the id of every event (or interaction) that changed something is kept in ``processed_events``.

Two ways to use it:

- :class:`OnceUnitOfWorkFactory` writes the marker in the same transaction as the effect: the
  first commit of any service called with it also inserts the marker, and a second delivery's
  commit fails on the unique constraint and rolls its effect back (:class:`DuplicateDelivery`).
- :func:`claim` inserts the marker on its own, for effects that are not stored (a prompt).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ProcessedEvent
from storage.uow import UnitOfWork, UnitOfWorkFactory

MAX_KEY = 200


class DuplicateDelivery(Exception):
    """This event or interaction was already processed; its effect is not repeated."""


def _key(key: str) -> str:
    return key[:MAX_KEY]


def seen(uow: UnitOfWork, *, platform: str, key: str) -> bool:
    """Whether the delivery ``key`` was already processed (a cheap check before any work)."""
    with uow:
        found = uow.session.scalar(
            select(ProcessedEvent.id).where(
                ProcessedEvent.platform == platform, ProcessedEvent.event_id == _key(key)
            )
        )
        return found is not None


_MARK = insert(ProcessedEvent)


def mark(session: Session, *, platform: str, key: str, now: datetime) -> None:
    """Add the marker to the open transaction; raises :class:`DuplicateDelivery` if it exists.

    On a duplicate the whole transaction is rolled back, effects included. (One insert
    statement, built once: every delivery that changes something writes one.)
    """
    try:
        session.execute(_MARK, {"platform": platform, "event_id": _key(key), "at": now})
    except IntegrityError:
        session.rollback()
        raise DuplicateDelivery(key) from None


def claim(uow: UnitOfWork, *, platform: str, key: str, now: datetime) -> bool:
    """Record ``key`` in its own transaction. False when it was already there."""
    with uow:
        try:
            mark(uow.session, platform=platform, key=key, now=now)
        except DuplicateDelivery:
            return False
        uow.commit()
        return True


def release(uow: UnitOfWork, *, platform: str, key: str) -> None:
    """Forget ``key`` (its effect failed), so the platform's retry can do the work again."""
    with uow:
        uow.session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.platform == platform, ProcessedEvent.event_id == _key(key)
            )
        )
        uow.commit()


class _Once:
    """Shared by the units of work of one delivery: whether its marker is written yet."""

    def __init__(self, platform: str, key: str, now: datetime) -> None:
        self.platform = platform
        self.key = key
        self.now = now
        self.marked = False


class OnceUnitOfWork(UnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session], once: _Once) -> None:
        super().__init__(session_factory)
        self._once = once

    def commit(self) -> None:
        if not self._once.marked:
            mark(self.session, platform=self._once.platform, key=self._once.key, now=self._once.now)
        self.session.commit()
        self._once.marked = True


class OnceUnitOfWorkFactory(UnitOfWorkFactory):
    """Units of work whose first commit also records the delivery ``key`` (see module doc)."""

    def __init__(
        self, session_factory: sessionmaker[Session], *, platform: str, key: str, now: datetime
    ) -> None:
        super().__init__(session_factory)
        self.once = _Once(platform, key, now)

    def __call__(self) -> UnitOfWork:
        return OnceUnitOfWork(self.session_factory, self.once)

    @property
    def marked(self) -> bool:
        return self.once.marked
