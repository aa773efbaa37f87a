"""The Slack app manifest in the repository matches what the code listens for."""

from __future__ import annotations

import re
from pathlib import Path

from handlers.slack.listeners.shortcuts import MESSAGE_SHORTCUTS, NEW_IDEA
from handlers.slack.stores import BOT_SCOPES

MANIFEST = Path(__file__).resolve().parents[3] / "slack-app-manifest.yaml"


def _list(text: str, key: str) -> list[str]:
    """The ``- item`` lines under ``key:`` (the manifest is plain YAML; no parser needed)."""
    block = re.search(rf"\n(\s*){key}:\n((?:\1\s+- .+\n)+)", text)
    assert block is not None, key
    return [line.strip()[2:] for line in block.group(2).splitlines()]


def test_the_manifest_matches_the_listeners_and_scopes() -> None:
    text = MANIFEST.read_text()

    assert sorted(_list(text, "bot")) == sorted(BOT_SCOPES)
    assert set(_list(text, "bot_events")) >= {
        "app_mention",
        "message.channels",
        "message.groups",
        "reaction_added",
        "app_home_opened",
        "member_joined_channel",
    }
    callback_ids = set(re.findall(r"callback_id: (\S+)", text))
    assert callback_ids == {*MESSAGE_SHORTCUTS, NEW_IDEA}
    assert "command: /cop\n" in text
    assert "should_escape: true" in text
    urls = re.findall(r"(?:url|request_url|message_menu_options_url): (\S+)", text)
    assert urls and all(u.endswith("/slack/events") for u in urls)
    assert "socket_mode_enabled: false" in text
