"""Listings, App Home, digests and nudges read what they show in a fixed number of queries.

Each check runs the same path with 5 and with 20 items (each by a different person, with
offers, attendance and buttons the viewer's roles decide) and counts the SQL statements sent
to the database: the count must not grow with the number of items.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.container import Container
from bot.messages import Reply
from bot.reads import home, visibility
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests import community_digest, focal_digest, nudges
from handlers.console.chat import inbound
from tests.conftest import NOW, Say
from tests.jobs.conftest import MONDAY_9
from tests.sql_sent import statements as sql_statements

SMALL, LARGE = 5, 20
CHANNEL = "design-thinking"


@pytest.fixture
def fresh(
    _template: str, tmp_path: Any, make_settings: Callable[..., Settings]
) -> Callable[[], Container]:
    """Builds a container on a new, empty, migrated database at each call."""
    made = 0

    def build() -> Container:
        nonlocal made
        made += 1
        if _template.startswith("postgresql"):
            _truncate(_template)
            return bootstrap(make_settings(database_url=_template), migrate=False)
        path = tmp_path / f"copbot-{made}.sqlite3"
        path.write_bytes(Path(_template).read_bytes())
        return bootstrap(make_settings(database_url=f"sqlite:///{path}"), migrate=False)

    return build


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.scalars(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'alembic_version'"
            )
        ).all()
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def seed(say: Say, n: int, *, start: datetime) -> None:
    """A community with a focal point (fay) and ``n`` ideas, requests and events, each by a
    different person, with offers of help and attendance."""
    at = start

    def run(user: str, line: str) -> None:
        nonlocal at
        at += timedelta(seconds=30)
        reply = say(user, line, now=at)
        assert not reply.error, (line, reply.text)

    run("cora", f"community create {CHANNEL}")
    run("fay", "ideas")
    run("cora", f"focal add @fay {CHANNEL}")
    for i in range(1, n + 1):
        run(f"author{i}", f"idea Idea number {i}")
        run(f"asker{i}", f"ask How do we do thing {i}? #topic{i}")
        run(f"helper{i}", f"offer R-{i}")
        run("fay", f'event add "Session {i}" 2026-11-26 workshop')
        run(f"author{i}", f"attend E-{i}")


def _view(container: Container, user: str, line: str) -> Reply:
    """One command as a person's own reply, filtered like the platforms filter it."""
    message = inbound(user, CHANNEL, line)
    reply = container.runner.handle(message, now=NOW + timedelta(days=1))
    ctx = container.runner.context(message, now=NOW + timedelta(days=1))
    return visibility.for_viewer(container.uow(), ctx, reply)


def _home(container: Container, user: str) -> Reply:
    message = inbound(user, CHANNEL, "home")
    ctx = container.runner.context(message, now=NOW + timedelta(days=1))
    return visibility.for_viewer(container.uow(), ctx, home.home(container.uow(), ctx))


def _cost(
    make: Callable[..., Container],
    say_for: Callable[[Container], Say],
    n: int,
    action: Callable[[Container], object],
    *,
    start: datetime,
    reads_only: bool,
) -> tuple[int, object, list[str]]:
    container = make()
    try:
        seed(say_for(container), n, start=start)
        with sql_statements(container.engine) as statements:
            result = action(container)
        if reads_only:
            statements = [
                s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))
            ]
        return len(statements), result, statements
    finally:
        container.close()


def _shape(statement: str) -> str:
    """A statement without the length of its IN lists."""
    return re.sub(r"IN \((\?, )*\?\)|IN \(__\[POSTCOMPILE_\w+\]\)", "IN (…)", statement)


def _same_cost(
    fresh: Callable[[], Container],
    action: Callable[[Container], object],
    *,
    start: datetime = NOW - timedelta(days=20),
    reads_only: bool = False,
) -> object:
    """Runs ``action`` after seeding 5, then 20 items; fails when it costs more statements
    (only queries with ``reads_only``: a long digest is rightly sent as more messages)."""

    def say_for(container: Container) -> Say:
        def run(user: str, line: str, *, now: datetime = NOW) -> Reply:
            return container.runner.handle(inbound(user, CHANNEL, line), now=now, auto_bind=True)

        return run

    small, _, few = _cost(fresh, say_for, SMALL, action, start=start, reads_only=reads_only)
    large, result, many = _cost(fresh, say_for, LARGE, action, start=start, reads_only=reads_only)
    extra = "\n".join((Counter(map(_shape, many)) - Counter(map(_shape, few))).elements())
    assert large == small, f"{small} statements for {SMALL} items, {large} for {LARGE}:\n{extra}"
    return result


def test_listings_cost_the_same_for_5_and_20_items(fresh: Callable[[], Container]) -> None:
    for line in ("ideas", "requests", "requests all", "events"):
        reply = _same_cost(fresh, lambda c, line=line: _view(c, "fay", line))
        assert isinstance(reply, Reply)
        items = [i for s in reply.sections for i in s.items]
        assert len(items) == LARGE, (line, reply.text)


def test_listing_shows_each_authors_name_and_keeps_the_stewards_buttons(
    fresh: Callable[[], Container],
) -> None:
    reply = _same_cost(fresh, lambda c: _view(c, "fay", "ideas"))
    assert isinstance(reply, Reply)
    [section] = reply.sections
    assert [b.action for b in section.items[0].buttons] == ["vote", "advance"]
    requests = _same_cost(fresh, lambda c: _view(c, "asker3", "requests"))
    assert isinstance(requests, Reply)
    item = next(i for s in requests.sections for i in s.items if i.ref == "R-3")
    assert "helper3" in " ".join(item.details)


def test_app_home_costs_the_same_for_5_and_20_items(fresh: Callable[[], Container]) -> None:
    reply = _same_cost(fresh, lambda c: _home(c, "fay"))
    assert isinstance(reply, Reply)
    actions = reply.sections[0]
    assert actions.heading == "Action items"
    assert any(b.action == "advance" for i in actions.items for b in i.buttons)


def test_the_community_digest_costs_the_same_for_5_and_20_items(
    fresh: Callable[[], Container],
) -> None:
    report = _same_cost(
        fresh,
        lambda c: community_digest.run(c, now=MONDAY_9),
        start=NOW - timedelta(hours=1),
        reads_only=True,
    )
    assert getattr(report, "queued", 0) >= 1


def test_the_focal_digest_costs_the_same_for_5_and_20_items(
    fresh: Callable[[], Container],
) -> None:
    report = _same_cost(fresh, lambda c: focal_digest.run(c, now=MONDAY_9), reads_only=True)
    assert getattr(report, "queued", 0) == 1


def test_nudges_cost_the_same_for_5_and_20_items(fresh: Callable[[], Container]) -> None:
    _same_cost(fresh, lambda c: nudges.run(c, now=NOW + timedelta(days=1)), reads_only=True)
