"""Event and time commands: event add, attend, events, log."""

from __future__ import annotations

from datetime import date

from bot.clock import local_date
from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, formats, ngettext
from bot.i18n.words import shown
from bot.messages import Button, Item, Reply, Section
from bot.reads.views import EventView
from bot.services import events
from bot.services.context import Context
from bot.services.holds import holds_here


def event_item(view: EventView, *, attend: bool = True, today: date | None = None) -> Item:
    """An event; before its day (when ``today`` is given) people are registered, not attending."""
    ahead = today is not None and view.day > today
    if ahead:
        text = ngettext(
            "{day} · {kind} · {n} registered", "{day} · {kind} · {n} registered", view.attendees
        )
    else:
        text = ngettext(
            "{day} · {kind} · {n} attending", "{day} · {kind} · {n} attending", view.attendees
        )
    details = (
        text.format(
            day=formats.weekday_and_day_year(view.day), kind=shown(view.kind), n=view.attendees
        ),
    )
    buttons = (Button(_("Attend"), "attend", view.ref, "primary"),) if attend else ()
    return Item(view.ref, view.title, details, None, buttons)


@handles(c.AddEvent, for_the_channel=True)
def add_event(deps: Deps, cmd: c.AddEvent, ctx: Context) -> Reply:
    view = events.add(
        deps.uow(), ctx, title=cmd.title, day=date.fromisoformat(cmd.date), kind=cmd.kind
    )
    return event_added(view, ctx)


def event_added(view: EventView, ctx: Context) -> Reply:
    reply = Reply(
        _("Event {ref} added: {title}").format(ref=view.ref, title=view.title),
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
        when = formats.weekday_and_day_year(view.day)
        if cmd.people:
            return Reply(
                ngettext(
                    "Registered {people} for {ref} on {day}.",
                    "Registered {people} for {ref} on {day}.",
                    len(added),
                ).format(people=", ".join(added), ref=view.ref, day=when)
            )
        return Reply(
            _(
                "You're registered for {ref} {title} on {day} ({n} registered). "
                "It counts as attended from that day."
            ).format(ref=view.ref, title=view.title, day=when, n=view.attendees),
            source_label=_("Registered ✓ ({n})").format(n=view.attendees),
        )
    if cmd.people:
        return Reply(
            _("Recorded attendance at {ref} for {people}.").format(
                ref=view.ref, people=", ".join(added)
            )
        )
    return Reply(
        ngettext(
            "You're checked in to {ref} {title} ({n} attending).",
            "You're checked in to {ref} {title} ({n} attending).",
            view.attendees,
        ).format(ref=view.ref, title=view.title, n=view.attendees),
        source_label=_("Attending ✓ ({n})").format(n=view.attendees),
    )


@handles(c.ListEvents)
def list_events(deps: Deps, cmd: c.ListEvents, ctx: Context) -> Reply:
    views = events.listing(deps.uow(), ctx, when=cmd.when)
    today = local_date(ctx.now, ctx.timezone)
    if not views:
        return Reply(_("No upcoming events.") if cmd.when == "upcoming" else _("No past events."))
    return Reply(
        _("Upcoming events:") if cmd.when == "upcoming" else _("Past events:"),
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
    values = {"hours": formats.hours(hours), "total": formats.hours(total), "ref": cmd.idea}
    if cmd.idea:
        text = _("Logged {hours} on {ref}. This month: {total} on innovation.")
    else:
        text = _("Logged {hours}. This month: {total} on innovation.")
    return Reply(text.format(**values))
