"""Buttons that sit in one row, and clicks that update the message they came from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.clock import utcnow
from digests.pulse import build as pulse_build
from handlers.slack.render import render_blocks
from storage.models import PulseQuestion, PulseResponse
from tests.platform.slack.conftest import Harness


def _rows(blocks: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    return [
        [(e["action_id"], e.get("value", "")) for e in b["elements"]]
        for b in blocks
        if b["type"] == "actions"
    ]


async def test_sibling_buttons_share_a_row_each_with_its_own_action_id(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")
    community.setup("UCORA", "advance I-1 pilot Two units volunteered")

    home = await community.open_home("UCORA")

    rows = _rows(home["blocks"])
    assert rows[0] == [
        ("cop:form:1", "idea"),
        ("cop:form:2", "request"),
        ("cop:form:3", "feedback"),
    ]
    [rating] = [row for row in rows if any(v.endswith(" high") for _, v in row)]
    assert [v for _, v in rating] == ["I-1 low", "I-1 medium", "I-1 high"]
    ids = [a for row in rows for a, _ in row]
    assert len(ids) == len(set(ids))

    # The numbered id still reaches the button's listener: "Ask the community" opens its form.
    click = community.click_payload("form", "request", user="UCORA")
    click["actions"][0]["action_id"] = "cop:form:2"
    click["view"] = {"type": "home", "id": "V1"}
    await community.interact(click)
    [opened] = community.posted("views.open")
    assert opened.params["view"]["callback_id"] == "cop:form:request"


SOURCE_TS = "1700000000.000100"


def _click_on(
    harness: Harness, post: dict[str, Any], action: str, value: str, *, user: str
) -> dict[str, Any]:
    """A click on the button ``action``/``value`` of the posted message ``post``."""
    [button] = [
        e
        for b in post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(f"cop:{action}:") and e.get("value") == value
    ]
    payload = harness.click_payload(action, value, user=user)
    payload["actions"][0]["action_id"] = button["action_id"]
    payload["container"]["message_ts"] = SOURCE_TS
    payload["message"] = {"type": "message", "ts": SOURCE_TS, "blocks": post["blocks"]}
    return payload


def _labels(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_a_vote_updates_the_message_it_came_from(community: Harness) -> None:
    await community.command("idea Paperless travel claims", user="UANA")
    [post] = [c.params for c in community.posted()]

    await community.interact(_click_on(community, post, "vote", "I-1", user="UBO"))

    [update] = community.posted("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("C111", SOURCE_TS)
    assert "Voted ✓ 1 vote" in _labels(update.params["blocks"])
    assert "counted (1 in all)" in community.responses()[-1]["text"]  # the voter's own answer


async def test_move_to_a_stage_answers_in_the_thread_and_updates_the_source(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims")
    await community.command("show I-1", user="UANA")  # the champion sees "Move to development"
    shown = community.responses()[-1]
    payload = _click_on(community, shown, "advance", "I-1 development", user="UANA")
    payload["container"]["is_ephemeral"] = True

    await community.interact(payload)

    [moved] = [c.params for c in community.posted() if "moved to" in c.params["text"]]
    assert moved.get("thread_ts") in (None, "")  # an ephemeral source has no thread
    replaced = [r for r in community.responses() if r.get("replace_original")]
    assert replaced and "Moved to development ✓" in _labels(replaced[-1]["blocks"])


async def test_a_click_on_a_channel_message_posts_in_its_thread(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")
    await community.command("idea Another one", user="UANA")
    post = {
        "blocks": [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Move to development"},
                        "action_id": "cop:advance:1",
                        "value": "I-1 development",
                    }
                ],
            }
        ]
    }

    await community.interact(_click_on(community, post, "advance", "I-1 development", user="UANA"))

    [moved] = [c.params for c in community.posted() if "moved to" in c.params["text"]]
    assert moved["thread_ts"] == SOURCE_TS
    [update] = community.posted("chat.update")
    assert _labels(update.params["blocks"]) == ["Moved to development ✓"]


async def test_pulse_clicks_mark_the_answer_in_place_and_can_change_it(
    community: Harness,
) -> None:
    with community.container.uow() as uow:
        uow.session.add(
            PulseQuestion(community_id=1, period="2026-11", question="How is it?", sent_at=utcnow())
        )
        uow.commit()
    post = render_blocks(pulse_build([(1, "design-thinking", "How is it?")]))

    await community.interact(_click_on(community, post, "pulse", "1:4", user="UBO"))
    first = community.posted("chat.update")[-1].params["blocks"]
    await community.interact(_click_on(community, {"blocks": first}, "pulse", "1:2", user="UBO"))
    second = community.posted("chat.update")[-1].params["blocks"]

    assert _labels(first) == ["1", "2", "3", "4 ✓", "5"]
    assert _labels(second) == ["1", "2 ✓", "3", "4", "5"]
    with community.container.uow() as uow:
        assert uow.session.scalars(select(PulseResponse.score)).all() == [2]
