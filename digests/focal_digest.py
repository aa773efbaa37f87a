"""The weekly focal-point digest: a direct message with what needs their attention.

Sent at the organisation's digest day and time (COPBOT_DIGEST_DAY/TIME) in each focal point's
own time zone, once per local ISO week (key ``digest:focal:<person>:<week>``). Nothing to act
on: nothing is sent. Snoozed people get no digest while they are away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import _, formats, use_locale
from bot.i18n.words import shown
from bot.messages import Button, Item, Reply, Section
from bot.reads import language
from bot.reads.focal_data import ActionItem, FocalView, Gap, collect, scopes
from bot.reads.recipients import Recipient, people
from bot.text import cut
from digests.allocation import fewer_collections
from digests.deps import JobDeps
from digests.localtime import WeeklySlot
from digests.outbox import Outgoing, enqueue_all, existing_keys
from digests.report import JobReport

CAP = 10


def focal_key(person_id: int, week: str) -> str:
    return f"digest:focal:{person_id}:{week}"


def _figure(value: float, unit: str) -> str:
    if unit == "share":
        return formats.percent(value)
    if unit in ("rating", "score"):
        return formats.number(value)
    if unit == "hours":
        return formats.hours(value)
    return formats.number(value, digits=2)


def gap_line(gap: Gap) -> str:
    values = {
        "label": gap.label,
        "scope": gap.scope,
        "value": _figure(gap.value, gap.unit),
        "target": _figure(gap.target, gap.unit),
        "period": gap.period,
    }
    if gap.scope:
        return _("{label} in {scope}: {value}, target {target} for {period}").format(**values)
    return _("{label}: {value}, target {target} for {period}").format(**values)


def _items(actions: Sequence[ActionItem], buttons: bool) -> list[Item]:
    items = []
    for a in actions:
        row: tuple[Button, ...] = ()
        if buttons and a.ref.startswith("R-"):
            row = (Button(_("I can help"), "offer", a.ref, "primary"),)
        elif buttons and a.next_stage and a.decision:
            label = _("Move to {stage}").format(stage=shown(a.next_stage))
            row = (Button(label, "advance", f"{a.ref} {a.next_stage}"),)
        items.append(
            Item(
                a.ref,
                cut(a.title, 150, "…"),
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
                heading=_("Requests without an answer for more than 48 h"),
                items=tuple(items[:CAP]),
                more=max(0, len(items) - CAP),
            )
        )
    if view.waiting:
        items = _items(view.waiting, True)
        sections.append(
            Section(
                heading=_("Ideas waiting for a decision or a rating"),
                items=tuple(items[:CAP]),
                more=max(0, len(items) - CAP),
            )
        )
    if view.silent:
        sections.append(
            Section(
                heading=_("Quiet communities (nothing in 14 days)"),
                lines=(", ".join(view.silent),),
            )
        )
    if view.behind:
        sections.append(
            Section(heading=_("Behind target"), lines=tuple(gap_line(g) for g in view.behind[:CAP]))
        )
    scope = ", ".join(view.communities) if view.communities else _("your scope")
    return Reply(
        text=_("Your focal-point digest for {scope}").format(scope=scope),
        sections=tuple(sections),
    )


def run(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    """Queue each focal point's digest of the communities they look after."""
    with fewer_collections():
        return _run(container, now=now, dry_run=dry_run)


def _run(container: JobDeps, *, now: datetime, dry_run: bool) -> JobReport:
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
    spoken = language.of_people(container.uow(), due, settings)
    for person_id, (key, who) in sorted(due.items()):
        view = views.get(person_id)
        if view is None or view.empty:
            continue
        with use_locale(spoken[person_id]):
            reply = build(view)
        report.outgoing.append(Outgoing(key, who.address, reply, language=spoken[person_id]))
    if not dry_run:
        report.queued = enqueue_all(container.uow(), report.outgoing, now=now)
    return report
