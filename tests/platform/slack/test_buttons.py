"""Buttons: each click is a command by the person who clicked, checked on the server."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.clock import utcnow
from storage.models import (
    Attendance,
    HelpOffer,
    HelpRequest,
    Idea,
    PulseQuestion,
    PulseResponse,
    Vote,
)
from tests.platform.slack.conftest import Harness


def _idea(harness: Harness) -> tuple[str, str, int]:
    with harness.container.uow() as uow:
        idea = uow.session.get(Idea, 1)
        assert idea is not None
        return idea.stage, idea.scaling, idea.votes


def _answers(harness: Harness) -> list[str]:
    return [str(post["text"]) for post in harness.responses()]


def _buttons(blocks: list[dict[str, object]]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if block.get("type") == "actions":
            found += [  # the action, without the number that makes each button's id unique
                str(e["action_id"]).rsplit(":", 1)[0]
                for e in block["elements"]  # type: ignore[attr-defined]
            ]
    return found


async def test_vote_counts_once_per_person(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.click("vote", "I-1", user="UBO")
    await community.click("vote", "I-1", user="UBO")

    assert _idea(community)[2] == 1
    first, second = _answers(community)
    assert "your vote for I-1 is counted" in first
    assert "already voted" in second
    with community.container.uow() as uow:
        assert len(uow.session.scalars(select(Vote)).all()) == 1


async def test_offer_and_resolve_credit_the_helper(community: Harness) -> None:
    community.setup("UANA", "ask How do we run a good retrospective? #facilitation")

    await community.click("offer", "R-1", user="UBO")
    await community.click("resolve", "R-1", user="UANA")

    with community.container.uow() as uow:
        request = uow.session.get(HelpRequest, 1)
        assert request is not None and request.status == "resolved"
        assert len(uow.session.scalars(select(HelpOffer)).all()) == 1
    dms = {c.params["channel"]: c.params["text"] for c in community.posted()}
    assert "offered to help with R-1" in dms["UANA"]
    assert "credited for helping with R-1" in dms["UBO"]
    assert "R-1 resolved. Kudos to bo!" in dms["C111"]


async def test_a_members_forbidden_advance_is_refused_and_changes_nothing(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.click("advance", "I-1 development", user="UBO")

    assert _idea(community) == ("proposed", "unrated", 0)
    [refusal] = _answers(community)
    assert "Only the champion of I-1" in refusal
    assert community.posted() == []


async def test_the_champion_advances_and_the_channel_sees_no_stage_buttons(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.click("advance", "I-1 development", user="UANA")

    assert _idea(community)[0] == "development"
    [post] = community.posted()
    assert post.params["channel"] == "C111"
    assert _buttons(post.params["blocks"]) == ["cop:vote"]  # no "Move to pilot" for everyone


async def test_stage_buttons_are_shown_only_to_people_who_may_use_them(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.command("show I-1", user="UBO")
    await community.command("show I-1", user="UANA")
    await community.command("show I-1", user="UCORA")

    member, champion, coordinator = (_buttons(post["blocks"]) for post in community.responses())
    assert member == ["cop:vote"]
    assert champion == ["cop:vote", "cop:advance"]
    assert coordinator == ["cop:vote", "cop:advance"]


async def test_rating_needs_a_focal_point_or_coordinator(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.click("rate", "I-1 high", user="UANA")
    assert _idea(community)[1] == "unrated"
    await community.click("rate", "I-1 high", user="UCORA")
    assert _idea(community)[1] == "high"


async def test_attend_before_the_day_registers_the_person(community: Harness) -> None:
    community.setup("UCORA", 'event add "Design sprint workshop" 2030-11-20 workshop')

    await community.click("attend", "E-1", user="UBO")
    await community.click("attend", "E-1", user="UBO")

    with community.container.uow() as uow:
        assert len(uow.session.scalars(select(Attendance)).all()) == 1
    checked_in, again = _answers(community)
    assert "registered for E-1" in checked_in and "already registered" in again


async def test_a_second_pulse_click_changes_the_answer(community: Harness) -> None:
    with community.container.uow() as uow:
        uow.session.add(
            PulseQuestion(
                community_id=1,
                period="2026-11",
                question="How supported do you feel?",
                sent_at=utcnow(),
            )
        )
        uow.commit()

    await community.click("pulse", "1:4", user="UBO")
    await community.click("pulse", "1:2", user="UBO")
    await community.click("pulse", "1:9", user="UANA")

    with community.container.uow() as uow:
        scores = uow.session.scalars(select(PulseResponse.score)).all()
    assert scores == [2]
    recorded, changed, bad = _answers(community)
    assert "(4/5) is recorded" in recorded
    assert "Changed your answer from 4/5 to 2/5" in changed
    assert "Pulse answers go from 1 to 5, not 9." in bad


async def test_a_form_button_opens_the_modal(community: Harness) -> None:
    await community.click("form", "request", user="UANA")

    [opened] = community.posted("views.open")
    assert opened.params["view"]["callback_id"] == "cop:form:request"
    assert json.loads(opened.params["view"]["private_metadata"]) == {"channel": "C111"}


async def test_a_notice_quoting_formatted_words_is_not_wrapped_in_bold(community: Harness) -> None:
    community.setup("UANA", "ask Which font for *bold* headings_in_reports? ~maybe~")

    await community.click("offer", "R-1", user="UBO")

    (dm,) = [c.params for c in community.posted() if c.params["channel"] == "UANA"]
    headline = dm["blocks"][0]["text"]["text"]
    assert (
        headline
        == "bo offered to help with R-1: Which font for *bold* headings_in_reports? ~maybe~"
    )
