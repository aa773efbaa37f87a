"""The review list in App Home: past messages an import found that read like ideas or
questions, for the focal points of their communities (and coordinators).

No text is stored for them: each one is read from Slack when the list is shown, and again
when someone clicks "Save as idea" or "Ask the community" (``cop:review_idea`` /
``cop:review_request``, value: the candidate id), so what is saved is the message as it is
now, with its original author, date and permalink. ``cop:review_dismiss`` drops it from
the list. Who may do either is checked by the service on every click.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utcnow
from bot.commands import Runner
from bot.errors import CopError
from bot.i18n import _, current, use_locale
from bot.importing import review
from bot.messages import Inbound, Reply, Section
from bot.services.context import Context
from bot.text import cut
from handlers.slack.deliver import Where, ephemeral
from handlers.slack.listeners.common import fetch_message, permalink, readable
from handlers.slack.surface import SlackSurface

log = logging.getLogger(__name__)

REVIEW_ACTIONS = frozenset({"review_idea", "review_request", "review_dismiss"})
PREVIEW = 280

T = TypeVar("T")


def _in_thread(
    surface: SlackSurface,
    inbound: Inbound,
    call: Callable[[Context], T],
    language: str | None = None,
) -> T:
    """``call`` with the caller's context; its refusals in ``language`` when given."""
    runner = Runner(
        uow=surface.container.uow, settings=surface.settings, extras=surface.container.extras
    )
    with use_locale(language or current()):
        return call(runner.context(inbound, now=utcnow()))


async def _text(
    surface: SlackSurface, client: AsyncWebClient, team: str, channel: str, ts: str
) -> str:
    message = await fetch_message(client, channel, ts)
    if message is None:
        return ""
    return await readable(surface, client, team, str(message.get("text") or ""))


async def review_section(
    surface: SlackSurface, client: AsyncWebClient, where: Where, inbound: Inbound
) -> Section | None:
    """The caller's review list with each message read from Slack; None when they review
    nothing."""
    uow = surface.container.uow
    pending = await asyncio.to_thread(
        _in_thread, surface, inbound, lambda ctx: review.pending(uow(), ctx)
    )
    if pending is None:
        return None
    items = []
    for candidate in pending.candidates:
        text = await _text(surface, client, where.team, candidate.channel_id, candidate.ts)
        text = cut(text, PREVIEW, "…")
        items.append(review.item(candidate, text or None))
    return review.section(tuple(items), pending.more)


async def decide(
    surface: SlackSurface, client: AsyncWebClient, where: Where, action: str, value: str
) -> None:
    """A review button was clicked: save the message as an idea or request, or dismiss it."""
    if not value.isdigit():
        log.info("ignored a review button with value %r", value)
        return
    candidate_id = int(value)
    uow = surface.container.uow
    inbound = await surface.inbound(client, where)
    if action == "review_dismiss":
        await surface.answer(
            client,
            where,
            inbound,
            lambda runner, ctx: review.dismiss(runner.deps.uow(), ctx, candidate_id=candidate_id),
        )
        return
    spoken = await surface.language(client, where)
    try:
        location = await asyncio.to_thread(
            _in_thread,
            surface,
            inbound,
            lambda ctx: review.locate(uow(), ctx, candidate_id=candidate_id),
            spoken,
        )
    except CopError as error:
        await ephemeral(client, where, Reply(error.reply_text(), error=True))
        return
    text = await _text(surface, client, where.team, location.channel_id, location.ts)
    if not text:
        with use_locale(spoken):
            sorry = _("I can't read that message. Invite me to its channel and try again.")
        await ephemeral(client, where, Reply(sorry, error=True))
        return
    link = await permalink(client, location.channel_id, location.ts) or location.permalink
    kind = action.removeprefix("review_")

    def job(runner: Runner, ctx: Context) -> Reply:
        return review.capture(
            runner.deps.uow(), ctx, candidate_id=candidate_id, kind=kind, text=text, permalink=link
        )

    await surface.answer(client, where, inbound, job)
