"""Form submissions (task modules, inline cards, message actions) → one service call → a Reply.

The field ids are the Slack modal's: idea(title, description, themes), request(question, tags),
feedback(target, rating, text, anonymous, source), event(title, date, kind). Values arrive as
strings typed by the person; every check is the service's, exactly as for a command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.commands import Runner
from bot.commands.events import event_item
from bot.commands.ideas import idea_saved
from bot.commands.peer import request_opened
from bot.commands.registry import Deps
from bot.errors import CopError, InvalidInput
from bot.messages import Inbound, Reply, Section
from bot.services import events, feedback
from bot.services.context import Context

KINDS = ("idea", "request", "feedback", "event")
_ITEM = re.compile(r"([IRE])-(\d{1,9})", re.IGNORECASE)
_LIST = re.compile(r"[,;\n]+")
_TRUE = frozenset({"true", "1", "yes", "on"})
TITLE_PREFILL = 150


@dataclass(frozen=True, slots=True)
class MessageAction:
    """A message action in the app manifest and the form it opens."""

    command_id: str
    title: str
    description: str
    kind: str


MESSAGE_ACTIONS = (
    MessageAction(
        "cop_save_idea", "Save as idea", "Save this message as an innovation idea", "idea"
    ),
    MessageAction(
        "cop_save_request", "Save as request", "Ask the community for help with this", "request"
    ),
    MessageAction(
        "cop_give_feedback", "Give feedback", "Record feedback from this message", "feedback"
    ),
)
ACTION_KINDS = {action.command_id: action.kind for action in MESSAGE_ACTIONS}


def _field(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _LIST.split(text) if part.strip())


def _idea(deps: Deps, values: Mapping[str, Any], ctx: Context) -> Reply:
    return idea_saved(
        deps,
        ctx,
        text=_field(values, "title"),
        description=_field(values, "description") or None,
        themes=_list(_field(values, "themes")),
    )


def _request(deps: Deps, values: Mapping[str, Any], ctx: Context) -> Reply:
    return request_opened(
        deps, ctx, text=_field(values, "question"), tags=_list(_field(values, "tags"))
    )


def _target(text: str) -> tuple[str, int | None]:
    low = text.strip().lower()
    if low in ("", "community"):
        return "community", None
    if low == "deliverable":
        return "deliverable", None
    match = _ITEM.fullmatch(low)
    if match is None:
        raise InvalidInput(
            f'"{text.strip()}" is not something to give feedback on. '
            "Use an id like I-12, R-34 or E-5, or community or deliverable."
        )
    return match[1].upper(), int(match[2])


def _rating(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(f'The rating "{text}" is not a number from 1 to 5.')
    return int(text)


def _feedback(deps: Deps, values: Mapping[str, Any], ctx: Context) -> Reply:
    kind, number = _target(_field(values, "target"))
    view = feedback.give(
        deps.uow(),
        ctx,
        target_kind=kind,
        target_number=number,
        rating=_rating(_field(values, "rating")),
        text=_field(values, "text") or None,
        anonymous=_field(values, "anonymous").lower() in _TRUE,
        source=_field(values, "source").lower() or "staff",
    )
    how = " anonymously" if view.anonymous else ""
    stars = f" ({view.rating}/5)" if view.rating else ""
    return Reply(f"Thanks for your feedback on {view.target}{stars}, recorded{how}.")


def _event(deps: Deps, values: Mapping[str, Any], ctx: Context) -> Reply:
    raw = _field(values, "date")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f'The date "{raw}" must look like 2026-12-03.') from None
    view = events.add(
        deps.uow(),
        ctx,
        title=_field(values, "title"),
        day=day,
        kind=_field(values, "kind").lower() or "meeting",
    )
    return Reply(
        f"Event {view.ref} added: {view.title}",
        public=True,
        sections=(Section(items=(event_item(view),)),),
    )


_SUBMIT: dict[str, Callable[[Deps, Mapping[str, Any], Context], Reply]] = {
    "idea": _idea,
    "request": _request,
    "feedback": _feedback,
    "event": _event,
}


def submit(
    runner: Runner, kind: str, values: Mapping[str, Any], inbound: Inbound, *, now: datetime
) -> Reply:
    """Save one submitted form. Domain errors become a short error reply; nothing is changed."""
    handler = _SUBMIT.get(kind)
    if handler is None:
        return Reply(f'There is no "{kind}" form. Forms: {", ".join(KINDS)}.', error=True)
    ctx = runner.context(inbound, now=now)
    try:
        return handler(runner.deps, values, ctx)
    except CopError as error:
        return Reply(error.reply_text(), error=True)


def prefill(kind: str, text: str) -> dict[str, str]:
    """A form's initial values taken from a message someone wants to save."""
    text = text.strip()
    if kind == "idea":
        first, _, rest = text.partition("\n")
        title = first.strip()
        if len(title) > TITLE_PREFILL:  # a long first line: cut the title, keep it all below
            title = title[: TITLE_PREFILL - 1].rsplit(" ", 1)[0] + "…"
            return {"title": title, "description": text}
        return {"title": title, "description": rest.strip()}
    if kind == "request":
        return {"question": text}
    if kind == "feedback":
        return {"text": text, "source": "staff"}
    return {}
