"""A digest run for many communities costs what it costs for a few, in statements: the
communities go to the database as one parameter, and the outbox rows are written many to a
statement. Reading rows by time instead of by community, and working in parts, change
nothing in what is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.container import Container
from bot.messages import Reply
from bot.reads import digest_time
from digests import community_digest
from digests.report import JobReport
from handlers.console.chat import inbound
from storage.models import Community
from tests.conftest import NOW
from tests.jobs.conftest import MONDAY_9
from tests.services import test_query_counts as counts
from tests.sql_sent import statements as sql_statements

fresh = counts.fresh  # a new, empty database at each call
ZONES = ("UTC", "Europe/Zurich", "Asia/Bangkok")


def communities(container: Container, n: int) -> None:
    """``n`` communities, in three time zones, each with a week of ideas, a stage move, a
    request with an offer, feedback and an event with a check-in."""
    at = NOW

    def say(user: str, channel: str, line: str) -> None:
        nonlocal at
        at += timedelta(seconds=30)
        reply = container.runner.handle(inbound(user, channel, line), now=at, auto_bind=True)
        assert not reply.error, (line, reply.text)

    for i in range(1, n + 1):
        channel = f"team-{i}"
        say("cora", channel, f"community create {channel}")
        say(f"ana{i}", channel, f"idea Idea one of team {i}")
        say(f"bo{i}", channel, f"idea Idea two of team {i}")
        say("cora", channel, f"advance I-{2 * i - 1} development Ready")
        say(f"bo{i}", channel, f"ask How does team {i} plan its week?")
        say(f"ana{i}", channel, f"offer R-{i}")
        say(f"bo{i}", channel, "feedback community 5 Useful week")
        say("cora", channel, f'event add "Session {i}" 2026-11-20 workshop')
        say(f"ana{i}", channel, f"attend E-{i}")
    with container.uow() as uow:
        for i in range(1, n + 1):
            zone = ZONES[i % len(ZONES)]
            uow.session.execute(update(Community).where(Community.id == i).values(timezone=zone))
        uow.commit()


def sent(report: JobReport) -> list[tuple[str, Reply]]:
    return [(message.key, message.reply) for message in report.outgoing]


def _run(
    make: Callable[[], Container], n: int, *, dry_run: bool = False
) -> tuple[list[str], JobReport]:
    container = make()
    try:
        communities(container, n)
        with sql_statements(container.engine) as statements:
            report = community_digest.run(container, now=MONDAY_9, dry_run=dry_run)
        return statements, report
    finally:
        container.close()


def test_a_run_for_12_communities_costs_the_statements_of_a_run_for_3(
    fresh: Callable[[], Container],
) -> None:
    few, small = _run(fresh, 3)
    many, large = _run(fresh, 12)
    assert (small.queued, large.queued) == (3, 12)

    def reads(statements: list[str]) -> list[str]:
        return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def outbox_writes(statements: list[str]) -> list[str]:
        return [s for s in statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]

    # The same statements, word for word: no list of ids grows with the communities.
    assert reads(many) == reads(few), "\n".join(reads(many))
    assert len(outbox_writes(few)) == len(outbox_writes(many)) == 1


def test_reading_by_time_or_by_community_sends_the_same_digests(
    fresh: Callable[[], Container], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_community = _run(fresh, 6, dry_run=True)
    monkeypatch.setattr(digest_time, "BY_TIME_FROM", 1)
    _, by_time = _run(fresh, 6, dry_run=True)
    assert len(by_community.outgoing) == 6
    assert sent(by_time) == sent(by_community)
    moved = [r for _, r in sent(by_time) if any(s.heading == "Stage changes" for s in r.sections)]
    assert len(moved) == 6


def test_a_run_in_parts_queues_what_a_run_in_one_part_does(
    fresh: Callable[[], Container], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole = _run(fresh, 5)
    monkeypatch.setattr(community_digest, "STREAM", 2)
    _, parts = _run(fresh, 5)
    assert parts.queued == whole.queued == 5
    assert sent(parts) == sent(whole)
    assert parts.summary() == whole.summary()


def test_a_community_without_a_week_is_left_out_in_every_part(
    fresh: Callable[[], Container], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(community_digest, "STREAM", 2)
    container = fresh()
    try:
        communities(container, 3)
        later = MONDAY_9 + timedelta(days=7)  # the next week: nothing happened in any
        report = community_digest.run(container, now=later)
        assert report.outgoing == [] and report.queued == 0
        assert report.notes == ["3 communities had a quiet week: no digest"]
    finally:
        container.close()
