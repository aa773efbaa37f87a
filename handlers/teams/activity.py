"""Read what the core needs out of a Teams activity: who, where, which conversation reference.

Teams puts the tenant, team and channel in ``channelData``; a channel message's conversation id
is the channel id plus ``;messageid=<thread>``. Everything here is a pure function of the
activity, so it is tested on the recorded traffic directly.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationAccount, ConversationReference
from botbuilder.schema.teams import MessageActionsPayload

from bot.messages import Actor, Inbound, MessageRef, Platform
from bot.services.conversations import channel_key, user_key

NO_TENANT = "default"  # the Bot Framework Emulator and other non-Teams channels send no tenant
_THREAD = re.compile(r";messageid=\d+$")


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    if isinstance(data, dict):
        return data
    if data is not None and hasattr(data, "serialize"):
        serialized: dict[str, Any] = data.serialize()
        return serialized
    return {}


def _name_and_id(data: dict[str, Any], field: str) -> tuple[str | None, str | None]:
    value = data.get(field)
    if not isinstance(value, dict):
        return None, None
    return value.get("name") or None, value.get("id") or None


def tenant_id(activity: Activity) -> str:
    _, tenant = _name_and_id(channel_data(activity), "tenant")
    conversation = activity.conversation
    return tenant or (conversation.tenant_id if conversation else None) or NO_TENANT


def conversation_type(activity: Activity) -> str:
    """``personal``, ``groupChat`` or ``channel`` (older payloads leave it out)."""
    conversation = activity.conversation or ConversationAccount()
    if conversation.conversation_type:
        return str(conversation.conversation_type)
    if _name_and_id(channel_data(activity), "channel")[1]:
        return "channel"
    return "groupChat" if conversation.is_group else "personal"


def is_personal(activity: Activity) -> bool:
    return conversation_type(activity) == "personal"


def channel_id(activity: Activity) -> str:
    """Where a command was given: the channel (not the thread), else the chat."""
    _, channel = _name_and_id(channel_data(activity), "channel")
    if channel and conversation_type(activity) == "channel":
        return channel
    conversation = activity.conversation.id if activity.conversation else None
    return _THREAD.sub("", conversation or "")


def channel_name(activity: Activity) -> str | None:
    data = channel_data(activity)
    name, _ = _name_and_id(data, "channel")
    team, _ = _name_and_id(data, "team")
    if conversation_type(activity) != "channel":
        return None
    return name or team


def user_id(activity: Activity) -> str:
    sender = activity.from_property
    return str(sender.aad_object_id or sender.id) if sender else ""


def actor(activity: Activity, *, email: str | None = None) -> Actor:
    sender = activity.from_property
    return Actor(
        platform=Platform.TEAMS,
        workspace=tenant_id(activity),
        user_id=user_id(activity),
        display_name=(sender.name if sender else None) or None,
        email=email,
        locale=activity.locale or None,
    )


def inbound(
    activity: Activity, who: Actor, text: str, *, source: MessageRef | None = None
) -> Inbound:
    return Inbound(
        actor=who,
        channel=channel_id(activity),
        text=text,
        channel_name=channel_name(activity),
        source=source,
        direct=is_personal(activity),
    )


def _bot_mentions(activity: Activity) -> list[str]:
    """The text (``<at>name</at>``) of every mention of the bot in the message."""
    recipient = activity.recipient.id if activity.recipient else None
    found: list[str] = []
    for entity in TurnContext.get_mentions(activity):
        props = entity.additional_properties or {}
        if (props.get("mentioned") or {}).get("id") == recipient and recipient:
            found.append(str(props.get("text") or ""))
    return found


def command_text(activity: Activity) -> str | None:
    """The command in a message, or None when the message is not for the bot.

    In a personal chat every message is a command; elsewhere only messages that @mention
    the bot are, with the mention taken out.
    """
    mentions = _bot_mentions(activity)
    if not mentions and not is_personal(activity):
        return None
    text = activity.text or ""
    if mentions:
        text = TurnContext.remove_recipient_mention(activity) or ""
        for mention in mentions:  # the SDK matches names as patterns; finish the job literally
            if mention:
                text = text.replace(mention, " ")
    return _plain(text)


def _plain(text: str) -> str:
    return html.unescape(text.replace("\xa0", " ")).strip()


def reference_key(activity: Activity) -> str:
    if is_personal(activity):
        return user_key(user_id(activity))
    return channel_key(channel_id(activity))


def reference(activity: Activity) -> dict[str, Any]:
    """The conversation reference to store, as JSON. A channel's points at the channel itself,
    so proactive posts start a new thread rather than answer an old one."""
    ref: ConversationReference = TurnContext.get_conversation_reference(activity)
    ref.activity_id = None
    if conversation_type(activity) == "channel" and ref.conversation is not None:
        ref.conversation.id = channel_id(activity)
    tenant = tenant_id(activity)
    if ref.conversation is not None and tenant != NO_TENANT:
        ref.conversation.tenant_id = tenant
    serialized: dict[str, Any] = ref.serialize()
    return serialized


class _Text(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    """Plain text of a Teams message body (HTML): tags dropped, line breaks kept."""
    parser = _Text()
    parser.feed(content)
    parser.close()
    lines = ("".join(parser.parts).replace("\xa0", " ")).splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())


def message_link(activity: Activity) -> str | None:
    """A deep link to the channel message ``activity`` (where an item was captured by an
    @mention), or None outside channels."""
    if conversation_type(activity) != "channel" or not activity.id:
        return None
    channel = channel_id(activity)
    conversation = activity.conversation.id if activity.conversation else ""
    root = conversation.partition(";messageid=")[2] or activity.id
    query = urlencode({"tenantId": tenant_id(activity), "parentMessageId": root})
    return f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{activity.id}?{query}"


def message_source(activity: Activity, payload: MessageActionsPayload | None) -> MessageRef | None:
    """The message a message action (``…`` → More actions) was used on: its text, link and
    author."""
    if payload is None:
        return None
    user = payload.from_property.user if payload.from_property else None
    author = None
    if user is not None and user.id:
        author = Actor(
            platform=Platform.TEAMS,
            workspace=tenant_id(activity),
            user_id=str(user.id),
            display_name=user.display_name or None,
        )
    body = payload.body.content if payload.body and payload.body.content else ""
    plain = html_to_text(body) if payload.body and payload.body.content_type == "html" else body
    return MessageRef(
        channel=channel_id(activity),
        ts=str(payload.id or ""),
        permalink=payload.link_to_message or None,
        author=author,
        text=plain.strip() or None,
    )
