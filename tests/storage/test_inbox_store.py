"""The inbox store's rounds: a worker marks what it finished and claims what is due in one
write, and an idle worker's poll writes nothing (acknowledgements share the store)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from bot.container import Container
from storage.inbox import DONE, PENDING, TABLE, InboxStore, Incoming
from tests.conftest import NOW

LEASE = timedelta(seconds=30)


@contextmanager
def statements(store: InboxStore) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]).lstrip().split()[0].upper())

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


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
    with statements(store) as seen:
        assert store.settle([], now=NOW, lease=LEASE, limit=4) == []
    assert seen == ["SELECT"]


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
