"""A Teams channel that is not part of a community yet, through the real /api/messages: a
capture there is held with the same offer as on Slack and in the console, a click on the
offer binds the channel and brings the held items along, and the bot offers the same when
it is added to a team."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.settings import Settings
from storage.models import Community, HeldCapture, Idea
from tests.platform.teams.conftest import Teams
from tests.platform.teams.flows import sent_cards, submits
from tests.platform.teams.wire import (
    APP_ID,
    APP_PASSWORD,
    CARD_SUBMIT,
    MENTION,
    USER_ONE_EMAIL,
    recorded,
    with_text,
)

TEAM_MEMBER_ADDED = "20191019181214767"


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(
        microsoft_app_id=APP_ID,
        microsoft_app_password=APP_PASSWORD,
        copbot_coordinators=[USER_ONE_EMAIL],
    )


async def test_a_capture_is_held_and_a_click_makes_the_channel_a_community(
    teams: Teams, container: Container
) -> None:
    mention = with_text(recorded(MENTION), "idea Mentoring circles")

    await teams.post(mention)

    [card] = sent_cards(teams.connector.activities)
    assert "I-1 is held for" in str(card)
    offer = submits(card)
    make = next(data for title, data in offer.items() if title.startswith("Make "))
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
        assert idea.community_id is not None
        assert uow.session.get(Community, idea.community_id) is not None
        assert uow.session.scalars(select(HeldCapture)).all() == []
    assert any(
        "I-1 joined it from this channel" in str(c) for c in sent_cards(teams.connector.activities)
    )


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
