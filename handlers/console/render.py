"""Render a neutral :class:`~bot.messages.Reply` as plain text for a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.i18n import LazyText, _, formats, lazy
from bot.messages import Attachment, Button, Form, Item, Reply, Section, Table
from bot.text import isolate

INDENT = "    "
MAX_TABLE_CELL = 40
_KEEP = frozenset("\n\t\u200c\u200d")
_DROP = frozenset({"Cc", "Cf", "Cs"})

FORM_HINTS: dict[str, LazyText] = {
    "idea": lazy("Type the idea after the command: {command} idea <text>"),
    "request": lazy("Type the question after the command: {command} ask <text>"),
    "feedback": lazy(
        "Type the feedback after the command: "
        "{command} feedback [I-12|R-34|E-5|community] [1-5] <text>"
    ),
    "event": lazy(
        "Give the event after the command: "
        '{command} event add "<title>" <YYYY-MM-DD> [training|workshop|webinar|meeting]'
    ),
}


def _clean(text: str) -> str:
    """Drop control and format characters (terminal escapes, bidi overrides).

    Newlines, tabs and the joiners that hold emoji sequences together are kept.
    """
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP)


def _one_line(text: str) -> str:
    return isolate(" ".join(_clean(text).split()))


def command_line(button: Button) -> str:
    """The command a button stands for: ``vote I-12``, ``advance I-3 <stage>``, …"""
    action = _one_line(button.action)
    value = _one_line(button.value)
    if action == "advance" and len(value.split()) == 1:
        return f"advance {value} <stage>"
    return f"{action} {value}".strip()


def button_hint(button: Button, *, command: str = "/cop") -> str:
    label = _one_line(button.label) or _one_line(button.action)
    return f"[{label}: {' '.join(filter(None, (command, command_line(button))))}]"


def _buttons(buttons: Sequence[Button], command: str, indent: str = "") -> list[str]:
    if not buttons:
        return []
    return [indent + "  ".join(button_hint(b, command=command) for b in buttons)]


def _item(item: Item, command: str) -> list[str]:
    lines = [f"{_one_line(item.ref)}  {_one_line(item.title)}".rstrip()]
    lines += [INDENT + _one_line(detail) for detail in item.details if detail.strip()]
    if item.link:
        lines.append(f"{INDENT}→ {_one_line(item.link)}")
    lines += _buttons(item.buttons, command, INDENT)
    return lines


def _section(section: Section, command: str) -> list[str]:
    lines: list[str] = []
    if section.heading and section.heading.strip():
        heading = _one_line(section.heading)
        lines += [heading, "-" * len(heading)]
    lines += [_clean(line) for line in section.lines]
    for item in section.items:
        lines += _item(item, command)
    if section.more > 0:
        lines.append("… " + _("and {n} more").format(n=section.more))
    return lines


def table_text(table: Table) -> list[str]:
    """The table as aligned columns: header, rule, rows (cells cut to 40 columns)."""
    return table.aligned(_one_line, max_width=MAX_TABLE_CELL)


def _attachment(attachment: Attachment) -> str:
    title = f" — {_one_line(attachment.title)}" if attachment.title else ""
    size = _("{size} bytes").format(size=formats.number(len(attachment.content), digits=0))
    return f"{_one_line(attachment.filename)}{title} ({size})"


def form_hint(form: Form, *, command: str = "/cop") -> str:
    template = FORM_HINTS.get(form.kind)
    text = str(template) if template else _("Type {command} help to see the commands.")
    return " ".join(text.format(command=command).split())


def render_text(reply: Reply, *, command: str = "/cop") -> str:
    """``reply`` as readable plain text; ``command`` prefixes the command hints."""
    blocks: list[list[str]] = []
    if reply.text.strip():
        said = _clean(reply.text.strip())
        blocks.append([_("Error: {text}").format(text=said) if reply.error else said])
    blocks += [_section(section, command) for section in reply.sections]
    if reply.table is not None:
        blocks.append(table_text(reply.table))
    if reply.attachments:
        blocks.append(["Attachments:", *(INDENT + _attachment(a) for a in reply.attachments)])
    if reply.form is not None:
        blocks.append([form_hint(reply.form, command=command)])
    blocks.append(_buttons(reply.buttons, command))
    return "\n\n".join("\n".join(block) for block in blocks if block)
