"""The weekly focal-point digest: action items, quiet communities, indicators behind target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.container import Container
from bot.messages import Reply, Section
from digests import focal_digest
from storage.models import IndicatorTarget
from tests.conftest import Say
from tests.jobs.conftest import MONDAY_9, play


def _section(reply: Reply, heading: str) -> Section:
    [section] = [s for s in reply.sections if s.heading == heading]
    return section


def _setup(container: Container, say: Say) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create quiet-club"),
            ("fay", "ideas"),
            ("cora", "focal add @fay design-thinking"),
            ("cora", "focal add @fay quiet-club"),
        ],
        start=datetime(2026, 10, 30, 9, 0, tzinfo=UTC),
    )
    nov2 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    play(
        say,
        [
            ("ana", "idea Old idea nobody decided on"),
            ("ana", "idea Pilot without rating"),
            ("cora", "advance I-2 pilot Two units are ready to pilot it"),
        ],
        start=nov2,
    )
    say(
        "ana",
        "ask Who can review my survey? #surveys",
        now=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )
    say("bo", "ask Fresh question from today", now=MONDAY_9 - timedelta(hours=2))
    with container.uow() as uow:
        uow.session.add(
            IndicatorTarget(
                indicator="ideas_submitted",
                period="2026-Q4",
                scope_kind="community",
                scope_id=1,
                target=10,
                set_at=nov2,
            )
        )
        uow.commit()


def test_the_focal_digest_lists_what_needs_attention(container: Container, say: Say) -> None:
    _setup(container, say)
    report = focal_digest.run(container, now=MONDAY_9)
    [message] = report.outgoing
    assert message.key == "digest:focal:2:2026-W48"
    assert message.address.user == "fay"
    reply = message.reply
    assert reply.text == "Your focal-point digest for design-thinking, quiet-club"
    [request] = _section(reply, "Requests without an answer for more than 48 h").items
    assert request.ref == "R-1" and request.details == ("design-thinking · no answer for 3 days",)
    ideas = _section(reply, "Ideas waiting for a decision or a rating").items
    assert [i.ref for i in ideas] == ["I-1", "I-2"]
    assert "waiting for a stage decision" in ideas[0].details[0]
    assert "pilot without a scaling rating" in ideas[1].details[0]
    assert _section(reply, "Quiet communities (nothing in 14 days)").lines == ("quiet-club",)
    assert _section(reply, "Behind target").lines == (
        "Ideas submitted in design-thinking: 2, target 10 for 2026-Q4",
    )


def test_the_focal_digest_goes_once_a_week(container: Container, say: Say) -> None:
    _setup(container, say)
    assert focal_digest.run(container, now=MONDAY_9 - timedelta(minutes=5)).outgoing == []
    assert focal_digest.run(container, now=MONDAY_9).queued == 1
    assert focal_digest.run(container, now=MONDAY_9 + timedelta(days=2)).outgoing == []
    assert focal_digest.run(container, now=MONDAY_9 + timedelta(days=7)).queued == 1


def test_no_focal_digest_when_nothing_needs_attention(container: Container, say: Say) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("fay", "idea Something fresh"),
            ("cora", "focal add @fay design-thinking"),
        ],
        start=MONDAY_9 - timedelta(days=1),
    )
    report = focal_digest.run(container, now=MONDAY_9)
    assert report.outgoing == []
