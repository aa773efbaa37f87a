"""The monthly pulse: from the first working day of the month, one question per community.

Each community gets the month's question (a ``PulseQuestion`` row, unique per community and
month); each member gets one direct message for the month (key ``pulse:<month>:<person>``)
with a row of 1–5 buttons per community they belong to, delivered from the start of their
next working hours. Questions and messages are written in one transaction, so a crash or a
second worker never asks twice. Snoozed and opted-out people are not asked.
"""

from __future__ import annotations

from datetime import datetime

from bot.i18n import _, current, use_locale
from bot.messages import Button, Item, Reply, Section
from bot.reads import language
from bot.reads.recipients import Recipient, people
from bot.services import pulse_survey
from digests.deps import JobDeps
from digests.localtime import WorkingHours, own_hours, parse_days, zone
from digests.outbox import Outgoing, queue_in
from digests.report import JobReport

Asked = tuple[int, str, str]  # question id, community name, question


def pulse_key(period: str, person_id: int) -> str:
    return f"pulse:{period}:{person_id}"


def build(questions: list[Asked]) -> Reply:
    items = tuple(
        Item(
            community,
            pulse_survey.shown(question, community),
            details=(str(pulse_survey.SCALE),),
            buttons=tuple(Button(str(n), "pulse", f"{qid}:{n}") for n in range(1, 6)),
        )
        for qid, community, question in questions
    )
    return Reply(
        text=_("Monthly pulse: one quick question, one click."),
        sections=(Section(items=items),),
    )


def run(container: JobDeps, *, now: datetime, dry_run: bool = False) -> JobReport:
    report = JobReport("pulse", dry_run=dry_run)
    settings = container.settings
    tz = zone(settings.copbot_timezone)
    today = now.astimezone(tz).date()
    first = pulse_survey.first_working_day(
        today.year, today.month, parse_days(settings.copbot_working_days)
    )
    if today < first:
        report.note(f"the pulse goes out from {first:%a %d %b} (first working day)")
        return report
    period = f"{today:%Y-%m}"
    hours = WorkingHours.parse(settings.copbot_working_hours, settings.copbot_working_days)
    with container.uow() as uow:
        session = uow.session
        pending = pulse_survey.open_communities(session, period)
        who = pulse_survey.members(session, [cid for cid, _ in pending])
        reachable = people(session, {p for ids in who.values() for p in ids})
        asked: dict[int, list[Asked]] = {}
        per_community: dict[int, list[int]] = {}
        for cid, name in pending:
            question = pulse_survey.question_for(period, name)
            qid = 0
            if not dry_run:
                created = pulse_survey.record_question(
                    session, community_id=cid, period=period, question=question, now=now
                )
                if created is None:
                    continue  # another worker asked this community first
                qid = created
            per_community[qid] = []
            for person_id in who.get(cid, []):
                r = reachable.get(person_id)
                if r is not None and not r.opted_out and not r.snoozed(now):
                    asked.setdefault(person_id, []).append((qid, name, question))
                    per_community[qid].append(person_id)
        delivered: set[int] = set()
        spoken = language.of_people(container.uow(), asked, settings)
        for person_id, questions in sorted(asked.items()):
            with use_locale(spoken[person_id]):
                message = _message(
                    period, reachable[person_id], questions, hours, settings.copbot_timezone, now
                )
            report.outgoing.append(message)
            if not dry_run and queue_in(session, message, now=now):
                delivered.add(person_id)
        if not dry_run:
            for qid, recipients in per_community.items():
                pulse_survey.set_recipients(session, qid, len(set(recipients) & delivered))
            report.queued = len(delivered)
            uow.commit()
    report.note(f"{len(pending)} communit{'y' if len(pending) == 1 else 'ies'} asked for {period}")
    return report


def _message(
    period: str,
    who: Recipient,
    questions: list[Asked],
    hours: WorkingHours,
    org_tz: str,
    now: datetime,
) -> Outgoing:
    mine = own_hours(who.working_hours, who.working_days, default=hours)
    start = mine.next_start(now, zone(who.timezone, org_tz))
    return Outgoing(
        pulse_key(period, who.person_id),
        who.address,
        build(questions),
        not_before=start,
        meta={"questions": [qid for qid, _community, _question in questions]},
        language=current(),
    )
