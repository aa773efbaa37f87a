"""A busy week's digest on Slack: every item, most important first, the rest in the thread."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from bot.clock import utcnow
from digests import community_digest
from digests.dispatcher import Dispatcher
from tests.platform.slack.conftest import Harness


def busy_week(harness: Harness, *, ideas: int = 60, requests: int = 30, events: int = 20) -> None:
    for n in range(1, ideas + 1):
        harness.setup("UANA", f"idea Busy week idea number {n} about shared services", days_ago=2)
    for n in range(1, requests + 1):
        harness.setup("UBO", f"ask Who can help with question {n} on procurement?", days_ago=2)
    day = (utcnow() + timedelta(days=3)).date().isoformat()
    for n in range(1, events + 1):
        harness.setup("UCORA", f'event add "Clinic {n}" {day} workshop', days_ago=2)


def _refs(text: str) -> set[str]:
    return set(re.findall(r"\b[IRE]-\d+\b", text))


async def test_a_busy_digest_carries_every_item_in_threaded_parts_posted_once(
    community: Harness,
) -> None:
    busy_week(community)
    now = utcnow()

    report = community_digest.run(
        community.container, now=now, community="design-thinking", force=True
    )
    dispatcher = Dispatcher(
        community.container.uow, community.container.notifiers, sleep=lambda s: None
    )
    sent = dispatcher.run_once(now=now).sent
    again = community_digest.run(
        community.container, now=now, community="design-thinking", force=True
    )
    resent = dispatcher.run_once(now=now + timedelta(hours=1)).sent

    posts = [c.params for c in community.posted() if c.params.get("channel") == "C111"]
    assert sent == len(posts) == report.queued > 1
    assert again.queued == 0 and resent == 0
    first, *rest = posts
    assert "thread_ts" not in first or not first["thread_ts"]
    assert all(p["thread_ts"] for p in rest)  # continuations answer in the first post's thread
    assert "Continued in the thread" in json.dumps(first["blocks"])
    everything = json.dumps([p["blocks"] for p in posts])
    expected = {f"I-{n}" for n in range(1, 61)} | {f"R-{n}" for n in range(1, 31)}
    expected |= {f"E-{n}" for n in range(1, 21)}
    assert expected <= _refs(everything)  # nothing silently missing
    assert "not shown" not in everything
    headers = [b["text"]["text"] for b in first["blocks"] if b["type"] == "header"]
    assert headers == ["In short", "This week", "Still looking for help"]  # most urgent first
    assert len(first["blocks"]) <= 50 and all(len(p["blocks"]) <= 50 for p in rest)
    keys = [m.key for m in report.outgoing]
    assert keys[1] == f"{keys[0]}#2"
