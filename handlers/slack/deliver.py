"""A neutral :class:`~bot.messages.Reply` → Slack Web API calls.

- ``public`` replies are posted in the channel (``chat.postMessage``); if the bot is not in
  it, through the command's ``response_url`` instead;
- other replies only to the person: the ``response_url`` when there is one, else
  ``chat.postEphemeral``, else a direct message;
- ``form`` opens the modal (``views.update`` of the loading view opened at once with the
  trigger id, or ``views.open``);
- ``attachments`` are uploaded (``files_upload_v2``) to the channel or the person's DM;
- ``notices`` become direct messages to each recipient who has a Slack account here.

All text goes through the Block Kit renderer, which escapes it and enforces Slack's limits.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import _
from bot.messages import Form, Notice, Reply
from handlers.slack.client import webhook
from handlers.slack.escape import truncate
from handlers.slack.modals import loading_view, message_view, render_modal
from handlers.slack.render import MAX_BUTTON_LABEL, number_actions, render_blocks

log = logging.getLogger(__name__)

NOT_THERE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "user_not_in_channel"})
MAX_METADATA = 3000
MARK = " ✓"  # ends the label of the choice a click made (a pulse answer)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a request came from and how to answer it."""

    team: str
    user: str
    channel: str | None = None
    channel_name: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None
    thread_ts: str | None = None
    in_home: bool = False
    view_id: str | None = None  # a loading modal already opened with the trigger id
    # A click on a message: which message (``message_ts``), whether only the clicker sees it,
    # its blocks and the clicked button's action id, to update it in place.
    message_ts: str | None = None
    ephemeral_source: bool = False
    source_blocks: tuple[dict[str, Any], ...] = ()
    source_text: str | None = None
    action_id: str | None = None

    @property
    def in_dm(self) -> bool:
        return self.channel is None or self.channel.startswith("D")


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "")


async def dm(client: AsyncWebClient, user: str, reply: Reply) -> None:
    await client.chat_postMessage(channel=user, unfurl_links=False, **render_blocks(reply))


async def ephemeral(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    body = render_blocks(reply)
    if where.response_url:
        answer = await webhook(where.response_url, client).send(
            text=body["text"], blocks=body["blocks"], response_type="ephemeral"
        )
        if answer.status_code == 200:
            return
        log.warning("response_url answered %s; sending the reply directly", answer.status_code)
    if where.channel and not where.in_dm:
        try:
            await client.chat_postEphemeral(channel=where.channel, user=where.user, **body)
            return
        except SlackApiError as exc:
            if _error(exc) not in NOT_THERE:
                raise
    await dm(client, where.user, reply)


async def public(client: AsyncWebClient, where: Where, reply: Reply) -> str | None:
    """Post ``reply`` in the channel; the posted message's ts when there is one."""
    body = render_blocks(reply)
    if where.channel and not where.in_dm:
        try:
            posted = await client.chat_postMessage(
                channel=where.channel, thread_ts=where.thread_ts, unfurl_links=False, **body
            )
            ts = posted.get("ts")
            return str(ts) if ts else None
        except SlackApiError as exc:
            if _error(exc) not in NOT_THERE:
                raise
            log.info("not in channel %s; answering through the response URL", where.channel)
        if where.response_url:
            answer = await webhook(where.response_url, client).send(
                text=body["text"], blocks=body["blocks"], response_type="in_channel"
            )
            if answer.status_code == 200:
                return None
    await ephemeral(client, where, reply)
    return None


def metadata(where: Where, **extra: Any) -> str:
    data = {"channel": None if where.in_dm else where.channel, **extra}
    return json.dumps(data, separators=(",", ":"))[:MAX_METADATA]


async def open_form(
    client: AsyncWebClient, where: Where, form: Form, *, private: str | None = None
) -> bool:
    """Open ``form`` as a modal (in place of the loading view when one is open); False when
    there is no trigger id to open it with."""
    view = render_modal(form)
    view["private_metadata"] = private if private is not None else metadata(where)
    if where.view_id:
        await client.views_update(view_id=where.view_id, view=view)
        return True
    if not where.trigger_id:
        return False
    await client.views_open(trigger_id=where.trigger_id, view=view)
    return True


async def hold_trigger(client: AsyncWebClient, where: Where) -> Where:
    """Open the loading modal now, while the trigger id (3 seconds) is valid; the form
    replaces it when ready. ``where`` unchanged when there is no trigger id."""
    if not where.trigger_id or where.view_id:
        return where
    try:
        opened = await client.views_open(trigger_id=where.trigger_id, view=loading_view())
    except SlackApiError as exc:  # an expired trigger: the answer comes as a message instead
        log.info("could not open the loading modal: %s", _error(exc))
        return replace(where, trigger_id=None)
    view_id = (opened.get("view") or {}).get("id")
    return replace(where, view_id=str(view_id)) if view_id else where


async def close_loading(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    """A loading modal was opened for what turned out not to be a form: say the answer there."""
    if where.view_id:
        await client.views_update(view_id=where.view_id, view=message_view("cop-bot", reply.text))


async def upload(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    channel = where.channel if reply.public and where.channel and not where.in_dm else None
    if channel is None:
        opened = await client.conversations_open(users=where.user)
        channel = str(opened["channel"]["id"])
    await client.files_upload_v2(
        channel=channel,
        file_uploads=[
            {"content": a.content, "filename": a.filename, "title": a.title or a.filename}
            for a in reply.attachments
        ],
    )


async def notify(client: AsyncWebClient, notices: Mapping[str, Notice]) -> None:
    """Direct-message each notice to its Slack user id; one failure does not stop the rest."""
    for user, notice in notices.items():
        try:
            await dm(client, user, Reply(notice.text))
        except SlackApiError as exc:
            log.warning("could not notify %s: %s", user, _error(exc))


async def deliver(
    client: AsyncWebClient,
    where: Where,
    reply: Reply,
    *,
    notices: Mapping[str, Notice] | None = None,
    command: str = "/cop",
) -> str | None:
    """Send ``reply`` the way its kind asks (see the module docstring); the ts of a message
    posted in the channel, if any."""
    posted = None
    if reply.form is None and where.view_id:
        await close_loading(client, where, reply)
    if reply.form is not None:
        if not await open_form(client, where, reply.form):
            hint = (
                reply.text
                + " "
                + _("Type it after `{command} {kind}`.").format(
                    command=command, kind=reply.form.kind
                )
            )
            await ephemeral(client, where, Reply(hint))
    elif reply.public:
        posted = await public(client, where, reply)
    elif where.in_home and not where.channel:
        if reply.error:
            await dm(client, where.user, reply)
    else:
        await ephemeral(client, where, reply)
    if reply.attachments:
        await upload(client, where, reply)
    if notices:
        await notify(client, notices)
    return posted


def relabel(
    blocks: tuple[dict[str, Any], ...], action_id: str, label: str
) -> list[dict[str, Any]] | None:
    """``blocks`` with the button ``action_id`` showing ``label`` (its siblings lose an
    earlier mark); None when the button is not there."""
    found = False
    patched: list[dict[str, Any]] = []
    for block in blocks:
        block = dict(block)
        elements = block.get("elements") if block.get("type") == "actions" else None
        if isinstance(elements, list) and any(e.get("action_id") == action_id for e in elements):
            found = True
            block["elements"] = [_relabelled(e, action_id, label) for e in elements]
        patched.append(block)
    return patched if found else None


def _relabelled(element: dict[str, Any], action_id: str, label: str) -> dict[str, Any]:
    element = dict(element)
    text = dict(element.get("text") or {"type": "plain_text"})
    if element.get("action_id") == action_id:
        old = str(text.get("text", ""))
        suffix = f" · {old.rsplit(' · ', 1)[1]}" if " · " in old else ""  # "Vote · I-3"
        text["text"] = truncate(label + suffix, MAX_BUTTON_LABEL)
        element["style"] = "primary"
    elif str(text.get("text", "")).endswith(MARK):
        text["text"] = str(text["text"]).removesuffix(MARK)
        element.pop("style", None)
    element["text"] = text
    return element


async def update_source(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    """Show a click's outcome in the message it came from (``chat.update``, or
    ``replace_original`` through the response URL for a message only the clicker sees)."""
    blocks = None
    if reply.source_label and where.action_id and where.source_blocks:
        blocks = relabel(where.source_blocks, where.action_id, reply.source_label)
    if blocks is not None:
        text = where.source_text or str(reply.source_label)  # the message's own fallback text
        body: dict[str, Any] = {"text": text, "blocks": number_actions(blocks)}
    elif reply.replace_source is not None:
        body = render_blocks(reply.replace_source)
    else:
        return
    if where.ephemeral_source and where.response_url:
        await webhook(where.response_url, client).send(
            text=body["text"], blocks=body["blocks"], replace_original=True
        )
    elif where.channel and where.message_ts and not where.ephemeral_source:
        try:
            await client.chat_update(channel=where.channel, ts=where.message_ts, **body)
        except SlackApiError as exc:
            log.info("could not update the clicked message: %s", _error(exc))
