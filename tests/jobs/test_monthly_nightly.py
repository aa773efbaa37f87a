"""The monthly pulse, the nightly indicator tally and retention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.container import Container
from bot.errors import InvalidInput
from bot.indicators import DEFINITIONS
from bot.services.context import Context
from bot.services.pulse import answer_button, thanks
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests import jobs, pulse
from digests.outbox import enqueue
from handlers.console.chat import inbound
from storage.models import (
    Idea,
    IndicatorSnapshot,
    OutboxMessage,
    Participation,
    ProcessedEvent,
    PulseQuestion,
    PulseResponse,
)
from tests.conftest import NOW
from tests.jobs.conftest import HELLO_ADDRESS, hello

DEC_1 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # a Tuesday: December's first working day


@pytest.mark.usefixtures("week")
def test_the_pulse_asks_each_member_once_a_month(container: Container) -> None:
    report = pulse.run(container, now=DEC_1)
    assert report.queued == 3  # cora, ana, bo
    message = report.outgoing[0]
    assert message.key == "pulse:2026-12:1"
    assert message.not_before == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # working hours
    [item] = message.reply.sections[0].items
    assert item.ref == "design-thinking"
    assert [(b.label, b.action, b.value) for b in item.buttons] == [
        (str(n), "pulse", f"1:{n}") for n in range(1, 6)
    ]
    again = pulse.run(container, now=DEC_1 + timedelta(hours=5))
    assert again.outgoing == [] and again.queued == 0
    with container.uow() as uow:
        [question] = uow.session.scalars(select(PulseQuestion)).all()
        assert (question.period, question.recipients) == ("2026-12", 3)


@pytest.mark.usefixtures("week")
def test_the_pulse_waits_for_the_first_working_day(container: Container) -> None:
    saturday = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
    report = pulse.run(container, now=saturday)
    assert report.outgoing == [] and "from Mon 03 Aug" in report.summary()
    assert pulse.run(container, now=saturday + timedelta(days=2)).queued == 3


@pytest.mark.usefixtures("week")
def test_a_pulse_answer_is_recorded_once_and_can_be_changed(container: Container) -> None:
    pulse.run(container, now=DEC_1)
    ctx = Context(
        actor=inbound("ana", "dm", "").actor, channel="dm", now=DEC_1, settings=container.settings
    )
    assert "4/5" in thanks(answer_button(container.uow(), ctx, "1:4"))
    assert "from 4/5 to 5/5" in thanks(answer_button(container.uow(), ctx, "1:5"))
    with pytest.raises(InvalidInput):
        answer_button(container.uow(), ctx, "1:x")
    with container.uow() as uow:
        assert [r.score for r in uow.session.scalars(select(PulseResponse))] == [5]


@pytest.mark.usefixtures("week")
def test_the_tally_snapshots_every_indicator_and_scope(container: Container) -> None:
    jobs.tally(container, now=NOW)
    later = NOW + timedelta(days=1)
    report = jobs.tally(container, now=later)
    assert f"{2 * len(DEFINITIONS)} indicator values stored for 2026-Q4" in report.summary()
    with container.uow() as uow:
        rows = uow.session.scalars(select(IndicatorSnapshot)).all()
        # the running quarter, refreshed each night, and the quarter just ended, once
        assert len(rows) == 4 * len(DEFINITIONS)  # organisation and design-thinking
        assert {(r.scope_kind, r.scope_id) for r in rows} == {("org", 0), ("community", 1)}
        running = [r for r in rows if r.period == "2026-Q4"]
        ended = [r for r in rows if r.period == "2026-Q3"]
        assert [r.value for r in running if r.indicator == "ideas_submitted"] == [3.0, 3.0]
        assert all(r.computed_at == later for r in running)
        assert all(r.computed_at == NOW for r in ended)


def test_retention_deletes_old_operational_rows_only(
    make_settings: Callable[..., Settings],
) -> None:
    container = bootstrap(make_settings(copbot_retention_days=30), migrate=False)
    try:
        old, recent = NOW - timedelta(days=90), NOW - timedelta(days=5)
        with container.uow() as uow:
            s = uow.session
            s.add_all(
                [
                    ProcessedEvent(platform="slack", event_id="old", at=old),
                    ProcessedEvent(platform="slack", event_id="new", at=recent),
                    Idea(title="Kept forever", created_at=old, stage_changed_at=old),
                ]
            )
            uow.commit()
        for key, at in (("old-sent", old), ("old-pending", old), ("new-sent", recent)):
            enqueue(container.uow(), key=key, address=HELLO_ADDRESS, reply=hello(), now=at)
        with container.uow() as uow:
            from sqlalchemy import update

            uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.key.in_(["old-sent", "new-sent"]))
                .values(status="sent")
            )
            uow.commit()
        assert "would delete" in jobs.retention(container, now=NOW, dry_run=True).summary()
        report = jobs.retention(container, now=NOW)
        assert "1 processed_events, 1 outbox, 0 participation" in report.summary()
        with container.uow() as uow:
            s = uow.session
            assert s.scalars(select(ProcessedEvent.event_id)).all() == ["new"]
            assert sorted(s.scalars(select(OutboxMessage.key))) == ["new-sent", "old-pending"]
            assert s.scalar(select(func.count()).select_from(Idea)) == 1
    finally:
        container.close()


def test_retention_zero_keeps_everything(container: Container) -> None:
    report = jobs.retention(container, now=NOW)
    assert "everything is kept" in report.summary()


def test_retention_drops_old_participation(make_settings: Callable[..., Settings]) -> None:
    container = bootstrap(make_settings(copbot_retention_days=30), migrate=False)
    try:
        with container.uow() as uow:
            from storage.models import Community, Person

            uow.session.add_all(
                [Community(name="c", created_at=NOW), Person(display_name="p", created_at=NOW)]
            )
            uow.session.flush()
            for day in (date(2026, 9, 1), date(2026, 11, 10)):
                uow.session.add(Participation(community_id=1, person_id=1, day=day, messages=3))
            uow.commit()
        jobs.retention(container, now=NOW)
        with container.uow() as uow:
            assert uow.session.scalars(select(Participation.day)).all() == [date(2026, 11, 10)]
    finally:
        container.close()
