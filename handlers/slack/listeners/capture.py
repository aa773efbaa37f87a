"""Capture from a message with one click: reaction capture and suggested capture.

- Reacting with the capture emoji (``COPBOT_CAPTURE_EMOJI``, default ``bulb``) on a message
  asks the reactor, in an ephemeral message, whether to save it as an idea.
- In communities with suggested capture on, a message that looks like an idea or a request
  gets an ephemeral prompt to its author ("Save as idea" / "Ask the community").

Either way nothing is saved until someone clicks. The click (``cop:capture_<kind>``, value
``"<idea|request> <channel> <ts>"``) reads the message again from Slack and saves it with its
author and permalink; the author gets a direct message when someone else saved it. (The
action is ``capture_idea`` or ``capture_request`` so both buttons fit in one row.)

A button's value is only a hint: the channel is the one Slack says the click came from (the
signed container), a value naming another channel is refused, and the clicker must be a
member of that channel, so no click reads a message its clicker cannot see.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utcnow
from bot.grammar import commands as c
from bot.i18n import _, lazy, use_locale
from bot.messages import Button, MessageRef, Reply, Section
from bot.services import dedupe
from bot.services.suggest import Suggestion
from handlers.slack.client import webhook
from handlers.slack.deliver import Where, ephemeral
from handlers.slack.listeners.common import (
    can_see,
    fetch_message,
    permalink,
    readable,
    team_of,
)
from handlers.slack.surface import PLATFORM, SlackSurface

log = logging.getLogger(__name__)

PREVIEW = 200
NOT_HERE = lazy("That button can only save a message from this channel, for its members.")


def capture_button(label: str, kind: str, channel: str, ts: str, style: str | None) -> Button:
    return Button(label, f"capture_{kind}", f"{kind} {channel} {ts}", style)


async def prompt_reaction(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    channel: str,
    ts: str,
    event_id: str | None,
) -> None:
    if event_id is not None:
        claimed = await asyncio.to_thread(
            dedupe.claim,
            surface.container.uow(),
            platform=PLATFORM,
            key=f"event:{event_id}",
            now=utcnow(),
        )
        if not claimed:
            return
    message = await fetch_message(client, channel, ts)
    lines: tuple[str, ...] = ()
    if message is not None:
        preview = await readable(surface, client, where.team, str(message.get("text") or ""))
        if preview:
            lines = (preview[:PREVIEW] + ("…" if len(preview) > PREVIEW else ""),)
    with use_locale(await surface.language(client, where)):
        reply = Reply(
            _("Save this message as an idea? Its author is credited and gets a note."),
            sections=(Section(lines=lines),) if lines else (),
            buttons=(capture_button(_("Save as idea"), "idea", channel, ts, "primary"),),
        )
        await ephemeral(client, where, reply)


async def suggest(
    surface: SlackSurface, client: AsyncWebClient, where: Where, ts: str, suggestion: Suggestion
) -> None:
    """The ephemeral prompt to a message's author, in their language; they choose, or
    ignore it."""
    channel = where.channel or ""
    idea = suggestion.kind == "idea"
    with use_locale(await surface.language(client, where)):
        buttons = (
            capture_button(_("Save as idea"), "idea", channel, ts, "primary" if idea else None),
            capture_button(
                _("Ask the community"), "request", channel, ts, None if idea else "primary"
            ),
        )
        if idea:
            text = _("That sounds like an idea. Save it so the community can follow it up?")
        else:
            text = _(
                "That sounds like a question for the community. Save it so the community can "
                "follow it up?"
            )
        await ephemeral(client, where, Reply(text, buttons=buttons))


async def save(surface: SlackSurface, client: AsyncWebClient, where: Where, value: str) -> None:
    """A capture button was clicked: save the message it points at."""
    parts = value.split()
    if len(parts) != 3 or parts[0] not in ("idea", "request"):
        log.info("ignored a capture button with value %r", value)
        return
    kind, named, ts = parts
    channel = where.channel or ""
    if named != channel:
        log.warning(
            "capture click by %s in %s names channel %s: refused", where.user, channel, named
        )
        with use_locale(await surface.language(client, where)):
            await ephemeral(client, where, Reply(str(NOT_HERE), error=True))
        return
    if not await can_see(client, channel, where.user):
        log.warning("capture click by %s, not a member of %s: refused", where.user, channel)
        with use_locale(await surface.language(client, where)):
            await ephemeral(client, where, Reply(str(NOT_HERE), error=True))
        return
    message = await fetch_message(client, channel, ts)
    if message is None:
        with use_locale(await surface.language(client, where)):
            sorry = _("I can't read that message. Invite me to the channel and try again.")
            await ephemeral(client, where, Reply(sorry, error=True))
        return
    text = await readable(surface, client, where.team, str(message.get("text") or ""))
    author = None
    if message.get("user"):
        author = await surface.people.actor(client, where.team, str(message["user"]))
    source = MessageRef(channel, ts, await permalink(client, channel, ts), author=author)
    command = c.NewIdea(text or None) if kind == "idea" else c.Ask(text or None)
    here = replace(where, channel=channel, thread_ts=None)
    prepared = await surface.command(client, here, command, source=source)
    if prepared is not None and not prepared.reply.error and where.response_url:
        await webhook(where.response_url, client).send_dict({"delete_original": True})


def register(app: AsyncApp, surface: SlackSurface) -> None:
    emoji = surface.settings.copbot_capture_emoji.strip(":")

    @app.event("reaction_added")
    async def reaction_added(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        item = event.get("item") or {}
        if event.get("reaction") != emoji or item.get("type") != "message" or not event.get("user"):
            return
        channel, ts = str(item.get("channel") or ""), str(item.get("ts") or "")
        if not channel or not ts:
            return
        where = Where(team=team_of(context, body), user=str(event["user"]), channel=channel)
        surface.spawn(
            prompt_reaction(surface, client, where, channel, ts, body.get("event_id")),
            what="reaction capture",
        )
