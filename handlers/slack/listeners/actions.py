"""Buttons on the bot's messages and App Home (``action_id`` ``cop:<action>:<n>``; ``n``
numbers the buttons of one message so that each has its own id and siblings share a row).

A click is just another command from the person who clicked: ``vote I-12``,
``advance I-12 pilot``… so the services check it like any command, on the server. Pulse
answers (``pulse``, value ``<question id>:<score>``), capture prompts (``capture``) and
form buttons (``form``) and the import review list (``review_*``) have their own small
handlers.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Runner
from bot.commands.data import pulse_reply
from bot.forms import FORMS
from bot.i18n import use_locale
from bot.messages import Form, Reply
from bot.services import pulse
from bot.services.context import Context
from handlers.slack.deliver import Where, open_form, update_source
from handlers.slack.listeners.capture import save
from handlers.slack.listeners.common import interaction_where
from handlers.slack.listeners.home import publish_home
from handlers.slack.listeners.review import REVIEW_ACTIONS, decide
from handlers.slack.surface import Prepared, SlackSurface

log = logging.getLogger(__name__)

# Buttons that are command lines: "<action> <value>".
COMMAND_ACTIONS = frozenset(
    {
        "vote",
        "offer",
        "resolve",
        "advance",
        "attend",
        "rate",
        "show",
        "settings",
        "handover",
        "support",
        "keep",
        "notify",
        "community",
        "language",
    }
)
CAPTURE_ACTIONS = frozenset({"capture", "capture_idea", "capture_request"})
ACTION_ID = re.compile(r"^cop:([a-z_-]{1,40})(?::\d{1,4})?$")


def _pulse_job(value: str) -> Any:
    def job(runner: Runner, ctx: Context) -> Reply:
        return pulse_reply(pulse.answer_button(runner.deps.uow(), ctx, value))

    return job


async def click(
    surface: SlackSurface, client: AsyncWebClient, where: Where, action: str, value: str
) -> None:
    prepared: Prepared | None = None
    if action == "form":
        if value in FORMS:
            with use_locale(await surface.language(client, where, quick=True)):
                await open_form(client, where, await surface.form(Form(value)))
    elif action in CAPTURE_ACTIONS:
        await save(surface, client, where, value)
    elif action in REVIEW_ACTIONS:
        await decide(surface, client, where, action, value)
    elif action == "pulse":
        inbound = await surface.inbound(client, where)
        prepared = await surface.answer(client, where, inbound, _pulse_job(value))
    elif action in COMMAND_ACTIONS:
        prepared = await surface.line(client, where, f"{action} {value}")
    else:
        log.info("ignored an unknown button %r", action)
        return
    if prepared is not None and not prepared.reply.error and not where.in_home:
        await update_source(client, where, prepared.reply)
    if where.in_home:
        await publish_home(surface, client, where.team, where.user)


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.action(ACTION_ID)
    async def button(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        matched = ACTION_ID.match(str(action.get("action_id", "")))
        name = matched.group(1) if matched else ""
        value = " ".join(str(action.get("value") or "").split())
        where = interaction_where(body, context)
        surface.spawn(click(surface, client, where, name, value), what=f"{name} button")
