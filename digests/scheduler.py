"""The APScheduler set-up: a BackgroundScheduler whose jobs live in our database.

Jobs are registered under stable ids with cron triggers in explicit time zones, coalescing
and a misfire grace period, so a restart runs a missed job once (if it is not too late) and
never twice. Weekly digests get one job per distinct slot (day, time, time zone) in use,
e.g. ``community-digest:mon:09:00:Europe/Zurich``; a sync job every five minutes adds,
changes and removes slot jobs as communities and focal points change. Every job runs
:func:`run_job` by name, so the stored jobs hold no live objects.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from bot.clock import utcnow
from bot.container import Container
from bot.reads.focal_data import scopes
from digests.dispatcher import Dispatcher
from digests.jobs import JOBS, flush
from digests.localtime import zone
from storage.models import Community, Person

log = logging.getLogger(__name__)

FUNC = "digests.scheduler:run_job"
JOBS_TABLE = "apscheduler_jobs"
SLOT_PREFIXES = ("community-digest:", "focal-digest:")
HOUR = 3600


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    job: str
    trigger: CronTrigger
    misfire_grace_time: int
    kwargs: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(slots=True)
class _Live:
    """What running jobs need from this process (set while the scheduler runs here)."""

    container: Container | None = None
    scheduler: BackgroundScheduler | None = None
    dispatcher: Dispatcher | None = None
    warned: set[str] = field(default_factory=set)  # platforms we said have no notifier here
    lock: threading.Lock = field(default_factory=threading.Lock)


LIVE = _Live()


def cron(tz: str | ZoneInfo, **fields: Any) -> CronTrigger:
    return CronTrigger(timezone=tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz), **fields)


def build_scheduler(
    container: Container, *, jobstore: BaseJobStore | None = None
) -> BackgroundScheduler:
    store = (
        jobstore
        if jobstore is not None
        else SQLAlchemyJobStore(engine=container.engine, tablename=JOBS_TABLE)
    )
    return BackgroundScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone=ZoneInfo("UTC"),
    )


def fixed_jobs(container: Container) -> list[JobSpec]:
    org = zone(container.settings.copbot_timezone)
    return [
        JobSpec("outbox", "outbox", cron("UTC", second="*/10"), 30),
        JobSpec("sync-slots", "sync-slots", cron("UTC", minute="*/5"), 300),
        JobSpec("nudges", "nudges", cron("UTC", minute="*/15"), 900),
        JobSpec("pulse", "pulse", cron(org, hour=9, minute=30), 12 * HOUR),
        JobSpec("tally", "tally", cron(org, hour=1, minute=30), 6 * HOUR),
        JobSpec("retention", "retention", cron(org, hour=2, minute=30), 6 * HOUR),
    ]


def _slot(kind: str, day: str, at: str, tz: ZoneInfo) -> JobSpec:
    hour, minute = (int(p) for p in at.split(":"))
    return JobSpec(
        f"{kind}:{day}:{hour:02d}:{minute:02d}:{tz.key}",
        kind,
        cron(tz, day_of_week=day, hour=hour, minute=minute),
        6 * HOUR,
    )


def slot_jobs(container: Container) -> list[JobSpec]:
    """One job per weekly slot in use by communities (their own) and focal points (theirs)."""
    settings = container.settings
    with container.uow() as uow:
        session = uow.session
        communities = session.execute(
            select(Community.digest_day, Community.digest_time, Community.timezone)
            .where(Community.digest_enabled.is_(True), Community.archived_at.is_(None))
            .distinct()
        ).all()
        focal = list(scopes(session))
        zones = set(session.scalars(select(Person.timezone).where(Person.id.in_(focal)).distinct()))
    specs = {
        spec.id: spec
        for day, at, tz in communities
        for spec in [_slot("community-digest", day, at, zone(tz, settings.copbot_timezone))]
    }
    if focal:
        for tz in zones:
            spec = _slot(
                "focal-digest",
                settings.copbot_digest_day,
                settings.copbot_digest_time,
                zone(tz, settings.copbot_timezone),
            )
            specs[spec.id] = spec
    return sorted(specs.values(), key=lambda s: s.id)


def _same(job: Any, spec: JobSpec) -> bool:
    return bool(
        job.func_ref == FUNC
        and repr(job.trigger) == repr(spec.trigger)
        and job.kwargs == {"job": spec.job, **spec.kwargs}
        and job.misfire_grace_time == spec.misfire_grace_time
        and job.coalesce
    )


def sync(
    scheduler: BackgroundScheduler, specs: list[JobSpec], *, only: tuple[str, ...] | None = None
) -> None:
    """Make the scheduler hold ``specs``. Our other jobs (those whose id starts with ``only``,
    or all of them) are removed; an unchanged job is left alone, keeping its next run time."""
    wanted = {spec.id: spec for spec in specs}
    for job in scheduler.get_jobs():
        ours = job.func_ref == FUNC and (only is None or job.id.startswith(only))
        if ours and job.id not in wanted:
            log.info("scheduler: removing job %s", job.id)
            job.remove()
    for spec in specs:
        existing = scheduler.get_job(spec.id)
        if existing is not None and _same(existing, spec):
            continue
        scheduler.add_job(
            FUNC,
            trigger=spec.trigger,
            id=spec.id,
            name=spec.id,
            kwargs={"job": spec.job, **spec.kwargs},
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.misfire_grace_time,
            replace_existing=True,
        )


def register(scheduler: BackgroundScheduler, container: Container) -> None:
    """All of cop-bot's jobs: the fixed ones and one per digest slot."""
    sync(scheduler, fixed_jobs(container) + slot_jobs(container))


def run_job(job: str, **_: Any) -> None:
    """What every stored job calls. Runs in a scheduler thread; errors are logged in full."""
    container = LIVE.container
    if container is None:
        log.warning("scheduler job %s fired with no container bound; skipped", job)
        return
    now = utcnow()
    try:
        if job == "outbox":
            with LIVE.lock:
                if LIVE.dispatcher is None:
                    LIVE.dispatcher = Dispatcher(container.uow, container.notifiers)
                dispatcher = LIVE.dispatcher
            result = flush(container, now=now, dispatcher=dispatcher)
            if result.sent or result.failed or result.retried or result.expired:
                log.info("outbox: %s", result)
            for platform in sorted(set(result.waiting) - LIVE.warned):
                LIVE.warned.add(platform)
                log.warning(
                    "outbox: messages for %s are waiting, but this process has no %s notifier "
                    "(is %s configured for the worker?)",
                    platform,
                    platform,
                    platform,
                )
        elif job == "sync-slots":
            if LIVE.scheduler is not None:
                sync(LIVE.scheduler, slot_jobs(container), only=SLOT_PREFIXES)
        else:
            report = JOBS[job](container, now=now)
            if report.outgoing or report.notes:
                log.info("%s", report.summary())
    except Exception:
        log.exception("scheduled job %s failed", job)
