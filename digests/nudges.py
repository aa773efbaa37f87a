"""Nudges: one batched direct message per person per local day, inside their working hours.

Every 15 minutes the job works out which rungs of the ladder are due
(:mod:`bot.reads.nudge_data`), drops the ones already delivered to that person (the
outbox remembers them: each nudge row lists the rung tags it carried in ``meta.items``), and
for each person now inside their working hours (COPBOT_WORKING_HOURS/DAYS in their own time
zone) queues one message under ``nudge:<person>:<local date>`` with everything that is due.
A rung that comes due at 22:00 therefore waits for the next working morning, and items that
come due after today's nudge wait for tomorrow's. Snoozed and opted-out people get nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.i18n import _, ngettext, use_locale
from bot.i18n.words import shown
from bot.messages import Button, Item, Reply, Section
from bot.reads import language
from bot.reads.nudge_data import DueNudge, due_nudges
from bot.reads.recipients import people
from bot.text import cut
from digests.deps import JobDeps
from digests.localtime import WorkingHours, at_local, own_hours, zone
from digests.outbox import EXPIRED, Outgoing, enqueue_all, existing_keys
from digests.report import JobReport
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

MEMORY = timedelta(days=60)  # how far back delivered rungs are remembered (retention keeps it)
CAP = 10


def nudge_key(person_id: int, day: str) -> str:
    return f"nudge:{person_id}:{day}"


def delivered(uow: UnitOfWork, *, now: datetime) -> dict[int, set[str]]:
    """Rung tags already queued per person, from the outbox's recent nudge rows (a row that
    expired unsent delivered nothing: its items go into the next working day's nudge)."""
    found: dict[int, set[str]] = {}
    with uow:
        rows = uow.session.execute(
            select(OutboxMessage.key, OutboxMessage.payload).where(
                OutboxMessage.key.like("nudge:%"),
                OutboxMessage.created_at >= now - MEMORY,
                OutboxMessage.status != EXPIRED,
            )
        ).all()
    for key, payload in rows:
        person_id = int(key.split(":")[1])
        meta = payload.get("meta") if isinstance(payload, dict) else None
        tags = meta.get("items") if isinstance(meta, dict) else None
        found.setdefault(person_id, set()).update(str(t) for t in tags or ())
    return found


NEXT_STAGE = {"proposed": "development", "development": "pilot", "pilot": "scaled"}


def build(nudges: Iterable[DueNudge]) -> Reply:
    """One message: each item once, with every reason it is due for this person."""
    by_ref: dict[str, list[DueNudge]] = {}
    for n in nudges:
        by_ref.setdefault(n.ref, []).append(n)
    items = []
    for ref, group in by_ref.items():
        first = group[0]
        if ref.startswith("R-"):
            buttons: tuple[Button, ...] = (Button(_("I can help"), "offer", ref, "primary"),)
        elif first.stage in NEXT_STAGE:
            nxt = NEXT_STAGE[first.stage]  # the next stage, as a button; shelving takes lessons
            buttons = (
                Button(
                    _("Move to {stage}").format(stage=shown(nxt)),
                    "advance",
                    f"{ref} {nxt}",
                    "primary",
                ),
            )
        else:
            buttons = ()
        reasons = tuple(dict.fromkeys(str(n.reason) for n in group))
        items.append(
            Item(ref, cut(first.title, 150, "…"), details=reasons, link=first.link, buttons=buttons)
        )
    count = len(items)
    text = ngettext("This could use your help:", "{n} things could use your help:", count).format(
        n=count
    )
    return Reply(
        text=text,
        sections=(
            Section(items=tuple(items[:CAP]), more=max(0, count - CAP)),
            Section(lines=(_("Away for a while? `snooze 7d` pauses these reminders."),)),
        ),
    )


def run(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    report = JobReport("nudges", dry_run=dry_run)
    settings = container.settings
    org_hours = WorkingHours.parse(settings.copbot_working_hours, settings.copbot_working_days)
    due = due_nudges(container.uow(), now=now, settings=settings)
    with container.uow() as uow:
        reachable = people(uow.session, due)
    already = delivered(container.uow(), now=now)
    planned: dict[str, tuple[int, list[DueNudge], datetime]] = {}
    waiting = 0
    for person_id, nudges in sorted(due.items()):
        who = reachable.get(person_id)
        if who is None or who.opted_out or who.snoozed(now):
            continue
        fresh = [n for n in nudges if n.tag not in already.get(person_id, set())]
        if not fresh:
            continue
        tz = zone(who.timezone, settings.copbot_timezone)
        hours = own_hours(who.working_hours, who.working_days, default=org_hours)
        if not hours.contains(now, tz):
            waiting += 1
            continue
        today = now.astimezone(tz).date()
        # not sent after today's working hours, even if the worker was down or a retry waited
        planned[nudge_key(person_id, today.isoformat())] = (
            person_id,
            fresh,
            at_local(today, hours.end, tz),
        )
    if waiting:
        report.note(f"{waiting} person(s) outside working hours: their nudges wait")
    done = existing_keys(container.uow(), planned)
    spoken = language.of_people(container.uow(), [p for p, _, _ in planned.values()], settings)
    for key, (person_id, fresh, closes) in planned.items():
        if key in done:
            continue  # today's nudge went out already; the rest waits for tomorrow
        meta = {"items": sorted({n.tag for n in fresh})}
        address = reachable[person_id].address
        with use_locale(spoken[person_id]):
            reply = build(fresh)
        report.outgoing.append(
            Outgoing(key, address, reply, meta=meta, expires_at=closes, language=spoken[person_id])
        )
    if not dry_run:
        report.queued = enqueue_all(container.uow(), report.outgoing, now=now)
    return report
