"""Events with attendance, and time logged on innovation work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot import limits
from bot.clock import local_date
from bot.errors import Conflict, InvalidInput, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _, formats
from bot.knowledge import index as knowledge
from bot.reads.views import EventView, event_view, event_views
from bot.services.access import load_caller, require_steward
from bot.services.capture import MAX_TITLE, clean_text
from bot.services.context import Context
from bot.services.holds import hold, holds_here
from bot.services.people import find_person
from storage.models import Attendance, Event, Idea, Person, TimeLog
from storage.uow import UnitOfWork

KINDS = ("training", "workshop", "webinar", "meeting")


def _attendees(session: Session, event_id: int) -> int:
    return (
        session.scalar(select(func.count(Attendance.id)).where(Attendance.event_id == event_id))
        or 0
    )


def add(
    uow: UnitOfWork, ctx: Context, *, title: str, day: date, kind: str = "meeting"
) -> EventView:
    if kind not in KINDS:
        raise InvalidInput(
            _('Unknown event kind "{kind}". Kinds: {listed}.').format(
                kind=kind, listed=", ".join(KINDS)
            )
        )
    name = clean_text(title, what="event title", limit=MAX_TITLE)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        community_id = caller.community.id if caller.community else None
        require_steward(session, caller, community_id, _("add events"))
        event = Event(
            community_id=community_id,
            title=name,
            day=day,
            kind=kind,
            created_by=caller.person.id,
            created_at=ctx.now,
        )
        session.add(event)
        session.flush()
        knowledge.upsert(
            session,
            kind="event",
            item_id=event.id,
            community_id=event.community_id,
            text=f"{event.title} ({event.kind})",
            created_at=event.created_at,
        )
        if community_id is None and holds_here(ctx):
            hold(session, ctx, kind="event", item_id=event.id)
        view = event_view(session, event, 0)
        uow.commit()
        return view


def attend(
    uow: UnitOfWork, ctx: Context, *, number: int, people: tuple[PersonRef, ...] = ()
) -> tuple[EventView, list[str]]:
    """Check in yourself, or (focal points) record others' attendance. Returns who was added."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        event = session.get(Event, number)
        if event is None:
            raise NotFound(
                _("There is no event E-{number}. Try `events` to list them.").format(number=number)
            )
        if people:
            require_steward(session, caller, event.community_id, _("record others' attendance"))
            persons = [find_person(session, p, actor=ctx.actor, now=ctx.now) for p in people]
        else:
            persons = [caller.person]
        added: list[str] = []
        for person in persons:
            exists = session.scalar(
                select(Attendance.id).where(
                    Attendance.event_id == event.id, Attendance.person_id == person.id
                )
            )
            if exists is None:
                session.add(
                    Attendance(
                        event_id=event.id,
                        person_id=person.id,
                        recorded_by=caller.person.id,
                        at=ctx.now,
                    )
                )
                added.append(person.label)
        if not added:
            ahead = event.day > local_date(ctx.now, ctx.timezone)
            if ahead and not people:
                text = _("You are already registered for {ref}.")
            elif ahead:
                text = _("Everyone named is already registered for {ref}.")
            elif not people:
                text = _("You are already checked in to {ref}.")
            else:
                text = _("Everyone named is already checked in to {ref}.")
            raise Conflict(text.format(ref=event.ref))
        session.flush()
        view = event_view(session, event, _attendees(session, event.id))
        uow.commit()
        return view, added


def listing(
    uow: UnitOfWork, ctx: Context, *, when: str = "upcoming", limit: int = 20
) -> list[EventView]:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        tz = ctx.timezone
        today = local_date(ctx.now, tz)
        query = select(Event)
        if caller.community is not None:
            query = query.where(Event.community_id == caller.community.id)
        if when == "past":
            query = query.where(Event.day < today).order_by(Event.day.desc())
        else:
            query = query.where(Event.day >= today).order_by(Event.day.asc())
        events = session.scalars(query.limit(limit)).all()
        views = event_views(session, events)
        uow.commit()
        return views


def log_time(
    uow: UnitOfWork,
    ctx: Context,
    *,
    hours: float,
    idea_number: int | None = None,
    note: str | None = None,
) -> tuple[float, float]:
    """Log hours; returns (hours logged now, the caller's total this calendar month)."""
    if not 0 < hours <= limits.HOURS_PER_LOG:
        raise InvalidInput(
            _("Log between 0 and {limit:g} hours at a time, not {hours:g}.").format(
                limit=limits.HOURS_PER_LOG, hours=hours
            ),
            usage="log <hours>h [I-12] [note]",
        )
    note = limits.optional_text(note, what="note", limit=limits.NOTE)
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        if idea_number is not None and session.get(Idea, idea_number) is None:
            raise NotFound(_("There is no idea I-{idea_number}.").format(idea_number=idea_number))
        _hold_person_row(session, caller.person.id)
        _within_the_day(session, ctx, caller.person.id, hours)
        session.add(
            TimeLog(
                person_id=caller.person.id,
                community_id=caller.community.id if caller.community else None,
                idea_id=idea_number,
                hours=round(hours, 2),
                note=note,
                at=ctx.now,
            )
        )
        session.flush()
        month_start = ctx.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        total = session.scalar(
            select(func.coalesce(func.sum(TimeLog.hours), 0)).where(
                TimeLog.person_id == caller.person.id, TimeLog.at >= month_start
            )
        )
        uow.commit()
        return round(hours, 2), float(total or 0)


def _hold_person_row(session: Session, person_id: int) -> None:
    """Hold the person's row until this transaction ends, so two logs sent at once are
    summed one after the other (PostgreSQL: a row lock; SQLite: the write lock)."""
    session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(id=Person.id)
        .execution_options(synchronize_session=False)
    )


def _within_the_day(session: Session, ctx: Context, person_id: int, hours: float) -> None:
    """A person logs at most HOURS_PER_DAY on one calendar day (in COPBOT_TIMEZONE)."""
    tz = ZoneInfo(ctx.settings.copbot_timezone)
    day = local_date(ctx.now, tz)
    start = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    logged = session.scalar(
        select(func.coalesce(func.sum(TimeLog.hours), 0)).where(
            TimeLog.person_id == person_id, TimeLog.at >= start, TimeLog.at < end
        )
    )
    already = float(logged or 0)
    if already + hours > limits.HOURS_PER_DAY:
        raise InvalidInput(
            _(
                "You have logged {hours} on {day} already; a day takes at most {most} hours, "
                "so {left} more at most."
            ).format(
                hours=formats.hours(already),
                day=formats.weekday_and_day(day),
                most=formats.number(limits.HOURS_PER_DAY),
                left=formats.hours(max(limits.HOURS_PER_DAY - already, 0)),
            )
        )


def show(uow: UnitOfWork, ctx: Context, *, number: int) -> EventView:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        event = session.get(Event, number)
        if event is None:
            raise NotFound(
                _("There is no event E-{number}. Try `events` to list them.").format(number=number)
            )
        view = event_view(session, event, _attendees(session, event.id))
        uow.commit()
        return view
