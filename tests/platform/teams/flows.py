"""Conversations with the Teams bot through botbuilder's ``TestAdapter``: people, a channel,
personal chats, and helpers to read the cards the bot answers with."""

from __future__ import annotations

from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from handlers.teams.bot import CopTeamsBot
from tests.payload_checks import assert_valid_card, cards_in
from tests.platform.teams.wire import TENANT

BOT = ChannelAccount(id="28:cop-bot-app-id", name="cop-bot")
CHANNEL_ID = "19:design-thinking@thread.skype"
TEAM_ID = "19:innovation-team@thread.skype"
SERVICE_URL = "https://smba.invalid/emea/"


def person(name: str) -> ChannelAccount:
    return ChannelAccount(id=f"29:{name}-teams-id", name=name, aad_object_id=f"aad-{name}")


def in_channel() -> tuple[ConversationAccount, dict[str, Any]]:
    conversation = ConversationAccount(
        id=f"{CHANNEL_ID};messageid=1700000000000",
        conversation_type="channel",
        is_group=True,
        tenant_id=TENANT,
    )
    data = {
        "channel": {"id": CHANNEL_ID, "name": "Design thinking"},
        "team": {"id": TEAM_ID, "name": "Innovation"},
        "tenant": {"id": TENANT},
    }
    return conversation, data


def in_personal_chat(name: str) -> tuple[ConversationAccount, dict[str, Any]]:
    conversation = ConversationAccount(
        id=f"a:personal-{name}", conversation_type="personal", tenant_id=TENANT
    )
    return conversation, {"tenant": {"id": TENANT}}


def mention(text: str) -> dict[str, Any]:
    """A channel message that @mentions the bot, as Teams sends it."""
    return {
        "type": "message",
        "text": f"<at>cop-bot</at> {text}",
        "entities": [
            {
                "type": "mention",
                "text": "<at>cop-bot</at>",
                "mentioned": {"id": BOT.id, "name": BOT.name},
            }
        ],
    }


class Chat:
    """Sends activities to one bot as different people, in the channel or their personal chat."""

    def __init__(self, bot: CopTeamsBot) -> None:
        self.bot = bot
        self.serial = 0
        self.updated: list[Activity] = []  # activities the bot replaced (updateActivity)

    async def send(
        self, who: str, activity: dict[str, Any], *, personal: bool = False
    ) -> list[Activity]:
        conversation, data = in_personal_chat(who) if personal else in_channel()
        template = Activity(
            channel_id="msteams",
            service_url=SERVICE_URL,
            from_property=person(who),
            recipient=BOT,
            conversation=conversation,
        )
        adapter = TestAdapter(template_or_conversation=template)
        # Teams gives every activity its own id; each TestAdapter would start again at 0.
        self.serial += 1000
        adapter._next_id = self.serial
        incoming = Activity().deserialize({"channelId": "msteams", **activity})
        incoming.channel_data = {**data, **(activity.get("channelData") or {})}
        await adapter.process_activity(incoming, self.bot.on_turn)
        await self.bot.delivery.drain()
        sent = list(adapter.activity_buffer)
        self.updated += adapter.updated_activities
        for activity in [*sent, *adapter.updated_activities]:
            for card in cards_in(activity.serialize()):
                assert_valid_card(card)
        return sent

    async def say(self, who: str, text: str, *, personal: bool = False) -> list[Activity]:
        message = {"type": "message", "text": text} if personal else mention(text)
        return await self.send(who, message, personal=personal)

    async def click(
        self, who: str, action: str, value: str, *, card: str | None = None
    ) -> list[Activity]:
        """A card's Action.Submit: a message whose value is the button's data (``card``: the id
        of the message whose card was clicked, as Teams gives it in ``replyToId``)."""
        data = {"cop_action": action, "value": value}
        message: dict[str, Any] = {"type": "message", "value": data}
        if card is not None:
            message["replyToId"] = card
        return await self.send(who, message)

    async def invoke(
        self, who: str, name: str, value: dict[str, Any], *, personal: bool = False
    ) -> Any:
        """An invoke activity; returns the body of the bot's invoke response."""
        sent = await self.send(
            who, {"type": "invoke", "name": name, "value": value}, personal=personal
        )
        [response] = [a for a in sent if a.type == "invokeResponse"]
        assert response.value.status == 200, response.value.body
        return response.value.body


def texts(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(str(node["text"]))
        for value in node.values():
            found += texts(value)
    elif isinstance(node, list):
        for value in node:
            found += texts(value)
    return found


def card_text(activities: list[Activity]) -> str:
    """The text of every Adaptive Card sent (zero-width spaces taken out)."""
    parts: list[str] = []
    for activity in activities:
        for attachment in activity.attachments or []:
            parts += texts(attachment.content)
    return "\n".join(parts).replace("\u200b", "")


def actions(activities: list[Activity]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for activity in activities:
        for attachment in activity.attachments or []:
            walk(attachment.content)
    return found


def submits(node: Any) -> dict[str, dict[str, Any]]:
    """Every Action.Submit in a card (or any JSON), by title → its data."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            found[node["title"]] = node["data"]
        for value in node.values():
            found.update(submits(value))
    elif isinstance(node, list):
        for value in node:
            found.update(submits(value))
    return found


def sent_cards(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Adaptive Cards in activities the connector received (JSON), each checked against
    the Adaptive Cards 1.5 schema."""
    from tests.payload_checks import assert_valid_card

    cards = [
        a["content"]
        for activity in activities
        for a in activity.get("attachments") or []
        if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]
    for card in cards:
        assert_valid_card(card)
    return cards
