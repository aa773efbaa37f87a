"""What the weekly community digest says: the summary, the week's counts beside the week
before, and the sections (most urgent first), as a neutral reply each platform renders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.i18n import _, formats, ngettext
from bot.i18n.words import shown
from bot.messages import Button, Item, Reply, Section
from bot.reads.digest_views import CommunityWeek, Counts, Window
from bot.services.idea_stages import skipped_stages
from bot.text import cut

CAP = 100  # items per section; a busy week goes on in the thread (digests.continuation)
MAX_TITLE = 150


def _short(text: str, limit: int = MAX_TITLE) -> str:
    flat = " ".join(text.split())
    return cut(flat, limit, "…")


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
        _("Idea moved to {stage}: {title}").format(stage=shown(m.to_stage), title=m.title)
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
        _("Upcoming {kind}: {title}").format(kind=shown(e.kind), title=e.title)
        for e in week.upcoming
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
    if not skipped:
        return ""
    return " " + _("(skipped {stages})").format(stages=", ".join(shown(s) for s in skipped))


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
                    f"{shown(m.from_stage)} → {shown(m.to_stage)}"
                    + _skipped(m.from_stage, m.to_stage),
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
                    ).format(day=formats.short_day(e.day), kind=shown(e.kind), n=e.attendees),
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
