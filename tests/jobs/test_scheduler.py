"""The scheduler: the lease (one scheduler per database) and the jobs it registers."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import inspect, update

from bot.container import Container
from digests import lease, scheduler
from digests.runtime import SchedulerRuntime
from storage.models import Community
from tests.conftest import NOW, Say
from tests.jobs.conftest import play


def test_two_acquirers_at_once_one_wins(container: Container) -> None:
    start = threading.Barrier(4)
    won: list[str] = []

    def grab(holder: str) -> None:
        start.wait()
        if lease.try_acquire(container.uow, holder=holder, now=NOW):
            won.append(holder)

    threads = [threading.Thread(target=grab, args=(f"p{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    info = lease.current(container.uow)
    assert info is not None and info.holder == won[0]
    assert info.expires_at == NOW + timedelta(seconds=60)


def test_an_expired_lease_is_taken_over(container: Container) -> None:
    assert lease.try_acquire(container.uow, holder="a", now=NOW)
    assert not lease.try_acquire(container.uow, holder="b", now=NOW + timedelta(seconds=59))
    assert lease.renew(container.uow, holder="a", now=NOW + timedelta(seconds=20))
    assert not lease.try_acquire(container.uow, holder="b", now=NOW + timedelta(seconds=79))
    assert lease.try_acquire(container.uow, holder="b", now=NOW + timedelta(seconds=81))
    assert not lease.renew(container.uow, holder="a", now=NOW + timedelta(seconds=82))
    lease.release(container.uow, holder="b")
    assert lease.current(container.uow) is None


def test_a_second_process_serves_without_scheduling_and_takes_over(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    clock = [NOW]
    first = SchedulerRuntime(
        container, holder="one", clock=lambda: clock[0], jobstore=MemoryJobStore()
    )
    second = SchedulerRuntime(
        container, holder="two", clock=lambda: clock[0], jobstore=MemoryJobStore()
    )
    try:
        first.tick()
        with caplog.at_level(logging.WARNING, logger="copbot"):
            second.tick()
        assert first.leading and not second.leading
        assert "one already runs the scheduler on this database" in caplog.text
        assert "serves without scheduling" in caplog.text
        clock[0] += timedelta(seconds=61)  # "one" died: no renewal
        second.tick()
        assert second.leading
        first.tick()  # "one" wakes up: its lease is gone, it stops scheduling
        assert not first.leading
    finally:
        first.stop()
        second.stop()
    assert lease.current(container.uow) is None


def _scheduler(container: Container) -> BackgroundScheduler:
    built = scheduler.build_scheduler(container, jobstore=MemoryJobStore())
    built.start(paused=True)
    scheduler.register(built, container)
    return built


def _fields(trigger: CronTrigger) -> dict[str, str]:
    return {f.name: str(f) for f in trigger.fields if not f.is_default}


def test_the_jobs_are_registered_with_ids_triggers_and_time_zones(
    container: Container, say: Say
) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create geneva-lab"),
            ("cora", "focal add @cora geneva-lab"),
        ],
    )
    with container.uow() as uow:
        uow.session.execute(
            update(Community)
            .where(Community.name == "geneva-lab")
            .values(timezone="Europe/Zurich", digest_day="tue", digest_time="08:30")
        )
        uow.commit()
    built = _scheduler(container)
    try:
        jobs = {job.id: job for job in built.get_jobs()}
        assert sorted(jobs) == [
            "community-digest:mon:09:00:UTC",
            "community-digest:tue:08:30:Europe/Zurich",
            "focal-digest:mon:09:00:UTC",
            "nudges",
            "outbox",
            "pulse",
            "retention",
            "sync-slots",
            "tally",
        ]
        for job in jobs.values():
            assert job.coalesce is True and job.max_instances == 1
            assert job.func_ref == "digests.scheduler:run_job"
            assert isinstance(job.trigger, CronTrigger)
        geneva = jobs["community-digest:tue:08:30:Europe/Zurich"]
        assert geneva.trigger.timezone == ZoneInfo("Europe/Zurich")
        assert _fields(geneva.trigger) == {"day_of_week": "tue", "hour": "8", "minute": "30"}
        assert geneva.kwargs == {"job": "community-digest"}
        assert geneva.misfire_grace_time == 6 * 3600
        assert _fields(jobs["nudges"].trigger) == {"minute": "*/15"}
        assert jobs["nudges"].misfire_grace_time == 900
        assert _fields(jobs["outbox"].trigger) == {"second": "*/10"}
        assert jobs["tally"].trigger.timezone == ZoneInfo("UTC")
    finally:
        built.shutdown(wait=False)


def test_slot_jobs_follow_community_changes(container: Container, say: Say) -> None:
    play(say, [("cora", "community create design-thinking")])
    built = _scheduler(container)
    try:
        kept = built.get_job("outbox")
        next_run = kept.next_run_time
        with container.uow() as uow:
            uow.session.execute(update(Community).values(digest_day="fri"))
            uow.commit()
        scheduler.sync(built, scheduler.slot_jobs(container), only=scheduler.SLOT_PREFIXES)
        ids = {job.id for job in built.get_jobs()}
        assert "community-digest:fri:09:00:UTC" in ids
        assert "community-digest:mon:09:00:UTC" not in ids
        scheduler.register(built, container)  # re-registering leaves unchanged jobs alone
        assert built.get_job("outbox").next_run_time == next_run
    finally:
        built.shutdown(wait=False)


def test_the_job_store_is_our_database(container: Container) -> None:
    built = scheduler.build_scheduler(container)
    built.start(paused=True)
    try:
        scheduler.register(built, container)
        assert "apscheduler_jobs" in inspect(container.engine).get_table_names()
    finally:
        built.shutdown(wait=False)
    again = scheduler.build_scheduler(container)
    again.start(paused=True)
    try:
        assert again.get_job("nudges") is not None  # survived the "restart"
    finally:
        again.shutdown(wait=False)


def test_a_weekly_slot_keeps_its_local_time_across_daylight_saving() -> None:
    trigger = scheduler.cron("Europe/Zurich", day_of_week="mon", hour=9, minute=0)
    before = trigger.get_next_fire_time(None, datetime(2026, 10, 19, 0, 0, tzinfo=UTC))
    after = trigger.get_next_fire_time(None, datetime(2026, 10, 20, 0, 0, tzinfo=UTC))
    assert before is not None and after is not None
    assert before.astimezone(UTC) == datetime(2026, 10, 19, 7, 0, tzinfo=UTC)  # CEST
    assert after.astimezone(UTC) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET


def test_run_job_runs_by_name_and_says_what_it_cannot_send(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.messages import Reply
    from bot.ports import Address
    from digests.outbox import enqueue

    enqueue(
        container.uow(),
        key="k",
        address=Address("teams", "t", user="29:1"),
        reply=Reply("hi"),
        now=NOW - timedelta(days=1),
    )
    scheduler.run_job("outbox")  # nothing bound: skipped, no error
    scheduler.LIVE.container = container
    try:
        with caplog.at_level(logging.INFO):
            scheduler.run_job("outbox")
            scheduler.run_job("outbox")
            scheduler.run_job("tally")
            scheduler.run_job("no-such-job")
    finally:
        scheduler.LIVE.container = None
        scheduler.LIVE.dispatcher = None
        scheduler.LIVE.warned.clear()
    assert caplog.text.count("this process has no teams notifier") == 1
    assert "indicator values stored" in caplog.text
    assert "scheduled job no-such-job failed" in caplog.text
