"""Teams redelivers an activity it thinks was lost; each message activity is handled once.

The activity's id (with its conversation) is recorded in ``processed_events`` in the same
transaction as what the command changed, or on its own for a command that changed nothing,
so a redelivery neither saves twice nor answers twice, whichever process it reaches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from botbuilder.schema import Activity, ActivityTypes

from bot.commands import Runner
from bot.messages import Reply
from bot.services import dedupe

PLATFORM = "teams"


def key_of(activity: Activity) -> str | None:
    """The delivery key of a message activity (None for others: invokes are answered)."""
    if activity.type != ActivityTypes.message or not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation else ""
    return f"activity:{conversation}:{activity.id}"


def run(
    runner: Runner, key: str | None, now: datetime, job: Callable[[Runner], Reply]
) -> Reply | None:
    """``job`` with a runner whose first commit records ``key``; None when ``key`` was
    handled already."""
    if key is None:
        return job(runner)
    once = dedupe.OnceUnitOfWorkFactory(
        runner.uow.session_factory, platform=PLATFORM, key=key, now=now
    )
    try:
        reply = job(Runner(uow=once, settings=runner.settings, extras=runner.extras))
    except dedupe.DuplicateDelivery:
        return None
    if not once.marked and not dedupe.claim(runner.uow(), platform=PLATFORM, key=key, now=now):
        return None
    return reply
