"""Buttons that sit in one row, and clicks that update the message they came from."""

from __future__ import annotations

from typing import Any

from tests.platform.slack.conftest import Harness


def _rows(blocks: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    return [
        [(e["action_id"], e.get("value", "")) for e in b["elements"]]
        for b in blocks
        if b["type"] == "actions"
    ]


async def _home(harness: Harness, user: str) -> dict[str, Any]:
    event = harness.event_payload(
        "event_callback.app_mention", type="app_home_opened", user=user, channel="D1", tab="home"
    )
    event["event"].pop("text", None)
    await harness.event(event)
    view: dict[str, Any] = harness.posted("views.publish")[-1].params["view"]
    return view


async def test_sibling_buttons_share_a_row_each_with_its_own_action_id(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")
    community.setup("UCORA", "advance I-1 pilot Two units volunteered")

    home = await _home(community, "UCORA")

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
