"""The OpenAI and Bot Connector fakes speak the real wire formats: each is driven here by the
real client library."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import openai
import pytest
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)
from botframework.connector import ConnectorClient  # type: ignore[import-untyped]
from botframework.connector.aio import (  # type: ignore[import-untyped]
    ConnectorClient as AsyncConnectorClient,
)
from botframework.connector.auth import MicrosoftAppCredentials  # type: ignore[import-untyped]

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openai_api import FakeOpenAI

CHANNEL_CONVERSATION = "19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1571540169848"


@pytest.fixture
def llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def connector() -> Iterator[FakeBotConnector]:
    with FakeBotConnector() as fake:
        yield fake


def anonymous() -> MicrosoftAppCredentials:
    return MicrosoftAppCredentials("", "")


# --------------------------------------------------------------------------- OpenAI


def test_openai_client_gets_the_scripted_reply(llm: FakeOpenAI) -> None:
    llm.reply("Three ideas this week.")
    client = openai.OpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=0, timeout=2)

    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Summarise"}]
    )

    assert completion.choices[0].message.content == "Three ideas this week."
    assert completion.model == "gpt-4o-mini"
    assert llm.last_request.messages == [{"role": "user", "content": "Summarise"}]
    assert llm.last_request.headers["authorization"] == "Bearer test"


def test_openai_client_times_out_on_delay(llm: FakeOpenAI) -> None:
    llm.delay(1.0)
    client = openai.OpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=0, timeout=0.2)

    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])


def test_malformed_completion_is_rejected(llm: FakeOpenAI) -> None:
    llm.malformed()
    strict = openai.OpenAI(
        base_url=llm.url + "/v1", api_key="test", max_retries=0, _strict_response_validation=True
    )
    lenient = openai.OpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=0)

    with pytest.raises(openai.APIResponseValidationError):
        strict.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    completion = lenient.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}]
    )
    with pytest.raises(TypeError):
        _ = completion.choices[0]


def test_openai_errors_and_retries(llm: FakeOpenAI) -> None:
    llm.error(503)
    client = openai.OpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=0)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])

    llm.reply("recovered")
    llm.error(429, times=1, retry_after=0)
    retrying = openai.OpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=1)
    completion = retrying.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}]
    )

    assert completion.choices[0].message.content == "recovered"
    assert len(llm.requests) == 3


async def test_async_openai_client(llm: FakeOpenAI) -> None:
    client = openai.AsyncOpenAI(base_url=llm.url + "/v1", api_key="test", max_retries=0)

    completion = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "x"}]
    )

    assert completion.choices[0].message.content == "This is a fake summary."


# --------------------------------------------------------------------------- Bot Connector


def test_connector_client_sends_an_activity(connector: FakeBotConnector) -> None:
    client = ConnectorClient(anonymous(), base_url=connector.service_url)

    sent = client.conversations.send_to_conversation(
        CHANNEL_CONVERSATION, Activity(type=ActivityTypes.message, text="New idea posted")
    )

    assert sent.id.startswith("1:")
    [call] = connector.calls
    assert (call.method, call.operation) == ("POST", "send_to_conversation")
    assert call.conversation_id == CHANNEL_CONVERSATION
    assert call.json == {"type": "message", "text": "New idea posted"}
    assert "authorization" not in call.headers


async def test_async_connector_replies_updates_and_creates(connector: FakeBotConnector) -> None:
    client = AsyncConnectorClient(anonymous(), base_url=connector.service_url)
    conversations = client.conversations

    reply = await conversations.reply_to_activity(
        CHANNEL_CONVERSATION, "1571540169848", Activity(type="message", text="Thanks")
    )
    updated = await conversations.update_activity(
        CHANNEL_CONVERSATION, reply.id, Activity(type="message", id=reply.id, text="Edited")
    )
    created = await conversations.create_conversation(
        ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": "19:abc@thread.skype"}},
            activity=Activity(type="message", text="Digest"),
        )
    )
    members = await conversations.get_conversation_members(CHANNEL_CONVERSATION)

    assert updated.id == reply.id
    assert created.id.startswith("19:abc@thread.skype;messageid=")
    assert created.activity_id.startswith("1:")
    assert members[0].name == "Test User One"
    assert [call.operation for call in connector.calls] == [
        "reply_to_activity",
        "update_activity",
        "create_conversation",
        "get_conversation_members",
    ]
    assert connector.calls[0].activity_id == "1571540169848"
    assert [activity["text"] for activity in connector.activities] == ["Thanks", "Edited"]


def test_connector_scripted_failures(connector: FakeBotConnector) -> None:
    client = ConnectorClient(anonymous(), base_url=connector.service_url)
    connector.fail_next(412)

    with pytest.raises(ErrorResponseException) as failed:
        client.conversations.send_to_conversation(
            CHANNEL_CONVERSATION, Activity(type="message", text="x")
        )
    assert failed.value.response.status_code == 412

    connector.fail_next(429, retry_after=0)
    members = client.conversations.get_conversation_members(CHANNEL_CONVERSATION)
    assert len(members) == 2
    assert len(connector.calls_to("get_conversation_members")) == 2


async def test_cloud_adapter_proactive_send(connector: FakeBotConnector) -> None:
    settings = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    reference = ConversationReference(
        channel_id="msteams",
        service_url=connector.service_url,
        conversation=ConversationAccount(id="19:abc@thread.skype", is_group=True),
        bot=ChannelAccount(id="28:cop-bot", name="cop-bot"),
        user=ChannelAccount(id="29:user"),
    )

    async def send(turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text("Weekly digest"))

    await adapter.continue_conversation(reference, send, "")

    [activity] = connector.activities
    assert activity["text"] == "Weekly digest"
    assert activity["conversation"]["id"] == "19:abc@thread.skype"
