"""Messages in channels: participation counting and suggested capture; direct messages to
the bot are commands.

Only people's own messages count: no bots, no edits, joins or other system subtypes (a
reply also sent to the channel, ``thread_broadcast``, counts once). The text is never stored.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import participation, suggest
from bot.services.context import Context
from handlers.slack import text
from handlers.slack.deliver import Where
from handlers.slack.listeners import capture
from handlers.slack.listeners.common import run_text, team_of
from handlers.slack.surface import SlackSurface

COUNTED_SUBTYPES = frozenset({None, "thread_broadcast"})


def by_a_person(event: dict[str, Any]) -> bool:
    """A message a person wrote (not a bot, not an edit, join or other system message)."""
    return (
        event.get("subtype") in COUNTED_SUBTYPES
        and not event.get("bot_id")
        and not event.get("hidden")
        and bool(event.get("user"))
    )


def _when(event: dict[str, Any]) -> datetime:
    try:
        return datetime.fromtimestamp(float(event.get("ts") or 0), UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


async def count(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    event: dict[str, Any],
    event_id: str | None,
    cooldown: suggest.Cooldown,
    bot_user_id: str | None = None,
) -> None:
    actor, is_bot = await surface.people.lookup(client, where.team, where.user)
    if is_bot:
        return
    ctx = Context(
        actor=actor, channel=where.channel or "", now=_when(event), settings=surface.settings
    )
    key = f"event:{event_id}" if event_id else None
    seen = await asyncio.to_thread(
        participation.record_message, surface.container.uow, ctx, event_id=key
    )
    raw = str(event.get("text") or "")
    if seen.duplicate or not seen.suggest_capture or event.get("thread_ts"):
        return
    if bot_user_id and f"<@{bot_user_id}" in raw:
        return  # a command to the bot, answered as a mention
    suggestion = await asyncio.to_thread(suggest.classify, text.plain(raw))
    if suggestion is not None and cooldown.ready(where.team, where.user, where.channel or ""):
        await capture.suggest(surface, client, where, str(event["ts"]), suggestion)


def register(app: AsyncApp, surface: SlackSurface) -> None:
    cooldown = suggest.Cooldown()

    @app.event("message")
    async def message(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if not by_a_person(event):
            return
        where = Where(
            team=team_of(context, body), user=str(event["user"]), channel=event.get("channel")
        )
        event_id = body.get("event_id")
        if event.get("channel_type") == "im":
            line = text.without_mention(str(event.get("text") or ""), context.bot_user_id)
            surface.spawn(
                run_text(
                    surface, client, where, line, key=f"event:{event_id}", claim_read_only=True
                ),
                what="direct message",
            )
            return
        surface.spawn(
            count(surface, client, where, event, event_id, cooldown, context.bot_user_id),
            what="message count",
        )
