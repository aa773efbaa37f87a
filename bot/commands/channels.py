"""What the bot says about a channel that is not part of a community yet, on every platform:
where a capture there went, and the two ways to make the channel count (buttons that are the
commands ``community bind`` and ``community list``)."""

from __future__ import annotations

from dataclasses import replace

from bot.i18n import _, ngettext
from bot.messages import Button, Item, Reply, Section
from bot.services import holds
from bot.services.communities import CommunityView
from bot.services.context import Context
from bot.services.places import community_for_channel
from storage.uow import UnitOfWork


def _name(ctx: Context) -> str:
    return (ctx.channel_name or "").strip().lstrip("#")


def channel_label(ctx: Context) -> str:
    return f"#{_name(ctx)}" if _name(ctx) else _("this channel")


def offer_buttons(ctx: Context) -> tuple[Button, ...]:
    """Make the channel a community (named after it: only when the platform told its name),
    or bind it to an existing one."""
    label = _("Make {channel} a community").format(channel=channel_label(ctx))
    make = (Button(label, "community", "bind", "primary"),)
    bind = (Button(_("Bind to an existing community"), "community", "list"),)
    return make + bind if _name(ctx) else bind


def _who_can(ctx: Context) -> str:
    if _name(ctx):
        return _(
            "A coordinator can make it a community; a focal point can bind it to theirs "
            "(held items then join it)."
        )
    return _(
        "A coordinator can make it a community by typing `community create <name>` here; a "
        "focal point can bind it to theirs (held items then join it)."
    )


def held(reply: Reply, ref: str, ctx: Context) -> Reply:
    """``reply`` to a capture, saying it is held because the channel has no community."""
    note = _(
        "{ref} is held for {channel}: this channel is not part of a community yet, "
        "so {ref} is in no digest or indicator until it is."
    ).format(ref=ref, channel=channel_label(ctx))
    note += " " + _who_can(ctx)
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
    text = _(
        "{channel} is not part of a community yet: ideas, questions and events "
        "captured here count in no community's digest or indicators."
    ).format(channel=channel_label(ctx))
    if count:
        text += " " + ngettext(
            "{n} captured item is held here.", "{n} captured items are held here.", count
        ).format(n=count)
    return Reply(
        text + " " + _who_can(ctx),
        public=True,
        buttons=offer_buttons(ctx),
    )


def bind_items(views: list[CommunityView]) -> Section:
    """Communities as items with a button that binds the current channel to each."""
    return Section(
        items=tuple(
            Item(
                v.name,
                members_and_channels(v),
                buttons=(Button(_("Bind this channel here"), "community", f"bind {v.name}"),),
            )
            for v in views
        )
    )


def members_and_channels(view: CommunityView) -> str:
    members = ngettext("{n} member", "{n} members", view.members).format(n=view.members)
    channels = ngettext("{n} channel", "{n} channels", view.channels).format(n=view.channels)
    return f"{members} · {channels}"


def joined(view: CommunityView) -> str:
    """What the binding brought along."""
    if not view.released:
        return ""
    return " " + _("{refs} joined it from this channel.").format(refs=", ".join(view.released))
