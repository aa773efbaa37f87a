"""Shortcuts: "Save as idea", "Save as request" and "Give feedback" on a message open the
form filled in from the message, which keeps the message as the item's source (its author
and permalink); the global "New idea" shortcut opens an empty idea form."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.forms import prefill
from bot.i18n import use_locale
from bot.messages import Form
from handlers.slack.deliver import Where, hold_trigger, metadata, open_form
from handlers.slack.listeners.common import interaction_where, readable
from handlers.slack.surface import SlackSurface

MESSAGE_SHORTCUTS = {
    "cop_save_idea": "idea",
    "cop_save_request": "request",
    "cop_give_feedback": "feedback",
}
NEW_IDEA = "cop_new_idea"


async def open_from_message(
    surface: SlackSurface, client: AsyncWebClient, where: Where, kind: str, message: dict[str, Any]
) -> None:
    with use_locale(await surface.language(client, where, quick=True)):
        where = await hold_trigger(client, where)  # reading the message may take a while
    raw = str(message.get("text") or "")
    text = await readable(surface, client, where.team, raw)
    src = {"channel": where.channel, "ts": message.get("ts"), "user": message.get("user")}
    with use_locale(await surface.language(client, where)):
        form = await surface.form(Form(kind, prefill(kind, text)))
        await open_form(client, where, form, private=metadata(where, src=src))


async def open_empty(surface: SlackSurface, client: AsyncWebClient, where: Where) -> None:
    with use_locale(await surface.language(client, where, quick=True)):
        await open_form(client, where, await surface.form(Form("idea")))


def register(app: AsyncApp, surface: SlackSurface) -> None:
    pattern = re.compile("^(" + "|".join(MESSAGE_SHORTCUTS) + ")$")

    @app.shortcut(pattern)
    async def message_shortcut(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        kind = MESSAGE_SHORTCUTS[str(body["callback_id"])]
        where = interaction_where(body, context)
        message = body.get("message") or {}
        surface.spawn(
            open_from_message(surface, client, where, kind, message), what=f"{kind} shortcut"
        )

    @app.shortcut(NEW_IDEA)
    async def new_idea(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        where = interaction_where(body, context)
        surface.spawn(open_empty(surface, client, where), what="new idea shortcut")
