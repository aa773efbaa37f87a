"""The personal home: in the bot's personal chat, a card with what Slack's App Home shows
(the person's ideas and requests, requests that match their skills, upcoming events, their
action items) and buttons for the forms. It comes on install, on the ``home`` command, and
refreshes itself whenever the person opens the chat (an Adaptive Card ``refresh`` with a
Universal Action, answered by ``adaptiveCard/action`` with the verb ``cop_home``)."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes

from bot.messages import Reply
from handlers.teams.render import cut
from handlers.teams.replies import SUMMARY_LIMIT, card

VERB = "cop_home"
COMMANDS = frozenset({"home", "start"})


def home_card(reply: Reply, user_mri: str | None) -> dict[str, Any]:
    """The home as a card that refreshes for its owner when shown again."""
    rendered = card(reply)
    if user_mri:
        rendered["refresh"] = {
            "action": {"type": "Action.Execute", "verb": VERB, "title": "Refresh"},
            "userIds": [user_mri],
        }
    return rendered


def home_activity(reply: Reply, user_mri: str | None) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        summary=cut(" ".join(reply.text.split()), SUMMARY_LIMIT, "…"),
        attachments=[CardFactory.adaptive_card(home_card(reply, user_mri))],
    )
