"""Probes of the promise "nothing acknowledged is lost, nothing is posted twice": a locked or
read-only database, kill -9 under load, PostgreSQL connections killed, Slack's API failing or
slow, and two outbox workers with one killed mid-send."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta

import aiohttp

from benchmarks.hardening.probes_wire import Outcome
from benchmarks.hardening.stack import MEMBERS, TEAM, Stack


async def _captures(
    stack: Stack,
    prefix: str,
    count: int,
    rate: float,
    *,
    during: float | None = None,
    action: object = None,
) -> tuple[list[str], list[str]]:
    """Send ``count`` captures at ``rate``/s; returns (titles sent, titles acknowledged).
    ``action`` (a callable) runs ``during`` seconds after the first request."""
    titles = [f"{prefix}-{stack.next()}" for _ in range(count)]
    acked: list[str] = []
    async with aiohttp.ClientSession() as session:

        async def one(i: int, title: str) -> None:
            await asyncio.sleep(i / rate)
            body = stack.command(f"idea {title}", user=MEMBERS[i % len(MEMBERS)])
            if await stack.post(body, session=session, timeout=10) == 200:
                acked.append(title)

        async def act() -> None:
            if during is not None and callable(action):
                await asyncio.sleep(during)
                await asyncio.to_thread(action)

        await asyncio.gather(act(), *(one(i, t) for i, t in enumerate(titles)))
    return titles, acked


async def _account(stack: Stack, out: Outcome, prefix: str, acked: list[str]) -> None:
    out.acked += len(acked)
    await stack.settle(prefix, len(acked), timeout=90)
    stored = {
        title
        for title in acked
        if stack.db.scalar("SELECT count(*) FROM ideas WHERE title = :t", t=title)
    }
    out.stored += len(stored)
    out.duplicates += stack.duplicate_ideas(prefix)
    out.duplicates += sum(max(0, stack.confirmations(t) - 1) for t in stored)
    if len(stored) < len(acked):
        out.notes.append(f"lost: {sorted(set(acked) - stored)[:3]}")


async def locked_database(stack: Stack, *, seconds: float) -> Outcome:
    """SQLite held locked: acks stay fast, /healthz says 503, everything is stored after."""
    out = Outcome(f"SQLite locked {seconds:.0f} s")
    path = stack.db.path
    assert path is not None
    held = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("BEGIN EXCLUSIVE")
        held.set()
        time.sleep(seconds)
        conn.rollback()
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    _titles, acked = await _captures(stack, "hz-locked", 8, 4)
    ack_time = time.monotonic() - started
    health = await stack.wait_healthy(status=503, timeout=5)
    await asyncio.to_thread(thread.join)
    out.tried = 8 + 1
    out.clean = len(acked) + int(health == 503)
    out.notes.append(f"8 acks in {ack_time:.1f} s; /healthz {health} while locked")
    await _account(stack, out, "hz-locked", acked)
    return out


async def read_only_database(stack: Stack) -> Outcome:
    """SQLite read-only to the server's user: acks are stored in the inbox journal, /healthz
    says 503; once the database is writable again everything is stored."""
    out = Outcome("SQLite read-only")
    path = stack.db.path
    assert path is not None
    stack.stop()
    stack.db.engine.dispose()  # no connection of ours may outlive the files' change
    for file in path.parent.glob("*.sqlite3*"):
        os.chmod(file, 0o666)
    os.chmod(path, 0o444)
    nobody = 65534 if os.geteuid() == 0 else None
    if nobody is None:
        out.notes.append("not root: the server runs as this user, so read-only is not enforced")
    stack.start(as_user=nobody)
    _titles, acked = await _captures(stack, "hz-readonly", 5, 5)
    health = await stack.wait_healthy(status=503, timeout=10)
    await asyncio.sleep(2)
    stored_while = stack.stored("hz-readonly")
    stack.stop()
    stack.db.engine.dispose()
    for file in path.parent.glob("*.sqlite3*"):
        os.chmod(file, 0o666)
    stack.start()
    out.tried = 5 + 1
    out.clean = len(acked) + int(health == 503)
    out.notes.append(f"/healthz {health}; stored while read-only: {stored_while}")
    await _account(stack, out, "hz-readonly", acked)
    return out


async def kill_under_load(stack: Stack, *, count: int) -> Outcome:
    """kill -9 of the web process and its inbox workers during concurrent captures, then a
    restart: every acknowledged capture is stored once."""
    out = Outcome(f"kill -9 during {count} captures")
    _titles, acked = await _captures(
        stack, "hz-kill", count, count / 2, during=1.0, action=stack.kill
    )
    stack.start()
    out.tried = 1
    out.clean = 1
    await _account(stack, out, "hz-kill", acked)
    out.notes.append(f"{len(acked)} of {count} acknowledged before the kill")
    return out


async def postgres_connections_killed(stack: Stack, *, count: int) -> Outcome:
    """Every connection cop-bot holds is terminated three times during the captures."""
    out = Outcome(f"PostgreSQL connections killed ({count} captures)")
    killed: list[int] = []

    def terminate() -> None:
        for _ in range(3):
            killed.append(stack.db.terminate_connections())
            time.sleep(0.5)

    _titles, acked = await _captures(stack, "hz-pgkill", count, 50, during=0.5, action=terminate)
    out.tried = 1
    out.clean = 1
    out.notes.append(f"terminated {sum(killed)} connections")
    await _account(stack, out, "hz-pgkill", acked)
    return out


async def slack_api_failing(stack: Stack) -> Outcome:
    """Slack's Web API answering 500, 429 and slowly: captures are still answered and
    stored, and digests sent through those failures go out once each."""
    out = Outcome("Slack API 500 / 429 / slow")
    stack.slack.unscript()
    channels = [f"CFAIL{n:02d}" for n in range(3)]
    for channel in channels:
        stack.slack.add_channel(channel, channel.lower())
    keys = _enqueue_digests(stack, channels)
    stack.slack.fail_next("chat.postMessage", status=500, times=2)
    stack.slack.fail_next("chat.postMessage", status=429, retry_after=1)
    stack.slack.answer_late("chat.postMessage", seconds=3, times=2)
    _titles, acked = await _captures(stack, "hz-slackfail", 6, 3)
    for _ in range(8):  # a row that failed waits for its backoff: bring it forward
        if _sent(stack, keys) == len(keys):
            break
        _due_now(stack, keys)
        await asyncio.to_thread(_flush(stack).wait, 60)
    unused = stack.slack.scripted("chat.postMessage")
    stack.slack.unscript()
    posts = _posts(stack, channels, keys)
    out.tried = 6 + len(keys)
    out.clean = len(acked) + sum(1 for n in posts.values() if n == 1)
    await _account(stack, out, "hz-slackfail", acked)
    out.acked += len(keys)
    out.stored += min(_sent(stack, keys), sum(1 for n in posts.values() if n >= 1))
    out.duplicates += sum(max(0, n - 1) for n in posts.values())
    if unused:
        out.clean -= 1
        out.notes.append(f"{unused} scripted Slack failures never reached (nothing tried)")
    if _sent(stack, keys) < len(keys):
        out.notes.extend(_unsent(stack, keys))
    return out


def _enqueue_digests(stack: Stack, channels: list[str]) -> list[str]:
    from bot.clock import utcnow
    from bot.messages import Reply
    from bot.ports import Address
    from digests.outbox import enqueue
    from storage.db import make_session_factory
    from storage.uow import UnitOfWorkFactory

    uow = UnitOfWorkFactory(make_session_factory(stack.db.engine))
    keys = []
    for channel in channels:
        key = f"digest:hardening:{channel}:{stack.next()}"
        address = Address("slack", TEAM, channel=channel)
        reply = Reply(f"Digest for {channel}", public=True)
        enqueue(uow(), key=key, address=address, reply=reply, now=utcnow())
        keys.append(key)
    return keys


def _flush(stack: Stack) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "copbot", "outbox", "flush"],
        env=stack.env(),
        cwd=stack.workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _sent(stack: Stack, keys: list[str]) -> int:
    return sum(
        1
        for key in keys
        if stack.db.scalar("SELECT status FROM outbox WHERE key = :key", key=key) == "sent"
    )


def _due_now(stack: Stack, keys: list[str]) -> None:
    """Make the rows of ``keys`` waiting for a retry due now (as if their backoff had passed)."""
    from sqlalchemy import bindparam, text

    from bot.clock import utcnow

    past = (utcnow() - timedelta(seconds=1)).replace(tzinfo=None)
    statement = text(
        "UPDATE outbox SET next_attempt_at = :past WHERE status = 'pending' AND key IN :keys"
    ).bindparams(bindparam("keys", expanding=True))
    with stack.db.engine.begin() as conn:
        conn.execute(statement, {"past": past, "keys": keys})


def _posts(stack: Stack, channels: list[str], keys: list[str]) -> dict[str, int]:
    """How many messages in ``channels`` carry each outbox key in their metadata."""
    posts: dict[str, int] = {key: 0 for key in keys}
    for channel in channels:
        for message in stack.slack.history.get(channel, []):
            key = ((message.get("metadata") or {}).get("event_payload") or {}).get("key")
            if key in posts:
                posts[key] += 1
    return posts


async def outbox_two_workers(stack: Stack) -> Outcome:
    """Two outbox workers on one database, Slack answering in 1.5 s, one killed mid-send;
    then the claims lapse (as five minutes later) and a worker sends the rest."""
    out = Outcome("two outbox workers, one killed mid-send")
    stack.slack.unscript()  # nothing another probe scripted fails these sends
    channels = [f"COUT{n:02d}" for n in range(6)]
    for channel in channels:
        stack.slack.add_channel(channel, channel.lower())
    keys = _enqueue_digests(stack, channels)
    stack.slack.answer_late("chat.postMessage", seconds=1.5, times=100)
    first, second = _flush(stack), _flush(stack)
    await asyncio.sleep(2.5)
    first.kill()
    await asyncio.to_thread(second.wait, 60)
    first.wait()
    lapse = "UPDATE outbox SET claimed_until = :past WHERE status = 'sending'"
    from sqlalchemy import text

    from bot.clock import utcnow

    with stack.db.engine.begin() as conn:
        conn.execute(text(lapse), {"past": (utcnow() - timedelta(seconds=1)).replace(tzinfo=None)})
    await asyncio.to_thread(_flush(stack).wait, 60)
    stack.slack.answer_late("chat.postMessage", seconds=0, times=0)
    # The web process's own dispatcher may hold a row too (on a busy machine, mid-send):
    # wait for every row to be sent before counting the posts.
    waited = time.monotonic()
    while time.monotonic() - waited < 60 and _sent(stack, keys) < len(keys):
        await asyncio.sleep(0.5)
    posts = _posts(stack, channels, keys)
    sent = _sent(stack, keys)
    out.tried = len(keys)
    out.clean = sum(1 for n in posts.values() if n == 1)
    out.acked = len(keys)
    out.stored = min(sent, sum(1 for n in posts.values() if n >= 1))
    out.duplicates = sum(max(0, n - 1) for n in posts.values())
    if sent < len(keys):
        out.notes.extend(_unsent(stack, keys))
    return out


def _unsent(stack: Stack, keys: list[str]) -> list[str]:
    """The outbox rows of this probe not sent yet, as notes (what went wrong, for the log)."""
    from sqlalchemy import bindparam, text

    with stack.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT key, status, attempts, claimed_until, next_attempt_at, last_error "
                "FROM outbox WHERE status <> 'sent' AND key IN :keys"
            ).bindparams(bindparam("keys", expanding=True)),
            {"keys": keys},
        ).all()
    return [
        f"unsent {key.rsplit(':', 2)[-2]}: {status}, {attempts} attempts, claimed until "
        f"{claimed}, next {nxt}, {str(error)[:80]!r}"
        for key, status, attempts, claimed, nxt, error in rows
    ]
