"""Every scheduled job by name, each a plain function of (container, *, now, dry_run).

The scheduler, the CLI (``copbot digest run`` …) and the tests all call these; only the
scheduler reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.container import Container
from bot.services import retention as retention_service
from bot.services import snapshots
from digests import community_digest, focal_digest, nudges, pulse
from digests.deps import JobDeps
from digests.dispatcher import Dispatcher, DispatchReport
from digests.report import JobReport

Job = Callable[..., JobReport]


def tally(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    """Snapshot every indicator of the current quarter for the organisation, each community
    and each unit."""
    report = JobReport("indicator tally", dry_run=dry_run, sends=False)
    scopes = snapshots.scopes_in(container.uow())
    period = snapshots.current_period(now, container.settings)
    if dry_run:
        report.note(f"would snapshot {period.label} for {len(scopes)} scopes")
        return report
    written = snapshots.snapshot(
        container.uow(), now=now, settings=container.settings, scopes=scopes
    )
    report.note(f"{written} indicator values stored for {period.label} ({len(scopes)} scopes)")
    return report


def retention(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    report = JobReport("retention", dry_run=dry_run, sends=False)
    days = container.settings.copbot_retention_days
    if days <= 0:
        report.note("COPBOT_RETENTION_DAYS is 0: everything is kept")
        return report
    counts = retention_service.apply(container.uow(), now=now, days=days, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    report.note(
        f"{verb} rows older than {days} days: "
        + ", ".join(f"{n} {table}" for table, n in counts.items())
    )
    return report


def flush(
    container: Container, *, now: datetime, dispatcher: Dispatcher | None = None
) -> DispatchReport:
    """Send every due outbox message this process has a notifier for."""
    sender = dispatcher or Dispatcher(container.uow, container.notifiers)
    return sender.run_once(now=now)


JOBS: dict[str, Job] = {
    "community-digest": community_digest.run,
    "focal-digest": focal_digest.run,
    "nudges": nudges.run,
    "pulse": pulse.run,
    "tally": tally,
    "retention": retention,
}
