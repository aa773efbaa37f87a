"""A neutral :class:`Reply` as Teams activities: an Adaptive Card with a short text summary,
form launchers that open a task module, images inline and other files through Teams' file
consent card (personal chats only)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.schema import Attachment as CardAttachment
from botbuilder.schema.teams import (
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleTaskInfo,
)
from botbuilder.schema.teams.additional_properties import ContentType

from bot.clock import utcnow
from bot.forms import FORMS
from bot.i18n import _
from bot.messages import Attachment, Form, Reply
from bot.services import pending_files
from handlers.teams.form_cards import render_task_form
from handlers.teams.render import cut, escape_teams, render_card
from storage.uow import UnitOfWorkFactory

SUMMARY_LIMIT = 200
MAX_INLINE_IMAGE = 1_000_000
FORM_KEY = "cop_form"
ACTION_KEY = "cop_action"


def summary(reply: Reply) -> str:
    return cut(" ".join(reply.text.split()), SUMMARY_LIMIT, "…")


def form_launcher(form: Form) -> dict[str, Any]:
    """A card button that opens ``form`` in a task module."""
    title = FORMS[form.kind].title if form.kind in FORMS else _("Open the form")
    return {
        "type": "Action.Submit",
        "title": str(title),
        "style": "positive",
        "data": {
            "msteams": {"type": "task/fetch"},
            FORM_KEY: form.kind,
            "prefill": dict(form.prefill),
        },
    }


def card(reply: Reply) -> dict[str, Any]:
    rendered = render_card(reply)
    rendered["fallbackText"] = escape_teams(summary(reply))
    if reply.form is not None and reply.form.kind in FORMS:
        rendered["body"].append({"type": "ActionSet", "actions": [form_launcher(reply.form)]})
    return rendered


def welcome(message: str) -> Activity:
    """A greeting with buttons that open each form (the only way to the event form in chat)."""
    greeting = card(Reply(message, public=True))
    launchers = [form_launcher(Form(kind)) for kind in FORMS]
    greeting["body"].append({"type": "ActionSet", "actions": launchers})
    return Activity(
        type=ActivityTypes.message,
        summary=cut(message, SUMMARY_LIMIT, "…"),
        attachments=[CardFactory.adaptive_card(greeting)],
    )


class FileStash:
    """Files waiting for the person to accept Teams' file consent card, kept in the database
    so that the click, whichever web process it reaches, finds them."""

    def __init__(
        self, *, uow: UnitOfWorkFactory, ttl: float = 3600, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._uow = uow
        self._ttl = timedelta(seconds=ttl)
        self._clock = clock

    def put(self, attachment: Attachment) -> str:
        return pending_files.put(self._uow(), attachment, now=self._clock(), ttl=self._ttl)

    def take(self, token: str) -> Attachment | None:
        return pending_files.take(self._uow(), token, now=self._clock())


def _image(file: Attachment) -> CardAttachment:
    data = base64.b64encode(file.content).decode("ascii")
    return CardAttachment(
        content_type=file.mimetype,
        content_url=f"data:{file.mimetype};base64,{data}",
        name=file.filename,
    )


def _consent(file: Attachment, token: str) -> CardAttachment:
    context = {"cop_file": token}
    return CardAttachment(
        content_type=ContentType.FILE_CONSENT_CARD,
        name=file.filename,
        content={
            "description": file.title or file.filename,
            "sizeInBytes": len(file.content),
            "acceptContext": context,
            "declineContext": context,
        },
    )


def activities(reply: Reply, *, personal: bool, stash: FileStash | None = None) -> list[Activity]:
    """The message (card and summary), then one activity per file it carries."""
    main = Activity(
        type=ActivityTypes.message,
        summary=summary(reply),
        attachments=[CardFactory.adaptive_card(card(reply))],
    )
    out = [main]
    skipped: list[str] = []
    for file in reply.attachments:
        if file.mimetype.startswith("image/") and len(file.content) <= MAX_INLINE_IMAGE:
            out.append(Activity(type=ActivityTypes.message, attachments=[_image(file)]))
        elif personal and stash is not None:
            consent = _consent(file, stash.put(file))
            out.append(Activity(type=ActivityTypes.message, attachments=[consent]))
        else:
            skipped.append(file.filename)
    if skipped:
        note = _("Files are sent in a personal chat with me: ask there to get {files}.").format(
            files=", ".join(skipped)
        )
        main.attachments[0].content["body"].append(
            {"type": "TextBlock", "text": escape_teams(note), "wrap": True, "isSubtle": True}
        )
    return out


def file_info(
    name: str, content_url: str, unique_id: str | None, file_type: str | None
) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        attachments=[
            CardAttachment(
                content_type=ContentType.FILE_INFO_CARD,
                name=name,
                content_url=content_url,
                content={"uniqueId": unique_id, "fileType": file_type},
            )
        ],
    )


def text(message: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=escape_teams(message), text_format="plain")


def task_form(
    kind: str,
    prefill: dict[str, str] | None = None,
    *,
    errors: dict[str, str] | None = None,
    choices: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (),
) -> TaskModuleContinueResponse:
    """A task module showing the form for ``kind``; ``errors`` under the inputs they are about;
    ``choices`` read at run time (:func:`bot.forms.ready`)."""
    values = tuple((k, str(v)) for k, v in (prefill or {}).items() if v is not None)
    form_card = render_task_form(Form(kind, values, choices), errors=errors)
    title = FORMS[kind].title
    info = TaskModuleTaskInfo(
        title=title, card=CardFactory.adaptive_card(form_card), height="medium", width="medium"
    )
    return TaskModuleContinueResponse(value=info)


def task_message(message: str) -> TaskModuleMessageResponse:
    return TaskModuleMessageResponse(value=cut(message, 500, "…"))
