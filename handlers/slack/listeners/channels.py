"""The bot is invited to a channel (``member_joined_channel`` for the bot user): when the
channel is not part of a community yet, it says so in the channel and offers to make it one
or bind it to an existing one, the same offer a capture there gets."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Runner
from bot.commands.channels import meet
from bot.messages import Reply
from bot.services.context import Context
from handlers.slack.deliver import Where, public
from handlers.slack.listeners.common import team_of
from handlers.slack.surface import SlackSurface

NOTHING = Reply("")


async def _channel_name(client: AsyncWebClient, channel: str) -> str | None:
    try:
        info = await client.conversations_info(channel=channel)
    except SlackApiError:
        return None
    name = (info.get("channel") or {}).get("name")
    return str(name) if name else None


async def bot_joined(
    surface: SlackSurface, client: AsyncWebClient, where: Where, event_id: str | None
) -> None:
    name = await _channel_name(client, where.channel or "")
    here = Where(team=where.team, user=where.user, channel=where.channel, channel_name=name)
    inbound = await surface.inbound(client, here)

    def job(runner: Runner, ctx: Context) -> Reply:
        return meet(runner.uow(), ctx) or NOTHING

    key = f"event:{event_id}" if event_id else None
    prepared = await surface.run(client, inbound, job, key=key, claim_read_only=True)
    if prepared is not None and prepared.reply.text:
        await public(client, here, prepared.reply)


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.event("member_joined_channel")
    async def member_joined_channel(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if not context.bot_user_id or event.get("user") != context.bot_user_id:
            return  # people joining need no offer
        channel = str(event.get("channel") or "")
        if not channel:
            return
        who = str(event.get("inviter") or event.get("user"))
        where = Where(team=team_of(context, body), user=who, channel=channel)
        surface.spawn(
            bot_joined(surface, client, where, body.get("event_id")), what="bot joined channel"
        )
