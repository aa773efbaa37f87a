"""The outbox: keyed once, claimed by one worker, retried with backoff, failed with a reason."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.messages import (
    Attachment,
    Button,
    Form,
    Item,
    Notice,
    Reply,
    Section,
    Table,
)
from bot.ports import Address, DeliveryError
from digests.dispatcher import Dispatcher, RetryPolicy
from digests.outbox import enqueue, existing_keys
from digests.serialize import PayloadError, reply_from_dict, reply_to_dict
from storage.models import OutboxMessage
from tests.conftest import NOW
from tests.jobs.conftest import FlakyNotifier

CHANNEL = Address("console", "local", channel="general")
HELLO = Reply("Hello", public=True)


def _row(container: Container, key: str = "k1") -> OutboxMessage:
    with container.uow() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()
        uow.session.expunge(row)
        return row


def _dispatcher(container: Container, **kwargs: object) -> Dispatcher:
    return Dispatcher(
        container.uow,
        container.notifiers,
        rng=random.Random(7),
        sleep=lambda s: None,
        **kwargs,  # type: ignore[arg-type]
    )


def test_every_reply_field_survives_the_round_trip() -> None:
    reply = Reply(
        text="Digest <b>",
        sections=(
            Section(
                heading="New",
                lines=("one", "two"),
                items=(
                    Item(
                        "I-1",
                        "Idea",
                        details=("3 votes",),
                        link="https://x.slack.com/p1",
                        buttons=(Button("Vote", "vote", "I-1", "primary"),),
                    ),
                ),
                more=4,
            ),
        ),
        table=Table(columns=("a", "b"), rows=(("1", "2"),)),
        buttons=(Button("Help", "help", ""),),
        public=True,
        error=True,
        form=Form("idea", prefill=(("title", "x"),)),
        attachments=(Attachment("a.png", b"\x89PNG\x00\xff", "image/png", "Chart"),),
        notices=(Notice(3, "hi"),),
    )
    data = reply_to_dict(reply)
    assert reply_from_dict(data) == reply
    import json

    assert reply_from_dict(json.loads(json.dumps(data))) == reply
    try:
        reply_from_dict({"v": 99})
    except PayloadError:
        pass
    else:
        raise AssertionError("an unknown version must be refused")


def test_a_key_is_queued_once(container: Container) -> None:
    assert enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    assert not enqueue(container.uow(), key="k1", address=CHANNEL, reply=Reply("Other"), now=NOW)
    assert existing_keys(container.uow(), ["k1", "k2"]) == {"k1"}
    assert reply_from_dict(_row(container).payload["reply"]) == HELLO


def test_two_dispatchers_at_once_send_once(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    notifier = flaky(delay=0.2)
    for i in range(3):
        enqueue(
            container.uow(),
            key=f"k{i}",
            address=Address("console", "local", channel=f"c{i}"),
            reply=HELLO,
            now=NOW,
        )
    start = threading.Barrier(2)
    reports = []

    def work() -> None:
        dispatcher = _dispatcher(container)
        start.wait()
        reports.append(dispatcher.run_once(now=NOW))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.channel or "" for a, _ in notifier.sent) == ["c0", "c1", "c2"]
    assert sum(r.sent for r in reports) == 3


def test_a_crash_between_enqueue_and_send_resumes_without_a_duplicate(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    notifier = flaky()

    def job_that_crashes() -> None:
        enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
        raise RuntimeError("process killed after queuing")

    with pytest.raises(RuntimeError):
        job_that_crashes()
    # the restarted job queues the same key again: nothing new
    assert not enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    later = NOW + timedelta(minutes=1)
    assert _dispatcher(container).run_once(now=later).sent == 1
    assert _dispatcher(container).run_once(now=later + timedelta(minutes=1)).sent == 0
    assert len(notifier.sent) == 1


def test_a_crash_during_send_is_taken_over_after_the_claim_expires(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    """A worker that claimed a row and died: the claim lapses and another worker sends it."""
    notifier = flaky()
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    dying = _dispatcher(container)
    assert dying._claim(_row(container).id, NOW) is not None  # claimed, then the process died
    assert _dispatcher(container).run_once(now=NOW + timedelta(seconds=60)).sent == 0
    assert notifier.sent == []
    report = _dispatcher(container).run_once(now=NOW + timedelta(seconds=301))
    assert report.sent == 1 and len(notifier.sent) == 1
    row = _row(container)
    assert row.status == "sent" and row.attempts == 2


def test_a_worker_whose_claim_lapsed_cannot_overwrite_the_new_claim(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    """The attempt number fences each claim: a stalled worker that wakes up after another took
    the row over cannot put it back in the queue (a third send) or mark it as its own."""
    flaky()
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    row_id = _row(container).id
    stalled, other = _dispatcher(container), _dispatcher(container)
    first = stalled._claim(row_id, NOW)
    second = other._claim(row_id, NOW + timedelta(seconds=301))
    assert first is not None and second is not None and (first[0], second[0]) == (1, 2)
    later = NOW + timedelta(seconds=302)
    assert not stalled._finish(row_id, 1, status="pending", error="timeout", at=later)
    assert not stalled._finish(row_id, 1, status="sent", ref="ts-x", at=later)
    row = _row(container)
    assert (row.status, row.attempts, row.platform_ref) == ("sending", 2, None)
    assert other._finish(row_id, 2, status="sent", ref="ts-1", at=later)


def test_a_database_glitch_after_the_platform_accepted_does_not_send_twice(
    container: Container, flaky: Callable[..., FlakyNotifier], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording the send is retried: a failed update would let the claim lapse and the
    message go out a second time."""
    from sqlalchemy.exc import OperationalError

    notifier = flaky()
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    dispatcher = _dispatcher(container)
    real_finish = dispatcher._finish
    glitches = [OperationalError("UPDATE outbox", {}, Exception("database is locked"))]

    def finish(*args: object, **kwargs: object) -> bool:
        if kwargs.get("status") == "sent" and glitches:
            raise glitches.pop()
        return real_finish(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatcher, "_finish", finish)
    assert dispatcher.run_once(now=NOW).sent == 1
    assert _row(container).status == "sent"
    assert _dispatcher(container).run_once(now=NOW + timedelta(minutes=10)).sent == 0
    assert len(notifier.sent) == 1


def test_a_retryable_failure_backs_off_then_sends(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    notifier = flaky(DeliveryError("rate limited", retryable=True, retry_after=45.0))
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    first = _dispatcher(container).run_once(now=NOW)
    assert first.retried == 1 and notifier.sent == []
    row = _row(container)
    assert row.status == "pending" and row.attempts == 1 and row.last_error == "rate limited"
    wait = (row.next_attempt_at - NOW).total_seconds()
    assert 45.0 <= wait <= 46.0  # Retry-After (45 s) beats the first backoff (30 s ± 20%)
    assert _dispatcher(container).run_once(now=NOW + timedelta(seconds=30)).sent == 0
    assert _dispatcher(container).run_once(now=NOW + timedelta(seconds=50)).sent == 1
    row = _row(container)
    assert row.status == "sent" and row.last_error is None and row.platform_ref == "ts-1"


def test_backoff_grows_exponentially_with_jitter() -> None:
    policy = RetryPolicy()
    rng = random.Random(1)
    delays = [policy.delay(n, rng, None) for n in range(1, 6)]
    for n, delay in enumerate(delays, start=1):
        base = 30.0 * 2 ** (n - 1)
        assert 0.8 * base <= delay <= 1.2 * base
    assert policy.delay(20, rng, None) <= 3600 * 1.2


def test_after_the_last_attempt_the_row_fails_with_the_reason(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    errors = [DeliveryError("502 Bad Gateway", retryable=True) for _ in range(3)]
    notifier = flaky(*errors)
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    dispatcher = _dispatcher(container, policy=RetryPolicy(max_attempts=3))
    at = NOW
    for _ in range(3):
        dispatcher.run_once(now=at)
        at += timedelta(hours=2)
    row = _row(container)
    assert row.status == "failed" and row.attempts == 3
    assert row.last_error == "gave up after 3 attempts: 502 Bad Gateway"
    assert dispatcher.run_once(now=at + timedelta(days=1)).sent == 0
    assert notifier.calls == 3


def test_a_permanent_failure_is_not_retried(
    container: Container, flaky: Callable[..., FlakyNotifier]
) -> None:
    notifier = flaky(DeliveryError("channel_not_found", retryable=False))
    enqueue(container.uow(), key="k1", address=CHANNEL, reply=HELLO, now=NOW)
    assert _dispatcher(container).run_once(now=NOW).failed == 1
    assert _dispatcher(container).run_once(now=NOW + timedelta(hours=1)).failed == 0
    row = _row(container)
    assert (row.status, row.last_error, notifier.calls) == ("failed", "channel_not_found", 1)


def test_sends_to_one_channel_are_paced(container: Container) -> None:
    """Slack allows about one message a second per channel: the second send waits its turn."""
    from bot.ports import RecordingNotifier

    container.notifiers.register("slack", RecordingNotifier())
    channel = Address("slack", "T1", channel="C1")
    for key in ("a", "b"):
        enqueue(container.uow(), key=key, address=channel, reply=HELLO, now=NOW)
    enqueue(
        container.uow(), key="c", address=Address("slack", "T1", channel="C2"), reply=HELLO, now=NOW
    )
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    dispatcher = Dispatcher(
        container.uow, container.notifiers, sleep=sleep, monotonic=lambda: clock[0]
    )
    assert dispatcher.run_once(now=NOW).sent == 3
    assert slept == [1.0]


def test_rows_for_a_platform_without_a_notifier_wait(container: Container) -> None:
    enqueue(
        container.uow(), key="k1", address=Address("teams", "t", user="29:1"), reply=HELLO, now=NOW
    )
    report = _dispatcher(container).run_once(now=NOW)
    assert report.sent == 0 and report.waiting == {"teams": 1}
    assert "no teams notifier" in str(report)
    assert _row(container).status == "pending"


def test_a_continuation_waits_for_its_first_post_then_goes_into_its_thread(
    container: Container,
) -> None:
    notifier = FlakyNotifier()
    container.notifiers.register("console", notifier)
    uow = container.uow()
    enqueue(
        uow, key="d", address=CHANNEL, reply=HELLO, now=NOW, not_before=NOW + timedelta(minutes=5)
    )
    enqueue(
        container.uow(),
        key="d#2",
        address=CHANNEL,
        reply=Reply("Hello (continued, 2 of 2)", public=True),
        now=NOW,
        meta={"thread_of": "d"},
    )
    dispatcher = Dispatcher(container.uow, container.notifiers, sleep=lambda s: None)

    early = dispatcher.run_once(now=NOW)
    assert early.sent == 0 and early.deferred == 1
    assert (_row(container, "d#2").status, _row(container, "d#2").attempts) == ("pending", 0)
    later = dispatcher.run_once(now=NOW + timedelta(minutes=6))

    assert later.sent == 2
    (first, _), (second, reply) = notifier.sent
    assert first.thread is None and second.thread == "ts-1"
    assert reply.text.endswith("(continued, 2 of 2)")


def test_many_messages_are_queued_together_and_only_new_keys_count(
    container: Container,
) -> None:
    from digests.outbox import BATCH, Outgoing, enqueue_all
    from tests.sql_sent import statements as sql_statements

    def message(key: str) -> Outgoing:
        return Outgoing(key, CHANNEL, Reply(f"Hello {key}", public=True))

    first = [message(f"m{i}") for i in range(BATCH + 5)]
    with sql_statements(container.engine) as statements:
        assert enqueue_all(container.uow(), first, now=NOW) == BATCH + 5
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 2  # a thousand rows a statement
    again = [message("m0"), message("new"), message("new"), message(f"m{BATCH}")]
    assert enqueue_all(container.uow(), again, now=NOW) == 1
    assert reply_from_dict(_row(container, "new").payload["reply"]).text == "Hello new"
    assert reply_from_dict(_row(container, "m7").payload["reply"]).text == "Hello m7"
