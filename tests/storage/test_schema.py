"""The store: migrations reach the models, SQLite runs in WAL mode with foreign keys on,
and the unit of work commits or rolls back as a whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from storage.db import make_engine, make_session_factory
from storage.migrate import current, head, ours
from storage.models import Base, Idea, OutboxMessage, Person, Vote
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_migrations_match_the_models(database_url: str) -> None:
    assert current(database_url) == head()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(database_url: str) -> None:
    engine = make_engine(database_url)
    uow = UnitOfWork(make_session_factory(engine))
    with uow, pytest.raises(IntegrityError):
        uow.session.add(Vote(idea_id=999, person_id=999, at=NOW))
        uow.commit()
    engine.dispose()


def test_unit_of_work_rolls_back_without_commit(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.session.add(Person(display_name="ana", created_at=NOW))
    with UnitOfWork(factory) as uow:
        uow.session.add(Person(display_name="bo", created_at=NOW))
        uow.commit()
    with UnitOfWork(factory) as uow:
        names = uow.session.scalars(select(Person.display_name)).all()
    assert names == ["bo"]
    engine.dispose()


def test_times_come_back_as_aware_utc(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    geneva = timezone(timedelta(hours=1))
    with UnitOfWork(factory) as uow:
        uow.session.add(
            Person(display_name="ana", created_at=datetime(2026, 11, 18, 11, 0, tzinfo=geneva))
        )
        uow.commit()
    with UnitOfWork(factory) as uow:
        stored = uow.session.scalar(select(Person.created_at))
    assert stored == NOW and stored is not None and stored.tzinfo is UTC
    with UnitOfWork(factory) as uow, pytest.raises(Exception, match="naive"):
        uow.session.add(Person(display_name="x", created_at=datetime(2026, 1, 1)))
        uow.commit()
    engine.dispose()


def test_outbox_key_is_unique(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)

    def add() -> None:
        with UnitOfWork(factory) as uow:
            uow.session.add(
                OutboxMessage(
                    key="digest:community:1:2026-W47",
                    platform="slack",
                    recipient={},
                    payload={},
                    next_attempt_at=NOW,
                    created_at=NOW,
                )
            )
            uow.commit()

    add()
    with pytest.raises(IntegrityError):
        add()
    with UnitOfWork(factory) as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert uow.session.scalar(select(func.count(Idea.id))) == 0
    engine.dispose()
