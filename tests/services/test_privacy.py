"""my-data and forget-me are complete by construction: every column that points at a person
is exported and has a forget-me rule; forget-me scrubs sent digests and leaves no copy of the
name in SQLite's free pages or write-ahead log."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.messages import Reply
from bot.ports import Address
from bot.services import privacy
from bot.services.context import Context
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests.outbox import Outgoing, enqueue_all
from handlers.console.chat import inbound
from storage.models import OutboxMessage
from tests.conftest import NOW

NAME = "zorba-quint"  # the console user id is the name


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(copbot_coordinators=[NAME])


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    built = bootstrap(settings, migrate=False)
    yield built
    built.close()


def _say(container: Container, user: str, line: str) -> Reply:
    reply = container.runner.handle(inbound(user, "design-thinking", line), now=NOW, auto_bind=True)
    assert not reply.error, (line, reply.text)
    return reply


def _ctx(container: Container, user: str = NAME) -> Context:
    return Context(
        actor=inbound(user, "design-thinking", "").actor,
        channel="design-thinking",
        now=NOW,
        settings=container.settings,
    )


def _busy_coordinator(container: Container) -> None:
    """Zorba creates things, grants roles and records others' attendance; a digest that
    names her has been sent."""
    _say(container, NAME, "community create design-thinking")
    _say(container, "bo", "ideas")
    _say(container, NAME, "focal add @bo design-thinking")
    _say(container, NAME, 'event add "Design sprint" 2026-11-17 workshop')
    _say(container, NAME, "attend E-1 @bo")
    _say(container, NAME, "target set ideas_scaled 4 2026-Q4")
    _say(container, NAME, "idea Mentoring circles")
    digest = Reply(text=f"This week: 1 new idea. Kudos to {NAME} (Zorba-Quint) for I-1.")
    enqueue_all(
        container.uow(),
        [Outgoing("digest:dt:w47", Address("console", "local", channel="design-thinking"), digest)],
        now=NOW,
    )
    with container.uow() as uow:
        for message in uow.session.scalars(select(OutboxMessage)):
            message.status = "sent"
        uow.commit()


def test_every_person_column_has_a_forget_rule_and_a_section() -> None:
    """Fails when a column pointing at people is added without deciding what forget-me does
    with it (my-data exports it by construction)."""
    columns = {(c.table.name, c.name) for c in privacy.person_columns()}
    assert columns == set(privacy.ON_FORGET)
    assert set(privacy.SECTIONS) <= columns
    assert ("communities", "created_by") in columns and ("attendances", "recorded_by") in columns


def test_my_data_has_every_row_that_points_at_the_person(container: Container) -> None:
    _busy_coordinator(container)

    data = json.loads(privacy.my_data(container.uow(), _ctx(container)))

    for column in privacy.person_columns():
        assert privacy.section_name(column) in data, column
    assert [c["name"] for c in data["communities_created"]] == ["design-thinking"]
    assert [e["title"] for e in data["events_created"]] == ["Design sprint"]
    assert len(data["targets_set"]) == 1
    assert [r["role"] for r in data["roles_granted"]] == ["focal_point"]
    assert len(data["attendances_recorded"]) == 1
    assert [i["title"] for i in data["ideas_authored"]] == ["Mentoring circles"]


def test_forget_me_scrubs_sent_digests(container: Container) -> None:
    _busy_coordinator(container)

    privacy.forget_me(container.uow(), _ctx(container))

    with container.uow() as uow:
        [digest] = uow.session.scalars(select(OutboxMessage)).all()
        text = json.dumps(digest.payload)
    assert NAME not in text.lower()
    assert "Kudos to a former member (a former member) for I-1" in text


def test_forget_me_leaves_no_copy_of_the_name_in_the_sqlite_files(
    container: Container, settings: Settings
) -> None:
    path = settings.sqlite_path()
    if path is None:
        pytest.skip("SQLite only")
    _busy_coordinator(container)
    for n in range(30):  # enough rows that erasing them frees whole pages
        _say(container, NAME, f"skills add {NAME}-skill-{n}")
    container.uow().overwrite_freed()  # everything so far is in the database file itself
    assert NAME.encode() in path.read_bytes()

    privacy.forget_me(container.uow(), _ctx(container))

    files = [path, path.with_name(path.name + "-wal")]
    found = [f.name for f in files if f.exists() and NAME.encode() in f.read_bytes()]
    assert found == []
