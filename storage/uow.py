"""Unit of work: one transaction per service call.

``with uow:`` opens a session; ``uow.commit()`` commits; leaving the block without a
commit (or with an exception) rolls everything back.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker


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


class UnitOfWorkFactory:
    """Makes a fresh :class:`UnitOfWork` per use, so services stay re-entrant across threads."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
