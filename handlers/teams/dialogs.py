"""Dialogs: the task modules of the idea, request, feedback and event forms (``task/fetch``,
``task/submit``) and the message actions that save a message through one of them
(``composeExtension/fetchTask`` and ``submitAction``). A refusal shows the form again with the
error under its field and the text kept; what a dialog saved is posted in the conversation,
or said in the dialog itself when the bot cannot post there. :class:`CopTeamsBot` hands these
activities here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from botbuilder.core import TurnContext
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleRequest,
    TaskModuleResponse,
)

from bot.forms import FORMS
from bot.i18n import _
from bot.messages import Reply
from handlers.teams import activity as teams
from handlers.teams import forms, replies

if TYPE_CHECKING:
    from handlers.teams.bot import CopTeamsBot

log = logging.getLogger(__name__)

_CONTROL_KEYS = frozenset({replies.FORM_KEY, "msteams", "prefill"})


def form_values(data: dict[str, Any]) -> dict[str, str]:
    """The values a person entered in a form (dialog or inline card), without our own keys."""
    return {k: str(v) for k, v in data.items() if k not in _CONTROL_KEYS and v is not None}


async def _confirmed(bot: CopTeamsBot, turn_context: TurnContext, reply: Reply) -> bool:
    """Post what a dialog saved. A message action can come from a chat the bot is not in:
    then the dialog itself says it, since the item is saved either way."""
    try:
        await bot.send(turn_context, reply)
    except Exception as error:  # posting the confirmation failed; the save did not
        log.info(
            "Could not post the confirmation (%s); showing it in the dialog",
            error,
            exc_info=True,
        )
        bot.delivery.notify(reply.notices)
        return False
    return True


# ---------------------------------------------------------------------- task modules


async def task_fetch(
    bot: CopTeamsBot, turn_context: TurnContext, task_module_request: TaskModuleRequest
) -> TaskModuleResponse:
    data = task_module_request.data if isinstance(task_module_request.data, dict) else {}
    kind = data.get(replies.FORM_KEY)
    if kind not in FORMS:
        return TaskModuleResponse(task=replies.task_message(_("That form is not available.")))
    prefill = data.get("prefill") if isinstance(data.get("prefill"), dict) else {}
    choices = await forms.choices(bot.runner, str(kind))
    return TaskModuleResponse(task=replies.task_form(str(kind), prefill, choices=choices))


async def task_submit(
    bot: CopTeamsBot, turn_context: TurnContext, task_module_request: TaskModuleRequest
) -> TaskModuleResponse | None:
    data = task_module_request.data if isinstance(task_module_request.data, dict) else {}
    kind = data.get(replies.FORM_KEY)
    if kind not in FORMS:
        return TaskModuleResponse(task=replies.task_message(_("That form is not available.")))
    done = await bot.submit_form(turn_context, str(kind), data)
    if done.reply is None:
        again = form_values(data)
        choices = await forms.choices(bot.runner, str(kind))
        error = replies.task_form(str(kind), again, errors=done.errors, choices=choices)
        return TaskModuleResponse(task=error)
    reply = done.reply
    if await _confirmed(bot, turn_context, reply):
        return None
    return TaskModuleResponse(task=replies.task_message(reply.text))


# ---------------------------------------------------------------------- message actions


async def action_fetch(
    bot: CopTeamsBot, turn_context: TurnContext, action: MessagingExtensionAction
) -> MessagingExtensionActionResponse:
    kind = forms.ACTION_KINDS.get(action.command_id or "")
    if kind is None:
        return MessagingExtensionActionResponse(
            task=replies.task_message(_("That action is not available."))
        )
    source = teams.message_source(turn_context.activity, action.message_payload)
    prefill = forms.prefill(kind, source.text or "" if source else "")
    task = replies.task_form(kind, prefill, choices=await forms.choices(bot.runner, kind))
    return MessagingExtensionActionResponse(task=task)


async def action_submit(
    bot: CopTeamsBot, turn_context: TurnContext, action: MessagingExtensionAction
) -> MessagingExtensionActionResponse:
    data = action.data if isinstance(action.data, dict) else {}
    kind = forms.ACTION_KINDS.get(action.command_id or "") or data.get(replies.FORM_KEY)
    if kind not in FORMS:
        return MessagingExtensionActionResponse(
            task=replies.task_message(_("That action is not available."))
        )
    source = teams.message_source(turn_context.activity, action.message_payload)
    done = await bot.submit_form(turn_context, str(kind), data, source)
    if done.reply is None:
        again = form_values(data)
        choices = await forms.choices(bot.runner, str(kind))
        error = replies.task_form(str(kind), again, errors=done.errors, choices=choices)
        return MessagingExtensionActionResponse(task=error)
    reply = done.reply
    if await _confirmed(bot, turn_context, reply):
        return MessagingExtensionActionResponse()
    return MessagingExtensionActionResponse(task=replies.task_message(reply.text))
