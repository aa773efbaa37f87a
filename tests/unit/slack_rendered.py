"""The Slack renderers under test, wrapped so that every message and view they build is
checked as Slack would check it (``tests.payload_checks``: Block Kit models and Slack's
limits), and the check that no text in a rendered message can notify anyone; shared by the
rendering, escaping and modal tests."""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Form, Reply
from handlers.slack import modals, render
from tests.payload_checks import assert_valid_slack_message, assert_valid_view


def render_blocks(reply: Reply) -> dict[str, Any]:
    """The renderer under test, with every payload it builds checked as Slack would."""
    rendered = render.render_blocks(reply)
    assert_valid_slack_message(rendered)
    return rendered


def render_modal(form: Form, **kwargs: Any) -> dict[str, Any]:
    view = modals.render_modal(form, **kwargs)
    assert_valid_view(view)
    return view


BARE_MENTION = re.compile(r"@(?:here|channel|everyone|alice)", re.IGNORECASE)


def texts(value: Any) -> list[str]:
    """Every string that Slack renders as text (mrkdwn or plain_text) in a payload."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [t for k, v in value.items() if k != "text" for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def assert_harmless(rendered: dict[str, Any]) -> None:
    """No text in the rendered message can notify anyone (``<!here>``, a bare mention)."""
    for text in [*texts(rendered["blocks"]), rendered["text"]]:
        assert "<!" not in text and "<@" not in text and "<#" not in text
        assert re.search(r"<(?!https?://)", text) is None, text
        assert BARE_MENTION.search(text) is None, text
