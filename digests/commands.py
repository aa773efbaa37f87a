"""The `digest preview|send` chat command: a focal point sees or posts their community's
digest of the last seven days now."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.errors import InvalidInput
from bot.grammar import commands as c
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
            raise InvalidInput("Run this in a channel bound to a community (`community bind`).")
        require_steward(uow.session, caller, community.id, "preview or send the digest")
        found = community.id, community.name
        uow.commit()
        return found


@handles(c.Digest)
def digest(deps: Deps, cmd: c.Digest, ctx: Context) -> Reply:
    community_id, name = _community(deps, ctx)
    if cmd.action == "preview":
        reply = community_digest.preview(deps, community_id=community_id, now=ctx.now)
        if reply is None:
            return Reply(f"Nothing happened in {name} in the last seven days: no digest.")
        return Reply(
            f"Preview of the {name} digest (only you see this):",
            sections=reply.sections,
            buttons=reply.buttons,
        )
    report = community_digest.run(deps, now=ctx.now, community=name, force=True)
    if report.queued:
        return Reply(f"The {name} digest is on its way to {report.queued} channel(s).")
    if report.done_before:
        return Reply(f"This week's {name} digest was already sent; it is not posted twice.")
    if not report.outgoing:
        notes = " ".join(report.notes) if report.notes else "nothing happened this week."
        return Reply(f"No digest for {name}: {notes}")
    return Reply(f"This week's {name} digest was already sent; it is not posted twice.")
