"""A Teams channel that is not part of a community yet, through the real /api/messages: a
capture there is held with the same offer as on Slack and in the console, a click on the
offer binds the channel and brings the held items along, and the bot offers the same when
it is added to a team."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.settings import Settings
from storage.models import Community, HeldCapture, Idea
from tests.platform.teams.conftest import Teams
from tests.platform.teams.flows import sent_cards, submits
from tests.platform.teams.wire import (
    CARD_SUBMIT,
    MENTION,
    USER_ONE_EMAIL,
    recorded,
    with_text,
)

TEAM_MEMBER_ADDED = "20191019181214767"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The Teams test settings (app, tenants), with the recorded user as coordinator."""
    return settings.model_copy(update={"copbot_coordinators": [USER_ONE_EMAIL]})


async def test_a_capture_is_held_and_a_click_makes_the_channel_a_community(
    teams: Teams, container: Container
) -> None:
    mention = with_text(recorded(MENTION), "idea Mentoring circles")
    mention["channelData"]["channel"]["name"] = "Design thinking"

    await teams.post(mention)

    [card] = sent_cards(teams.connector.activities)
    assert "I-1 is held for #Design thinking" in str(card)
    offer = submits(card)
    make = offer["Make #Design thinking a community"]
    assert make == {"cop_action": "community", "value": "bind"}
    assert offer["Bind to an existing community"] == {"cop_action": "community", "value": "list"}
    with container.uow() as uow:
        assert uow.session.scalars(select(Idea.community_id)).one() is None
        assert len(uow.session.scalars(select(HeldCapture)).all()) == 1

    click = recorded(CARD_SUBMIT)
    click["conversation"], click["channelData"] = mention["conversation"], mention["channelData"]
    click["from"] = mention["from"]
    click["value"] = make
    teams.connector.reset()
    await teams.post(click)

    with container.uow() as uow:
        idea = uow.session.scalars(select(Idea)).one()
        community = uow.session.get(Community, idea.community_id)
        assert community is not None and community.name == "design-thinking"
        assert uow.session.scalars(select(HeldCapture)).all() == []
    assert any(
        "I-1 joined it from this channel" in str(c) for c in sent_cards(teams.connector.activities)
    )


async def test_in_a_channel_teams_did_not_name_a_coordinator_names_the_community(
    teams: Teams, container: Container
) -> None:
    await teams.post(with_text(recorded(MENTION), "ask Who has a survey template?"))

    [card] = sent_cards(teams.connector.activities)
    shown = json.dumps(card, ensure_ascii=False).replace("\u200b", "")
    assert "`community create <name>` here" in shown, shown
    assert set(submits(card)) == {"I can help", "Bind to an existing community"}

    create = with_text(recorded(MENTION), "community create km-network")
    create["id"] = "1571537152999"
    await teams.post(create)

    with container.uow() as uow:
        community = uow.session.scalars(select(Community)).one()
        assert community.name == "km-network"
        assert uow.session.scalars(select(HeldCapture)).all() == []


async def test_added_to_a_team_the_bot_offers_to_make_the_channel_a_community(
    teams: Teams,
) -> None:
    body = recorded(TEAM_MEMBER_ADDED)
    body["membersAdded"] = [{"id": body["recipient"]["id"]}]

    await teams.post(body)

    cards = sent_cards(teams.connector.activities)
    offer = next(c for c in cards if "is not part of a community yet" in str(c))
    assert set(submits(offer)) >= {"Bind to an existing community"}
    assert any(t.startswith("Make ") for t in submits(offer))
