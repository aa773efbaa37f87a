"""Modal submissions (idea, request, feedback, event) → the same services as the commands.

Simple checks (a missing title, a bad date) are answered inside the modal before it closes;
everything else is decided by the services after the acknowledgement, and the answer goes
to the channel the form was opened from (or to the person directly).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Literal, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import limits
from bot.commands import Runner
from bot.commands.ideas import idea_saved
from bot.commands.peer import request_opened
from bot.errors import InvalidInput
from bot.grammar import commands as c
from bot.messages import MessageRef, Reply
from bot.services.capture import MAX_TITLE
from bot.services.context import Context
from handlers.slack.deliver import Where
from handlers.slack.listeners.common import permalink, team_of
from handlers.slack.modals import CHECKED, modal_values
from handlers.slack.surface import Job, SlackSurface

Values = dict[str, str | list[str] | None]

_TARGET = re.compile(r"^([IRE])-(\d{1,9})$", re.IGNORECASE)
_KINDS = ("training", "workshop", "webinar", "meeting")
_SOURCES = ("staff", "constituent", "partner")


def _text(values: Values, name: str) -> str:
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def _words(values: Values, name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _text(values, name).split(",") if part.strip())


def check(kind: str, values: Values) -> dict[str, str]:
    """Errors to show in the modal, by block id (empty when the form can be submitted)."""
    errors: dict[str, str] = {}
    if kind in ("idea", "event") and not _text(values, "title"):
        errors["title"] = "Give it a title."
    if kind in ("idea", "event") and len(_text(values, "title")) > MAX_TITLE:
        errors["title"] = f"Keep the title under {MAX_TITLE} characters; add details below."
    if kind == "request" and not _text(values, "question"):
        errors["question"] = "Write your question."
    if kind == "feedback":
        target = _text(values, "target")
        if (
            target
            and not _TARGET.match(target)
            and target.lower() not in ("community", "deliverable")
        ):
            errors["target"] = "Use an item id like I-12, R-3 or E-2, or leave it empty."
        if not _text(values, "text") and not _text(values, "rating"):
            errors["text"] = "Write your feedback, or pick a rating."
    if kind == "event":
        try:
            date.fromisoformat(_text(values, "date"))
        except ValueError:
            errors["date"] = "Pick a date."
    for field, (each, count) in _LISTS.get(kind, {}).items():
        try:
            limits.words(_words(values, field), what=field.rstrip("s"), each=each, most=count)
        except InvalidInput as error:
            errors[field] = error.message
    for (form, field), chars in limits.FORM_FIELDS.items():
        if form == kind and field not in errors and len(_text(values, field)) > chars:
            errors[field] = f"Keep it under {chars:,} characters."
    return errors


_LISTS: dict[str, dict[str, tuple[int, int]]] = {
    "idea": {"themes": (limits.THEME, limits.THEMES)},
    "request": {"tags": (limits.TAG, limits.TAGS)},
}


def _idea_job(values: Values) -> Job:
    def job(runner: Runner, ctx: Context) -> Reply:
        return idea_saved(
            runner.deps,
            ctx,
            text=_text(values, "title"),
            description=_text(values, "description") or None,
            themes=_words(values, "themes"),
        )

    return job


def _request_job(values: Values) -> Job:
    def job(runner: Runner, ctx: Context) -> Reply:
        return request_opened(
            runner.deps, ctx, text=_text(values, "question"), tags=_words(values, "tags")
        )

    return job


def feedback_command(values: Values) -> c.GiveFeedback:
    raw = _text(values, "target")
    target: c.ItemRef | Literal["community", "deliverable"] | None = None
    if match := _TARGET.match(raw):
        kind = cast(Literal["I", "R", "E"], match.group(1).upper())
        target = c.ItemRef(kind, int(match.group(2)))
    elif raw.lower() in ("community", "deliverable"):
        target = cast(Literal["community", "deliverable"], raw.lower())
    rating = _text(values, "rating")
    anonymous = values.get("anonymous")
    source = _text(values, "source") or "staff"
    return c.GiveFeedback(
        target=target or "community",
        rating=int(rating) if rating.isdigit() else None,
        text=_text(values, "text") or None,
        anonymous=isinstance(anonymous, list) and CHECKED in anonymous,
        source=cast(c.FeedbackSource, source if source in _SOURCES else "staff"),
    )


def event_command(values: Values) -> c.AddEvent:
    kind = _text(values, "kind") or "meeting"
    return c.AddEvent(
        title=_text(values, "title"),
        date=_text(values, "date"),
        kind=cast(c.EventKind, kind if kind in _KINDS else "meeting"),
    )


async def _source(
    client: AsyncWebClient, surface: SlackSurface, where: Where, src: Any
) -> MessageRef | None:
    """The message a shortcut's form was opened on: its permalink and its author."""
    if not isinstance(src, dict) or not src.get("channel") or not src.get("ts"):
        return None
    channel, ts = str(src["channel"]), str(src["ts"])
    author = None
    if src.get("user"):
        author = await surface.people.actor(client, where.team, str(src["user"]))
    return MessageRef(channel, ts, await permalink(client, channel, ts), author=author)


async def submit(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    kind: str,
    values: Values,
    meta: dict[str, Any],
    *,
    key: str | None = None,
) -> None:
    """Run one submitted form; ``key`` makes a replayed submission do nothing."""
    source = await _source(client, surface, where, meta.get("src"))
    if kind == "feedback":
        await surface.command(client, where, feedback_command(values), source=source, key=key)
        return
    if kind == "event":
        await surface.command(client, where, event_command(values), source=source, key=key)
        return
    job = _idea_job(values) if kind == "idea" else _request_job(values)
    inbound = await surface.inbound(client, where, source=source)
    await surface.answer(client, where, inbound, job, key=key)


def submission_key(view: dict[str, Any]) -> str | None:
    """One submission of one modal: Slack gives each view an id and each state a hash, so the
    same signed submission sent again has the same key."""
    view_id, state = view.get("id"), view.get("hash")
    if not view_id or not state:
        return None
    return f"view:{view_id}:{state}"


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.view(re.compile(r"^cop:form:(idea|request|feedback|event)$"))
    async def form_submitted(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        kind = str(view["callback_id"]).rsplit(":", 1)[-1]
        values = modal_values((view.get("state") or {}).get("values") or {})
        errors = check(kind, values)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        channel = meta.get("channel")
        where = Where(
            team=team_of(context, body),
            user=str((body.get("user") or {}).get("id") or ""),
            channel=str(channel) if channel else None,
        )
        key = submission_key(view)
        surface.spawn(
            submit(surface, client, where, kind, values, meta, key=key), what=f"{kind} form"
        )
