"""The scheduler's place in the process: started by ``copbot run`` and ``copbot worker``.

Exactly one process per database runs the scheduler: the one holding the lease
(:mod:`digests.lease`). It renews the lease every 20 s; the others serve without scheduling,
say so in the log, and keep checking, so one of them takes over within a minute if the
holder dies. A holder that cannot renew in time stops scheduling before its lease lapses.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from apscheduler.jobstores.base import BaseJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import utcnow
from bot.container import Container
from digests import lease
from digests.scheduler import LIVE, build_scheduler, register

log = logging.getLogger("copbot")


class Running(Protocol):
    def stop(self) -> None: ...


class SchedulerRuntime:
    """Holds (or waits for) the lease and runs the scheduler while it does."""

    def __init__(
        self,
        container: Container,
        *,
        holder: str | None = None,
        ttl: float = lease.TTL_SECONDS,
        renew_every: float = lease.RENEW_SECONDS,
        clock: Callable[[], datetime] = utcnow,
        jobstore: BaseJobStore | None = None,
    ) -> None:
        self.container = container
        self.holder = holder or lease.holder_id()
        self.ttl = ttl
        self.renew_every = renew_every
        self.clock = clock
        self.jobstore = jobstore
        self.scheduler: BackgroundScheduler | None = None
        self._expires: datetime | None = None
        self._told_standby = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def leading(self) -> bool:
        return self.scheduler is not None

    def start(self) -> None:
        self.tick()
        self._thread = threading.Thread(target=self._loop, name="copbot-lease", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        was_leading = self.leading
        self._stop_scheduler()
        if was_leading:
            try:
                lease.release(self.container.uow, holder=self.holder)
            except Exception:
                log.exception("Scheduler: could not release the lease")

    def tick(self) -> None:
        """Renew the lease if we hold it, else try to take it."""
        now = self.clock()
        if self.leading:
            if lease.renew(self.container.uow, holder=self.holder, now=now, ttl=self.ttl):
                self._expires = now + timedelta(seconds=self.ttl)
                return
            log.error(
                "Scheduler: the lease was taken by another process; stopping scheduling here."
            )
            self._stop_scheduler()
        if lease.try_acquire(self.container.uow, holder=self.holder, now=now, ttl=self.ttl):
            self._expires = now + timedelta(seconds=self.ttl)
            self._told_standby = False
            log.info("Scheduler: this process holds the lease (%s); jobs run here.", self.holder)
            self._start_scheduler()
        elif not self._told_standby:
            self._told_standby = True
            info = lease.current(self.container.uow)
            other = info.holder if info else "another process"
            log.warning(
                "Scheduler: %s already runs the scheduler on this database; this process "
                "serves without scheduling and takes over if that one stops.",
                other,
            )

    def _loop(self) -> None:
        while not self._stop.wait(self.renew_every):
            try:
                self.tick()
            except Exception:
                log.exception("Scheduler: lease check failed")
                if self._expires is not None and self.clock() >= self._expires:
                    log.error("Scheduler: lease expired without renewal; stopping scheduling.")
                    self._stop_scheduler()

    def _start_scheduler(self) -> None:
        if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
            # "Running job outbox" every ten seconds is noise; failures are still logged.
            logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        scheduler = build_scheduler(self.container, jobstore=self.jobstore)
        LIVE.container = self.container
        LIVE.scheduler = scheduler
        scheduler.start(paused=True)
        register(scheduler, self.container)
        scheduler.resume()
        self.scheduler = scheduler

    def _stop_scheduler(self) -> None:
        scheduler, self.scheduler = self.scheduler, None
        self._expires = None
        if scheduler is None:
            return
        try:
            scheduler.shutdown(wait=True)
        finally:
            if LIVE.scheduler is scheduler:
                LIVE.scheduler = None
                LIVE.container = None
                LIVE.dispatcher = None


def start_scheduler(container: Container) -> Running | None:
    runtime = SchedulerRuntime(container)
    runtime.start()
    return runtime
