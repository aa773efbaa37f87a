"""The import's review list through the real Slack endpoint (signed requests): focal points
see past messages that read like ideas or questions in App Home, read from Slack (no text
stored), and one click saves one with its original author, date and permalink."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import select

from bot.i18n import formats
from bot.importing.export import SlackExport
from bot.importing.run import Options, run_import
from storage.models import (
    Account,
    HelpRequest,
    Idea,
    ImportCandidate,
    KnowledgeDoc,
    StageChange,
)
from tests.conftest import NOW
from tests.importing.conftest import FIXTURE
from tests.platform.slack.conftest import TEAM, Harness

GENERAL = "C061A2UGJ"
ASKED_TS = "1442764126.000012"  # ed goodwin, 2015-09-20: "Anybody have a good timeline ..."
ASKED = "Anybody have a good timeline visualization"


def _import(harness: Harness) -> None:
    with SlackExport(FIXTURE) as export:
        run_import(
            harness.container.uow,
            harness.container.settings,
            export,
            Options(workspace=TEAM),
            now=NOW,
        )
    # Slack still holds the channel's history; the bot reads it from there.
    for day_file in (FIXTURE / "general").glob("*.json"):
        for message in json.loads(day_file.read_text()):
            harness.slack.add_message(GENERAL, message)


def _message(ts: str) -> dict[str, Any]:
    """The message posted at ``ts`` in #general, as the export holds it."""
    for day_file in (FIXTURE / "general").glob("*.json"):
        for message in json.loads(day_file.read_text()):
            if message.get("ts") == ts:
                found: dict[str, Any] = message
                return found
    raise AssertionError(f"no message at {ts} in #general")


async def _home(harness: Harness, user: str) -> dict[str, Any]:
    event = harness.event_payload(
        "event_callback.app_mention", type="app_home_opened", user=user, channel="D1", tab="home"
    )
    event["event"].pop("text", None)
    await harness.event(event)
    calls = [c for c in harness.posted("views.publish") if c.params["user_id"] == user]
    view: dict[str, Any] = calls[-1].params["view"]
    View(**view).validate_json()
    for block in view["blocks"]:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    return view


def _buttons(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (re.sub(r":\d+$", "", e["action_id"]), e.get("value", ""))
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def _home_click(harness: Harness, action: str, value: str, user: str) -> dict[str, Any]:
    payload = harness.click_payload(action, value, user=user)
    payload.pop("channel")
    payload.pop("response_url")
    payload["container"] = {"type": "view", "view_id": "V1"}
    payload["view"] = {"id": "V1", "type": "home", "team_id": TEAM}
    return payload


def _candidate(harness: Harness, ts: str) -> ImportCandidate:
    with harness.container.uow() as uow:
        found = uow.session.scalar(select(ImportCandidate).where(ImportCandidate.ts == ts))
        assert found is not None
        uow.session.expunge(found)
        return found


async def test_focal_points_review_past_messages_and_one_click_saves_one(
    community: Harness,
) -> None:
    _import(community)
    community.setup("UCORA", "focal add @UBO general")
    asked = _candidate(community, ASKED_TS)

    bo = await _home(community, "UBO")
    ana = await _home(community, "UANA")

    text = json.dumps(bo, ensure_ascii=False)
    assert "Past messages to review" in text and ASKED in text
    posted = formats.medium_day(datetime(2015, 9, 20, tzinfo=UTC))  # 20 Sept 2015
    assert f"ed goodwin · {posted} · general · reads like a question" in text
    assert ("cop:review_request", str(asked.id)) in _buttons(bo)
    assert ("cop:review_dismiss", str(asked.id)) in _buttons(bo)
    assert "Past messages to review" not in json.dumps(ana)  # not a focal point
    with community.container.engine.connect() as conn:  # the text was never stored
        rows = conn.exec_driver_sql("SELECT * FROM import_candidates").all()
    assert ASKED not in repr(rows)

    # Ana forges the click: refused on the server, nothing saved, nothing read for her.
    reads = len(community.slack.calls_to("conversations.history"))
    await community.interact(_home_click(community, "review_request", str(asked.id), "UANA"))
    assert len(community.slack.calls_to("conversations.history")) == reads
    with community.container.uow() as uow:
        assert uow.session.scalars(select(HelpRequest)).all() == []

    await community.interact(_home_click(community, "review_request", str(asked.id), "UBO"))

    with community.container.uow() as uow:
        [request] = uow.session.scalars(select(HelpRequest)).all()
        author = uow.session.scalar(
            select(Account.user_id).where(Account.person_id == request.requester_id)
        )
        bo_person = uow.session.scalar(select(Account.person_id).where(Account.user_id == "UBO"))
        assert request.question.startswith(ASKED)
        assert author == "U07P7LT9S"  # the original author, not the person who clicked
        assert request.captured_by == bo_person
        assert request.created_at == datetime.fromtimestamp(float(ASKED_TS), UTC)
        assert request.permalink == (
            f"https://test-domain.slack.com/archives/{GENERAL}/p{ASKED_TS.replace('.', '')}"
        )
        assert (request.source_channel, request.source_ts) == (GENERAL, ASKED_TS)
        indexed = uow.session.scalar(  # found by search like any request
            select(KnowledgeDoc.text).where(
                KnowledgeDoc.kind == "request", KnowledgeDoc.item_id == request.id
            )
        )
        assert indexed and ASKED in indexed
    assert _candidate(community, ASKED_TS).status == "captured"
    refreshed = await _home(community, "UBO")
    assert ("cop:review_request", str(asked.id)) not in _buttons(refreshed)

    # A second click (a stale home) saves nothing twice.
    await community.interact(_home_click(community, "review_request", str(asked.id), "UBO"))
    with community.container.uow() as uow:
        assert len(uow.session.scalars(select(HelpRequest)).all()) == 1
    assert "already reviewed" in json.dumps([c.params for c in community.posted()])


async def test_dismissing_drops_a_message_and_nothing_is_saved_without_a_click(
    community: Harness,
) -> None:
    _import(community)
    community.setup("UCORA", "focal add @UBO general")
    candidates = [
        c for c in (_candidate(community, ts) for ts in (ASKED_TS,)) if c.status == "pending"
    ]

    await _home(community, "UBO")
    await community.interact(_home_click(community, "review_dismiss", str(candidates[0].id), "UBO"))

    assert _candidate(community, ASKED_TS).status == "dismissed"
    with community.container.uow() as uow:
        assert uow.session.scalars(select(HelpRequest)).all() == []
        assert uow.session.scalars(select(Idea)).all() == []
    assert ("cop:review_request", str(candidates[0].id)) not in _buttons(
        await _home(community, "UBO")
    )


async def test_save_as_idea_keeps_the_original_date_in_its_stage_history(
    community: Harness,
) -> None:
    _import(community)
    with community.container.uow() as uow:  # the bot reads #general's history from Slack
        idea_ts = uow.session.scalar(
            select(ImportCandidate.ts)
            .where(ImportCandidate.kind == "idea", ImportCandidate.channel_id == GENERAL)
            .order_by(ImportCandidate.ts)
        )
    assert idea_ts is not None
    original = _message(idea_ts)
    candidate = _candidate(community, idea_ts)

    await _home(community, "UCORA")  # a coordinator reviews every community
    await community.interact(_home_click(community, "review_idea", str(candidate.id), "UCORA"))

    posted = datetime.fromtimestamp(float(idea_ts), UTC)
    with community.container.uow() as uow:
        [idea] = uow.session.scalars(select(Idea)).all()
        steps = uow.session.scalars(select(StageChange).where(StageChange.idea_id == idea.id))
        author = uow.session.scalar(
            select(Account.user_id).where(Account.person_id == idea.author_id)
        )
        assert (idea.created_at, idea.stage, idea.source_ts) == (posted, "proposed", idea_ts)
        assert [(s.to_stage, s.at) for s in steps] == [("proposed", posted)]
        assert author == original["user"] and idea.champion_id == idea.author_id
        ref = idea.ref
        indexed = uow.session.scalar(  # found by search like any idea
            select(KnowledgeDoc.text).where(
                KnowledgeDoc.kind == "idea", KnowledgeDoc.item_id == idea.id
            )
        )
        assert indexed and idea.title in indexed
    assert _candidate(community, idea_ts).item_ref == ref
    dm = [c.params["text"] for c in community.posted() if c.params["channel"] == original["user"]]
    assert any(f"saved your message of {formats.day(posted)} as idea" in text for text in dm)


async def test_no_review_section_when_nothing_was_imported(community: Harness) -> None:
    cora = await _home(community, "UCORA")  # a coordinator, with nothing to review
    assert "Past messages to review" not in json.dumps(cora)
