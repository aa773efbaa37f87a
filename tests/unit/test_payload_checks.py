"""The payload checks themselves: a malformed payload must fail a test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.payload_checks import (
    InvalidPayload,
    assert_valid_blocks,
    assert_valid_card,
    assert_valid_slack_message,
    assert_valid_view,
)


def _section(text: str = "Hello") -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": action_id}


def test_good_blocks_pass() -> None:
    assert_valid_slack_message(
        {"text": "hi", "blocks": [_section(), {"type": "actions", "elements": [_button("a")]}]}
    )


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "sectoin", "text": {"type": "mrkdwn", "text": "x"}}],  # unknown type
        [{**_section(), "colour": "red"}],  # unknown key
        [_section("x" * 3001)],  # section text limit
        [_section()] * 51,  # message block limit
        [{"type": "actions", "elements": [_button("a"), _button("a")]}],  # repeated action id
        [
            {"type": "actions", "elements": [_button("a")]},
            {"type": "actions", "elements": [_button("a")]},
        ],
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
    ],
)
def test_bad_blocks_fail(blocks: list[dict[str, Any]]) -> None:
    with pytest.raises(InvalidPayload):
        assert_valid_blocks(blocks)


def test_views_take_a_hundred_blocks_and_no_more() -> None:
    title = {"type": "plain_text", "text": "Idea"}
    assert_valid_view({"type": "modal", "title": title, "blocks": [_section()] * 100})
    with pytest.raises(InvalidPayload):
        assert_valid_view({"type": "home", "blocks": [_section()] * 101})
    with pytest.raises(InvalidPayload):
        assert_valid_view(
            {
                "type": "modal",
                "title": {"type": "plain_text", "text": "t" * 25},
                "blocks": [_section()],
            }
        )


def test_cards_are_checked_against_the_schema() -> None:
    good = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "Hi", "wrap": True}],
        "actions": [{"type": "Action.Submit", "title": "Go", "data": {"x": 1}}],
    }
    assert_valid_card(good)
    for bad in (
        {**good, "body": [{"type": "TextBlok", "text": "Hi"}]},
        {**good, "body": [{"type": "TextBlock", "text": "Hi", "size": "Huge"}]},
        {**good, "actions": [{"type": "Action.Submit", "title": "Go", "style": "danger"}]},
        {**good, "body": [{"type": "TextBlock", "text": "x" * 30_000}]},
    ):
        with pytest.raises(InvalidPayload):
            assert_valid_card(bad)
