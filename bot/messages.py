"""Platform-neutral inbound messages and outbound replies.

Handlers turn a platform payload into an :class:`Inbound`; the core answers with a
:class:`Reply`, which each platform renders (Block Kit, Adaptive Card, plain text).
All text in a reply is plain text as the person typed it: renderers escape it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from bot.text import align

Label = TypeVar("Label")  # a choice's label: text, or text translated when shown


class Platform(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as the platform knows them."""

    platform: Platform
    workspace: str
    user_id: str
    display_name: str | None = None
    email: str | None = None
    timezone: str | None = None
    locale: str | None = None  # the platform's locale for them, e.g. "fr-FR"


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A pointer to a platform message, kept as the source of a captured item."""

    channel: str
    ts: str
    permalink: str | None = None
    author: Actor | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One command line from a person, on any platform."""

    actor: Actor
    channel: str
    text: str
    channel_name: str | None = None
    source: MessageRef | None = None
    direct: bool = False  # a direct (personal) chat with the bot, not a shared channel


@dataclass(frozen=True, slots=True)
class Button:
    """A button on a reply: ``action`` names what it does, ``value`` what it acts on."""

    label: str
    action: str
    value: str
    style: str | None = None  # "primary" | "danger" | None


@dataclass(frozen=True, slots=True)
class Item:
    """One listed thing: an idea, a request, an event, a person."""

    ref: str
    title: str
    details: tuple[str, ...] = ()
    link: str | None = None
    buttons: tuple[Button, ...] = ()
    link_label: str | None = None  # None: "View source", in the reader's language


@dataclass(frozen=True, slots=True)
class Section:
    heading: str | None = None
    lines: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    more: int = 0  # items left off ("and N more")
    compact: bool = False  # list the items densely (several to a block), e.g. in digests


_NUMBER = re.compile(r"^[-+−]?[\d\s\u00a0\u202f.,']*\d[\d\s\u00a0\u202f.,']*\s?%?$|^[–—-]$")


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def aligned(self, cell: Callable[[str], str], *, max_width: int | None = None) -> list[str]:
        """The table as aligned plain-text lines (header, rule, rows), see :func:`bot.text.align`;
        ``cell`` prepares each cell's text (flattening) for the platform, and cells wider than
        ``max_width`` columns are cut."""
        rows = [self.columns, *self.rows]
        return align([[cell(c) for c in row] for row in rows], max_width=max_width)

    def numeric(self, index: int) -> bool:
        """Whether every filled cell of column ``index`` is a number (``12``, ``1,5``, ``25 %``,
        ``–``), so platforms that can align a column right do."""
        cells = [r[index].strip() for r in self.rows if index < len(r) and r[index].strip()]
        return bool(cells) and all(_NUMBER.match(c) for c in cells)


@dataclass(frozen=True, slots=True)
class Form:
    """Asks the platform to open a form (Slack modal, Teams task module)."""

    kind: str  # "idea" | "request" | "feedback" | "event"
    prefill: tuple[tuple[str, str], ...] = ()
    # Choices read at run time, by field (the idea form's theme list): (name, ((value, label), …))
    choices: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def options(
        self, name: str, fixed: tuple[tuple[str, Label], ...]
    ) -> tuple[tuple[str, Label | str], ...]:
        """The choices of field ``name``: read at run time when given, else ``fixed``."""
        return next((found for field, found in self.choices if field == name), fixed)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to deliver with the reply (CSV, XLSX, PNG)."""

    filename: str
    content: bytes
    mimetype: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for another person, e.g. the author of a message someone captured."""

    recipient_person_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot answers. ``public`` replies go to the channel; others only to the caller."""

    text: str
    sections: tuple[Section, ...] = ()
    table: Table | None = None
    buttons: tuple[Button, ...] = ()
    public: bool = False
    error: bool = False
    form: Form | None = None
    attachments: tuple[Attachment, ...] = ()
    notices: tuple[Notice, ...] = field(default=())
    # After a click: the clicked button's new label ("Voted · 3 votes"), so the message it
    # came from shows the new state; or the whole message to put in its place.
    source_label: str | None = None
    replace_source: Reply | None = None
    # A captured item's ref ("I-3"): the platform links the item to the message it posts
    # about it when the item has no source message of its own.
    captured: str | None = None
