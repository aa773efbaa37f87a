"""Render a neutral :class:`~bot.messages.Reply` as Slack Block Kit.

Every piece of user text goes through :func:`escape_mrkdwn` and every Block Kit
limit is enforced here, so Slack never rejects a message as ``invalid_blocks``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import _
from bot.i18n.words import not_shown
from bot.messages import Button, Item, Reply, Section, Table
from bot.text import isolate
from handlers.slack import tables
from handlers.slack.escape import escape_mrkdwn, link, safe_url, truncate

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK_TEXT = 3000
MAX_TEXT_MESSAGE = 4000
MAX_TABLE_CELL = 40
COMPACT_GROUP = 6  # items per section block in a compact list
COMPACT_TITLE = 160
COMPACT_DETAILS = 200
BUTTON_STYLES = frozenset({"primary", "danger"})


@dataclass(slots=True)
class _Unit:
    """Blocks that must be kept or dropped together, and what dropping them hides."""

    blocks: list[Block]
    items: int = 0
    rows: int = 0
    more: int = 0


@dataclass(slots=True)
class _Plan:
    units: list[_Unit] = field(default_factory=list)

    def add(self, blocks: list[Block], *, items: int = 0, rows: int = 0, more: int = 0) -> None:
        if blocks:
            self.units.append(_Unit(blocks, items=items, rows=rows, more=more))


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}


def plain_text(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def _section(text: str) -> list[Block]:
    if not text.strip():
        return []
    return [{"type": "section", "text": _mrkdwn(text)}]


def _context(text: str) -> list[Block]:
    if not text.strip():
        return []
    return [{"type": "context", "elements": [_mrkdwn(text)]}]


# Slack emphasis marks: inside a line wrapped in *…*, a person's own * _ or ~ would close
# the bold early or open another style, leaving stray asterisks on screen. Paired backticks
# (our `command` words) sit well inside bold; an odd one would swallow the closing *.
_EMPHASIS = frozenset("*_~")


def _bold(text: str) -> str:
    """Bold each non-empty line of already escaped text (Slack bold does not span lines). A
    line holding emphasis marks (a person's words quoted in a notice) is left unwrapped, so
    their own formatting shows as they wrote it and nothing of ours breaks it."""
    return "\n".join(_bold_line(line.strip()) for line in text.splitlines())


def _bold_line(line: str) -> str:
    if not line or _EMPHASIS.intersection(line) or line.count("`") % 2:
        return line
    return f"*{line}*"


def _button(button: Button, action_id: str) -> Block:
    label = " ".join(button.label.split()) or button.action
    element: Block = {
        "type": "button",
        "text": plain_text(escape_mrkdwn(label), MAX_BUTTON_LABEL),
        "action_id": action_id,
    }
    if button.value:
        element["value"] = button.value
    if button.style in BUTTON_STYLES:
        element["style"] = button.style
    return element


def _actions(buttons: Iterable[Button]) -> list[Block]:
    """Actions blocks for ``buttons``, at most 25 to a block (one row of siblings).

    A button whose value is too long for Slack is left off rather than sent with a
    cut value that would act on the wrong thing. Action ids are made unique per message by
    :func:`number_actions`.
    """
    blocks: list[Block] = []
    current: list[Block] = []
    for button in buttons:
        action_id = f"cop:{button.action}"
        if len(button.value) > MAX_BUTTON_VALUE or len(action_id) > MAX_ACTION_ID - 4:
            continue
        if len(current) >= MAX_ACTIONS_ELEMENTS:
            blocks.append({"type": "actions", "elements": current})
            current = []
        current.append(_button(button, action_id))
    if current:
        blocks.append({"type": "actions", "elements": current})
    return blocks


_NUMBERED = re.compile(r":\d+$")


def number_actions(blocks: list[Block]) -> list[Block]:
    """Give every button its own action id, ``cop:<action>:<n>`` (Slack wants them unique
    within a message or view; the listener matches ``cop:<action>`` with any number)."""
    serial = 0
    for block in blocks:
        for element in block.get("elements", ()) if block.get("type") == "actions" else ():
            action_id = str(element.get("action_id", ""))
            if action_id.startswith("cop:"):
                serial += 1
                element["action_id"] = f"{_NUMBERED.sub('', action_id)}:{serial}"
    return blocks


def _item_blocks(item: Item) -> list[Block]:
    title = isolate(" ".join(item.title.split()))
    ref = " ".join(item.ref.split())
    heading = [f"*{escape_mrkdwn(ref)}*"] if ref else []
    blocks = _section(" ".join([*heading, escape_mrkdwn(title)]).strip())
    notes = [
        escape_mrkdwn(isolate(" ".join(detail.split())))
        for detail in item.details
        if detail.strip()
    ]
    if item.link and safe_url(item.link) is not None:
        notes.append(link(item.link, item.link_label or _("View source")))
    blocks += _context("  ·  ".join(notes))
    blocks += _actions(item.buttons)
    return blocks


def _compact_line(item: Item) -> str:
    """One item on one line: ``• *I-3* Title — details · <link|source>``."""
    ref = " ".join(item.ref.split())
    title = isolate(truncate(escape_mrkdwn(" ".join(item.title.split())), COMPACT_TITLE))
    line = " ".join(["•", *([f"*{escape_mrkdwn(ref)}*"] if ref else []), title])
    notes = [escape_mrkdwn(" ".join(d.split())) for d in item.details if d.strip()]
    if notes:
        line += " — " + truncate("  ·  ".join(notes), COMPACT_DETAILS)
    if item.link and safe_url(item.link) is not None:
        line += "  ·  " + link(item.link, "source")
    return line


def _compact_groups(items: Sequence[Item]) -> list[list[Item]]:
    """Items in groups of at most ``COMPACT_GROUP`` whose lines fit one section's text."""
    groups: list[list[Item]] = []
    size = 0
    for item in items:
        length = len(_compact_line(item)) + 1
        if not groups or len(groups[-1]) >= COMPACT_GROUP or size + length > MAX_SECTION_TEXT:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += length
    return groups


def _compact_blocks(items: Sequence[Item]) -> list[Block]:
    """Several items in one section, their buttons (labelled with the item) in one row."""
    blocks = _section("\n".join(_compact_line(item) for item in items))
    buttons = [
        Button(f"{b.label} · {item.ref}" if item.ref else b.label, b.action, b.value, b.style)
        for item in items
        for b in item.buttons
    ]
    return blocks + _actions(buttons)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


def table_lines(table: Table) -> list[str]:
    """The table as aligned plain-text lines: header, rule, rows (cells cut to 40 columns)."""
    return table.aligned(_cell, max_width=MAX_TABLE_CELL)


def _table_units(table: Table, plan: _Plan, *, native: bool) -> None:
    """Slack's own table block when the table fits it; aligned code blocks otherwise."""
    block = tables.native_table(table) if native else None
    if block is not None:
        plan.add([block], rows=len(table.rows))
        return
    room = MAX_SECTION_TEXT - len("```\n\n```")
    lines = [escape_mrkdwn(line) for line in table_lines(table)]
    head = [truncate(line, room // 3, "…") for line in lines[:2]]
    body = lines[2:]
    chunk: list[str] = list(head)
    rows_in_chunk = 0

    def flush() -> None:
        text = "\n".join(chunk)
        plan.add(_section(f"```\n{text}\n```"), rows=rows_in_chunk)

    for row in body:
        row = truncate(row, room - len("\n".join(head)) - 1)
        if len("\n".join([*chunk, row])) > room:
            flush()
            chunk, rows_in_chunk = list(head), 0
        chunk.append(row)
        rows_in_chunk += 1
    flush()


def _section_units(section: Section, plan: _Plan) -> None:
    if section.heading and section.heading.strip():
        heading = " ".join(section.heading.split())
        plan.add([{"type": "header", "text": plain_text(escape_mrkdwn(heading), MAX_HEADER_TEXT)}])
    plan.add(_section("\n".join(escape_mrkdwn(line) for line in section.lines)))
    if section.compact:
        for group in _compact_groups(section.items):
            plan.add(_compact_blocks(group), items=len(group))
    for item in () if section.compact else section.items:
        plan.add(_item_blocks(item), items=1)
    if section.more > 0:
        more = _("and {n} more").format(n=section.more)
        plan.add(_context(f"_{more}_"), more=section.more)


def _headline(reply: Reply) -> str:
    text = _bold(escape_mrkdwn(reply.text))
    if reply.error and text:
        return f":warning: {text}"
    return text


def _not_shown(units: Sequence[_Unit]) -> Block:
    items = sum(u.items + u.more for u in units)
    rows = sum(u.rows for u in units)
    return {"type": "context", "elements": [_mrkdwn(not_shown(items, rows))]}


def _fit(units: Sequence[_Unit], tail: list[Block]) -> list[Block]:
    """Keep whole units in order so the message, ``tail`` included, has at most 50 blocks."""
    tail = tail[: MAX_BLOCKS - 1]
    budget = MAX_BLOCKS - len(tail)
    if sum(len(u.blocks) for u in units) <= budget:
        return [b for u in units for b in u.blocks] + tail
    budget -= 1
    kept: list[Block] = []
    for index, unit in enumerate(units):
        if len(kept) + len(unit.blocks) > budget:
            return [*kept, _not_shown(units[index:]), *tail]
        kept += unit.blocks
    return kept + tail


def render_blocks(reply: Reply, *, native_table: bool = True) -> dict[str, Any]:
    """``{"text": fallback, "blocks": [...]}`` for ``chat.postMessage`` and friends. A table
    is Slack's table block (``native_table``, messages only) with the aligned text table in
    the fallback, or aligned code blocks."""
    plan = _Plan()
    plan.add(_section(_headline(reply)))
    for section in reply.sections:
        _section_units(section, plan)
    if reply.table is not None:
        _table_units(reply.table, plan, native=native_table)
    blocks = number_actions(_fit(plan.units, _actions(reply.buttons)))
    fallback = render_text_for_slack(reply, limit=MAX_FALLBACK_TEXT)
    return {"text": fallback, "blocks": blocks}


def render_text_for_slack(reply: Reply, *, limit: int = MAX_TEXT_MESSAGE) -> str:
    """The reply as one ``mrkdwn`` string, for places that take only text."""
    parts: list[str] = []
    headline = _headline(reply)
    if headline:
        parts.append(headline)
    for section in reply.sections:
        if section.heading and section.heading.strip():
            parts.append(_bold(escape_mrkdwn(" ".join(section.heading.split()))))
        parts += [escape_mrkdwn(line) for line in section.lines]
        for item in section.items:
            ref = escape_mrkdwn(" ".join(item.ref.split()))
            title = escape_mrkdwn(" ".join(item.title.split()))
            parts.append(" ".join(["•", *([f"*{ref}*"] if ref else []), title]).rstrip())
            parts += [f"    {escape_mrkdwn(' '.join(d.split()))}" for d in item.details]
            if item.link and safe_url(item.link) is not None:
                parts.append(f"    {link(item.link, item.link_label or _('View source'))}")
        if section.more > 0:
            parts.append("_" + _("and {n} more").format(n=section.more) + "_")
    text = "\n".join(parts).strip()
    if reply.table is not None:
        text = _append_table(text, reply.table, limit)
    return truncate(text, limit)


def _append_table(text: str, table: Table, limit: int) -> str:
    """Add the table as a code block, leaving off rows that do not fit within ``limit``."""
    lines = [escape_mrkdwn(line) for line in table_lines(table)]
    head, body = lines[:2], lines[2:]
    room = limit - len(text) - len("\n```\n\n```") - len(f"\n_and {len(body)} more rows_")
    shown = list(head)
    for line in body:
        if len("\n".join([*shown, line])) > room:
            break
        shown.append(line)
    if len(shown) == len(head) and len("\n".join(head)) > room:
        return text
    block = "```\n" + "\n".join(shown) + "\n```"
    left = len(body) - (len(shown) - len(head))
    if left:
        block += f"\n_and {left} more rows_"
    return f"{text}\n{block}".strip()
