"""Shared fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL when
COPBOT_TEST_DATABASE_URL is set), settings built without the environment, a fixed clock."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.container import Container
from bot.messages import Reply
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from handlers.console.chat import inbound
from storage.migrate import upgrade

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday, in 2026-Q4 and 2026-W47
TEST_DB_ENV = "COPBOT_TEST_DATABASE_URL"
_PREFIXES = ("COPBOT_", "SLACK_", "MICROSOFT_", "OPENAI_")
_NAMES = {"DATABASE_URL", "PORT"}

for _name in list(os.environ):
    if _name != TEST_DB_ENV and (_name.startswith(_PREFIXES) or _name in _NAMES):
        del os.environ[_name]


def postgres_url() -> str | None:
    url = os.environ.get(TEST_DB_ENV)
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or None


@contextmanager
def empty_schema(url: str) -> Iterator[str]:
    """A new, empty PostgreSQL schema of its own, as a URL whose connections work in it; the
    schema and everything in it are dropped afterwards. Tests never touch ``public``."""
    schema = f"copbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def public_tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {str(name) for name in conn.scalars(query)}
    finally:
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _public_schema_untouched() -> Iterator[None]:
    """On PostgreSQL, the run must leave no table in ``public`` (where CI's own runs look)."""
    url = postgres_url()
    before = public_tables(url) if url else set()
    yield
    if url:
        left = public_tables(url) - before
        assert not left, f"tests left tables in PostgreSQL's public schema: {sorted(left)}"


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database made once: a SQLite file to copy, or the PostgreSQL URL."""
    url = postgres_url()
    if url:
        # One schema per test run, so concurrent runs on the same database never collide.
        with empty_schema(url) as scoped:
            upgrade(scoped)
            yield scoped
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    yield str(path)


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    if _template.startswith("postgresql"):
        engine = create_engine(_template)
        with engine.begin() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                        "AND tablename <> 'alembic_version'"
                    )
                )
            ]
            if tables:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        yield _template
        return
    path = tmp_path / "copbot.sqlite3"
    shutil.copyfile(_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def make_settings(database_url: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "copbot_coordinators": ["cora"],
            "copbot_timezone": "UTC",
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    built = bootstrap(settings, migrate=False)
    yield built
    built.close()


Say = Callable[..., Reply]


@pytest.fixture
def say(container: Container) -> Say:
    """Run one command line as a console user: ``say("ana", "idea Mentoring circles")``."""

    def run(
        user: str, line: str, *, channel: str = "design-thinking", now: datetime = NOW
    ) -> Reply:
        return container.runner.handle(inbound(user, channel, line), now=now, auto_bind=True)

    return run
