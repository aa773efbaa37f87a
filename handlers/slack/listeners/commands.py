"""The slash command and ``@cop-bot`` mentions: the whole grammar, as typed."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from handlers.slack import text
from handlers.slack.deliver import Where
from handlers.slack.listeners.common import run_text, team_of
from handlers.slack.surface import SlackSurface


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.command(surface.settings.copbot_slash_command)
    async def slash_command(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        where = Where(
            team=team_of(context, body),
            user=str(body.get("user_id") or ""),
            channel=body.get("channel_id"),
            channel_name=body.get("channel_name"),
            response_url=body.get("response_url"),
            trigger_id=body.get("trigger_id"),
        )
        key = f"command:{where.trigger_id}" if where.trigger_id else None
        surface.spawn(
            run_text(surface, client, where, str(body.get("text") or ""), key=key),
            what="slash command",
        )

    @app.event("app_mention")
    async def app_mention(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if event.get("bot_id") or not event.get("user"):
            return
        where = Where(
            team=team_of(context, body),
            user=str(event["user"]),
            channel=event.get("channel"),
            thread_ts=event.get("thread_ts"),
        )
        line = text.without_mention(str(event.get("text") or ""), context.bot_user_id)
        surface.spawn(
            run_text(
                surface,
                client,
                where,
                line,
                key=f"event:{body.get('event_id')}",
                claim_read_only=True,
            ),
            what="mention",
        )
