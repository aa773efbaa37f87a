"""Channel messages that do not mention the bot, which Teams delivers thanks to the app's
resource-specific consent (``ChannelMessage.Read.Group``): they are counted for participation
(a count, never the text) and, in communities with suggested capture on, a message that looks
like an idea or a question gets a prompt in its author's personal chat with the bot, with
"Save as idea" / "Ask the community" buttons, as on Slack. Nothing is saved without a click.

A capture button carries the message (channel, id, link and text) in its own data, since the
bot cannot read the channel back later; the click saves it in the channel's community with
its author and a link to it.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.commands import Runner
from bot.errors import CopError
from bot.grammar import commands as c
from bot.i18n import _
from bot.messages import Button, Inbound, MessageRef, Reply
from bot.services import participation, suggest
from handlers.teams import activity as teams
from handlers.teams import once

if TYPE_CHECKING:
    from handlers.teams.bot import CopTeamsBot

CAPTURE_ACTIONS = frozenset({"capture_idea", "capture_request"})
MAX_CAPTURED_TEXT = 3000
_ROOT = re.compile(r";messageid=(\d+)$")


def in_thread(activity: Activity) -> bool:
    """A reply in a thread (not the post that starts it): not suggested, as on Slack."""
    conversation = activity.conversation.id if activity.conversation else ""
    root = _ROOT.search(conversation or "")
    return root is not None and root.group(1) != str(activity.id or "")


def by_a_person(activity: Activity) -> bool:
    sender = activity.from_property
    return sender is not None and (sender.role or "user") != "bot"


def plain_text(activity: Activity) -> str:
    text = activity.text or ""
    if activity.text_format == "xml" or "<" in text:
        return teams.html_to_text(text)
    return text.strip()


def message_link(activity: Activity) -> str | None:
    """Teams' deep link to the message."""
    channel, message = teams.channel_id(activity), str(activity.id or "")
    if not channel or not message.isdigit():
        return None
    tenant = teams.tenant_id(activity)
    return (
        f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{message}"
        f"?tenantId={quote(tenant, safe='')}&parentMessageId={message}"
    )


@dataclass(frozen=True, slots=True)
class Captured:
    channel: str
    message: str
    link: str | None
    text: str


def capture_value(activity: Activity, text: str) -> str:
    data = {
        "channel": teams.channel_id(activity),
        "message": str(activity.id or ""),
        "link": message_link(activity),
        "text": text[:MAX_CAPTURED_TEXT],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def read_value(value: str) -> Captured | None:
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get("channel") or not data.get("text"):
        return None
    link = data.get("link")
    return Captured(
        str(data["channel"]),
        str(data.get("message") or ""),
        str(link) if link else None,
        str(data["text"]),
    )


def prompt(kind: str, value: str) -> Reply:
    """The private prompt to the author (their personal chat: Teams has no ephemeral posts)."""
    if kind == "idea":
        text = _(
            "Your message in the channel sounds like an idea. "
            "Save it so the community can follow it up?"
        )
    else:
        text = _(
            "Your message in the channel sounds like a question for the community. "
            "Save it so the community can follow it up?"
        )
    return Reply(
        text,
        buttons=(
            Button(_("Save as idea"), "capture_idea", value, "primary" if kind == "idea" else None),
            Button(
                _("Ask the community"),
                "capture_request",
                value,
                "primary" if kind == "request" else None,
            ),
        ),
    )


def save(runner: Runner, action: str, value: str, inbound: Inbound, *, now: datetime) -> Reply:
    """A capture button: save the message in its channel's community, with its author (the
    person clicking, who wrote it) and its link."""
    found = read_value(value)
    if found is None:
        return Reply(
            _("That button no longer works. Type `help` to see what you can do."), error=True
        )
    source = MessageRef(
        found.channel, found.message, found.link, author=inbound.actor, text=found.text
    )
    there = replace(inbound, channel=found.channel, channel_name=None, direct=False, source=source)
    command: c.Command = c.NewIdea(found.text) if action == "capture_idea" else c.Ask(found.text)
    try:
        return runner.run(command, runner.context(there, now=now))
    except CopError as error:
        return Reply(error.reply_text(), error=True)


async def seen(bot: CopTeamsBot, turn_context: TurnContext) -> None:
    """A channel message without a mention: count it once, and maybe suggest a capture."""
    activity = turn_context.activity
    if teams.conversation_type(activity) != "channel" or not by_a_person(activity):
        return
    text = plain_text(activity)
    if not text:
        return
    who = await bot.directory.actor(turn_context)
    inbound = teams.inbound(activity, who, "")
    ctx = bot.runner.context(inbound, now=bot.clock())
    counted = await asyncio.to_thread(
        participation.record_message, bot.runner.uow, ctx, event_id=once.key_of(activity)
    )
    if counted.duplicate or not counted.suggest_capture or in_thread(activity):
        return
    suggestion = await asyncio.to_thread(suggest.classify, text)
    if suggestion is None or not bot.cooldown.ready(who.workspace, who.user_id, ctx.channel):
        return
    await bot.delivery.reply(
        turn_context, prompt(suggestion.kind, capture_value(activity, text)), who
    )
