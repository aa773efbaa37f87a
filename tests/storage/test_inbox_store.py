"""The inbox store's rounds: a worker marks what it finished and claims what is due in one
write, and an idle worker's poll writes nothing (acknowledgements share the store)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, inspect, select, text

from bot.container import Container
from storage.inbox import (
    DONE,
    PENDING,
    TABLE,
    InboxStore,
    Incoming,
    journal_path,
    make_inbox_engine,
)
from storage.models.inbox import CLAIM_INDEX, OLD_CLAIM_INDEX
from tests.conftest import NOW
from tests.sql_sent import statements

LEASE = timedelta(seconds=30)


def verbs(sent: list[str]) -> list[str]:
    """The first word of each statement: SELECT, INSERT, CREATE …"""
    return [s.lstrip().split()[0].upper() for s in sent]


def _store(container: Container) -> InboxStore:
    assert container.inbox is not None
    return container.inbox


def _put(store: InboxStore, *keys: str) -> None:
    store.put_many([Incoming("slack", key, f"body {key}", {}, NOW) for key in keys])


def _rows(store: InboxStore) -> dict[str, tuple[str, str]]:
    c = TABLE.c
    with store.engine.connect() as conn:
        return {
            key: (status, body)
            for key, status, body in conn.execute(select(c.key, c.status, c.body))
        }


def test_a_round_marks_the_finished_done_and_claims_the_due(container: Container) -> None:
    store = _store(container)
    _put(store, "a", "b", "c")
    [first] = store.claim(now=NOW, lease=LEASE, limit=1)
    claimed = store.settle([(first, NOW)], now=NOW, lease=LEASE, limit=5)

    assert [e.key for e in claimed] == ["b", "c"]
    rows = _rows(store)
    assert rows["a"] == (DONE, "")  # the request itself is wiped once worked through
    assert rows["b"][0] == rows["c"][0] == PENDING
    assert store.settle([], now=NOW, lease=LEASE, limit=5) == []  # b and c are claimed


def test_an_idle_poll_writes_nothing(container: Container) -> None:
    store = _store(container)
    _put(store, "a")
    store.claim(now=NOW, lease=LEASE, limit=1)
    with statements(store.engine) as seen:
        assert store.settle([], now=NOW, lease=LEASE, limit=4) == []
    assert verbs(seen) == ["SELECT"]


def test_a_round_does_not_finish_a_row_another_worker_took_over(container: Container) -> None:
    store = _store(container)
    _put(store, "a")
    [mine] = store.claim(now=NOW, lease=LEASE, limit=1)
    later = NOW + LEASE + timedelta(seconds=1)  # my claim lapsed; another worker took it
    [theirs] = store.claim(now=later, lease=LEASE, limit=1)
    store.settle([(mine, later)], now=later, lease=LEASE, limit=0)

    assert _rows(store)["a"][0] == PENDING
    store.settle([(theirs, later)], now=later, lease=LEASE, limit=0)
    assert _rows(store)["a"] == (DONE, "")


def _claim_steps(store: InboxStore, waiting: int) -> int:
    """SQLite virtual-machine steps (in hundreds) of one round that marks a row done and
    claims the next, with ``waiting`` rows pending behind them."""
    _put(store, *(f"w{n}" for n in range(waiting)))
    [first] = store.claim(now=NOW, lease=LEASE, limit=1)
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    def watch(conn: Any, *_: Any) -> None:
        conn.connection.dbapi_connection.set_progress_handler(count, 100)

    event.listen(store.engine, "before_cursor_execute", watch)
    try:
        [claimed] = store.settle([(first, NOW)], now=NOW, lease=LEASE, limit=1)
    finally:
        event.remove(store.engine, "before_cursor_execute", watch)
    assert claimed.key == "w1"
    return steps[0]


def test_a_claim_costs_the_same_whatever_the_backlog(container: Container) -> None:
    """A claim takes the oldest due rows without reading (and sorting) every pending one:
    the backlog it works through does not make each claim dearer."""
    if container.engine.dialect.name != "sqlite":
        pytest.skip("counts SQLite's steps")
    short = _claim_steps(_store(container), 20)
    with _store(container).engine.begin() as conn:
        conn.execute(TABLE.delete())
    long = _claim_steps(_store(container), 3000)
    assert long <= short + 5, (short, long)


def test_claims_take_the_oldest_due_rows_past_those_waiting_or_held(
    container: Container,
) -> None:
    store = _store(container)
    _put(store, "a", "b", "c", "d", "e")
    [a, b] = store.claim(now=NOW, lease=LEASE, limit=2)
    store.retry(a, at=NOW + timedelta(minutes=5), error="locked")  # waits for its retry
    assert [e.key for e in store.claim(now=NOW, lease=LEASE, limit=2)] == ["c", "d"]
    later = NOW + timedelta(minutes=6)  # b and c, d's claims lapsed; a is due again
    assert [e.key for e in store.claim(now=later, lease=LEASE, limit=3)] == ["a", "b", "c"]
    assert b.key == "b"


def test_a_journal_made_before_the_claim_index_gets_it(tmp_path: Path) -> None:
    database = tmp_path / "copbot.sqlite3"
    old = create_engine(f"sqlite:///{journal_path(database)}")
    TABLE.create(old)
    with old.begin() as conn:
        conn.execute(text(f"DROP INDEX {CLAIM_INDEX}"))
        conn.execute(text(f"CREATE INDEX {OLD_CLAIM_INDEX} ON inbox (status, next_attempt_at)"))
    old.dispose()
    engine = make_inbox_engine(f"sqlite:///{database}", database)
    try:
        assert {i["name"] for i in inspect(engine).get_indexes("inbox")} == {CLAIM_INDEX}
    finally:
        engine.dispose()


def test_opening_an_up_to_date_journal_writes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "copbot.sqlite3"
    make_inbox_engine(f"sqlite:///{database}", database).dispose()
    with statements(Engine) as sent:
        make_inbox_engine(f"sqlite:///{database}", database).dispose()
    seen = verbs(sent)
    assert seen and not {"CREATE", "DROP", "INSERT", "UPDATE", "DELETE"} & set(seen), seen
