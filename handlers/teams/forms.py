"""Form submissions (task modules, inline cards, message actions) → the neutral form
submission (:mod:`bot.forms`), the same as Slack's modals; and the message actions in the app
manifest with the form each opens."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import forms
from bot.commands import Runner
from bot.i18n import LazyText, lazy
from bot.messages import Form, Inbound

KINDS = tuple(forms.FORMS)


@dataclass(frozen=True, slots=True)
class MessageAction:
    """A message action in the app manifest and the form it opens."""

    command_id: str
    title: LazyText
    description: LazyText
    kind: str


MESSAGE_ACTIONS = (
    MessageAction(
        "cop_save_idea",
        lazy("Save as idea"),
        lazy("Save this message as an innovation idea"),
        "idea",
    ),
    MessageAction(
        "cop_save_request",
        lazy("Save as request"),
        lazy("Ask the community for help with this"),
        "request",
    ),
    MessageAction(
        "cop_give_feedback",
        lazy("Give feedback"),
        lazy("Record feedback from this message"),
        "feedback",
    ),
)
ACTION_KINDS = {action.command_id: action.kind for action in MESSAGE_ACTIONS}


def submit(
    runner: Runner, kind: str, values: Mapping[str, Any], inbound: Inbound, *, now: datetime
) -> forms.Submitted:
    """Save one submitted form; a refusal comes back as errors by field, nothing changed."""
    typed = {k: None if v is None else str(v) for k, v in values.items()}
    return forms.submit(runner, kind, typed, inbound, now=now)


def prefill(kind: str, text: str) -> dict[str, str]:
    """A form's initial values taken from a message someone wants to save."""
    return dict(forms.prefill(kind, text))


async def choices(runner: Runner, kind: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The choices the form ``kind`` reads at run time (the idea form's themes)."""
    return (await asyncio.to_thread(forms.ready, runner.uow(), Form(kind))).choices
