"""Render a neutral :class:`~bot.messages.Reply` as a Microsoft Teams Adaptive Card.

Teams runs TextBlock text through a small Markdown dialect, so user text is passed
through :func:`escape_teams` first: it can never form a link, an ``<at>`` mention
or a date macro. Cards stay under Teams' payload limit by cutting long text and
leaving off items, with an "and N more" line saying so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.forms import FORMS
from bot.i18n import DEFAULT, LANGUAGES, _, current
from bot.i18n.words import not_shown
from bot.messages import Button, Item, Reply, Section, Table
from bot.text import cut as text_cut
from bot.text import isolate
from handlers.teams import tables

Element = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"
MAX_CARD_BYTES = 24_000  # Teams rejects activities over ~28 KB; leave room for the envelope
MAX_TEXT = 2000
MAX_ITEMS = 40
MAX_TABLE_ROWS = 50
MAX_TABLE_CELL = 60
MAX_ACTIONS_PER_SET = 5
MAX_ACTION_SETS = 4
MAX_BUTTON_TITLE = 40
COMPACT_GROUP = 5  # items per group in a compact list (their buttons share one action set)
COMPACT_TITLE = 160
COMPACT_DETAILS = 200
CUT_MARKER = "… (cut)"
_TABLE_FRAME = 2_000  # the Table around its rows: column definitions and fallback framing

ZERO_WIDTH_SPACE = "\u200b"
_BREAK_AFTER = re.compile(r"(<|\](?=[(\[])|\{(?=\{))")


def escape_teams(text: str) -> str:
    """Make user text inert in a Teams TextBlock.

    A zero-width space goes after every ``<`` (no ``<at>``, HTML tag or ``<url>``
    autolink), between ``]`` and ``(``/``[`` (no ``[label](url)`` link or image)
    and between ``{{`` (no ``{{DATE(…)}}`` macro). Emphasis is left as typed.
    """
    return _BREAK_AFTER.sub(lambda m: m.group(0) + ZERO_WIDTH_SPACE, text)


def cut(text: str, limit: int = MAX_TEXT, marker: str = CUT_MARKER) -> str:
    """Cut ``text`` on a character boundary so the result, marker included, fits ``limit``."""
    return text_cut(text, limit, marker)


def _http_url(url: str | None) -> str | None:
    if not url:
        return None
    candidate = url.strip()
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": cut(escape_teams(text)), "wrap": True, **style}


_ACTION_STYLES = {"primary": "positive", "danger": "destructive"}


def _submit(button: Button) -> Element:
    data: dict[str, Any] = {"cop_action": button.action, "value": button.value}
    if button.action == "form" and button.value in FORMS:  # opens the form in a task module
        data = {"msteams": {"type": "task/fetch"}, "cop_form": button.value}
    action: Element = {
        "type": "Action.Submit",
        "title": cut(_one_line(button.label) or button.action, MAX_BUTTON_TITLE, "…"),
        "data": data,
    }
    if button.style in _ACTION_STYLES:
        action["style"] = _ACTION_STYLES[button.style]
    return action


def _action_sets(actions: Sequence[Element]) -> list[Element]:
    return [
        {"type": "ActionSet", "actions": list(actions[i : i + MAX_ACTIONS_PER_SET])}
        for i in range(0, len(actions), MAX_ACTIONS_PER_SET)
    ]


def _item(item: Item) -> Element:
    header = {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": "auto", "items": [_text(item.ref, weight="Bolder")]},
            {
                "type": "Column",
                "width": "stretch",
                "items": [_text(isolate(_one_line(item.title)))],
            },
        ],
    }
    body: list[Element] = [header]
    details = [_one_line(d) for d in item.details if d.strip()]
    if details:
        body.append(_text("  ·  ".join(details), isSubtle=True, spacing="None", size="Small"))
    actions: list[Element] = []
    url = _http_url(item.link)
    if url is not None:
        actions.append(
            {"type": "Action.OpenUrl", "title": item.link_label or _("View source"), "url": url}
        )
    actions += [_submit(b) for b in item.buttons]
    body += _action_sets(actions)
    return {"type": "Container", "separator": True, "items": body}


def _compact_line(item: Item) -> Element:
    """One item as one small text block: ``**I-3** Title — details · [source](url)``."""
    text = isolate(cut(escape_teams(_one_line(item.title)), COMPACT_TITLE, "…"))
    if item.ref.strip():
        text = f"**{escape_teams(_one_line(item.ref))}** {text}"
    details = [escape_teams(_one_line(d)) for d in item.details if d.strip()]
    if details:
        text += " — " + cut("  ·  ".join(details), COMPACT_DETAILS, "…")
    url = _http_url(item.link)
    if url is not None:
        text += f" · [source]({url.replace('(', '%28').replace(')', '%29')})"
    return {"type": "TextBlock", "text": text, "wrap": True, "spacing": "Small"}


def _compact(items: Sequence[Item]) -> list[Element]:
    """Several items as lines, their buttons (labelled with the item) below them."""
    elements = [_compact_line(item) for item in items]
    buttons = [
        _submit(
            Button(f"{b.label} · {item.ref}" if item.ref else b.label, b.action, b.value, b.style)
        )
        for item in items
        for b in item.buttons
    ]
    return elements + _action_sets(buttons)


def _table(table: Table) -> list[Element]:
    """The table's rows (header first), each a ``TableRow`` until :func:`tables.assemble`
    gathers them into the card's ``Table``."""

    def cell(text: str) -> str:
        return escape_teams(cut(_one_line(text), MAX_TABLE_CELL, "…"))

    lines = [escape_teams(line) for line in table.aligned(_one_line, max_width=MAX_TABLE_CELL)]
    return tables.rows(table, cell=cell, lines=lines)


@dataclass(slots=True)
class _Unit:
    elements: list[Element]
    items: int = 0
    rows: int = 0
    more: int = 0

    def size(self) -> int:
        return sum(_size(e) + 1 for e in self.elements)


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=True))


def _section_units(section: Section) -> list[_Unit]:
    units: list[_Unit] = []
    if section.heading and section.heading.strip():
        heading = _text(_one_line(section.heading), weight="Bolder", separator=True)
        units.append(_Unit([{**heading, "spacing": "Medium"}]))
    units += [_Unit([_text(line)]) for line in section.lines if line.strip()]
    if section.compact:
        units += [
            _Unit(
                _compact(section.items[i : i + COMPACT_GROUP]),
                items=len(section.items[i:][:COMPACT_GROUP]),
            )
            for i in range(0, len(section.items), COMPACT_GROUP)
        ]
    else:
        units += [_Unit([_item(item)], items=1) for item in section.items]
    if section.more > 0:
        more = _("and {n} more").format(n=section.more)
        units.append(_Unit([_text(more, isSubtle=True)], more=section.more))
    return units


def _units(reply: Reply) -> list[_Unit]:
    units: list[_Unit] = []
    if reply.text.strip():
        style: dict[str, Any] = {"weight": "Bolder", "size": "Medium"}
        if reply.error:
            style["color"] = "Attention"
        units.append(_Unit([_text(reply.text.strip(), **style)]))
    for section in reply.sections:
        units += _section_units(section)
    if reply.table is not None and reply.table.columns:
        rows = _table(reply.table)
        units.append(_Unit(rows[:1]))
        units += [_Unit([r], rows=1) for r in rows[1:]]
    return units


def _not_shown(units: Sequence[_Unit]) -> Element:
    items = sum(u.items + u.more for u in units)
    rows = sum(u.rows for u in units)
    return _text(not_shown(items, rows), isSubtle=True)


def _fit(units: Sequence[_Unit], budget: int) -> list[Element]:
    """Keep whole units in order within ``budget`` bytes and the item and row caps."""
    items = sum(u.items for u in units)
    rows = sum(u.rows for u in units)
    if items <= MAX_ITEMS and rows <= MAX_TABLE_ROWS and sum(u.size() for u in units) <= budget:
        return [e for u in units for e in u.elements]
    budget -= _size(_not_shown([_Unit([], items=10**9, rows=10**9)])) + 1
    body: list[Element] = []
    used = items = rows = 0
    for index, unit in enumerate(units):
        over = items + unit.items > MAX_ITEMS or rows + unit.rows > MAX_TABLE_ROWS
        if over or used + unit.size() > budget:
            return [*body, _not_shown(units[index:])]
        body += unit.elements
        used += unit.size()
        items, rows = items + unit.items, rows + unit.rows
    return body


def _card(body: list[Element]) -> dict[str, Any]:
    lang = current() if current() in LANGUAGES else DEFAULT
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": tables.TABLE_VERSION if tables.has_table(body) else VERSION,
        "lang": lang,
        "body": body,
    }


def render_card(reply: Reply) -> dict[str, Any]:
    """An Adaptive Card (1.4; 1.5 with a ``Table``) for ``reply``, within Teams' payload
    limit."""
    tail = _action_sets([_submit(b) for b in reply.buttons])[:MAX_ACTION_SETS]
    budget = MAX_CARD_BYTES - _size(_card([])) - sum(_size(t) + 1 for t in tail)
    if reply.table is not None:
        budget -= _TABLE_FRAME
    body = tables.assemble(_fit(_units(reply), budget), reply.table, most=MAX_TEXT)
    return _card(body + tail)
