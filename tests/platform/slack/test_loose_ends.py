"""Handover tells the new champion; stalled-idea nudges offer the next stage; items captured
by command link back to their conversation, and digests link to it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.clock import utcnow
from digests import community_digest, nudges
from handlers.slack.render import render_blocks
from storage.models import Idea
from tests.platform.slack.conftest import Harness


def _dms_to(harness: Harness, user: str) -> list[str]:
    return [c.params["text"] for c in harness.posted() if c.params["channel"] == user]


async def test_handover_tells_the_new_champion(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.command("handover I-1 <@UBO>", user="UANA")

    [note] = _dms_to(community, "UBO")
    assert "made you the champion of I-1" in note
    assert "advance I-1 development" in note


async def test_a_stalled_idea_nudge_offers_the_next_stage_which_a_click_takes(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims", days_ago=60)
    community.setup("UANA", "advance I-1 development", days_ago=40)
    with community.container.uow() as uow:
        uow.session.execute(update(Idea).values(stage_changed_at=utcnow() - timedelta(days=40)))
        uow.commit()

    report = nudges.run(community.container, now=_working_hours())
    [message] = [m for m in report.outgoing if m.address.user == "UANA"]
    [button] = message.reply.sections[0].items[0].buttons
    assert (button.label, button.action, button.value) == ("Move to pilot", "advance", "I-1 pilot")

    await community.click(button.action, button.value, user="UANA")
    with community.container.uow() as uow:
        assert uow.session.scalar(select(Idea.stage)) == "pilot"


def _working_hours() -> datetime:
    now = utcnow()
    while now.weekday() > 4:
        now += timedelta(days=1)
    return now.replace(hour=11, minute=0)  # Europe/Zurich 12:00 or 13:00


async def test_an_idea_captured_by_command_links_to_its_post_and_the_digest_links_it(
    community: Harness,
) -> None:
    await community.command("idea Paperless travel claims", user="UANA")

    with community.container.uow() as uow:
        permalink = uow.session.scalar(select(Idea.permalink))
    assert permalink and permalink.startswith("https://test-domain.slack.com/archives/C111/p")
    digest = community_digest.run(
        community.container, now=utcnow(), community="design-thinking", force=True, dry_run=True
    )
    [message] = digest.outgoing
    [item] = [i for s in message.reply.sections for i in s.items if i.ref == "I-1"]
    assert item.link == permalink
    assert f"<{permalink}|source>" in json.dumps(render_blocks(message.reply))
