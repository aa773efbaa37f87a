"""The weekly focal-point digest: a direct message with what needs their attention.

Sent at the organisation's digest day and time (COPBOT_DIGEST_DAY/TIME) in each focal point's
own time zone, once per local ISO week (key ``digest:focal:<person>:<week>``). Nothing to act
on: nothing is sent. Snoozed people get no digest while they are away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.messages import Button, Item, Reply, Section
from bot.reads.focal_data import ActionItem, FocalView, Gap, collect, scopes
from bot.reads.recipients import Recipient, people
from digests.deps import JobDeps
from digests.localtime import WeeklySlot
from digests.outbox import Outgoing, enqueue_all, existing_keys
from digests.report import JobReport

CAP = 10


def focal_key(person_id: int, week: str) -> str:
    return f"digest:focal:{person_id}:{week}"


def _figure(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.0%}"
    if unit in ("rating", "score"):
        return f"{value:.1f}"
    if unit == "hours":
        return f"{value:.1f} h"
    return f"{value:g}"


def gap_line(gap: Gap) -> str:
    where = f" in {gap.scope}" if gap.scope else ""
    return (
        f"{gap.label}{where}: {_figure(gap.value, gap.unit)}, "
        f"target {_figure(gap.target, gap.unit)} for {gap.period}"
    )


def _items(actions: Sequence[ActionItem], buttons: bool) -> list[Item]:
    items = []
    for a in actions:
        row: tuple[Button, ...] = ()
        if buttons and a.ref.startswith("R-"):
            row = (Button("I can help", "offer", a.ref, "primary"),)
        elif buttons and a.next_stage and "stage decision" in a.reason:
            row = (Button(f"Move to {a.next_stage}", "advance", f"{a.ref} {a.next_stage}"),)
        items.append(
            Item(
                a.ref,
                a.title[:150],
                details=(f"{a.community} · {a.reason}",),
                link=a.link,
                buttons=row,
            )
        )
    return items


def build(view: FocalView) -> Reply:
    sections = []
    if view.unanswered:
        items = _items(view.unanswered, True)
        sections.append(
            Section(
                heading="Requests without an answer for more than 48 h",
                items=tuple(items[:CAP]),
                more=max(0, len(items) - CAP),
            )
        )
    if view.waiting:
        items = _items(view.waiting, True)
        sections.append(
            Section(
                heading="Ideas waiting for a decision or a rating",
                items=tuple(items[:CAP]),
                more=max(0, len(items) - CAP),
            )
        )
    if view.silent:
        sections.append(
            Section(
                heading="Quiet communities (nothing in 14 days)",
                lines=(", ".join(view.silent),),
            )
        )
    if view.behind:
        sections.append(
            Section(heading="Behind target", lines=tuple(gap_line(g) for g in view.behind[:CAP]))
        )
    scope = ", ".join(view.communities) if view.communities else "your scope"
    return Reply(text=f"Your focal-point digest for {scope}", sections=tuple(sections))


def run(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    report = JobReport("focal-point digest", dry_run=dry_run)
    settings = container.settings
    with container.uow() as uow:
        focal = list(scopes(uow.session))
        reachable = people(uow.session, focal)
    due: dict[int, tuple[str, Recipient]] = {}
    for person_id, who in reachable.items():
        slot = WeeklySlot.of(
            settings.copbot_digest_day,
            settings.copbot_digest_time,
            who.timezone or "",
            settings.copbot_timezone,
        )
        if who.snoozed(now):
            report.note(f"{who.name}: snoozed, no digest")
        elif slot.due(now):
            due[person_id] = (focal_key(person_id, slot.week(now)), who)
    done = existing_keys(container.uow(), [key for key, _ in due.values()])
    due = {p: kw for p, kw in due.items() if kw[0] not in done}
    views = collect(container.uow(), person_ids=due, now=now, settings=settings)
    for person_id, (key, who) in sorted(due.items()):
        view = views.get(person_id)
        if view is None or view.empty:
            continue
        report.outgoing.append(Outgoing(key, who.address, build(view)))
    if not dry_run:
        report.queued = enqueue_all(container.uow(), report.outgoing, now=now)
    return report
