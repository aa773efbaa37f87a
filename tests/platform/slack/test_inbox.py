"""Nothing acknowledged is lost: requests are stored in the inbox before Slack's 200, worked
through idempotently, retried while the database is unavailable, told to the person when
the failure is final, and finished after a crash."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.clock import utcnow
from bot.commands import Runner
from handlers.slack import inbox
from handlers.slack.inbox_worker import DELAYED
from storage.models import Account, Idea
from tests.fakes.replies import capture_replies
from tests.fakes.slack_signing import FORM_CONTENT_TYPE, slash_command_body
from tests.platform.slack.conftest import CHANNEL, TEAM, Harness


def _count(harness: Harness, model: type) -> int:
    with harness.container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _titles(harness: Harness) -> list[str]:
    with harness.container.uow() as uow:
        return sorted(uow.session.scalars(select(Idea.title)))


def _replies(harness: Harness, title: str) -> int:
    """How many capture replies the bot sent for ``title`` (posts or responses)."""
    sent = [json.dumps(c.params) for c in harness.slack.calls if c.method.startswith("chat.")]
    sent += [json.dumps(r) for r in harness.responses()]
    return capture_replies(sent, title)


def _sqlite_only(harness: Harness) -> str:
    path = harness.container.settings.sqlite_path()
    if path is None:
        pytest.skip("a SQLite file lock")
    return str(path)


def _hold_lock(path: str, seconds: float) -> threading.Thread:
    """Hold SQLite's write lock on ``path`` for ``seconds`` (as a stuck writer would)."""
    locked = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, timeout=10)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        time.sleep(seconds)
        conn.rollback()
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


async def test_captures_acknowledged_while_the_database_is_locked_are_all_stored(
    community: Harness,
) -> None:
    lock = _hold_lock(_sqlite_only(community), 6.5)  # longer than the 5 s busy timeout
    started = time.monotonic()
    statuses = [
        (await community.command(f"idea Locked {n}", settle=False)).status for n in range(4)
    ]
    acked_in = time.monotonic() - started
    health = await community.client.get("/healthz")
    await asyncio.to_thread(lock.join)
    await community.surface.drain(timeout=30)

    assert statuses == [200] * 4
    assert acked_in < 2.0  # the acks did not wait for the lock
    assert health.status == 503
    assert community.container.inbox is not None
    assert _titles(community) == [f"Locked {n}" for n in range(4)]
    assert [_replies(community, f"Locked {n}") for n in range(4)] == [1] * 4
    assert (await community.client.get("/healthz")).status == 200


async def test_a_failure_that_clears_is_retried_and_stored_once(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Runner.answer
    failures = {"left": 2}

    def flaky(self: Runner, *args: Any, **kwargs: Any) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Runner, "answer", flaky)
    response = await community.command("idea Flaky database")
    await community.surface.drain(timeout=15)

    assert response.status == 200
    assert _titles(community) == ["Flaky database"]
    assert _replies(community, "Flaky database") == 1


async def test_a_final_failure_is_told_to_the_person_in_plain_words(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Runner, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(Runner, "answer", broken)
    monkeypatch.setattr(community.app[_worker_key()], "give_up", 0.0)
    response = await community.command("idea Never stored")
    await community.surface.drain(timeout=15)

    assert response.status == 200
    assert _count(community, Idea) == 0
    assert [r["text"] for r in community.responses()] == [DELAYED]
    assert community.container.inbox is not None
    assert community.container.inbox.counts().get("failed") == 1


async def test_a_final_failure_is_told_in_the_persons_language(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    community.slack.add_user(
        "UELISE", real_name="Élise Fabre", email="elise@example.org", locale="fr-FR"
    )

    def broken(self: Runner, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(Runner, "answer", broken)
    monkeypatch.setattr(community.app[_worker_key()], "give_up", 0.0)
    await community.command("idea Jamais enregistrée", user="UELISE")
    await community.surface.drain(timeout=15)

    told = [r["text"] for r in community.responses()]
    assert told == [
        "Désolé, je n’ai pas pu enregistrer ce que vous venez d’envoyer : ma base de données "
        "est indisponible. Rien n’a été enregistré. Réessayez dans quelques minutes."
    ]


def _worker_key() -> Any:
    from handlers.slack.mount import WORKER

    return WORKER


async def test_two_first_commands_from_a_new_person_both_work(
    community: Harness,
) -> None:
    community.slack.add_user("UNEW", real_name="Nia New", email="nia@example.org", tz="UTC")
    first, second = await asyncio.gather(
        community.command("idea First at once", user="UNEW", settle=False),
        community.command("idea Second at once", user="UNEW", settle=False),
    )
    await community.surface.drain(timeout=20)

    assert (first.status, second.status) == (200, 200)
    assert _titles(community) == ["First at once", "Second at once"]
    with community.container.uow() as uow:
        accounts = uow.session.scalar(
            select(func.count()).select_from(Account).where(Account.user_id == "UNEW")
        )
    assert accounts == 1
    assert [_replies(community, t) for t in ("First at once", "Second at once")] == [1, 1]


async def test_a_slow_inbox_write_is_answered_503_so_slack_retries(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = community.container.inbox
    assert store is not None
    real_put = store.put_many

    def slow_put(requests: Any) -> list[bool]:
        time.sleep(0.5)
        return real_put(requests)

    monkeypatch.setattr(store, "put_many", slow_put)
    monkeypatch.setattr(inbox, "STORE_TIMEOUT", 0.1)
    response = await community.command("idea Slow store", settle=False)
    assert response.status == 503
    await asyncio.sleep(0.6)  # the write finishes late; Slack's retry would find it stored
    await community.surface.drain()
    assert _titles(community) == ["Slow store"]


async def test_a_retried_or_replayed_request_is_stored_and_worked_once(
    community: Harness,
) -> None:
    body = slash_command_body(
        text="idea Sent twice",
        user_id="UANA",
        channel_id=CHANNEL,
        team_id=TEAM,
        response_url=community.slack.response_url("/response/twice"),
        trigger_id="twice.trigger",
    )
    first = await community.post(body, content_type=FORM_CONTENT_TYPE)
    again = await community.post(body, content_type=FORM_CONTENT_TYPE, timestamp=int(time.time()))

    assert (first.status, again.status) == (200, 200)
    assert _titles(community) == ["Sent twice"]
    assert _replies(community, "Sent twice") == 1


async def test_requests_left_by_a_crash_are_finished_at_the_next_start(
    community: Harness,
) -> None:
    store = community.container.inbox
    assert store is not None
    body = slash_command_body(
        text="idea Left by a crash",
        user_id="UANA",
        channel_id=CHANNEL,
        team_id=TEAM,
        response_url=community.slack.response_url("/response/crash"),
        trigger_id="crash.trigger",
    )
    # Stored and acknowledged, then the process died: the row is claimed by nobody alive.
    store.put(
        platform="slack",
        key="sha256:crash",
        body=body,
        headers={"content-type": FORM_CONTENT_TYPE},
        now=utcnow() - timedelta(minutes=5),
    )
    [claimed] = store.claim(now=utcnow(), lease=timedelta(minutes=10))
    assert claimed.key == "sha256:crash"
    assert store.release_claims() == 1  # what `copbot serve` does at start on SQLite

    await community.surface.drain(timeout=15)

    assert _titles(community) == ["Left by a crash"]
    assert store.counts() == {"done": 1}


async def test_healthz_reports_an_old_backlog(community: Harness) -> None:
    store = community.container.inbox
    assert store is not None
    assert (await community.client.get("/healthz")).status == 200
    old = utcnow() - timedelta(minutes=5)
    store.put(platform="slack", key="old", body="{}", headers={}, now=old)
    store.claim(now=utcnow(), lease=timedelta(minutes=10))  # held by a stuck worker

    response = await community.client.get("/healthz")

    assert response.status == 503
    assert "waiting" in (await response.json())["inbox"]
