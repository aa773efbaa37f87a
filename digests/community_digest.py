"""The weekly community digest: what happened, posted to each of the community's channels.

A community is due once its digest day and time (in its own time zone) have come in the
current local ISO week; the outbox key names that week, so the digest goes out once a week
whatever the clock does (a daylight-saving change, a restart, a second worker). A digest
covers the seven local days before its digest day. Nothing happened: nothing is queued.
"""

from __future__ import annotations

import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.i18n import use_locale
from bot.messages import Reply
from bot.ports import Address
from bot.reads import language
from bot.reads.digest_data import collect, read_time_led
from bot.reads.digest_views import CommunityWeek, Window
from bot.reads.recipients import channel_addresses
from digests.allocation import fewer_collections
from digests.continuation import in_parts
from digests.deps import JobDeps
from digests.digest_body import CAP, build, fallback_summary, summary_items
from digests.localtime import WeeklySlot
from digests.outbox import Outgoing, enqueue_all, keys_like
from digests.report import JobReport
from digests.summarise import Summariser, deterministic, summariser_for
from storage.models import Community

log = logging.getLogger(__name__)

SUMMARY_THREADS = 8
STREAM = 2500  # communities read, built and queued at a time: memory grows slower than they do


def address_tag(address: Address) -> str:
    """A short, stable tag for a channel or user, for outbox keys."""
    where = address.channel or f"user:{address.user}"
    digest = hashlib.sha1(f"{address.workspace}/{where}".encode()).hexdigest()[:12]
    return f"{address.platform}:{digest}"


def digest_key(community_id: int, week: str, address: Address) -> str:
    return f"digest:community:{community_id}:{week}@{address_tag(address)}"


@dataclass(frozen=True, slots=True)
class Due:
    community_id: int
    name: str
    week: str
    window: Window


def rolling_week(now: datetime, slot: WeeklySlot) -> Window:
    """The seven local days up to and including today."""
    today = now.astimezone(slot.tz).date()
    return Window(today - timedelta(days=6), today + timedelta(days=1), slot.tz)


def due_communities(
    container: JobDeps, *, now: datetime, community: str | None = None, force: bool = False
) -> list[Due]:
    """Enabled communities whose digest time has come this (local) week; ``force`` takes
    them all, covering the seven days up to now."""
    org_tz = container.settings.copbot_timezone
    with container.uow() as uow:
        statement = select(
            Community.id,
            Community.name,
            Community.timezone,
            Community.digest_day,
            Community.digest_time,
        ).where(Community.digest_enabled.is_(True), Community.archived_at.is_(None))
        if community is not None:
            statement = statement.where(Community.name == community)
        rows = uow.session.execute(statement.order_by(Community.id)).all()
    due = []
    for cid, name, tz, day, at in rows:
        try:
            slot = WeeklySlot.of(day, at, tz, org_tz)
        except ValueError:
            log.warning("community %s has an unreadable digest schedule %r %r", name, day, at)
            continue
        if force:  # sent on request: the seven days up to now
            due.append(Due(cid, name, slot.week(now), rolling_week(now, slot)))
        elif slot.due(now):
            digest_day, _ = slot.this_week(now)
            due.append(Due(cid, name, slot.week(now), Window.week_before(digest_day, slot.tz)))
    return due


def already_queued(container: JobDeps, weeks: set[str]) -> set[tuple[int, str]]:
    """(community id, week) pairs whose digest is in the outbox already."""
    done: set[tuple[int, str]] = set()
    for week in weeks:
        for key in keys_like(container.uow(), f"digest:community:%:{week}@%"):
            done.add((int(key.split(":")[2]), week))
    return done


def run(
    container: JobDeps,
    *,
    now: datetime,
    community: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    summarise: Summariser | None = None,
) -> JobReport:
    """Queue this week's digest for every due community (or the one named).

    ``force`` (with ``community``, for ``digest send``) queues the last seven days now; it
    takes this week's key, so this week's scheduled digest is not posted as well. The due
    communities are read, built and queued :data:`STREAM` at a time, each part in its own
    transaction: a run stopped halfway has queued whole digests, and the next run queues the
    rest (the keys make that safe).
    """
    with fewer_collections():
        return _run(container, now=now, community=community, dry_run=dry_run, force=force,
                    summarise=summarise)  # fmt: skip


def _run(
    container: JobDeps,
    *,
    now: datetime,
    community: str | None,
    dry_run: bool,
    force: bool,
    summarise: Summariser | None,
) -> JobReport:
    report = JobReport("community digest", dry_run=dry_run)
    due = due_communities(container, now=now, community=community, force=force and bool(community))
    if community is not None and not due:
        report.note(f"{community}: no such enabled community, or its digest time has not come")
    done = already_queued(container, {d.week for d in due})
    report.done_before = sum((d.community_id, d.week) in done for d in due)
    due = [d for d in due if (d.community_id, d.week) not in done]
    with container.uow() as uow:
        addresses = channel_addresses(uow.session, [d.community_id for d in due])
    for d in due:
        if d.community_id not in addresses:
            report.note(f"{d.name}: no bound channel, no digest")
            report.unbound += 1
    due = [d for d in due if d.community_id in addresses]
    summariser = summarise or summariser_for(container.settings)
    timed = read_time_led(container.uow(), [(d.community_id, d.window) for d in due])
    quiet = 0
    for i in range(0, len(due), STREAM):  # read, built and queued a part at a time
        part = due[i : i + STREAM]
        weeks = collect(
            container.uow(),
            [(d.community_id, d.window) for d in part],
            as_of=now,
            open_cap=CAP,
            timed=timed,
        )
        lively = [(d, weeks[d.community_id]) for d in part if weeks[d.community_id].happened]
        quiet += len(part) - len(lively)
        spoken = language.of_communities(
            container.uow(), [d.community_id for d, _week in lively], container.settings
        )
        outgoing: list[Outgoing] = []
        summaries = _summaries(summariser, lively, spoken)
        for (d, week), summary in zip(lively, summaries, strict=True):
            today = now.astimezone(d.window.tz).date()
            with use_locale(spoken[d.community_id]):
                reply = build(week, summary=summary, today=today)
            for address in addresses[d.community_id]:
                key = digest_key(d.community_id, d.week, address)
                outgoing += in_parts(Outgoing(key, address, reply, language=spoken[d.community_id]))
        if not dry_run:
            report.queued += enqueue_all(container.uow(), outgoing, now=now)
        report.outgoing += outgoing
    report.quiet = quiet
    if quiet:
        report.note(f"{quiet} communit{'y' if quiet == 1 else 'ies'} had a quiet week: no digest")
    return report


def _summaries(
    summarise: Summariser, lively: list[tuple[Due, CommunityWeek]], spoken: dict[int, str]
) -> list[str]:
    jobs = []
    for d, week in lively:
        with use_locale(spoken.get(d.community_id)):
            jobs.append((summary_items(week), fallback_summary(week)))
    if summarise is deterministic or len(jobs) <= 1:
        return [summarise(items=items, fallback=fallback) for items, fallback in jobs]
    with ThreadPoolExecutor(max_workers=SUMMARY_THREADS) as pool:
        futures = [
            pool.submit(summarise, items=items, fallback=fallback) for items, fallback in jobs
        ]
        return [f.result() for f in futures]


def preview(
    container: JobDeps,
    *,
    community_id: int,
    now: datetime,
    summarise: Summariser | None = None,
) -> Reply | None:
    """The digest of the last seven days up to now (``digest preview``); None if quiet."""
    with container.uow() as uow:
        tz = uow.session.scalar(select(Community.timezone).where(Community.id == community_id))
    if tz is None:
        return None
    slot = WeeklySlot.of("mon", "00:00", tz, container.settings.copbot_timezone)
    today = now.astimezone(slot.tz).date()
    window = rolling_week(now, slot)
    week = collect(container.uow(), [(community_id, window)], as_of=now)[community_id]
    if not week.happened:
        return None
    spoken = language.of_communities(container.uow(), [community_id], container.settings)
    summary = _summaries(
        summarise or summariser_for(container.settings), [(_preview_due(week), week)], spoken
    )
    with use_locale(spoken[community_id]):
        return build(week, summary=summary[0], today=today)


def _preview_due(week: CommunityWeek) -> Due:
    return Due(week.community_id, week.name, "preview", week.window)
