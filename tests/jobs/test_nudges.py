"""Nudges: the escalation ladder, working hours, one batched message a day, snooze, opt-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.container import Container
from digests import nudges
from digests.dispatcher import Dispatcher
from digests.report import JobReport
from storage.models import Account, OutboxMessage, Person
from tests.conftest import Say
from tests.jobs.conftest import FlakyNotifier, play

ASKED = datetime(2026, 11, 17, 21, 0, tzinfo=UTC)  # Tue 22:00 in Zurich


def _set(container: Container, user: str, **values: Any) -> None:
    with container.uow() as uow:
        person_id = uow.session.scalar(select(Account.person_id).where(Account.user_id == user))
        uow.session.execute(update(Person).where(Person.id == person_id).values(**values))
        uow.commit()


def _to(report: JobReport, user: str) -> list[str]:
    return [
        item.ref
        for message in report.outgoing
        if message.address.user == user
        for section in message.reply.sections
        for item in section.items
    ]


@pytest.fixture
def people(say: Say) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("fay", "ideas"),
            ("cora", "focal add @fay design-thinking"),
            ("sam", "skills add facilitation, surveys"),
        ],
        start=ASKED - timedelta(days=1),
    )


@pytest.mark.usefixtures("people")
def test_a_nudge_due_at_22_local_waits_until_09(container: Container, say: Say) -> None:
    _set(container, "sam", timezone="Europe/Zurich")
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    due = ASKED + timedelta(hours=24)  # Wed 22:00 in Zurich
    late = nudges.run(container, now=due)
    assert late.outgoing == [] and "outside working hours" in late.summary()
    assert nudges.run(container, now=datetime(2026, 11, 19, 7, 45, tzinfo=UTC)).outgoing == []
    morning = nudges.run(container, now=datetime(2026, 11, 19, 8, 0, tzinfo=UTC))  # 09:00
    [message] = morning.outgoing
    assert message.address.user == "sam"
    assert message.key == "nudge:3:2026-11-19"
    assert _to(morning, "sam") == ["R-1"]
    item = message.reply.sections[0].items[0]
    assert item.buttons[0].action == "offer" and "matches your skills" in item.details[0]


@pytest.mark.usefixtures("people")
def test_one_message_a_day_batches_the_items(container: Container, say: Say) -> None:
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    say("bo", "ask Which tool for quick surveys? #surveys", now=ASKED + timedelta(minutes=5))
    thursday = datetime(2026, 11, 19, 9, 30, tzinfo=UTC)
    report = nudges.run(container, now=thursday)
    assert report.queued == 1
    assert sorted(_to(report, "sam")) == ["R-1", "R-2"]
    assert report.outgoing[0].reply.text == "2 things could use your help:"
    # a third request comes due later the same day: it waits for tomorrow
    say(
        "ana",
        "ask Anyone ran a facilitation retro online? #facilitation",
        now=ASKED + timedelta(hours=3),
    )
    assert nudges.run(container, now=thursday + timedelta(hours=3)).outgoing == []
    friday = nudges.run(container, now=thursday + timedelta(days=1))
    assert _to(friday, "sam") == ["R-3"]  # are not repeated
    with container.uow() as uow:
        keys = uow.session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.like("nudge:3:%"))
        ).all()
    assert sorted(keys) == ["nudge:3:2026-11-19", "nudge:3:2026-11-20"]


@pytest.mark.usefixtures("people")
def test_snooze_and_opt_out_are_honoured(container: Container, say: Say) -> None:
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    say("sam", "snooze 3d", now=ASKED)
    thursday = datetime(2026, 11, 19, 9, 30, tzinfo=UTC)
    assert _to(nudges.run(container, now=thursday), "sam") == []
    _set(container, "sam", snoozed_until=None, nudges_opt_out=True)
    assert _to(nudges.run(container, now=thursday), "sam") == []
    _set(container, "sam", nudges_opt_out=False)
    assert _to(nudges.run(container, now=thursday), "sam") == ["R-1"]


@pytest.mark.usefixtures("people")
def test_the_ladder_climbs_to_focal_points_and_coordinators(container: Container, say: Say) -> None:
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    day1 = datetime(2026, 11, 19, 9, 30, tzinfo=UTC)  # 36 h
    first = nudges.run(container, now=day1)
    assert {m.address.user for m in first.outgoing} == {"sam"}
    day2 = day1 + timedelta(days=1)  # 60 h: the focal point
    assert {m.address.user for m in nudges.run(container, now=day2).outgoing} == {"fay"}
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 132 h: a coordinator
    late = nudges.run(container, now=monday)
    assert {m.address.user for m in late.outgoing} == {"cora"}
    assert (
        "no answer for 5 days in design-thinking"
        in late.outgoing[0].reply.sections[0].items[0].details
    )
    # an answer stops the ladder
    say("sam", "offer R-1", now=monday)
    assert nudges.run(container, now=monday + timedelta(days=1)).outgoing == []


@pytest.mark.usefixtures("people")
def test_a_stalled_idea_reaches_its_champion_then_the_focal_point(
    container: Container, say: Say
) -> None:
    say("ana", "idea Mentoring circles", now=ASKED)
    say("cora", "advance I-1 development", now=ASKED)
    start = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert nudges.run(container, now=start + timedelta(days=29)).outgoing == []
    at30 = nudges.run(container, now=datetime(2026, 12, 18, 9, 30, tzinfo=UTC))
    assert {m.address.user for m in at30.outgoing} == {"ana"}
    assert at30.outgoing[0].reply.sections[0].items[0].buttons[0].action == "advance"
    at37 = nudges.run(container, now=datetime(2026, 12, 25, 9, 30, tzinfo=UTC))
    assert {m.address.user for m in at37.outgoing} == {"fay"}


@pytest.mark.usefixtures("people")
def test_dry_run_queues_nothing(container: Container, say: Say) -> None:
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    report = nudges.run(container, now=datetime(2026, 11, 19, 9, 30, tzinfo=UTC), dry_run=True)
    assert len(report.outgoing) == 1 and report.queued == 0
    with container.uow() as uow:
        assert uow.session.scalars(select(OutboxMessage)).first() is None


@pytest.mark.usefixtures("people")
def test_a_nudge_not_sent_by_the_end_of_working_hours_waits_for_the_next_day(
    container: Container, say: Say, flaky: Callable[..., FlakyNotifier]
) -> None:
    """Queued at 16:55, but the worker was down until 19:00: no evening nudge. The next
    working morning's nudge carries the item instead (still one message that day)."""
    notifier = flaky()
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    before_close = datetime(2026, 11, 19, 16, 55, tzinfo=UTC)  # Thu, sam works in UTC
    [queued] = nudges.run(container, now=before_close).outgoing
    assert queued.expires_at == datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
    dispatcher = Dispatcher(container.uow, container.notifiers, sleep=lambda s: None)
    evening = dispatcher.run_once(now=datetime(2026, 11, 19, 19, 0, tzinfo=UTC))
    assert evening.sent == 0 and evening.expired == 1 and notifier.sent == []
    with container.uow() as uow:
        row = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key == queued.key))
        assert row.one().status == "expired"
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    again = nudges.run(container, now=friday)
    assert [m.key for m in again.outgoing if m.address.user == "sam"] == ["nudge:3:2026-11-20"]
    assert _to(again, "sam") == ["R-1"]
    dispatcher.run_once(now=friday)
    assert [reply.sections[0].items[0].ref for a, reply in notifier.sent if a.user == "sam"] == [
        "R-1"
    ]


@pytest.mark.usefixtures("people")
def test_a_persons_own_hours_and_time_zone_decide_when_nudges_come(
    container: Container, say: Say
) -> None:
    say("ana", "ask How do we run a good retrospective? #facilitation", now=ASKED)
    assert not say("sam", "settings timezone Asia/Tokyo").error
    assert not say("sam", "settings hours 06:00-08:00").error
    due = ASKED + timedelta(hours=24, minutes=5)  # Wed 21:05 UTC: Thu 06:05 in Tokyo
    early = nudges.run(container, now=due)
    assert "sam" in {m.address.user for m in early.outgoing}
    assert not say("sam", "settings nudges off").error
    assert "sam" not in {m.address.user for m in nudges.run(container, now=due).outgoing}
