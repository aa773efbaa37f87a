"""What the bot says about a channel that is not part of a community yet, on every platform:
where a capture there went, and the two ways to make the channel count (buttons that are the
commands ``community bind`` and ``community list``)."""

from __future__ import annotations

from dataclasses import replace

from bot.messages import Button, Item, Reply, Section
from bot.services import holds
from bot.services.access import community_for_channel
from bot.services.communities import CommunityView
from bot.services.context import Context
from storage.uow import UnitOfWork


def _name(ctx: Context) -> str:
    return (ctx.channel_name or "").strip().lstrip("#")


def channel_label(ctx: Context) -> str:
    return f"#{_name(ctx)}" if _name(ctx) else "this channel"


def offer_buttons(ctx: Context) -> tuple[Button, ...]:
    """Make the channel a community (named after it: only when the platform told its name),
    or bind it to an existing one."""
    make = (Button(f"Make {channel_label(ctx)} a community", "community", "bind", "primary"),)
    bind = (Button("Bind to an existing community", "community", "list"),)
    return make + bind if _name(ctx) else bind


def _who_can(ctx: Context) -> str:
    make = (
        "A coordinator can make it a community"
        if _name(ctx)
        else "A coordinator can make it a community by typing `community create <name>` here"
    )
    return f"{make}; a focal point can bind it to theirs (held items then join it)."


def held(reply: Reply, ref: str, ctx: Context) -> Reply:
    """``reply`` to a capture, saying it is held because the channel has no community."""
    note = (
        f"{ref} is held for {channel_label(ctx)}: this channel is not part of a community yet, "
        f"so {ref} is in no digest or indicator until it is. {_who_can(ctx)}"
    )
    return replace(
        reply,
        sections=(*reply.sections, Section(lines=(note,))),
        buttons=(*reply.buttons, *offer_buttons(ctx)),
    )


def meet(uow: UnitOfWork, ctx: Context) -> Reply | None:
    """The offer for a channel the bot meets (invited, or spoken in): None when it is bound,
    or not a channel."""
    if not holds.holds_here(ctx):
        return None
    with uow:
        bound = community_for_channel(uow.session, replace(ctx, auto_bind=False))
        count = holds.held_count(uow.session, ctx)
    if bound is not None:
        return None
    waiting = f" {count} captured item(s) are held here." if count else ""
    return Reply(
        f"{channel_label(ctx)} is not part of a community yet: ideas, questions and events "
        f"captured here count in no community's digest or indicators.{waiting} {_who_can(ctx)}",
        public=True,
        buttons=offer_buttons(ctx),
    )


def bind_items(views: list[CommunityView]) -> Section:
    """Communities as items with a button that binds the current channel to each."""
    return Section(
        items=tuple(
            Item(
                v.name,
                f"{v.members} members · {v.channels} channels",
                buttons=(Button("Bind this channel here", "community", f"bind {v.name}"),),
            )
            for v in views
        )
    )


def joined(view: CommunityView) -> str:
    """What the binding brought along."""
    if not view.released:
        return ""
    return f" {', '.join(view.released)} joined it from this channel."
