"""How a reply reaches people during a turn.

Public replies and everything in a personal chat answer in the conversation. Teams has no
ephemeral messages, so a reply meant only for the caller, asked for in a channel or group
chat, goes to their personal chat with the bot (and to the conversation if that fails).
Notices for other people go out through the notifiers after the turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Literal

import aiohttp
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botbuilder.schema.teams import FileConsentCardResponse

from bot.i18n import lazy
from bot.messages import Actor, Notice, Reply
from bot.ports import Notifiers
from bot.services.conversations import user_key
from handlers.teams import activity as teams
from handlers.teams import notices, replies
from handlers.teams.references import ReferenceBook
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60)
NO_PERSONAL_CHAT = lazy(
    "I answer this privately, but I could not open a personal chat with you. "
    "Open a chat with cop-bot (Apps → cop-bot) and ask me there."
)


class Delivery:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        notifiers: Notifiers,
        references: ReferenceBook,
        stash: replies.FileStash,
    ) -> None:
        self._uow = uow
        self._notifiers = notifiers
        self._references = references
        self.stash = stash
        self._tasks: set[asyncio.Task[int]] = set()

    async def reply(self, turn_context: TurnContext, reply: Reply, who: Actor | None) -> None:
        personal = teams.is_personal(turn_context.activity)
        if personal or reply.public:
            out = replies.activities(reply, personal=personal, stash=self.stash)
            await turn_context.send_activities(out)
        else:
            outcome = await self._privately(turn_context, reply, who)
            if outcome != "sent":
                # No connector (the emulator, local tests): answer in place. A personal chat
                # that could not be opened: a private answer is never shown to the channel;
                # errors are safe to show, anything else waits for a chat with the bot.
                shown = reply
                if outcome == "failed" and not reply.error:
                    shown = Reply(str(NO_PERSONAL_CHAT))
                await turn_context.send_activities(replies.activities(shown, personal=False))
        self.notify(reply.notices)

    async def _privately(
        self, turn_context: TurnContext, reply: Reply, who: Actor | None
    ) -> Literal["sent", "unavailable", "failed"]:
        """Send ``reply`` to the caller's personal chat with the bot, opening it if need be."""
        client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
        activity = turn_context.activity
        if client is None or activity.from_property is None or activity.recipient is None:
            return "unavailable"
        tenant = teams.tenant_id(activity)
        params = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[ChannelAccount(id=activity.from_property.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        outgoing = replies.activities(reply, personal=True, stash=self.stash)
        try:
            created = await client.conversations.create_conversation(params)
            chat = ConversationAccount(
                id=created.id, conversation_type="personal", tenant_id=tenant
            )
            for out in outgoing:
                out.from_property, out.recipient = activity.recipient, activity.from_property
                out.conversation, out.channel_id = chat, activity.channel_id
                out.service_url = activity.service_url
                await client.conversations.send_to_conversation(created.id, out)
        except Exception as error:  # no personal chat possible: answer where they asked
            log.info(
                "Could not reply in a personal chat (%s); pointing there instead",
                error,
                exc_info=True,
            )
            return "failed"
        reference = ConversationReference(
            bot=activity.recipient,
            user=activity.from_property,
            conversation=chat,
            channel_id=activity.channel_id,
            service_url=activity.service_url,
        )
        await self._references.store(
            workspace=tenant,
            key=user_key(teams.user_id(activity)),
            reference=reference.serialize(),
            who=who,
        )
        return "sent"

    def notify(self, pending: Iterable[Notice]) -> None:
        """Deliver notices in the background: the turn has answered already."""
        batch = tuple(pending)
        if not batch:
            return
        task = asyncio.ensure_future(
            asyncio.to_thread(notices.deliver, self._uow, self._notifiers, batch)
        )
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[int]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Delivering notices failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for notices still being delivered (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def upload(self, turn_context: TurnContext, response: FileConsentCardResponse) -> None:
        """The person accepted a file: put it in their OneDrive, then show it in the chat."""
        context = response.context if isinstance(response.context, dict) else {}
        file = self.stash.take(str(context.get("cop_file", "")))
        info = response.upload_info
        if file is None or info is None or not info.upload_url:
            await turn_context.send_activity(
                replies.text("That file has expired. Run the command again to get a fresh one.")
            )
            return
        size = len(file.content)
        headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"}
        async with (
            aiohttp.ClientSession(timeout=UPLOAD_TIMEOUT) as session,
            session.put(info.upload_url, data=file.content, headers=headers) as answer,
        ):
            answer.raise_for_status()
        await turn_context.send_activity(
            replies.file_info(
                info.name or file.filename, info.content_url or "", info.unique_id, info.file_type
            )
        )

    async def declined(self, turn_context: TurnContext, response: FileConsentCardResponse) -> None:
        context = response.context if isinstance(response.context, dict) else {}
        self.stash.take(str(context.get("cop_file", "")))
        await turn_context.send_activity(replies.text("OK, I won't send that file."))
