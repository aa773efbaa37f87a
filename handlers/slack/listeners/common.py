"""Helpers the listeners share: where a payload came from, reading a message, command text."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import CopError
from bot.grammar import commands as c
from bot.grammar.parser import parse
from bot.i18n import _, use_locale
from bot.messages import Form, Reply
from handlers.slack import text
from handlers.slack.deliver import Where, ephemeral, hold_trigger, open_form
from handlers.slack.surface import SlackSurface

log = logging.getLogger(__name__)

# Command lines that open a form when nothing follows them (idea, ask and feedback open
# theirs through the core).
BARE_FORMS = {"event": "event", "event add": "event"}


def team_of(context: AsyncBoltContext, body: dict[str, Any]) -> str:
    return str(context.team_id or body.get("team_id") or (body.get("team") or {}).get("id") or "")


def interaction_where(body: dict[str, Any], context: AsyncBoltContext) -> Where:
    """Where a shortcut, button or form came from."""
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    view = body.get("view") or {}
    message = body.get("message") or {}
    message_ts = container.get("message_ts") if container.get("type") == "message" else None
    actions = body.get("actions") or [{}]
    return Where(
        team=team_of(context, body),
        user=str(user.get("id") or ""),
        channel=channel.get("id") or container.get("channel_id"),
        channel_name=channel.get("name"),
        response_url=body.get("response_url"),
        trigger_id=body.get("trigger_id"),
        # what a click on a channel message posts goes into that message's thread
        thread_ts=None
        if not message_ts or container.get("is_ephemeral")
        else (message.get("thread_ts") or message_ts),
        in_home=view.get("type") == "home",
        message_ts=message_ts,
        ephemeral_source=bool(container.get("is_ephemeral")),
        source_blocks=tuple(message.get("blocks") or ()),
        source_text=message.get("text"),
        action_id=actions[0].get("action_id"),
    )


MEMBER_PAGES = 20  # up to 20,000 members checked


async def can_see(client: AsyncWebClient, channel: str, user: str) -> bool:
    """Whether ``user`` is a member of ``channel`` (so may read its messages)."""
    cursor: str | None = None
    for _page in range(MEMBER_PAGES):
        try:
            answer = await client.conversations_members(channel=channel, limit=1000, cursor=cursor)
        except SlackApiError as error:
            log.warning("could not list members of %s: %s", channel, error.response.get("error"))
            return False
        if user in (answer.get("members") or []):
            return True
        cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return False
    return False


async def fetch_message(client: AsyncWebClient, channel: str, ts: str) -> dict[str, Any] | None:
    """The message at ``ts`` in ``channel`` (top level or in a thread), or None."""
    try:
        found = await client.conversations_history(
            channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
        )
        for message in found.get("messages") or []:
            if message.get("ts") == ts:
                return dict(message)
        replies = await client.conversations_replies(
            channel=channel, ts=ts, latest=ts, inclusive=True, limit=1
        )
        for message in replies.get("messages") or []:
            if message.get("ts") == ts:
                return dict(message)
    except SlackApiError as error:
        log.warning("could not read message %s in %s: %s", ts, channel, error.response.get("error"))
    return None


async def permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    try:
        answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as error:
        log.warning("no permalink for %s in %s: %s", ts, channel, error.response.get("error"))
        return None
    link = answer.get("permalink")
    return str(link) if link else None


async def readable(surface: SlackSurface, client: AsyncWebClient, team: str, raw: str) -> str:
    """Slack message text as plain text, with mentioned people's names looked up."""
    names = await surface.people.names(client, team, text.user_ids(raw)[:3])
    return text.plain(raw, names=names).strip()


def opens_form(line: str, *, command_name: str) -> bool:
    """Whether a command line only opens a form (``idea``, ``ask``, ``feedback``, ``event``)."""
    if " ".join(line.lower().split()) in BARE_FORMS:
        return True
    try:
        command = parse(line, command_name=command_name)
    except CopError:
        return False
    if isinstance(command, c.NewIdea | c.Ask):
        return command.text is None
    if isinstance(command, c.GiveFeedback):
        return command.target is None and command.rating is None and not command.text
    return False


async def run_text(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    raw: str,
    *,
    key: str | None,
    claim_read_only: bool = False,
) -> None:
    """Run a command line typed in Slack (slash command, mention, direct message). A line that
    opens a form opens the loading modal first, while the trigger id is fresh."""
    if opens_form(raw, command_name=surface.settings.command_name):
        with use_locale(await surface.language(client, where, quick=True)):
            where = await hold_trigger(client, where)
    names = await surface.people.names(client, where.team, text.user_ids(raw))
    line = text.command_line(raw, names=names) or "help"
    bare = " ".join(line.lower().split())
    if bare in BARE_FORMS:
        with use_locale(await surface.language(client, where)):
            if not await open_form(client, where, Form(BARE_FORMS[bare])):
                usage = f'{surface.settings.copbot_slash_command} event add "<title>" <YYYY-MM-DD>'
                said = _("Add an event with `{usage} [kind]`.").format(usage=usage)
                await ephemeral(client, where, Reply(said))
        return
    await surface.line(client, where, line, key=key, claim_read_only=claim_read_only)
