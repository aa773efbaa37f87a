"""Teams parity with Slack through the real /api/messages: channel messages without a mention
(resource-specific consent) are counted and get suggested capture, a personal home card shows
what App Home shows and refreshes itself, redelivered activities are handled once, and files
waiting for consent are kept in the database so another web process completes the upload."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.container import Container
from bot.settings import Settings
from copbot.web import build_app
from handlers.teams.manifest import AppInfo, build_manifest
from handlers.teams.mount import BOT, teams_mount
from storage.models import HelpRequest, Idea, Participation, PendingFile
from tests.conftest import NOW
from tests.payload_checks import assert_valid_card
from tests.platform.teams.conftest import Teams
from tests.platform.teams.flows import sent_cards, submits
from tests.platform.teams.test_files_and_local_mode import OneDrive
from tests.platform.teams.wire import (
    APP_ID,
    CHANNEL,
    MENTION,
    PERSONAL,
    USER_ONE_EMAIL,
    LocalCredentialFactory,
    recorded,
    with_text,
)

ASK = "Does anyone have a template for partner satisfaction surveys we could reuse?"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The Teams test settings (app, tenants), with the recorded user as coordinator."""
    return settings.model_copy(update={"copbot_coordinators": [USER_ONE_EMAIL]})


def _count(container: Container, model: Any) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _plain_message(text: str, message_id: str) -> dict[str, Any]:
    """A channel message that does not mention the bot, as Teams sends it under RSC."""
    body = recorded(MENTION)
    body.pop("entities", None)
    body.update(text=text, id=message_id)
    body["conversation"]["id"] = f"{CHANNEL};messageid={message_id}"
    return body


async def _community(teams: Teams, *settings: str) -> None:
    for line in ("community create design-thinking", *settings):
        body = with_text(recorded(MENTION), line)
        body["id"] = f"setup-{abs(hash(line))}"
        await teams.post(body)
    teams.connector.reset()


def test_the_manifest_asks_for_channel_messages_without_mentions() -> None:
    manifest = build_manifest(AppInfo(bot_id=APP_ID))

    assert manifest["webApplicationInfo"]["id"] == APP_ID
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in manifest[
        "authorization"
    ]["permissions"]["resourceSpecific"]


async def test_channel_messages_without_a_mention_are_counted_once(
    teams: Teams, container: Container
) -> None:
    await _community(teams, "community settings counting=on")
    message = _plain_message("Lunch at noon, anyone?", "1700000000001")

    await teams.post(message)
    await teams.post(message)  # Teams redelivers it

    with container.uow() as uow:
        assert uow.session.scalars(select(Participation.messages)).all() == [1]


async def test_a_question_in_the_channel_gets_a_private_prompt_that_saves_it(
    teams: Teams, container: Container
) -> None:
    await _community(teams, "community settings counting=on suggestions=on")

    await teams.post(_plain_message(ASK, "1700000000002"))

    assert len(teams.connector.calls_to("create_conversation")) == 1  # the author's chat
    [sent] = teams.connector.calls_to("send_to_conversation")
    assert sent.json["conversation"]["conversationType"] == "personal"
    [prompt] = sent_cards([sent.json])
    buttons = submits(prompt)
    assert set(buttons) == {"Save as idea", "Ask the community"}
    assert _count(container, HelpRequest) == 0  # nothing without a click

    click = recorded(PERSONAL)
    click.pop("text", None)
    click["from"] = recorded(MENTION)["from"]
    click["value"] = buttons["Ask the community"]
    await teams.post(click)

    with container.uow() as uow:
        request = uow.session.scalars(select(HelpRequest)).one()
        assert request.question == ASK
        assert request.community_id is not None
        assert (request.source_channel, request.source_ts) == (CHANNEL, "1700000000002")
        assert (request.permalink or "").startswith("https://teams.microsoft.com/l/message/")


async def test_the_personal_home_shows_what_app_home_shows_and_refreshes(
    teams: Teams, container: Container
) -> None:
    await _community(teams)
    await teams.post(with_text(recorded(MENTION), "idea Mentoring circles"))
    teams.connector.reset()
    home = recorded(PERSONAL)
    home.update(text="home", id="1700000000010", **{"from": recorded(MENTION)["from"]})

    await teams.post(home)

    [card] = sent_cards(teams.connector.activities)
    assert "Mentoring circles" in json.dumps(card)
    forms = {t: d for t, d in submits(card).items() if "cop_form" in d}
    assert forms == {  # App Home's form buttons, opening task modules
        "New idea": {"msteams": {"type": "task/fetch"}, "cop_form": "idea"},
        "Ask the community": {"msteams": {"type": "task/fetch"}, "cop_form": "request"},
        "Give feedback": {"msteams": {"type": "task/fetch"}, "cop_form": "feedback"},
    }
    refresh = card["refresh"]
    assert refresh["action"] == {"type": "Action.Execute", "verb": "cop_home", "title": "Refresh"}
    assert refresh["userIds"] == [home["from"]["id"]]

    invoke = dict(home, type="invoke", name="adaptiveCard/action", id="1700000000011")
    invoke.pop("text")
    invoke["value"] = {
        "action": {"type": "Action.Execute", "verb": "cop_home"},
        "trigger": "automatic",
    }
    response = await teams.post(invoke)
    answer = await response.json()
    assert answer["statusCode"] == 200
    assert_valid_card(answer["value"])
    assert "Mentoring circles" in json.dumps(answer["value"])


async def test_a_redelivered_command_saves_and_answers_once(
    teams: Teams, container: Container
) -> None:
    body = with_text(recorded(MENTION), "idea Mentoring circles")

    await teams.post(body)
    await teams.post(body)

    assert _count(container, Idea) == 1
    assert len(teams.connector.calls_to("reply_to_activity")) == 1


async def test_another_web_process_completes_a_file_consent_upload(
    teams: Teams, container: Container, onedrive_server: OneDrive
) -> None:
    ask = recorded(PERSONAL)
    ask.update(text="my-data", id="1700000000020")

    await teams.post(ask)

    consent = next(
        a
        for activity in teams.connector.activities
        for a in activity.get("attachments") or []
        if a["contentType"].endswith("file.consent")
    )
    assert _count(container, PendingFile) == 1
    accepted = recorded(PERSONAL)
    accepted.pop("text")
    accepted.update(type="invoke", name="fileConsent/invoke", id="1700000000021")
    accepted["value"] = {
        "type": "fileUpload",
        "action": "accept",
        "context": consent["content"]["acceptContext"],
        "uploadInfo": {
            "name": "my-data.json",
            "uploadUrl": f"{onedrive_server.url}/upload/my-data.json",
            "contentUrl": "https://contoso-my.sharepoint.com/personal/two/my-data.json",
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "fileType": "json",
        },
    }
    other = build_app(
        container, [teams_mount(credentials_factory=LocalCredentialFactory(), clock=lambda: NOW)]
    )
    client: TestClient[Any, Any] = TestClient(TestServer(other))
    await client.start_server()
    try:
        accepted["serviceUrl"] = teams.connector.service_url
        token = teams.issuer.token(service_url=accepted["serviceUrl"])
        response = await client.post(
            "/api/messages", json=accepted, headers={"Authorization": f"Bearer {token}"}
        )
        await other[BOT].delivery.drain()
    finally:
        await client.close()

    assert response.status == 200
    [upload] = onedrive_server.uploads
    assert json.loads(upload.body)["ideas_authored"] == []
    assert _count(container, PendingFile) == 0


@pytest.fixture
def onedrive_server() -> Any:
    with OneDrive() as server:
        yield server
