"""Proactive sends to Teams through the fake Bot Connector: channels, people, throttling."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.messages import Actor, Button, Platform, Reply
from bot.ports import Address, DeliveryError
from bot.services import conversations
from digests.dispatcher import Dispatcher
from digests.outbox import enqueue
from handlers.teams.mount import register_notifier
from handlers.teams.notifier import TeamsNotifier
from storage.models import Account, ConversationRef
from tests.conftest import NOW
from tests.fakes.bot_connector import FakeBotConnector
from tests.platform.teams.wire import CHANNEL, TENANT, StaticCredentials

BOT = {"id": "28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a", "name": "cop-bot"}
USER = "6d415fdd-f97e-4f70-ac45-e69601e4ecb2"
DIGEST = Reply("Weekly digest: 3 new ideas", buttons=(Button("I can help", "offer", "R-2"),))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def notifier(container: Container, clock: Clock) -> TeamsNotifier:
    return TeamsNotifier(
        uow=container.uow,
        credentials=StaticCredentials(),
        sleep=clock.sleep,
        clock=lambda: NOW,
    )


def store(
    container: Container, connector: FakeBotConnector, key: str, conversation: dict[str, Any]
) -> None:
    actor = None
    if key.startswith("user:"):
        actor = Actor(Platform.TEAMS, TENANT, key.removeprefix("user:"), "Test User Two")
    conversations.remember(
        container.uow,
        platform="teams",
        workspace=TENANT,
        key=key,
        reference={
            "bot": BOT,
            "conversation": {**conversation, "tenantID": TENANT},
            "channelId": "msteams",
            "serviceUrl": connector.service_url,
        },
        now=NOW,
        actor=actor,
    )


@pytest.fixture
def channel(container: Container, connector: FakeBotConnector) -> Address:
    store(
        container, connector, f"channel:{CHANNEL}", {"id": CHANNEL, "conversationType": "channel"}
    )
    return Address("teams", TENANT, channel=CHANNEL)


def card_texts(activity: dict[str, Any]) -> list[str]:
    [attachment] = activity["attachments"]
    return [block["text"] for block in attachment["content"]["body"] if block.get("text")]


def test_a_channel_gets_a_new_thread_with_the_card(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address
) -> None:
    sent = notifier.send(address=channel, reply=DIGEST)

    [call] = connector.calls
    assert call.operation == "create_conversation"
    assert call.headers["authorization"] == "Bearer outbound-test-token"
    assert call.json["isGroup"] is True
    assert call.json["channelData"]["channel"] == {"id": CHANNEL}
    assert call.json["channelData"]["tenant"] == {"id": TENANT}
    assert card_texts(call.json["activity"]) == ["Weekly digest: 3 new ideas"]
    assert call.json["activity"]["summary"] == "Weekly digest: 3 new ideas"
    assert sent is not None and sent.startswith("1:")


def test_a_person_with_a_personal_chat_gets_it_there(
    notifier: TeamsNotifier, container: Container, connector: FakeBotConnector
) -> None:
    store(
        container, connector, f"user:{USER}", {"id": "a:1personal", "conversationType": "personal"}
    )

    notifier.send(address=Address("teams", TENANT, user=USER), reply=DIGEST)

    [call] = connector.calls
    assert (call.operation, call.conversation_id) == ("send_to_conversation", "a:1personal")
    assert card_texts(call.json) == ["Weekly digest: 3 new ideas"]


def test_a_person_never_met_gets_a_new_personal_chat_which_is_remembered(
    notifier: TeamsNotifier, container: Container, connector: FakeBotConnector, channel: Address
) -> None:
    person = Address("teams", TENANT, user=USER)

    notifier.send(address=person, reply=DIGEST)
    notifier.send(address=person, reply=Reply("Second"))

    create, first, second = connector.calls
    assert create.operation == "create_conversation"
    assert create.json["members"] == [{"id": USER}]
    assert create.json["isGroup"] is False
    assert create.json["bot"]["id"] == BOT["id"]
    assert create.json["channelData"] == {"tenant": {"id": TENANT}}
    assert first.operation == second.operation == "send_to_conversation"
    assert first.conversation_id == second.conversation_id and first.conversation_id.startswith(
        "a:"
    )
    with container.uow() as uow:
        ref = uow.session.scalars(
            select(ConversationRef).where(ConversationRef.key == f"user:{USER}")
        ).one()
        account = uow.session.scalars(select(Account)).one()
        assert ref.person_id == account.person_id


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (Address("teams", "other-tenant", user=USER), "never been used in Teams tenant"),
        (Address("teams", TENANT, channel="19:unknown@thread.skype"), "add the app"),
    ],
)
def test_unreachable_places_fail_without_retry(
    notifier: TeamsNotifier, connector: FakeBotConnector, address: Address, message: str
) -> None:
    with pytest.raises(DeliveryError, match=message) as failed:
        notifier.send(address=address, reply=DIGEST)

    assert failed.value.retryable is False
    assert connector.calls == []


@pytest.mark.parametrize("status", [429, 412, 502, 504])
def test_throttling_and_gateway_errors_are_retried_with_backoff(
    notifier: TeamsNotifier,
    connector: FakeBotConnector,
    channel: Address,
    clock: Clock,
    status: int,
) -> None:
    connector.fail_next(status, times=2)

    sent = notifier.send(address=channel, reply=DIGEST)

    assert sent is not None
    assert [c.operation for c in connector.calls] == ["create_conversation"] * 3
    assert clock.sleeps == [0.5, 1.0]


def test_retry_after_is_honoured(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address, clock: Clock
) -> None:
    connector.fail_next(429, retry_after=2)

    notifier.send(address=channel, reply=DIGEST)

    assert clock.sleeps == [2.0]
    assert len(connector.calls) == 2


def test_repeated_throttling_hands_the_message_back_to_the_outbox(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address, clock: Clock
) -> None:
    connector.fail_next(429, times=3, retry_after=1)

    with pytest.raises(DeliveryError) as failed:
        notifier.send(address=channel, reply=DIGEST)

    assert failed.value.retryable is True
    assert failed.value.retry_after is not None and failed.value.retry_after >= 1
    assert len(connector.calls) == 3
    assert clock.sleeps == [1.0, 1.0]


def test_a_long_retry_after_is_left_to_the_outbox(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address, clock: Clock
) -> None:
    connector.fail_next(429, retry_after=30)

    with pytest.raises(DeliveryError) as failed:
        notifier.send(address=channel, reply=DIGEST)

    assert (failed.value.retryable, failed.value.retry_after) == (True, 30.0)
    assert len(connector.calls) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [400, 403, 404])
def test_other_client_errors_are_final(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address, status: int
) -> None:
    connector.fail_next(status)

    with pytest.raises(DeliveryError) as failed:
        notifier.send(address=channel, reply=DIGEST)

    assert failed.value.retryable is False
    assert len(connector.calls) == 1


def test_an_unreachable_connector_is_retried_later(
    notifier: TeamsNotifier, connector: FakeBotConnector, channel: Address
) -> None:
    connector.stop()

    with pytest.raises(DeliveryError) as failed:
        notifier.send(address=channel, reply=DIGEST)

    assert failed.value.retryable is True


def test_the_notifier_leaves_pacing_to_the_dispatcher(
    notifier: TeamsNotifier, clock: Clock, channel: Address
) -> None:
    for _ in range(9):
        notifier.send(address=channel, reply=DIGEST)

    assert clock.sleeps == []


def test_sends_to_one_conversation_are_paced_once_seven_a_second(
    container: Container, notifier: TeamsNotifier, clock: Clock, channel: Address
) -> None:
    container.notifiers.register("teams", notifier)
    for n in range(8):
        enqueue(container.uow(), key=f"k{n}", address=channel, reply=DIGEST, now=NOW)
    dispatcher = Dispatcher(
        container.uow, container.notifiers, sleep=clock.sleep, monotonic=clock.time
    )

    assert dispatcher.run_once(now=NOW).sent == 8
    assert clock.sleeps == [round(1 / 7, 3)] * 7


def test_register_notifier_only_when_teams_is_enabled(container: Container) -> None:
    register_notifier(container)
    assert isinstance(container.notifiers.get("teams"), TeamsNotifier)
