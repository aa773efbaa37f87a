"""A digest is posted to Slack once even when Slack's answer is lost (a timeout) or the
worker dies mid-send: every post carries its outbox key in message metadata, and an
uncertain retry finds it in the channel's history instead of posting again."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.container import Container
from bot.messages import Reply
from bot.ports import Address
from bot.settings import Settings
from digests.dispatcher import Dispatcher, RetryPolicy
from digests.outbox import SENDING, SENT, enqueue
from handlers.slack.notifier import METADATA_EVENT, SlackNotifier
from storage.models import OutboxMessage
from tests.conftest import NOW
from tests.fakes.slack_api import FakeSlackAPI

CHANNEL = "C777"
WHERE = Address("slack", "T111", channel=CHANNEL)
DIGEST = Reply("Weekly digest for design-thinking", public=True)
KEY = "digest:community:1:2026-W47"


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI(team_id="T111") as fake:
        fake.add_channel(CHANNEL, "design-thinking")
        yield fake


@pytest.fixture
def settings(make_settings: Callable[..., Settings], slack: FakeSlackAPI) -> Settings:
    return make_settings(
        slack_bot_token="xoxb-test", slack_signing_secret="s", slack_api_url=slack.api_url
    )


def _dispatcher(container: Container, notifier: SlackNotifier) -> Dispatcher:
    container.notifiers.register("slack", notifier)
    return Dispatcher(
        container.uow,
        container.notifiers,
        policy=RetryPolicy(base_delay=1.0),
        rng=random.Random(3),
        sleep=lambda s: None,
    )


def _status(container: Container) -> str:
    with container.uow() as uow:
        return str(uow.session.scalar(select(OutboxMessage.status)))


def _posts(slack: FakeSlackAPI) -> list[dict[str, object]]:
    return slack.history[CHANNEL]


def test_every_post_carries_its_outbox_key(container: Container, slack: FakeSlackAPI) -> None:
    enqueue(container.uow(), key=KEY, address=WHERE, reply=DIGEST, now=NOW)
    _dispatcher(container, SlackNotifier(container.settings, container.engine)).run_once(now=NOW)

    [call] = slack.calls_to("chat.postMessage")
    assert call.params["metadata"] == {"event_type": METADATA_EVENT, "event_payload": {"key": KEY}}


def test_an_answer_lost_to_a_timeout_does_not_post_twice(
    container: Container, slack: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.slack import notifier as module

    real = module.sync_client
    monkeypatch.setattr(
        module, "sync_client", lambda settings, **kw: real(settings, **{**kw, "timeout": 1})
    )
    slack.answer_late("chat.postMessage", seconds=2.5)
    enqueue(container.uow(), key=KEY, address=WHERE, reply=DIGEST, now=NOW)
    dispatcher = _dispatcher(container, SlackNotifier(container.settings, container.engine))

    first = dispatcher.run_once(now=NOW)
    second = dispatcher.run_once(now=NOW + timedelta(minutes=5))

    assert (first.retried, second.sent) == (1, 1)
    assert len(_posts(slack)) == 1
    assert _status(container) == SENT


def test_a_worker_killed_mid_send_does_not_post_twice(
    container: Container, slack: FakeSlackAPI
) -> None:
    enqueue(container.uow(), key=KEY, address=WHERE, reply=DIGEST, now=NOW)
    notifier = SlackNotifier(container.settings, container.engine)
    # The dead worker claimed the row, Slack took its message, and then it was killed.
    with container.uow() as uow:
        uow.session.execute(
            update(OutboxMessage).values(
                status=SENDING, attempts=1, claimed_until=NOW + timedelta(minutes=5)
            )
        )
        uow.commit()
    notifier.send(address=WHERE, reply=DIGEST, key=KEY)

    report = _dispatcher(container, notifier).run_once(now=NOW + timedelta(minutes=6))

    assert report.sent == 1
    assert len(_posts(slack)) == 1
    assert _status(container) == SENT


def test_a_direct_message_is_looked_up_in_the_persons_conversation(
    container: Container, slack: FakeSlackAPI
) -> None:
    to_ana = Address("slack", "T111", user="UANA")
    notifier = SlackNotifier(container.settings, container.engine)
    first = notifier.send(address=to_ana, reply=DIGEST, key="nudge:UANA:2026-11-18")
    again = notifier.send(address=to_ana, reply=DIGEST, key="nudge:UANA:2026-11-18", uncertain=True)

    assert first == again
    assert len(slack.calls_to("chat.postMessage")) == 1
