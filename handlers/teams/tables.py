"""A neutral :class:`~bot.messages.Table` as an Adaptive Card ``Table`` (card version 1.5).

The renderer fits a card row by row, so each row is first a ``TableRow`` of its own, carrying
its aligned plain-text line; :func:`assemble` then gathers consecutive rows into one ``Table``
whose fallback, for a client without tables, is those lines in a monospace text block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.messages import Table

Element = dict[str, Any]
TABLE_VERSION = "1.5"
_LINE = "_line"  # the row as aligned text, removed when the rows are gathered


def rows(table: Table, *, cell: Callable[[str], str], lines: list[str]) -> list[Element]:
    """One ``TableRow`` per row, the header first; ``cell`` prepares a cell's text and
    ``lines`` are the aligned text lines (header, rule, rows)."""
    width = max([len(table.columns), *(len(r) for r in table.rows)], default=0)
    texts = [
        [cell(c) for c in (*r, *("",) * (width - len(r)))] for r in (table.columns, *table.rows)
    ]
    found: list[Element] = []
    for index, row in enumerate(texts):
        style = {"weight": "Bolder"} if index == 0 else {}
        cells = [
            {
                "type": "TableCell",
                "items": [{"type": "TextBlock", "text": text or " ", "wrap": True, **style}],
            }
            for text in row
        ]
        line = "\n".join(lines[:2]) if index == 0 else lines[index + 1]
        found.append({"type": "TableRow", "cells": cells, _LINE: line})
    return found


def _extend(fallback: Element, line: str, most: int) -> None:
    """Add ``line`` to the fallback text while it fits ``most`` characters; "…" once after."""
    text = str(fallback["text"])
    if text.endswith("\n…"):
        return
    fallback["text"] = f"{text}\n{line}" if len(text) + 1 + len(line) <= most - 2 else f"{text}\n…"


def assemble(body: list[Element], table: Table | None, *, most: int) -> list[Element]:
    """``body`` with each run of ``TableRow`` gathered into one ``Table``; its fallback text
    keeps to ``most`` characters."""
    if table is None:
        return body
    width = max([len(table.columns), *(len(r) for r in table.rows)], default=0)
    columns = [
        {
            "type": "TableColumnDefinition",
            "width": 1,
            "horizontalCellContentAlignment": "Right" if table.numeric(i) else "Left",
        }
        for i in range(width)
    ]
    out: list[Element] = []
    for element in body:
        if element.get("type") != "TableRow":
            out.append(element)
            continue
        row = {k: v for k, v in element.items() if k != _LINE}
        line = str(element.get(_LINE, ""))
        if out and out[-1].get("type") == "Table":
            out[-1]["rows"].append(row)
            _extend(out[-1]["fallback"], line, most)
            continue
        out.append(
            {
                "type": "Table",
                "columns": columns,
                "rows": [row],
                "firstRowAsHeader": True,
                "fallback": {
                    "type": "TextBlock",
                    "text": line[: most - 2],
                    "fontType": "Monospace",
                    "wrap": True,
                },
            }
        )
    return out


def has_table(body: Sequence[Element]) -> bool:
    return any(e.get("type") == "Table" for e in body)
