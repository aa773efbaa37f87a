"""One person on two platforms, conversation references on installs and updates, private
replies, and notices, through the real endpoint."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.indicators.compute import compute
from bot.indicators.definitions import Scope
from bot.messages import Actor, Inbound, Platform
from bot.periods import quarter_period
from bot.services.people import resolve_person
from storage.models import Account, ConversationRef, Person
from tests.conftest import NOW
from tests.platform.teams.conftest import Teams
from tests.platform.teams.test_endpoint import card_text
from tests.platform.teams.wire import (
    CHANNEL,
    MENTION,
    TENANT,
    USER_ONE_AAD,
    USER_ONE_EMAIL,
    recorded,
    sample,
    with_text,
)

GROUP_CHAT_ADDED = "20191019235900304"


def logged_with_traceback(caplog: pytest.LogCaptureFixture, message: str) -> bool:
    """Whether ``message`` was logged with the exception's traceback (not just its text)."""
    found = [r for r in caplog.records if message in r.getMessage()]
    assert found, f"nothing logged like {message!r}"
    return all(bool(r.exc_info) for r in found)


def refs(container: Container) -> dict[str, int | None]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(ConversationRef)).all()
        return {row.key: row.person_id for row in rows}


async def test_a_slack_user_and_a_teams_user_with_the_same_email_are_one_person(
    teams: Teams, container: Container
) -> None:
    slack = Actor(Platform.SLACK, "T111", "U111", "Test One", email=USER_ONE_EMAIL.upper())
    with container.uow() as uow:
        resolve_person(uow.session, slack, now=NOW)
        uow.commit()
    container.runner.handle(Inbound(slack, "C111", "idea Open data days"), now=NOW)

    await teams.post(with_text(recorded(MENTION), "idea Mentoring circles"))

    with container.uow() as uow:
        [person] = uow.session.scalars(select(Person)).all()
        accounts = uow.session.scalars(select(Account).order_by(Account.id)).all()
        assert [(a.platform, a.user_id, a.person_id) for a in accounts] == [
            ("slack", "U111", person.id),
            ("teams", USER_ONE_AAD, person.id),
        ]
        active = compute(
            uow.session,
            "active_members",
            period=quarter_period(2026, 4),
            scope=Scope("org"),
            tz=ZoneInfo("UTC"),
        )
    assert active.value == 1


async def test_the_roster_is_asked_once_and_its_failure_does_not_break_commands(
    teams: Teams, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.teams")
    teams.connector.members = []  # the member lookup now answers 404

    first = await teams.post(with_text(recorded(MENTION), "idea Mentoring circles"))
    second = await teams.post(with_text(recorded(MENTION), "idea Open data days"))

    assert (first.status, second.status) == (201, 201)
    assert len(teams.connector.calls_to("get_conversation_member")) == 1
    with container.uow() as uow:
        person = uow.session.scalars(select(Person)).one()
        assert person.email is None
        assert person.display_name == "Test User One"
    assert logged_with_traceback(caplog, "Teams member lookup failed")


async def test_group_chat_install_stores_the_chat(teams: Teams, container: Container) -> None:
    body = recorded(GROUP_CHAT_ADDED)

    await teams.post(body)

    assert refs(container) == {f"channel:{body['conversation']['id']}": None}


async def test_personal_install_stores_the_person_and_welcomes_them(
    teams: Teams, container: Container
) -> None:
    body = sample("SampleActivityConversationUpdateWithAADObjectId")

    await teams.post(body)

    with container.uow() as uow:
        account = uow.session.scalars(select(Account)).one()
        assert account.user_id == "d2ffaeab-d802-4fec-8580-0987e9ad2628"
        person_id = account.person_id
    assert refs(container) == {"user:d2ffaeab-d802-4fec-8580-0987e9ad2628": person_id}
    welcome, home = teams.connector.activities  # the welcome, then the personal home
    assert "I'm cop-bot" in card_text(welcome)
    assert home["attachments"][0]["content"]["refresh"]["action"]["verb"] == "cop_home"


def installation(action: str) -> dict[str, Any]:
    body = recorded(MENTION)
    for field in ("text", "textFormat", "attachments", "entities"):
        body.pop(field, None)
    body.update(type="installationUpdate", action=action)
    body["conversation"]["id"] = CHANNEL
    return body


async def test_installation_stores_and_removal_forgets_the_reference(
    teams: Teams, container: Container
) -> None:
    await teams.post(installation("add"))
    assert refs(container) == {f"channel:{CHANNEL}": None}

    await teams.post(installation("remove"))
    assert refs(container) == {}


async def test_a_private_answer_asked_in_a_channel_goes_to_the_personal_chat(
    teams: Teams, container: Container
) -> None:
    await teams.post(with_text(recorded(MENTION), "ideas"))

    operations = [c.operation for c in teams.connector.calls]
    assert operations == ["get_conversation_member", "create_conversation", "send_to_conversation"]
    [create] = teams.connector.calls_to("create_conversation")
    [send] = teams.connector.calls_to("send_to_conversation")
    assert create.json["members"][0]["id"].startswith("29:1CFIxRJBLjT")
    assert create.json["isGroup"] is False
    assert send.conversation_id.startswith("a:")
    assert "No ideas" in card_text(send.json)
    assert f"user:{USER_ONE_AAD}" in refs(container)


async def test_when_no_personal_chat_can_be_opened_the_thread_gets_a_pointer_not_the_answer(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.teams")
    teams.connector.members = []  # no e-mail lookup to consume the scripted failure
    teams.connector.fail_next(403, times=2)

    await teams.post(with_text(recorded(MENTION), "ideas"))

    operations = [c.operation for c in teams.connector.calls]
    assert operations[-1] == "reply_to_activity"
    shown = card_text(teams.connector.activities[-1])
    assert "No ideas" not in shown
    assert "could not open a personal chat with you" in shown
    assert logged_with_traceback(caplog, "Could not reply in a personal chat")


@pytest.mark.parametrize(
    ("locale", "told"),
    [
        (None, "saved your message as idea I-1"),
        ("es-ES", "guardó tu mensaje como idea I-1"),
        ("fr-CA", "a enregistré votre message comme idée I-1"),
    ],
)
async def test_the_author_of_a_saved_message_hears_about_it_in_their_language(
    teams: Teams, container: Container, locale: str | None, told: str
) -> None:
    """The note to the author is in the language their Teams speaks, whoever saved it."""
    author = recorded(MENTION)
    if locale:
        author["locale"] = locale
    author["from"] = {"id": "29:dora", "name": "Dora", "aadObjectId": "aad-dora"}
    author["conversation"] = {"conversationType": "personal", "tenantId": TENANT, "id": "a:dora"}
    author["channelData"] = {"tenant": {"id": TENANT}}
    author["text"] = "help"
    author.pop("entities")
    await teams.post(author)
    teams.connector.reset()
    action = recorded("20191019180710668")  # composeExtension/submitAction in a channel
    action["value"] = {
        "commandId": "cop_save_idea",
        "commandContext": "message",
        "data": {"cop_form": "idea", "title": "Pilot a chatbot", "description": "For FAQs"},
        "messagePayload": {
            "id": "1571537152320",
            "linkToMessage": "https://teams.microsoft.com/l/message/x/1571537152320",
            "from": {"user": {"id": "aad-dora", "displayName": "Dora"}},
            "body": {"contentType": "text", "content": "Pilot a chatbot"},
        },
    }

    response = await teams.post(action)

    assert response.status == 200
    notice = next(c for c in teams.connector.calls if c.conversation_id == "a:dora")
    assert told in card_text(notice.json)


async def test_a_message_action_in_a_chat_without_the_bot_confirms_in_the_dialog(
    teams: Teams, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.teams")
    action = recorded("20191019180710668")
    action["value"] = {
        "commandId": "cop_save_request",
        "commandContext": "message",
        "data": {"cop_form": "request", "question": "Who knows GIS?", "tags": ""},
        "messagePayload": {
            "id": "1571537152999",
            "from": {"user": {"id": USER_ONE_AAD, "displayName": "Test User One"}},
            "body": {"contentType": "text", "content": "Who knows GIS?"},
        },
    }
    teams.connector.fail_next(403, times=2)  # the roster lookup and the confirmation

    response = await teams.post(action)

    assert response.status == 200
    answer = await response.json()
    assert answer["task"]["type"] == "message"
    assert answer["task"]["value"].startswith("Request R-1 is open")
    assert logged_with_traceback(caplog, "Could not post the confirmation")
