"""Events count from their day; anonymous feedback leaves nothing that points to its author."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import utcnow
from storage.models import Account, Feedback, Membership, Person
from tests.platform.slack.conftest import Harness


def _stat(text: str, label: str) -> str:
    for line in text.splitlines():
        if line.strip().startswith(label):
            return " ".join(line.split()[len(label.split()) :])
    raise AssertionError(f"{label!r} not in {text}")


async def test_attending_before_the_day_is_a_registration_and_counts_from_the_day(
    community: Harness,
) -> None:
    day = (utcnow() + timedelta(days=9)).date()
    community.setup("UCORA", f'event add "GIS training" {day.isoformat()} training', days_ago=0)

    await community.command("attend E-1", user="UBO")
    await community.command("stats community last-30d", user="UCORA")

    registered, stats = community.responses()
    assert "registered for E-1" in registered["text"]
    assert "counts as attended from that day" in registered["text"]
    assert [b["type"] for b in stats["blocks"]].count("table") == 1  # Slack's own table
    table = stats["text"]  # and the aligned text table as its fallback
    assert _stat(table, "Events held").startswith("0 ")
    assert _stat(table, "Training participation").startswith("0 ")


async def test_anonymous_feedback_as_a_first_act_leaves_no_trace_of_its_author(
    community: Harness,
) -> None:
    with community.container.uow() as uow:
        people_before = len(uow.session.scalars(select(Person)).all())
        memberships_before = len(uow.session.scalars(select(Membership)).all())

    await community.command("feedback community 4 anon Helpful sessions", user="UDAN")

    [answer] = community.responses()
    assert "recorded anonymously" in answer["text"]
    with community.container.uow() as uow:
        [feedback] = uow.session.scalars(select(Feedback)).all()
        assert feedback.author_id is None and feedback.anonymous
        assert feedback.community_id == 1  # still counted for the community
        at = feedback.created_at
        assert (at.minute, at.second, at.microsecond) == (0, 0, 0)
        accounts = uow.session.scalars(select(Account.user_id)).all()
        assert "UDAN" not in accounts
        assert len(uow.session.scalars(select(Person)).all()) == people_before
        assert len(uow.session.scalars(select(Membership)).all()) == memberships_before
