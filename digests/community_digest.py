"""The weekly community digest: what happened, posted to each of the community's channels.

A community is due once its digest day and time (in its own time zone) have come in the
current local ISO week; the outbox key names that week, so the digest goes out once a week
whatever the clock does (a daylight-saving change, a restart, a second worker). A digest
covers the seven local days before its digest day. Nothing happened: nothing is queued.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.messages import Button, Item, Reply, Section
from bot.ports import Address
from bot.reads.digest_data import collect
from bot.reads.digest_views import CommunityWeek, Counts, Window
from bot.reads.recipients import channel_addresses
from bot.services.ideas import skipped_stages
from digests.continuation import in_parts
from digests.deps import JobDeps
from digests.localtime import WeeklySlot
from digests.outbox import Outgoing, enqueue_all, keys_like
from digests.report import JobReport
from digests.summarise import Summariser, deterministic, summariser_for
from storage.models import Community

log = logging.getLogger(__name__)

CAP = 100  # items per section; a busy week goes on in the thread (digests.continuation)
MAX_TITLE = 150
SUMMARY_THREADS = 8


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


def _short(text: str, limit: int = MAX_TITLE) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _vs(label: str, now: int, before: int) -> str:
    return f"{label}: {now} (week before: {before})"


def count_lines(this: Counts, previous: Counts) -> tuple[str, ...]:
    lines = [
        _vs("New ideas", this.ideas, previous.ideas),
        _vs("Requests for help", this.requests, previous.requests),
        _vs("Offers of help", this.offers, previous.offers),
        _vs("Feedback", this.feedback, previous.feedback),
        _vs("Event check-ins", this.attendances, previous.attendances),
    ]
    if this.messages or previous.messages:
        lines.append(_vs("Messages", this.messages, previous.messages))
    return tuple(lines)


def fallback_summary(week: CommunityWeek) -> str:
    """The built-in summary: ``3 new ideas, 2 offers of help; most voted: “…” (4 votes).``"""
    counts = (
        (week.this.ideas, "new idea", "new ideas"),
        (len(week.moves), "stage change", "stage changes"),
        (week.this.requests, "request for help", "requests for help"),
        (week.this.offers, "offer of help", "offers of help"),
        (len(week.resolved), "request resolved", "requests resolved"),
        (week.this.feedback, "feedback item", "feedback items"),
    )
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    text = ", ".join(parts) if parts else "A quiet week"
    if week.new_ideas:
        top = week.new_ideas[0]
        text += f"; most voted: “{_short(top.title, 80)}” ({_plural(top.votes, 'vote')})"
    if week.open_total:
        verb = "needs" if week.open_total == 1 else "need"
        text += f". {_plural(week.open_total, 'request')} still {verb} help"
    return text + "."


def summary_items(week: CommunityWeek) -> list[str]:
    """What the model may read: the digest's own items, nothing else."""
    items = [f"New idea: {i.title}" for i in week.new_ideas]
    items += [f"Idea moved to {m.to_stage}: {m.title}" for m in week.moves]
    items += [f"Idea shelved: {m.title}. Lessons: {m.lessons or ''}" for m in week.shelved]
    items += [f"Open request: {r.question}" for r in week.open_requests]
    items += [f"Resolved request: {r.question}" for r in week.resolved]
    items += [f"Feedback ({h.rating}/5): {h.text}" for h in week.highlights]
    items += [f"Upcoming {e.kind}: {e.title}" for e in week.upcoming]
    return items


def _capped(items: Sequence[Item], total: int | None = None) -> tuple[tuple[Item, ...], int]:
    shown = tuple(items[:CAP])
    return shown, max(0, (len(items) if total is None else total) - len(shown))


def _section(heading: str, items: Sequence[Item], total: int | None = None) -> list[Section]:
    if not items:
        return []
    shown, more = _capped(items, total)
    return [Section(heading=heading, items=shown, more=more, compact=True)]


# Most important first: what needs someone now, what is coming, then the week's news.
ORDER = (
    "In short",
    "This week",
    "Still looking for help",
    "Coming up",
    "New ideas",
    "Stage changes",
    "Resolved: thank you",
    "Feedback highlights",
    "Shelved, with lessons learned",
)


def _skipped(from_stage: str | None, to_stage: str) -> str:
    skipped = skipped_stages(from_stage, to_stage)
    return f" (skipped {', '.join(skipped)})" if skipped else ""


def build(week: CommunityWeek, *, summary: str, today: date) -> Reply:
    """The digest as a neutral reply; each platform renders (and trims) it."""
    w = week.window
    last = w.end_day - timedelta(days=1)
    sections = [
        Section(heading="In short", lines=(summary,)),
        Section(heading="This week", lines=count_lines(week.this, week.previous)),
    ]
    sections += _section(
        "New ideas",
        [
            Item(
                f"I-{i.id}",
                _short(i.title),
                details=(f"{_plural(i.votes, 'vote')} · by {i.author}",),
                link=i.permalink,
                buttons=(Button("Vote", "vote", f"I-{i.id}"),),
            )
            for i in week.new_ideas
        ],
    )
    sections += _section(
        "Stage changes",
        [
            Item(
                f"I-{m.idea_id}",
                _short(m.title),
                details=(
                    f"{m.from_stage} → {m.to_stage}{_skipped(m.from_stage, m.to_stage)}",
                    *((m.note,) if m.note else ()),
                ),
                link=m.permalink,
            )
            for m in week.moves
        ],
    )
    sections += _section(
        "Shelved, with lessons learned",
        [
            Item(
                f"I-{m.idea_id}",
                _short(m.title),
                details=(f"Lessons: {m.lessons or m.note or 'none recorded'}",),
                link=m.permalink,
            )
            for m in week.shelved
        ],
    )
    sections += _section(
        "Still looking for help",
        [
            Item(
                f"R-{r.id}",
                _short(r.question),
                details=(f"asked by {r.requester} · {_age(r.created_at, today, w)}",),
                link=r.permalink,
                buttons=(Button("I can help", "offer", f"R-{r.id}", "primary"),),
            )
            for r in week.open_requests
        ],
        total=week.open_total,
    )
    sections += _section(
        "Resolved: thank you",
        [
            Item(
                f"R-{r.id}",
                _short(r.question),
                details=(
                    f"Kudos to {', '.join(r.helpers)}" if r.helpers else "Resolved by the asker",
                ),
                link=r.permalink,
            )
            for r in week.resolved
        ],
    )
    sections += _section(
        "Feedback highlights",
        [
            Item(
                f"{h.rating}/5",
                _short(h.text, 300),
                details=(f"{h.author or 'anonymous'} on {h.target}",),
                link=h.permalink,
            )
            for h in week.highlights
        ],
    )
    sections += _section(
        "Coming up",
        [
            Item(
                f"E-{e.id}",
                _short(e.title),
                details=(f"{e.day:%a %d %b} · {e.kind} · {e.attendees} registered",),
                buttons=(Button("Attend", "attend", f"E-{e.id}", "primary"),),
            )
            for e in week.upcoming
        ],
    )
    sections.sort(key=lambda section: ORDER.index(section.heading or ""))
    return Reply(
        text=f"Weekly digest for {week.name}: {w.first_day:%d %b} – {last:%d %b %Y}",
        sections=tuple(sections),
        public=True,
    )


def _age(created: datetime, today: date, window: Window) -> str:
    days = (today - created.astimezone(window.tz).date()).days
    return "asked today" if days <= 0 else f"waiting {_plural(days, 'day')}"


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
    takes this week's key, so this week's scheduled digest is not posted as well.
    """
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
    due = [d for d in due if d.community_id in addresses]
    weeks = collect(
        container.uow(), [(d.community_id, d.window) for d in due], as_of=now, open_cap=CAP
    )
    lively = [(d, weeks[d.community_id]) for d in due if weeks[d.community_id].happened]
    quiet = len(due) - len(lively)
    if quiet:
        report.note(f"{quiet} communit{'y' if quiet == 1 else 'ies'} had a quiet week: no digest")
    summaries = _summaries(summarise or summariser_for(container.settings), lively)
    for (d, week), summary in zip(lively, summaries, strict=True):
        today = now.astimezone(d.window.tz).date()
        reply = build(week, summary=summary, today=today)
        for address in addresses[d.community_id]:
            report.outgoing += in_parts(
                Outgoing(digest_key(d.community_id, d.week, address), address, reply)
            )
    if not dry_run:
        report.queued = enqueue_all(container.uow(), report.outgoing, now=now)
    return report


def _summaries(summarise: Summariser, lively: list[tuple[Due, CommunityWeek]]) -> list[str]:
    jobs = [(summary_items(week), fallback_summary(week)) for _, week in lively]
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
    summary = _summaries(
        summarise or summariser_for(container.settings), [(_preview_due(week), week)]
    )
    return build(week, summary=summary[0], today=today)


def _preview_due(week: CommunityWeek) -> Due:
    return Due(week.community_id, week.name, "preview", week.window)
