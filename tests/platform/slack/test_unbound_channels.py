"""A channel that is not part of a community yet, through the real endpoint: a capture there
is held and the person is told where it went and offered to make the channel a community or
bind it to an existing one; invited to such a channel, the bot offers the same."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Community, HeldCapture, Idea
from tests.payload_checks import assert_valid_slack_message
from tests.platform.slack.conftest import TEAM, Harness

ROOM = "C222"


def _ideas(harness: Harness) -> list[tuple[str, str | None]]:
    with harness.container.uow() as uow:
        rows = uow.session.scalars(select(Idea).order_by(Idea.id)).all()
        return [
            (i.title, uow.session.get(Community, i.community_id).name if i.community_id else None)  # type: ignore[union-attr]
            for i in rows
        ]


def _held(harness: Harness) -> int:
    with harness.container.uow() as uow:
        return len(uow.session.scalars(select(HeldCapture)).all())


def _buttons(params: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in params.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found[element["text"]["text"]] = element.get("value", "")
    return found


async def test_a_capture_in_an_unbound_channel_is_held_and_the_person_is_told(
    harness: Harness,
) -> None:
    harness.slack.add_channel(ROOM, "km-network")

    await harness.command("idea Mentoring circles", channel=ROOM, channel_name="km-network")

    [post] = harness.posted()
    assert_valid_slack_message(post.params)
    assert post.params["channel"] == ROOM
    assert "I-1 is held for #km-network" in json_text(post.params)
    buttons = _buttons(post.params)
    assert "Make #km-network a community" in buttons
    assert "Bind to an existing community" in buttons
    assert _ideas(harness) == [("Mentoring circles", None)]
    assert _held(harness) == 1


async def test_making_the_channel_a_community_brings_its_held_items_along(
    harness: Harness,
) -> None:
    harness.slack.add_channel(ROOM, "km-network")
    await harness.command("idea Mentoring circles", channel=ROOM, channel_name="km-network")
    [post] = harness.posted()
    value = _buttons(post.params)["Make #km-network a community"]
    harness.slack.reset()

    await harness.click("community", value, user="UANA", channel=ROOM)  # a member: refused
    assert "coordinator" in json_text(harness.responses()[-1]).lower()
    await harness.click("community", value, user="UCORA", channel=ROOM)

    # named after the channel as the click reports it (the recorded click names it so)
    assert _ideas(harness) == [("Mentoring circles", "design-thinking")]
    assert _held(harness) == 0
    [said] = [p for p in harness.posted() if "now part of" in p.params["text"]]
    assert_valid_slack_message(said.params)
    assert "I-1 joined it from this channel" in said.params["text"]


async def test_binding_to_an_existing_community_from_the_list(community: Harness) -> None:
    community.slack.add_channel(ROOM, "km-network")
    await community.command("ask Who has a survey template?", channel=ROOM)
    community.slack.reset()

    await community.click("community", "list", user="UCORA", channel=ROOM)
    [listing] = community.responses()
    assert_valid_slack_message(listing)
    choices = _buttons(listing)
    assert choices == {"Bind this channel here": "bind design-thinking"}
    await community.click(
        "community", choices["Bind this channel here"], channel=ROOM, user="UCORA"
    )

    with community.container.uow() as uow:
        from storage.models import HelpRequest

        [request] = uow.session.scalars(select(HelpRequest)).all()
        assert uow.session.get(Community, request.community_id).name == "design-thinking"  # type: ignore[union-attr]


async def test_invited_to_an_unbound_channel_the_bot_offers_to_make_it_a_community(
    harness: Harness,
) -> None:
    harness.slack.add_channel(ROOM, "km-network")
    payload = harness.event_payload("event_callback.message")
    payload["event"] = {
        "type": "member_joined_channel",
        "user": harness.slack.bot_user_id,
        "channel": ROOM,
        "channel_type": "C",
        "team": TEAM,
        "inviter": "UANA",
        "event_ts": "1700000000.000300",
    }

    await harness.event(payload)
    await harness.event(payload, retry=1)  # Slack's retry posts nothing twice

    [post] = harness.posted()
    assert_valid_slack_message(post.params)
    assert post.params["channel"] == ROOM
    assert "#km-network is not part of a community yet" in post.params["text"]
    assert set(_buttons(post.params)) == {
        "Make #km-network a community",
        "Bind to an existing community",
    }


async def test_invited_to_a_bound_channel_the_bot_stays_quiet(community: Harness) -> None:
    payload = community.event_payload("event_callback.message")
    payload["event"] = {
        "type": "member_joined_channel",
        "user": community.slack.bot_user_id,
        "channel": "C111",
        "channel_type": "C",
        "team": TEAM,
    }

    await community.event(payload)

    assert community.posted() == []


def json_text(params: Any) -> str:
    import json

    return json.dumps(params, ensure_ascii=False)
