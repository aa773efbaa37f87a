"""Search and similar ideas through the real Slack endpoint (signed requests)."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy import select

from handlers.slack.listeners.actions import ACTION_ID
from storage.models import Idea, Vote
from tests.platform.slack.conftest import CHANNEL, Harness


def _action_ids(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(action id without its position, value) of every button; each id is one the button
    listener matches (``cop:<action>:<n>``)."""
    found = []
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                assert ACTION_ID.match(str(element["action_id"]))
                found.append((re.sub(r":\d+$", "", element["action_id"]), str(element["value"])))
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            found.append((str(accessory["action_id"]), str(accessory["value"])))
    return found


def _valid(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()


async def test_slack_search_command(community: Harness) -> None:
    community.setup("UANA", "idea Mentoring circles for new staff")
    community.setup("UBO", "idea Paperless travel claims")

    await community.command("search mentoring", user="UBO")
    await community.command("search mentorat pour les nouveaux", user="UBO")

    words, french = community.responses()
    assert "I-1" in str(words) and "Mentoring circles" in str(words)
    assert "Paperless" not in str(words)
    assert "I-1" in str(french)
    _valid(words["blocks"])
    assert community.posted() == []  # search answers only the person who asked


async def test_slack_similar_idea_support_instead(community: Harness) -> None:
    community.setup("UANA", "idea Mentoring circles for new staff")

    await community.command("idea Peer coaching groups for newcomers", user="UBO")

    [reply] = community.responses()
    assert community.posted() == []  # only the author sees it until they decide
    assert "Similar ideas already exist" in str(reply)
    _valid(reply["blocks"])
    buttons = _action_ids(reply["blocks"])
    assert ("cop:support", "I-1 I-2") in buttons and ("cop:keep", "I-2") in buttons

    await community.click("support", "I-1 I-2", user="UBO")

    with community.container.uow() as uow:
        assert uow.session.get(Idea, 2) is None
        [vote] = uow.session.scalars(select(Vote)).all()
        assert vote.idea_id == 1
    assert "I-2 was withdrawn" in str(community.responses()[-1])
    dms = {c.params["channel"]: c.params["text"] for c in community.posted()}
    assert "supports your idea I-1" in dms["UANA"]


async def test_slack_keep_mine_posts_the_idea_to_the_channel(community: Harness) -> None:
    community.setup("UANA", "idea Mentoring circles for new staff")
    await community.command("idea Peer coaching groups for newcomers", user="UBO")

    await community.click("keep", "I-2", user="UBO")

    [post] = community.posted()
    assert post.params["channel"] == CHANNEL
    assert "Idea I-2 saved" in post.params["text"]


async def test_app_home_search_shows_results_in_the_home_tab(community: Harness) -> None:
    community.setup("UANA", "idea Mentoring circles for new staff")
    payload = community.click_payload("x", "", user="UBO")
    payload["container"] = {"type": "view", "view_id": "V1"}
    payload["view"] = {"id": "V1", "type": "home", "blocks": []}
    payload["actions"] = [
        {
            "action_id": "cop_home_search",
            "block_id": "cop_home_search",
            "type": "plain_text_input",
            "value": "peer coaching for newcomers",
            "action_ts": "1700000000.000300",
        }
    ]

    response = await community.interact(payload)

    assert response.status == 200
    [call] = [c for c in community.posted("views.publish") if c.params["user_id"] == "UBO"]
    view = call.params["view"]
    _valid(view["blocks"])
    assert [b.get("block_id") for b in view["blocks"]].count("cop_home_search") == 1
    assert "I-1" in str(view) and "Mentoring circles" in str(view)
