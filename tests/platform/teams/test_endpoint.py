"""The recorded Teams traffic through the real /api/messages, with Bot Framework tokens
validated by the SDK against a local issuer, and replies captured by the fake connector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botframework.connector.auth import ChannelValidation  # type: ignore[import-untyped]
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from bot.container import Container
from bot.settings import Settings
from storage.models import Account, ConversationRef, Idea, Person
from tests.platform.teams.conftest import Teams
from tests.platform.teams.wire import (
    CHANNEL,
    MENTION,
    PERSONAL,
    TEAM_RENAMED,
    TENANT,
    USER_ONE_AAD,
    USER_TWO_AAD,
    recorded,
    recordings,
    with_text,
)


def count(container: Container, model: Any) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def card_text(activity: dict[str, Any]) -> str:
    """Every TextBlock of the activity's Adaptive Card, joined."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                texts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for attachment in activity.get("attachments") or []:
        walk(attachment.get("content"))
    return "\n".join(texts)


async def test_mention_in_a_channel_captures_an_idea_and_answers_with_a_card(
    teams: Teams, container: Container
) -> None:
    body = with_text(recorded(MENTION), "idea Mentoring circles for new staff")

    response = await teams.post(body)

    assert response.status == 201
    [call] = teams.connector.calls_to("reply_to_activity")
    assert call.conversation_id == body["conversation"]["id"]
    assert call.activity_id == body["id"]
    assert call.headers["authorization"] == "Bearer outbound-test-token"
    [attachment] = call.json["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "Idea I-1 saved: Mentoring circles for new staff" in card_text(call.json)
    assert call.json["summary"].startswith("Idea I-1 saved")
    with container.uow() as uow:
        idea = uow.session.scalars(select(Idea)).one()
        account = uow.session.scalars(select(Account)).one()
        assert idea.author_id == account.person_id
        assert (account.platform, account.workspace, account.user_id) == (
            "teams",
            TENANT,
            USER_ONE_AAD,
        )
        assert account.person.email == "test.user.one@example.com"


async def test_reference_is_stored_for_the_channel_on_every_activity(
    teams: Teams, container: Container
) -> None:
    await teams.post(recorded(TEAM_RENAMED))

    with container.uow() as uow:
        ref = uow.session.scalars(select(ConversationRef)).one()
        assert (ref.platform, ref.workspace, ref.key) == ("teams", TENANT, f"channel:{CHANNEL}")
        assert ref.person_id is None
        assert ref.reference["serviceUrl"] == teams.connector.service_url
        assert ref.reference["conversation"]["id"] == CHANNEL
        assert ref.reference["bot"]["id"] == "28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a"


async def test_personal_chat_stores_the_persons_reference(
    teams: Teams, container: Container
) -> None:
    body = recorded(PERSONAL)
    body["text"] = "help"

    response = await teams.post(body)

    assert response.status == 201
    [call] = teams.connector.calls_to("reply_to_activity")
    assert "idea" in card_text(call.json)
    with container.uow() as uow:
        ref = uow.session.scalars(select(ConversationRef)).one()
        account = uow.session.scalars(select(Account)).one()
        assert ref.key == f"user:{USER_TWO_AAD}"
        assert ref.person_id == account.person_id
        assert ref.reference["conversation"]["id"] == body["conversation"]["id"]


@pytest.mark.parametrize(
    "token",
    [None, "not-a-jwt", "other-key", "wrong-audience", "expired", "wrong-issuer", "other-service"],
)
async def test_requests_without_a_valid_token_are_refused_and_change_nothing(
    teams: Teams, container: Container, token: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    body = with_text(recorded(MENTION), "idea Should never be saved")
    url = teams.connector.service_url
    forged = {
        None: None,
        "not-a-jwt": "not-a-jwt",
        "other-key": teams.issuer.token(
            service_url=url, key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "wrong-audience": teams.issuer.token(service_url=url, audience="someone-else"),
        "expired": teams.issuer.token(service_url=url, lifetime=-3600),
        "wrong-issuer": teams.issuer.token(service_url=url, issuer="https://evil.example"),
        "other-service": teams.issuer.token(service_url="https://evil.example/amer/"),
    }[token]

    response = await teams.post(body, token=forged)

    assert response.status == 401
    assert teams.connector.calls == []
    for model in (ConversationRef, Person, Idea):
        assert count(container, model) == 0
    [refusal] = [r for r in caplog.records if "Teams request refused" in r.getMessage()]
    assert not refusal.exc_info  # a plain refusal: its reason is in the message


async def test_a_failure_to_check_a_token_is_refused_and_logged_with_its_traceback(
    teams: Teams,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    unreachable = "http://127.0.0.1:9/.well-known/openidconfiguration"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", unreachable)

    response = await teams.post(with_text(recorded(MENTION), "idea Should never be saved"))

    assert response.status == 401
    assert count(container, Idea) == 0
    [refusal] = [r for r in caplog.records if "Teams request refused" in r.getMessage()]
    assert refusal.exc_info


async def test_without_teams_settings_the_endpoint_refuses_everything(
    make_settings: Callable[..., Settings],
) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from copbot.bootstrap import bootstrap
    from copbot.web import build_app
    from handlers.teams.mount import mounts

    container = bootstrap(make_settings(), migrate=False)
    client = TestClient(TestServer(build_app(container, mounts(container))))
    await client.start_server()
    try:
        response = await client.post("/api/messages", json=recorded(MENTION))
        assert response.status == 401
        assert container.notifiers.get("teams") is None
        assert count(container, ConversationRef) == 0
    finally:
        await client.close()
        container.close()


@pytest.mark.parametrize("path", recordings(), ids=lambda p: p.name.split("-")[0])
async def test_every_recorded_request_is_accepted(
    teams: Teams, container: Container, path: Any
) -> None:
    body = recorded(path.name)

    response = await teams.post(body)

    # Commands, updates and our invokes are handled; invokes the app does not offer
    # (search, link unfurling, preview edits) get Teams' "not implemented".
    assert response.status in (200, 201, 501), await response.text()
    conversation = body["conversation"]
    if conversation.get("conversationType") == "personal":
        key = f"user:{body['from']['aadObjectId']}"
    else:
        key = f"channel:{body['channelData'].get('channel', {}).get('id') or conversation['id']}"
    with container.uow() as uow:
        keys = set(uow.session.scalars(select(ConversationRef.key)))
    assert key in keys


async def test_a_crash_is_logged_and_the_person_hears_sorry(
    teams: Teams,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(type(container.runner), "handle", broken)

    response = await teams.post(with_text(recorded(MENTION), "ideas"))

    assert response.status == 201
    [call] = teams.connector.calls_to("reply_to_activity")
    assert call.json["text"].startswith("Sorry, something went wrong")
    assert "database on fire" not in call.json["text"]
    assert any(r.exc_info and "database on fire" in str(r.exc_info[1]) for r in caplog.records)
