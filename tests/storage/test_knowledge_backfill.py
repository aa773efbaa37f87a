"""Migration 0007 makes search documents of what was captured before it; the server then
computes their vectors in the background (``bot.knowledge.index.backfill``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.knowledge import index
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from handlers.console.chat import inbound
from storage.migrate import upgrade
from storage.models import KnowledgeDoc
from tests.conftest import NOW, postgres_url


def test_items_from_before_become_searchable(tmp_path: Path) -> None:
    if postgres_url():
        pytest.skip("a SQLite file shows the migration; the suites cover PostgreSQL search")
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0002")
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    container = bootstrap(settings, migrate=False)
    at = NOW.replace(tzinfo=None)
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ideas (id, title, description, themes, stage, scaling, votes, "
                "created_at, stage_changed_at, lessons) VALUES (1, 'Mentoring circles', "
                "'for new staff', :themes, 'shelved', 'unrated', 0, :at, :at, "
                "'Too few mentors volunteered')"
            ),
            {"at": at, "themes": '["skills"]'},
        )
    container.close()
    upgrade(url)
    container = bootstrap(settings, migrate=False)
    assert index.backfill(container.uow()) == 2
    with container.uow() as uow:
        docs = uow.session.scalars(select(KnowledgeDoc).order_by(KnowledgeDoc.kind)).all()
        assert [(d.kind, d.themes, d.vector is not None) for d in docs] == [
            ("idea", "|skills|", True),
            ("lesson", "|skills|", True),
        ]
    line = inbound("ana", "design-thinking", "search mentors volunteered lesson")
    assert "I-1" in str(container.runner.handle(line, now=NOW, auto_bind=True))
    container.close()
