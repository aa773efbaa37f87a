"""Card buttons: ``{"cop_action": action, "value": value}`` becomes the command the person could
have typed (``vote I-3``, ``advance I-3 pilot``), so the server checks it like any command.
Pulse answers go to the pulse service."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.commands import Runner
from bot.commands.data import pulse_reply
from bot.errors import CopError
from bot.forms import FORMS
from bot.i18n import _, lazy
from bot.messages import Form, Inbound, Reply
from bot.services import pulse
from handlers.teams import channel_messages

# button action → command verb; the value is the rest of the command line
VERBS = {
    "vote": "vote",
    "offer": "offer",
    "resolve": "resolve",
    "advance": "advance",
    "attend": "attend",
    "rate": "rate",
    "show": "show",
    "community": "community",  # "bind", "bind <name>", "list": an unbound channel's offer
    "settings": "settings",
    "handover": "handover",
    "support": "support",
    "keep": "keep",
    "notify": "notify",
    "language": "language",
}
PULSE = "pulse"
FORM = "form"
_STALE = lazy("That button no longer works. Type `help` to see what you can do.")


def command_line(action: str, value: str) -> str | None:
    verb = VERBS.get(action)
    if verb is None:
        return None
    return f"{verb} {' '.join(value.split())}".strip()


def _pulse(runner: Runner, inbound: Inbound, value: str, now: datetime) -> Reply:
    ctx = runner.context(inbound, now=now)
    try:
        return pulse_reply(pulse.answer_button(runner.uow(), ctx, value))
    except CopError as error:
        return Reply(error.reply_text(), error=True)


def run(runner: Runner, data: dict[str, Any], inbound: Inbound, *, now: datetime) -> Reply:
    """Run the button in ``data`` for the person in ``inbound``."""
    action = str(data.get("cop_action") or "")
    value = str(data.get("value") or "")
    if action == PULSE:
        return _pulse(runner, inbound, value, now)
    if action == FORM and value in FORMS:  # from an old card: offer the form again
        return Reply(_("Here is the form."), form=Form(value))
    if action in channel_messages.CAPTURE_ACTIONS:
        return channel_messages.save(runner, action, value, inbound, now=now)
    line = command_line(action, value)
    if line is None:
        return Reply(str(_STALE), error=True)
    return runner.handle(replace(inbound, text=line), now=now)
