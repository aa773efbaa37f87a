"""Community and role commands, plus help."""

from __future__ import annotations

from bot.commands import channels
from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.grammar.help import help_text
from bot.i18n import _, formats, ngettext
from bot.messages import Reply, Section
from bot.services import communities, community_settings, roles
from bot.services.communities import CommunityView
from bot.services.context import Context


def _describe(view: CommunityView) -> tuple[str, ...]:
    def on(value: bool) -> str:
        return _("on") if value else _("off")

    return (
        channels.members_and_channels(view)
        + " · "
        + _("unit: {unit}").format(unit=view.unit or _("none")),
        _("digest: {state}, {day} {time} ({timezone})").format(
            state=on(view.digest_enabled),
            day=formats.weekday(view.digest_day),
            time=view.digest_time,
            timezone=view.timezone,
        ),
        _("participation counting: {counting} · suggested capture: {suggestions}").format(
            counting=on(view.count_participation), suggestions=on(view.suggest_capture)
        ),
        _("language: {language}").format(language=view.language or _("default")),
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
            return Reply(_("No communities yet. A coordinator can `community create <name>`."))
        if channels.meet(deps.uow(), ctx) is not None:  # an unbound channel: offer to bind it
            return Reply(
                _("Communities: bind {channel} to one of them.").format(
                    channel=channels.channel_label(ctx)
                ),
                sections=(channels.bind_items(views),),
            )
        return Reply(
            _("Communities:"),
            sections=tuple(Section(heading=v.name, lines=_describe(v)) for v in views),
        )
    if cmd.action == "settings":
        view = community_settings.settings(uow, ctx, changes=cmd.settings)
        said = _("{name} updated:") if cmd.settings else _("{name} settings:")
        return Reply(said.format(name=view.name), sections=(Section(lines=_describe(view)),))
    if cmd.action == "bind":
        view = communities.bind(uow, ctx, name=cmd.name)
        return Reply(
            _("This channel is now part of {name}. Items captured here belong to it.").format(
                name=view.name
            )
            + channels.joined(view),
            public=True,
        )
    name = cmd.name or ""
    if cmd.action == "create":
        view = communities.create(uow, ctx, name=name)
        if view.bound_here:
            return Reply(
                _("Community {name} created, with this channel in it.").format(name=view.name)
                + channels.joined(view),
                public=True,
            )
        return Reply(
            _(
                "Community {name} created. Bind a channel to it with `community bind {name}`."
            ).format(name=view.name)
        )
    if cmd.action == "join":
        view = communities.join(uow, ctx, name=name)
        return Reply(
            ngettext(
                "Welcome to {name}! ({n} member)", "Welcome to {name}! ({n} members)", view.members
            ).format(name=view.name, n=view.members)
        )
    view = communities.leave(uow, ctx, name=name)
    return Reply(_("You left {name}.").format(name=view.name))


@handles(c.FocalPoint)
def focal(deps: Deps, cmd: c.FocalPoint, ctx: Context) -> Reply:
    message = roles.set_focal(
        deps.uow(), ctx, action=cmd.action, person=cmd.person, scope=cmd.scope
    )
    return Reply(message)


@handles(c.Coordinator)
def coordinator(deps: Deps, cmd: c.Coordinator, ctx: Context) -> Reply:
    return Reply(roles.set_coordinator(deps.uow(), ctx, action=cmd.action, person=cmd.person))
