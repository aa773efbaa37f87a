"""A busy week's digest on Teams: every item in cards under the size limit, the rest threaded."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.ports import Address
from bot.settings import Settings
from digests import community_digest
from digests.dispatcher import Dispatcher
from digests.outbox import enqueue_all
from handlers.teams.notifier import TeamsNotifier
from storage.models import OutboxMessage
from tests.conftest import NOW, Say
from tests.fakes.bot_connector import FakeBotConnector
from tests.jobs.conftest import play
from tests.platform.teams.test_notifier import store
from tests.platform.teams.wire import CHANNEL, TENANT, StaticCredentials

LATER = NOW + timedelta(hours=3)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The busy week is played on the console, where Cora is named by what she types."""
    return settings.model_copy(update={"copbot_coordinators": ["aad-cora", "cora"]})


BUSY = [
    ("cora", "community create design-thinking"),
    *[("ana", f"idea Busy week idea number {n} about shared services") for n in range(1, 61)],
    *[("bo", f"ask Who can help with question {n} on procurement?") for n in range(1, 31)],
    *[("cora", f'event add "Clinic {n}" 2026-11-25 workshop') for n in range(1, 21)],
]


def test_a_busy_digest_fits_teams_cards_and_continues_in_the_thread(
    say: Say, container: Container, connector: FakeBotConnector
) -> None:
    play(say, BUSY)
    store(
        container, connector, f"channel:{CHANNEL}", {"id": CHANNEL, "conversationType": "channel"}
    )
    teams = Address("teams", TENANT, channel=CHANNEL)
    report = community_digest.run(
        container, now=LATER, community="design-thinking", force=True, dry_run=True
    )
    parts = [replace(m, address=teams) for m in report.outgoing]
    assert len(parts) > 1 and parts[1].meta == {"thread_of": parts[0].key}
    assert enqueue_all(container.uow(), parts, now=LATER) == len(parts)
    container.notifiers.register(
        "teams",
        TeamsNotifier(uow=container.uow, credentials=StaticCredentials(), clock=lambda: NOW),
    )

    sent = Dispatcher(container.uow, container.notifiers, sleep=lambda s: None).run_once(now=LATER)

    assert sent.sent == len(parts)
    create, *replies = connector.calls
    assert create.operation == "create_conversation"
    root = create.json  # the first post starts the thread; the rest answer in it
    assert {c.operation for c in replies} == {"send_to_conversation"}
    with container.uow() as uow:
        root_id = uow.session.scalar(
            select(OutboxMessage.platform_ref).where(OutboxMessage.key == parts[0].key)
        )
    assert {c.conversation_id for c in replies} == {f"{CHANNEL};messageid={root_id}"}
    cards = [root["activity"], *(c.json for c in replies)]
    sizes = [len(json.dumps(a, ensure_ascii=False).encode()) for a in cards]
    assert max(sizes) < 28_000
    text = json.dumps(cards)
    found = set(re.findall(r"\b[IRE]-\d+\b", text))
    wanted = {f"I-{n}" for n in range(1, 61)} | {f"R-{n}" for n in range(1, 31)}
    assert wanted | {f"E-{n}" for n in range(1, 21)} <= found
    assert "not shown" not in text
