"""Community and role commands, plus help."""

from __future__ import annotations

from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.grammar.help import help_text
from bot.messages import Reply, Section
from bot.services import communities
from bot.services.communities import CommunityView
from bot.services.context import Context


def _describe(view: CommunityView) -> tuple[str, ...]:
    on = {True: "on", False: "off"}
    return (
        f"{view.members} members · {view.channels} channels · unit: {view.unit or 'none'}",
        f"digest: {on[view.digest_enabled]}, {view.digest_day} {view.digest_time} "
        f"({view.timezone})",
        f"participation counting: {on[view.count_participation]} · "
        f"suggested capture: {on[view.suggest_capture]}",
        f"language: {view.language or 'default'}",
    )


@handles(c.Help)
def show_help(deps: Deps, cmd: c.Help, ctx: Context) -> Reply:
    return Reply(help_text(cmd.topic))


@handles(c.Community)
def community(deps: Deps, cmd: c.Community, ctx: Context) -> Reply:
    uow = deps.uow()
    if cmd.action == "list":
        views = communities.listing(uow, ctx)
        if not views:
            return Reply("No communities yet. A coordinator can `community create <name>`.")
        if channels.meet(deps.uow(), ctx) is not None:  # an unbound channel: offer to bind it
            return Reply(
                f"Communities: bind {channels.channel_label(ctx)} to one of them.",
                sections=(channels.bind_items(views),),
            )
        return Reply(
            "Communities:",
            sections=tuple(Section(heading=v.name, lines=_describe(v)) for v in views),
        )
    if cmd.action == "settings":
        view = communities.settings(uow, ctx, changes=cmd.settings)
        verb = "updated" if cmd.settings else "settings"
        return Reply(f"{view.name} {verb}:", sections=(Section(lines=_describe(view)),))
    if cmd.action == "bind":
        view = communities.bind(uow, ctx, name=cmd.name)
        return Reply(
            f"This channel is now part of {view.name}. Items captured here belong to it."
            + channels.joined(view),
            public=True,
        )
    name = cmd.name or ""
    if cmd.action == "create":
        view = communities.create(uow, ctx, name=name)
        if view.bound_here:
            return Reply(
                f"Community {view.name} created, with this channel in it." + channels.joined(view),
                public=True,
            )
        return Reply(
            f"Community {view.name} created. Bind a channel to it with "
            f"`community bind {view.name}`."
        )
    if cmd.action == "join":
        view = communities.join(uow, ctx, name=name)
        return Reply(f"Welcome to {view.name}! ({view.members} members)")
    view = communities.leave(uow, ctx, name=name)
    return Reply(f"You left {view.name}.")


@handles(c.FocalPoint)
def focal(deps: Deps, cmd: c.FocalPoint, ctx: Context) -> Reply:
    message = communities.set_focal(
        deps.uow(), ctx, action=cmd.action, person=cmd.person, scope=cmd.scope
    )
    return Reply(message)


@handles(c.Coordinator)
def coordinator(deps: Deps, cmd: c.Coordinator, ctx: Context) -> Reply:
    return Reply(communities.set_coordinator(deps.uow(), ctx, action=cmd.action, person=cmd.person))
