"""The Teams bot: every activity becomes a neutral command, form or button for the core.

- a message in a personal chat, or one that @mentions the bot elsewhere: a command line;
- a card button (``{"cop_action": ..., "value": ...}``) or an inline form (``{"cop_form": ...}``),
  as a message with a value, an invoke without a name, or ``adaptiveCard/action``;
- task modules (``task/fetch``, ``task/submit``) for the idea, request, feedback and event forms,
  and message actions (``composeExtension/fetchTask`` and ``submitAction``) that save a message,
  both handled in :mod:`handlers.teams.dialogs`;
- installs and conversation updates, which only store the conversation reference.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botbuilder.core import CardFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
    InvokeResponse,
)
from botbuilder.schema.teams import (
    FileConsentCardResponse,
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleRequest,
    TaskModuleResponse,
    TeamInfo,
)

from bot.clock import utcnow
from bot.commands import Runner
from bot.commands.channels import meet
from bot.forms import Submitted
from bot.i18n import _, lazy, use_locale
from bot.messages import Inbound, MessageRef, Reply
from bot.ports import Notifiers
from bot.reads import home as reads_home
from bot.reads import visibility
from bot.services import capture, suggest
from handlers.teams import actions, channel_messages, dialogs, forms, home, once, replies
from handlers.teams import activity as teams
from handlers.teams.delivery import Delivery
from handlers.teams.identity import Directory
from handlers.teams.references import ReferenceBook
from handlers.teams.tab import dashboard_in_tab
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

WELCOME = lazy(
    "Hi, I'm cop-bot: I keep your community of practice's ideas, questions, feedback and events. "
    "Mention me with a command in a channel (@cop-bot idea ...), or just type it here. "
    "Type help to see everything."
)


_SPOKEN_TO = frozenset({"message", "invoke", "conversationUpdate"})


class CopTeamsBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        *,
        runner: Runner,
        uow: UnitOfWorkFactory,
        notifiers: Notifiers,
        clock: Callable[[], datetime] = utcnow,
        directory: Directory | None = None,
        tenants: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.runner = runner
        self.clock = clock
        self.directory = directory or Directory(tenants=tenants)
        self.references = ReferenceBook(uow=uow, clock=clock)
        self.cooldown = suggest.Cooldown()
        self.delivery = Delivery(
            uow=uow,
            notifiers=notifiers,
            references=self.references,
            stash=replies.FileStash(uow=uow, clock=clock),
        )

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        removed = activity.type == "installationUpdate" and str(activity.action or "").startswith(
            "remove"
        )
        if not removed:
            who = await self.directory.actor(turn_context) if teams.is_personal(activity) else None
            await self.references.remember(turn_context, who)
        if removed or activity.type not in _SPOKEN_TO:
            await super().on_turn(turn_context)
            return
        inbound = await self._inbound_for(turn_context)
        now = self.clock()
        spoken = await asyncio.to_thread(self.runner.language, inbound, now=now)
        with use_locale(spoken):
            await super().on_turn(turn_context)

    # ------------------------------------------------------------------ running the core

    async def _inbound_for(
        self, turn_context: TurnContext, text: str = "", source: MessageRef | None = None
    ) -> Inbound:
        who = await self.directory.actor(turn_context)
        return teams.inbound(turn_context.activity, who, text, source=source)

    def _shown(self, inbound: Inbound, reply: Reply, now: datetime) -> Reply:
        """The reply with only the buttons its viewers may use (as on Slack): none that only
        some people could use on what a conversation sees, the caller's own on their replies.
        The services still refuse a click from anyone else."""
        if reply.public:
            return visibility.for_everyone(reply)
        ctx = self.runner.context(inbound, now=now)
        return visibility.for_viewer(self.runner.uow(), ctx, reply)

    async def _run(
        self,
        turn_context: TurnContext,
        inbound: Inbound,
        job: Callable[[Runner, datetime], Reply],
    ) -> Reply | None:
        """Run the core in a worker thread, once per message activity (None for a
        redelivery), and fit the reply's buttons to who sees it."""
        now = self.clock()
        key = once.key_of(turn_context.activity)

        def work() -> Reply | None:
            reply = once.run(self.runner, key, now, lambda runner: job(runner, now))
            return None if reply is None else self._shown(inbound, reply, now)

        return await asyncio.to_thread(work)

    async def _command(self, turn_context: TurnContext, text: str) -> Reply | None:
        inbound = await self._inbound_for(turn_context, text)
        reply = await self._run(
            turn_context, inbound, lambda runner, now: runner.handle(inbound, now=now)
        )
        if reply is None:
            return None
        return dashboard_in_tab(reply, app_id=self.runner.settings.microsoft_app_id)

    async def _button(self, turn_context: TurnContext, data: dict[str, Any]) -> Reply | None:
        inbound = await self._inbound_for(turn_context)
        return await self._run(
            turn_context, inbound, lambda runner, now: actions.run(runner, data, inbound, now=now)
        )

    async def submit_form(
        self,
        turn_context: TurnContext,
        kind: str,
        data: dict[str, Any],
        source: MessageRef | None = None,
    ) -> Submitted:
        inbound = await self._inbound_for(turn_context, source=source)
        values = dialogs.form_values(data)
        now = self.clock()

        def job() -> Submitted:
            done = forms.submit(self.runner, kind, values, inbound, now=now)
            if done.reply is None:
                return done
            return Submitted(reply=self._shown(inbound, done.reply, now))

        return await asyncio.to_thread(job)

    async def send(self, turn_context: TurnContext, reply: Reply) -> None:
        who = await self.directory.actor(turn_context)
        await self.delivery.reply(turn_context, reply, who)

    async def _submitted(self, turn_context: TurnContext, data: Any) -> Reply | None:
        """A card button or an inline form; None for a value that is not ours."""
        if not isinstance(data, dict):
            return None
        if data.get(replies.ACTION_KEY):
            return await self._button(turn_context, data)
        kind = data.get(replies.FORM_KEY)
        if isinstance(kind, str) and kind:
            done = await self.submit_form(turn_context, kind, data)
            if done.reply is not None:
                return done.reply
            return Reply(" ".join(done.errors.values()), error=True)
        return None

    # ------------------------------------------------------------------ messages and buttons

    async def _update_source(self, turn_context: TurnContext, reply: Reply) -> None:
        """Put a click's new state in the card it came from (``updateActivity``): a pulse card
        shows the answer given, with its buttons to change it."""
        source = turn_context.activity.reply_to_id
        if reply.replace_source is None or reply.error or not source:
            return
        updated = Activity(
            id=source,
            type=ActivityTypes.message,
            attachments=[CardFactory.adaptive_card(replies.card(reply.replace_source))],
        )
        try:
            await turn_context.update_activity(updated)
        except Exception as error:  # the answer is saved; an old card simply stays as it was
            log.info("Could not update the clicked card (%s)", error, exc_info=True)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.value:
            reply = await self._submitted(turn_context, activity.value)
            if reply is not None:
                await self._update_source(turn_context, reply)
                await self.send(turn_context, reply)
            return
        text = teams.command_text(activity)
        if text is None:  # a channel message for everyone: counted, maybe a suggestion
            await channel_messages.seen(self, turn_context)
            return
        if text.strip().lower() in home.COMMANDS and teams.is_personal(activity):
            await self.show_home(turn_context)
            return
        reply = await self._command(turn_context, text)
        if reply is None:  # Teams redelivered a message already answered
            return
        link = teams.message_link(activity)
        if reply.captured and link:  # the item links back to the message that captured it
            await asyncio.to_thread(
                capture.link_conversation, self.runner.uow(), ref=reply.captured, permalink=link
            )
        await self.send(turn_context, reply)

    async def home_reply(self, turn_context: TurnContext) -> Reply:
        inbound = await self._inbound_for(turn_context)
        now = self.clock()

        def build() -> Reply:
            ctx = self.runner.context(inbound, now=now)
            return self._shown(inbound, reads_home.home(self.runner.uow(), ctx), now)

        return await asyncio.to_thread(build)

    async def show_home(self, turn_context: TurnContext) -> None:
        """The personal home card (what Slack's App Home shows), refreshing when opened."""
        sender = turn_context.activity.from_property
        reply = await self.home_reply(turn_context)
        await turn_context.send_activity(home.home_activity(reply, sender.id if sender else None))

    async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
        reply = await self._submitted(turn_context, turn_context.activity.value)
        if reply is not None:
            await self._update_source(turn_context, reply)
            await self.send(turn_context, reply)
        return self._create_invoke_response()

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: Any
    ) -> AdaptiveCardInvokeResponse:
        """Universal Actions (Action.Execute): the answer replaces the card, for the clicker."""
        action = invoke_value.action if isinstance(invoke_value.action, dict) else {}
        if action.get("verb") == home.VERB:  # the home card refreshing itself when shown
            sender = turn_context.activity.from_property
            value = home.home_card(
                await self.home_reply(turn_context), sender.id if sender else None
            )
            return AdaptiveCardInvokeResponse(
                status_code=200, type="application/vnd.microsoft.card.adaptive", value=value
            )
        reply = await self._submitted(turn_context, action.get("data"))
        if reply is None:
            reply = Reply(_("That button no longer works."), error=True)
        self.delivery.notify(reply.notices)
        return AdaptiveCardInvokeResponse(
            status_code=200,
            type="application/vnd.microsoft.card.adaptive",
            value=replies.card(reply),
        )

    # ------------------------------------------------------------------ dialogs

    async def on_teams_task_module_fetch(
        self, turn_context: TurnContext, task_module_request: TaskModuleRequest
    ) -> TaskModuleResponse:
        return await dialogs.task_fetch(self, turn_context, task_module_request)

    async def on_teams_task_module_submit(
        self, turn_context: TurnContext, task_module_request: TaskModuleRequest
    ) -> TaskModuleResponse | None:
        return await dialogs.task_submit(self, turn_context, task_module_request)

    async def on_teams_messaging_extension_fetch_task(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        return await dialogs.action_fetch(self, turn_context, action)

    async def on_teams_messaging_extension_submit_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        return await dialogs.action_submit(self, turn_context, action)

    # ------------------------------------------------------------------ files

    async def on_teams_file_consent_accept(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.delivery.upload(turn_context, file_consent_card_response)

    async def on_teams_file_consent_decline(
        self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        await self.delivery.declined(turn_context, file_consent_card_response)

    # ------------------------------------------------------------------ installs and updates

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        """Welcome when the bot itself was added; other members need no roster lookups."""
        bot = turn_context.activity.recipient
        if bot is not None and any(member.id == bot.id for member in members_added or []):
            await turn_context.send_activity(replies.welcome(str(WELCOME)))
            if teams.is_personal(turn_context.activity):
                await self.show_home(turn_context)
            else:
                await self._offer_community(turn_context)

    async def _offer_community(self, turn_context: TurnContext) -> None:
        """In a channel that is not part of a community yet: the offer to make it one."""
        inbound = await self._inbound_for(turn_context)
        now = self.clock()
        offer = await asyncio.to_thread(
            lambda: meet(self.runner.uow(), self.runner.context(inbound, now=now))
        )
        if offer is not None:
            await self.send(turn_context, offer)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self.references.forget(turn_context)
