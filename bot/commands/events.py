"""Event and time commands: event add, attend, events, log."""

from __future__ import annotations

from datetime import date

from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.messages import Button, Item, Reply, Section
from bot.reads.views import EventView
from bot.services import events
from bot.services.context import Context
from bot.services.holds import holds_here


def event_item(view: EventView, *, attend: bool = True) -> Item:
    details = (f"{view.day:%a %d %b %Y} · {view.kind} · {view.attendees} attending",)
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
    if cmd.people:
        return Reply(f"Recorded attendance at {view.ref} for {', '.join(added)}.")
    return Reply(f"You're checked in to {view.ref} {view.title} ({view.attendees} attending).")


@handles(c.ListEvents)
def list_events(deps: Deps, cmd: c.ListEvents, ctx: Context) -> Reply:
    views = events.listing(deps.uow(), ctx, when=cmd.when)
    if not views:
        return Reply(f"No {cmd.when} events.")
    return Reply(
        f"Events ({cmd.when}):",
        sections=(
            Section(items=tuple(event_item(v, attend=cmd.when == "upcoming") for v in views)),
        ),
    )


def show_event(deps: Deps, number: int, ctx: Context) -> Reply:
    view = events.show(deps.uow(), ctx, number=number)
    return Reply(f"{view.ref} {view.title}", sections=(Section(items=(event_item(view),)),))


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
