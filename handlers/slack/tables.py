"""A neutral :class:`~bot.messages.Table` as Slack's native ``table`` block.

Slack draws one table per message, of at most 100 rows (the header row included) and 20
columns, under the rest of the message. A table within those limits goes out as that block;
the message's ``text`` keeps the aligned plain-text table as its fallback (notifications,
clients without tables), and a larger table is sent as aligned code blocks instead.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Table
from bot.text import cut
from handlers.slack.escape import AT_MENTION, ZERO_WIDTH_JOINER

MAX_ROWS = 100  # the header row included
MAX_COLUMNS = 20
MAX_CELL = 500  # cut between graphemes beyond this; table cells wrap
EMPTY = "–"  # raw_text takes no empty text


def fits(table: Table) -> bool:
    return (
        0 < len(table.columns) <= MAX_COLUMNS
        and len(table.rows) + 1 <= MAX_ROWS
        and all(len(row) <= len(table.columns) for row in table.rows)
    )


def _cell(text: str) -> dict[str, str]:
    """A raw text cell; angle brackets become look-alikes and ``@here``-style words get an
    invisible joiner, so no cell can read as a mention or a link whatever Slack makes of it."""
    flat = " ".join(text.split()).replace("<", "‹").replace(">", "›")
    flat = AT_MENTION.sub("@" + ZERO_WIDTH_JOINER, flat)
    return {"type": "raw_text", "text": cut(flat, MAX_CELL, "…") if flat else EMPTY}


def native_table(table: Table) -> dict[str, Any] | None:
    """The ``table`` block for ``table``, or None when it is beyond Slack's limits."""
    if not fits(table):
        return None
    width = len(table.columns)
    rows = [
        [_cell(c) for c in table.columns],
        *([_cell(c) for c in (*row, *("",) * (width - len(row)))] for row in table.rows),
    ]
    settings = [
        {"align": "right"} if table.numeric(i) else {"align": "left", "is_wrapped": True}
        for i in range(width)
    ]
    return {"type": "table", "rows": rows, "column_settings": settings}
