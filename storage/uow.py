"""Unit of work: one transaction per service call.

``with uow:`` opens a session; ``uow.commit()`` commits; leaving the block without a
commit (or with an exception) rolls everything back.
"""

from __future__ import annotations

import logging
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("unit of work is already open")
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work is not open: use `with uow:`")
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()

    def overwrite_freed(self) -> None:
        """After an erasure, leave no old copy of erased values in the database's files.

        SQLite runs with ``secure_delete`` on, so freed space is zeroed; a checkpoint then moves
        the write-ahead log into the database file and truncates the log, which still held the
        old pages. PostgreSQL reclaims dead rows at its next (auto)vacuum.
        """
        if self._session is not None:
            raise RuntimeError("commit and leave the unit of work first")
        with self._factory() as session:
            if session.get_bind().dialect.name != "sqlite":
                return
            busy = session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).scalar()
            if busy:
                log.warning(
                    "SQLite checkpoint after an erasure was blocked by a reader; "
                    "the next checkpoint completes it"
                )


class UnitOfWorkFactory:
    """Makes a fresh :class:`UnitOfWork` per use, so services stay re-entrant across threads."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
