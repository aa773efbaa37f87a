"""A :class:`~bot.messages.Reply` as JSON-safe data and back, for the outbox.

Every field of a reply survives the round trip; attachment bytes travel as base64.
``reply_from_dict(reply_to_dict(r)) == r`` for every reply.
"""

from __future__ import annotations

import base64
from typing import Any

from bot.messages import Attachment, Button, Form, Item, Notice, Reply, Section, Table

VERSION = 1


class PayloadError(ValueError):
    """A stored payload is not a reply this code can read."""


def _button(button: Button) -> dict[str, Any]:
    return {
        "label": button.label,
        "action": button.action,
        "value": button.value,
        "style": button.style,
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "ref": item.ref,
        "title": item.title,
        "details": list(item.details),
        "link": item.link,
        "buttons": [_button(b) for b in item.buttons],
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "lines": list(section.lines),
        "items": [_item(i) for i in section.items],
        "more": section.more,
        **({"compact": True} if section.compact else {}),
    }


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    table = reply.table
    form = reply.form
    return {
        "v": VERSION,
        "text": reply.text,
        "sections": [_section(s) for s in reply.sections],
        "table": None
        if table is None
        else {"columns": list(table.columns), "rows": [list(r) for r in table.rows]},
        "buttons": [_button(b) for b in reply.buttons],
        "public": reply.public,
        "error": reply.error,
        "form": None
        if form is None
        else {"kind": form.kind, "prefill": [[k, v] for k, v in form.prefill]},
        "attachments": [
            {
                "filename": a.filename,
                "content": base64.b64encode(a.content).decode("ascii"),
                "mimetype": a.mimetype,
                "title": a.title,
            }
            for a in reply.attachments
        ],
        "notices": [
            {"recipient_person_id": n.recipient_person_id, "text": n.text} for n in reply.notices
        ],
    }


def _strs(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _button_from(data: dict[str, Any]) -> Button:
    style = data.get("style")
    return Button(
        label=str(data["label"]),
        action=str(data["action"]),
        value=str(data["value"]),
        style=None if style is None else str(style),
    )


def _item_from(data: dict[str, Any]) -> Item:
    link = data.get("link")
    return Item(
        ref=str(data["ref"]),
        title=str(data["title"]),
        details=_strs(data.get("details")),
        link=None if link is None else str(link),
        buttons=tuple(_button_from(b) for b in data.get("buttons") or ()),
    )


def _section_from(data: dict[str, Any]) -> Section:
    heading = data.get("heading")
    return Section(
        heading=None if heading is None else str(heading),
        lines=_strs(data.get("lines")),
        items=tuple(_item_from(i) for i in data.get("items") or ()),
        more=int(data.get("more") or 0),
        compact=bool(data.get("compact")),
    )


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The reply stored by :func:`reply_to_dict`; raises :class:`PayloadError` if unreadable."""
    try:
        if data.get("v") != VERSION:
            raise PayloadError(f"unknown payload version {data.get('v')!r}")
        table = data.get("table")
        form = data.get("form")
        return Reply(
            text=str(data["text"]),
            sections=tuple(_section_from(s) for s in data.get("sections") or ()),
            table=None
            if table is None
            else Table(
                columns=_strs(table["columns"]),
                rows=tuple(_strs(row) for row in table["rows"]),
            ),
            buttons=tuple(_button_from(b) for b in data.get("buttons") or ()),
            public=bool(data.get("public", False)),
            error=bool(data.get("error", False)),
            form=None
            if form is None
            else Form(
                kind=str(form["kind"]),
                prefill=tuple((str(k), str(v)) for k, v in form.get("prefill") or ()),
            ),
            attachments=tuple(
                Attachment(
                    filename=str(a["filename"]),
                    content=base64.b64decode(a["content"]),
                    mimetype=str(a["mimetype"]),
                    title=None if a.get("title") is None else str(a["title"]),
                )
                for a in data.get("attachments") or ()
            ),
            notices=tuple(
                Notice(recipient_person_id=int(n["recipient_person_id"]), text=str(n["text"]))
                for n in data.get("notices") or ()
            ),
        )
    except PayloadError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PayloadError(f"unreadable reply payload: {error!r}") from error
