"""What the weekly community digest says: the summary, the week's counts beside the week
before, and the sections (most urgent first), as a neutral reply each platform renders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.messages import Button, Item, Reply, Section
from bot.reads.digest_views import CommunityWeek, Counts, Window
from bot.services.ideas import skipped_stages

CAP = 100  # items per section; a busy week goes on in the thread (digests.continuation)
MAX_TITLE = 150


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
