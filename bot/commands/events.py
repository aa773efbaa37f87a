"""Event and time commands: event add, attend, events, log."""

from __future__ import annotations

from datetime import date

from bot.clock import local_date
from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.messages import Button, Item, Reply, Section
from bot.reads.views import EventView
from bot.services import events
from bot.services.context import Context
from bot.services.holds import holds_here


def event_item(view: EventView, *, attend: bool = True, today: date | None = None) -> Item:
    """An event; before its day (when ``today`` is given) people are registered, not attending."""
    ahead = today is not None and view.day > today
    count = f"{view.attendees} {'registered' if ahead else 'attending'}"
    details = (f"{view.day:%a %d %b %Y} · {view.kind} · {count}",)
    buttons = (Button("Attend", "attend", view.ref, "primary"),) if attend else ()
    return Item(view.ref, view.title, details, None, buttons)


@handles(c.AddEvent)
def add_event(deps: Deps, cmd: c.AddEvent, ctx: Context) -> Reply:
    view = events.add(
        deps.uow(), ctx, title=cmd.title, day=date.fromisoformat(cmd.date), kind=cmd.kind
    )
    return event_added(view, ctx)


def event_added(view: EventView, ctx: Context) -> Reply:
    reply = Reply(
        f"Event {view.ref} added: {view.title}",
        public=True,
        sections=(Section(items=(event_item(view),)),),
    )
    if view.community is None and holds_here(ctx):
        return channels.held(reply, view.ref, ctx)
    return reply


@handles(c.Attend)
def attend(deps: Deps, cmd: c.Attend, ctx: Context) -> Reply:
    view, added = events.attend(deps.uow(), ctx, number=cmd.ref.number, people=cmd.people)
    if view.day > local_date(ctx.now, ctx.timezone):
        when = f"{view.day:%a %d %b %Y}"
        if cmd.people:
            return Reply(f"Registered {', '.join(added)} for {view.ref} on {when}.")
        return Reply(
            f"You're registered for {view.ref} {view.title} on {when} "
            f"({view.attendees} registered). It counts as attended from that day.",
            source_label=f"Registered ✓ ({view.attendees})",
        )
    if cmd.people:
        return Reply(f"Recorded attendance at {view.ref} for {', '.join(added)}.")
    return Reply(
        f"You're checked in to {view.ref} {view.title} ({view.attendees} attending).",
        source_label=f"Attending ✓ ({view.attendees})",
    )


@handles(c.ListEvents)
def list_events(deps: Deps, cmd: c.ListEvents, ctx: Context) -> Reply:
    views = events.listing(deps.uow(), ctx, when=cmd.when)
    today = local_date(ctx.now, ctx.timezone)
    if not views:
        return Reply(f"No {cmd.when} events.")
    return Reply(
        f"Events ({cmd.when}):",
        sections=(
            Section(
                items=tuple(
                    event_item(v, attend=cmd.when == "upcoming", today=today) for v in views
                )
            ),
        ),
    )


def show_event(deps: Deps, number: int, ctx: Context) -> Reply:
    view = events.show(deps.uow(), ctx, number=number)
    today = local_date(ctx.now, ctx.timezone)
    return Reply(
        f"{view.ref} {view.title}", sections=(Section(items=(event_item(view, today=today),)),)
    )


@handles(c.LogTime)
def log_time(deps: Deps, cmd: c.LogTime, ctx: Context) -> Reply:
    hours, total = events.log_time(
        deps.uow(),
        ctx,
        hours=cmd.hours,
        idea_number=cmd.idea.number if cmd.idea else None,
        note=cmd.note,
    )
    on = f" on {cmd.idea}" if cmd.idea else ""
    return Reply(f"Logged {hours:g} h{on}. This month: {total:g} h on innovation.")
