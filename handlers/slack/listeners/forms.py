"""Modal submissions (idea, request, feedback, event) → the neutral form submission.

The service is called before the submission is acknowledged, so a refusal (not allowed,
unknown I-12, a closed item) is shown on its field inside the modal (``response_action:
errors``) with the person's text still there. Should the service take longer than Slack's
3 seconds allow, the modal turns into "Saving…" and is updated with the outcome: the form
again with the refusal above it, or what was saved.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import forms
from bot.commands import Runner
from bot.i18n import _, lazy, use_locale
from bot.messages import Form, MessageRef, Reply
from bot.services.context import Context
from handlers.slack.deliver import Where
from handlers.slack.listeners.common import permalink, team_of
from handlers.slack.modals import field_errors, message_view, modal_values, render_modal
from handlers.slack.render import plain_text
from handlers.slack.surface import Prepared, SlackSurface

ACK_BUDGET_SECONDS = 2.0  # Slack waits 3 s for the acknowledgement; keep room for the network
SORRY = lazy("Sorry, something went wrong on my side; it has been logged. Please try again.")
log = logging.getLogger(__name__)


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


async def save(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    kind: str,
    values: forms.Values,
    meta: dict[str, Any],
    *,
    key: str | None = None,
) -> tuple[Prepared | None, dict[str, str]]:
    """Run the submission; the reply to deliver, or the errors by field. ``key`` makes a
    replayed submission do nothing (no reply, no errors)."""
    source = await _source(client, surface, where, meta.get("src"))
    inbound = await surface.inbound(client, where, source=source)
    outcome: list[forms.Submitted] = []

    def job(runner: Runner, ctx: Context) -> Reply:
        submitted = forms.run(runner, kind, values, ctx)
        outcome.append(submitted)
        return submitted.reply or Reply(_("Not saved."), error=True)

    prepared = await surface.run(client, inbound, job, key=key)
    errors = outcome[0].errors if outcome else {}
    return (None, errors) if errors else (prepared, {})


async def _deliver(
    surface: SlackSurface, client: AsyncWebClient, where: Where, p: Prepared
) -> None:
    await surface.deliver(client, where, p)


async def _again(
    surface: SlackSurface, kind: str, values: forms.Values, meta: str, errors: dict[str, str]
) -> dict[str, Any]:
    """The form once more with what the person typed, and why it was not saved."""
    typed = tuple(
        (name, ",".join(v) if isinstance(v, list) else v)
        for name, v in values.items()
        if isinstance(v, str | list)
    )
    view = render_modal(await surface.form(Form(kind, typed)))
    view["private_metadata"] = meta
    message = " ".join(" ".join(errors.values()).split())
    said = _("Not saved: {reasons}").format(reasons=message)
    notice = {"type": "context", "elements": [plain_text(said, 2000)]}
    view["blocks"] = [notice, *view["blocks"]]
    return view


async def _finish_late(
    surface: SlackSurface,
    client: AsyncWebClient,
    where: Where,
    work: asyncio.Task[tuple[Prepared | None, dict[str, str]]],
    view: dict[str, Any],
    values: forms.Values,
    spoken: str,
) -> None:
    prepared, errors = await work
    kind = str(view["callback_id"]).rsplit(":", 1)[-1]
    if errors or prepared is None:
        with use_locale(spoken):
            again = await _again(
                surface, kind, values, str(view.get("private_metadata") or ""), errors
            )
        await client.views_update(view_id=view["id"], view=again)
        return
    await _deliver(surface, client, where, prepared)  # saved: say so first, then in the modal
    with use_locale(prepared.language):
        done = message_view(forms.definition(kind).title, prepared.reply.text)
    try:
        await client.views_update(view_id=view["id"], view=done)
    except SlackApiError as error:  # the person closed the modal meanwhile
        log.info("could not update the form's modal: %s", error.response.get("error"))


def _meta(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def submission_key(view: dict[str, Any]) -> str | None:
    """One submission of one modal: Slack gives each view an id and each state a hash, so the
    same signed submission sent again has the same key."""
    view_id, state = view.get("id"), view.get("hash")
    if not view_id:
        return None
    if not state:  # no hash given: what was typed tells one submission from another
        typed = json.dumps(view.get("state") or {}, sort_keys=True, ensure_ascii=False)
        state = hashlib.sha256(typed.encode()).hexdigest()[:32]
    return f"view:{view_id}:{state}"


FORM_CALLBACK = re.compile(r"^cop:form:(idea|request|feedback|event)$")


def is_form_submission(payload: dict[str, Any]) -> bool:
    """Whether ``payload`` submits one of the bot's forms. Its answer is the outcome (saved,
    or the service's refusal on its field, inside the modal), so it is worked through while
    Slack waits, not queued in the inbox."""
    view = payload.get("view")
    if payload.get("type") != "view_submission" or not isinstance(view, dict):
        return False
    return FORM_CALLBACK.match(str(view.get("callback_id") or "")) is not None


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.view(FORM_CALLBACK)
    async def form_submitted(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        kind = str(view["callback_id"]).rsplit(":", 1)[-1]
        values = modal_values((view.get("state") or {}).get("values") or {})
        meta = _meta(view)
        channel = meta.get("channel")
        where = Where(
            team=team_of(context, body),
            user=str((body.get("user") or {}).get("id") or ""),
            channel=str(channel) if channel else None,
        )
        spoken = await surface.language(client, where)
        with use_locale(spoken):
            errors = forms.check(kind, values)
            if errors:
                errors = field_errors(errors, kind)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        work = asyncio.get_running_loop().create_task(
            save(surface, client, where, kind, values, meta, key=submission_key(view))
        )
        done, _pending = await asyncio.wait({work}, timeout=ACK_BUDGET_SECONDS)
        if not done:
            with use_locale(spoken):
                saving = message_view(forms.definition(kind).title, _("Saving…"))
            await ack(response_action="update", view=saving)
            surface.spawn(
                _finish_late(surface, client, where, work, view, values, spoken),
                what=f"{kind} form",
            )
            return
        try:
            prepared, errors = work.result()
        except Exception:  # logged with its traceback; the person can try again in place
            log.exception("saving the %s form failed", kind)
            with use_locale(spoken):
                sorry = field_errors({"": str(SORRY)}, kind)
            await ack(response_action="errors", errors=sorry)
            return
        if errors:
            await ack(response_action="errors", errors=field_errors(errors, kind))
            return
        await ack()
        if prepared is not None:
            surface.spawn(_deliver(surface, client, where, prepared), what=f"{kind} form")
