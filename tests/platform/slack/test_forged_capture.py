"""A capture button's value is only a hint: the channel comes from what Slack signs (the
click's container), and the clicker must be able to see the message. Through the real
endpoint, with signed clicks whose values were tampered with."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import HelpRequest, Idea
from tests.platform.slack.conftest import CHANNEL, Harness

SECRET_CHANNEL = "G999"
SECRET_TS = "1700000999.000100"


def _count(harness: Harness) -> int:
    with harness.container.uow() as uow:
        ideas = uow.session.scalar(select(func.count(Idea.id))) or 0
        requests = uow.session.scalar(select(func.count(HelpRequest.id))) or 0
        return int(ideas + requests)


def _private_message_exists(harness: Harness) -> None:
    harness.slack.add_channel(SECRET_CHANNEL, "board-only", is_private=True)
    harness.slack.members[SECRET_CHANNEL] = ["UCORA", harness.slack.bot_user_id]
    message = {
        "type": "message",
        "user": "UCORA",
        "text": "Salary review: cut 10%",
        "ts": SECRET_TS,
    }
    harness.slack.set_response("conversations.history", {"messages": [message]})


async def test_a_click_naming_another_channel_reads_nothing(community: Harness) -> None:
    _private_message_exists(community)

    for action in ("capture_idea", "capture_request"):
        kind = action.removeprefix("capture_")
        await community.click(action, f"{kind} {SECRET_CHANNEL} {SECRET_TS}", user="UANA")

    assert community.posted("conversations.history") == []
    assert community.posted("conversations.replies") == []
    assert _count(community) == 0
    assert "Salary review" not in community.everything_sent()
    assert all("only save a message from this channel" in r["text"] for r in community.responses())


async def test_a_click_from_a_channel_the_clicker_is_not_in_reads_nothing(
    community: Harness,
) -> None:
    _private_message_exists(community)

    await community.click(
        "capture_idea", f"idea {SECRET_CHANNEL} {SECRET_TS}", user="UANA", channel=SECRET_CHANNEL
    )

    assert community.posted("conversations.history") == []
    assert _count(community) == 0
    assert "Salary review" not in community.everything_sent()


async def test_a_member_clicking_in_the_channel_still_saves(community: Harness) -> None:
    _private_message_exists(community)

    await community.click(
        "capture_idea", f"idea {SECRET_CHANNEL} {SECRET_TS}", user="UCORA", channel=SECRET_CHANNEL
    )

    assert _count(community) == 1
    [members_call] = community.posted("conversations.members")
    assert members_call.params["channel"] == SECRET_CHANNEL


async def test_the_prompt_in_this_channel_keeps_working(community: Harness) -> None:
    message = {"type": "message", "user": "UBO", "text": "Shared calendar", "ts": SECRET_TS}
    community.slack.set_response("conversations.history", {"messages": [message]})

    await community.click("capture_idea", f"idea {CHANNEL} {SECRET_TS}", user="UANA")

    assert _count(community) == 1
