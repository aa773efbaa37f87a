"""The `digest preview|send` chat command: a focal point sees or posts their community's
digest of the last seven days now."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.errors import InvalidInput
from bot.grammar import commands as c
from bot.i18n import _, ngettext
from bot.messages import Reply
from bot.services.access import load_caller, require_steward
from bot.services.context import Context
from digests import community_digest


def _community(deps: Deps, ctx: Context) -> tuple[int, str]:
    """The channel's community, if the caller may run its digest."""
    with deps.uow() as uow:
        caller = load_caller(uow.session, ctx)
        community = caller.community
        if community is None:
            raise InvalidInput(_("Run this in a channel bound to a community (`community bind`)."))
        require_steward(uow.session, caller, community.id, _("preview or send the digest"))
        found = community.id, community.name
        uow.commit()
        return found


@handles(c.Digest)
def digest(deps: Deps, cmd: c.Digest, ctx: Context) -> Reply:
    community_id, name = _community(deps, ctx)
    if cmd.action == "preview":
        reply = community_digest.preview(deps, community_id=community_id, now=ctx.now)
        if reply is None:
            return Reply(
                _("Nothing happened in {name} in the last seven days: no digest.").format(name=name)
            )
        return Reply(
            _("Preview of the {name} digest (only you see this):").format(name=name),
            sections=reply.sections,
            buttons=reply.buttons,
        )
    report = community_digest.run(deps, now=ctx.now, community=name, force=True)
    if report.queued:
        return Reply(
            ngettext(
                "The {name} digest is on its way to {n} channel.",
                "The {name} digest is on its way to {n} channels.",
                report.queued,
            ).format(name=name, n=report.queued)
        )
    if not report.outgoing and not report.done_before:
        if report.unbound:
            why = _("No digest for {name}: no channel is bound to it (`community bind`).")
        elif report.quiet:
            why = _("No digest for {name}: nothing happened this week.")
        else:
            why = _("No digest for {name}: it is not enabled.")
        return Reply(why.format(name=name))
    return Reply(
        _("This week's {name} digest was already sent; it is not posted twice.").format(name=name)
    )
