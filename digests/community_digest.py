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

from bot.i18n import _, formats, ngettext, use_locale
from bot.messages import Button, Item, Reply, Section
from bot.ports import Address
from bot.reads import language
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


def _votes(n: int) -> str:
    return ngettext("{n} vote", "{n} votes", n).format(n=n)


def _vs(label: str, now: int, before: int) -> str:
    return _("{label}: {now} (week before: {before})").format(label=label, now=now, before=before)


def count_lines(this: Counts, previous: Counts) -> tuple[str, ...]:
    lines = [
        _vs(_("New ideas"), this.ideas, previous.ideas),
        _vs(_("Requests for help"), this.requests, previous.requests),
        _vs(_("Offers of help"), this.offers, previous.offers),
        _vs(_("Feedback"), this.feedback, previous.feedback),
        _vs(_("Event check-ins"), this.attendances, previous.attendances),
    ]
    if this.messages or previous.messages:
        lines.append(_vs(_("Messages"), this.messages, previous.messages))
    return tuple(lines)


def fallback_summary(week: CommunityWeek) -> str:
    """The built-in summary: ``3 new ideas, 2 offers of help; most voted: “…” (4 votes).``"""
    counts = (
        (week.this.ideas, ngettext("{n} new idea", "{n} new ideas", week.this.ideas)),
        (len(week.moves), ngettext("{n} stage change", "{n} stage changes", len(week.moves))),
        (
            week.this.requests,
            ngettext("{n} request for help", "{n} requests for help", week.this.requests),
        ),
        (week.this.offers, ngettext("{n} offer of help", "{n} offers of help", week.this.offers)),
        (
            len(week.resolved),
            ngettext("{n} request resolved", "{n} requests resolved", len(week.resolved)),
        ),
        (
            week.this.feedback,
            ngettext("{n} feedback item", "{n} feedback items", week.this.feedback),
        ),
    )
    parts = [text.format(n=n) for n, text in counts if n]
    text = ", ".join(parts) if parts else _("A quiet week")
    if week.new_ideas:
        top = week.new_ideas[0]
        text += _("; most voted: “{title}” ({votes})").format(
            title=_short(top.title, 80), votes=_votes(top.votes)
        )
    if week.open_total:
        text += ngettext(
            ". {n} request still needs help", ". {n} requests still need help", week.open_total
        ).format(n=week.open_total)
    return text + "."


def summary_items(week: CommunityWeek) -> list[str]:
    """What the model may read: the digest's own items, nothing else."""
    items = [_("New idea: {title}").format(title=i.title) for i in week.new_ideas]
    items += [
        _("Idea moved to {stage}: {title}").format(stage=m.to_stage, title=m.title)
        for m in week.moves
    ]
    items += [
        _("Idea shelved: {title}. Lessons: {lessons}").format(
            title=m.title, lessons=m.lessons or ""
        )
        for m in week.shelved
    ]
    items += [_("Open request: {question}").format(question=r.question) for r in week.open_requests]
    items += [_("Resolved request: {question}").format(question=r.question) for r in week.resolved]
    items += [
        _("Feedback ({rating}/5): {text}").format(rating=h.rating, text=h.text)
        for h in week.highlights
    ]
    items += [
        _("Upcoming {kind}: {title}").format(kind=e.kind, title=e.title) for e in week.upcoming
    ]
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
        Section(heading=_("In short"), lines=(summary,)),
        Section(heading=_("This week"), lines=count_lines(week.this, week.previous)),
    ]
    sections += _section(
        _("New ideas"),
        [
            Item(
                f"I-{i.id}",
                _short(i.title),
                details=(
                    _("{votes} · by {author}").format(votes=_votes(i.votes), author=i.author),
                ),
                link=i.permalink,
                buttons=(Button(_("Vote"), "vote", f"I-{i.id}"),),
            )
            for i in week.new_ideas
        ],
    )
    sections += _section(
        _("Stage changes"),
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
        _("Shelved, with lessons learned"),
        [
            Item(
                f"I-{m.idea_id}",
                _short(m.title),
                details=(
                    _("Lessons: {lessons}").format(
                        lessons=m.lessons or m.note or _("none recorded")
                    ),
                ),
                link=m.permalink,
            )
            for m in week.shelved
        ],
    )
    sections += _section(
        _("Still looking for help"),
        [
            Item(
                f"R-{r.id}",
                _short(r.question),
                details=(
                    _("asked by {person} · {age}").format(
                        person=r.requester, age=_age(r.created_at, today, w)
                    ),
                ),
                link=r.permalink,
                buttons=(Button(_("I can help"), "offer", f"R-{r.id}", "primary"),),
            )
            for r in week.open_requests
        ],
        total=week.open_total,
    )
    sections += _section(
        _("Resolved: thank you"),
        [
            Item(
                f"R-{r.id}",
                _short(r.question),
                details=(
                    _("Kudos to {people}").format(people=", ".join(r.helpers))
                    if r.helpers
                    else _("Resolved by the asker"),
                ),
                link=r.permalink,
            )
            for r in week.resolved
        ],
    )
    sections += _section(
        _("Feedback highlights"),
        [
            Item(
                f"{h.rating}/5",
                _short(h.text, 300),
                details=(
                    _("{author} on {target}").format(
                        author=h.author or _("anonymous"), target=h.target
                    ),
                ),
                link=h.permalink,
            )
            for h in week.highlights
        ],
    )
    sections += _section(
        _("Coming up"),
        [
            Item(
                f"E-{e.id}",
                _short(e.title),
                details=(
                    ngettext(
                        "{day} · {kind} · {n} registered",
                        "{day} · {kind} · {n} registered",
                        e.attendees,
                    ).format(day=formats.short_day(e.day), kind=e.kind, n=e.attendees),
                ),
                buttons=(Button(_("Attend"), "attend", f"E-{e.id}", "primary"),),
            )
            for e in week.upcoming
        ],
    )
    order = [_(heading) for heading in ORDER]  # the headings as this language writes them
    sections.sort(key=lambda section: order.index(section.heading or ""))
    return Reply(
        text=_("Weekly digest for {community}: {first} – {last}").format(
            community=week.name, first=formats.short_day(w.first_day), last=formats.medium_day(last)
        ),
        sections=tuple(sections),
        public=True,
    )


def _age(created: datetime, today: date, window: Window) -> str:
    days = (today - created.astimezone(window.tz).date()).days
    if days <= 0:
        return _("asked today")
    return ngettext("waiting {n} day", "waiting {n} days", days).format(n=days)


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
    spoken = language.of_communities(
        container.uow(), [d.community_id for d, _week in lively], container.settings
    )
    summaries = _summaries(summarise or summariser_for(container.settings), lively, spoken)
    for (d, week), summary in zip(lively, summaries, strict=True):
        today = now.astimezone(d.window.tz).date()
        with use_locale(spoken[d.community_id]):
            reply = build(week, summary=summary, today=today)
        for address in addresses[d.community_id]:
            key = digest_key(d.community_id, d.week, address)
            report.outgoing += in_parts(
                Outgoing(key, address, reply, language=spoken[d.community_id])
            )
    if not dry_run:
        report.queued = enqueue_all(container.uow(), report.outgoing, now=now)
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
