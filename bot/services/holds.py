"""Captures in a channel that is not part of a community yet.

Every platform does the same (Slack, Teams and the console): an idea, request or event
captured in an unbound channel is saved at once and *held* for that channel; the person is
told so and offered to make the channel a community or bind it to an existing one. When the
channel is bound, by whichever way, what it held joins that community.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.services.context import Context
from storage.models import ChannelBinding, Event, HeldCapture, HelpRequest, Idea

_MODELS: dict[str, tuple[str, type[Idea] | type[HelpRequest] | type[Event]]] = {
    "idea": ("I", Idea),
    "request": ("R", HelpRequest),
    "event": ("E", Event),
}


def holds_here(ctx: Context) -> bool:
    """Whether a capture without a community in ``ctx`` is held (a shared channel)."""
    return not ctx.direct and bool(ctx.channel)


def hold(session: Session, ctx: Context, *, kind: str, item_id: int) -> None:
    """Keep ``kind`` ``item_id`` for the caller's channel until it is bound."""
    session.add(
        HeldCapture(
            platform=ctx.actor.platform.value,
            workspace=ctx.actor.workspace,
            channel_id=ctx.channel,
            channel_name=ctx.channel_name,
            item_kind=kind,
            item_id=item_id,
            held_at=ctx.now,
        )
    )
    session.flush()


def release(session: Session, binding: ChannelBinding) -> list[str]:
    """Move what the bound channel held into its community; the refs that moved."""
    rows: Sequence[HeldCapture] = session.scalars(
        select(HeldCapture)
        .where(
            HeldCapture.platform == binding.platform,
            HeldCapture.workspace == binding.workspace,
            HeldCapture.channel_id == binding.channel_id,
        )
        .order_by(HeldCapture.id)
    ).all()
    moved: list[str] = []
    for row in rows:
        prefix, model = _MODELS[row.item_kind]
        done = session.execute(
            update(model)
            .where(model.id == row.item_id, model.community_id.is_(None))
            .values(community_id=binding.community_id)
        )
        if getattr(done, "rowcount", 0):
            moved.append(f"{prefix}-{row.item_id}")
    if rows:
        session.execute(delete(HeldCapture).where(HeldCapture.id.in_([r.id for r in rows])))
    return moved


def held_count(session: Session, ctx: Context) -> int:
    return len(
        session.scalars(
            select(HeldCapture.id).where(
                HeldCapture.platform == ctx.actor.platform.value,
                HeldCapture.workspace == ctx.actor.workspace,
                HeldCapture.channel_id == ctx.channel,
            )
        ).all()
    )
