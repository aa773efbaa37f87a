"""Text from any script laid out right: columns line up by display width in the console and
in exports, and right-to-left text is isolated so it does not reorder the line around it."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from openpyxl import load_workbook

from bot.i18n import use_locale
from bot.indicators.export import ExportRow, to_table, to_xlsx
from bot.messages import Reply, Table
from bot.text import FSI, PDI, columns, isolate
from handlers.console.render import render_text

CHINESE = "设计思维社区"
ARABIC = "مجتمع الممارسة"


def _row(scope: str, label: str) -> ExportRow:
    return ExportRow(
        "2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "UTC", "community", scope,
        "ideas_submitted", label, "innovation", "count", 3.0, {}, 5.0, None, None,
    )  # fmt: skip


def _starts(line: str, cells: list[str]) -> list[int]:
    """The display column at which each cell starts on ``line``."""
    found, at = [], 0
    for cell in cells:
        index = line.index(cell, at)
        found.append(columns(line[:index]))
        at = index + len(cell)
    return found


def test_the_console_lines_up_chinese_by_display_width() -> None:
    table = Table(("community", "ideas"), ((CHINESE, "12"), ("data", "3"), ("café ☕", "7")))
    lines = render_text(Reply("Ideas", table=table)).splitlines()
    rows = [line for line in lines if line.rstrip().endswith(("12", "3", "7"))]
    assert len(rows) == 3
    assert len({_starts(row, [row.split()[-1]])[0] for row in rows}) == 1


def test_the_text_export_lines_up_chinese_in_every_language() -> None:
    for language in ("en", "fr", "es"):
        with use_locale(language):
            text = to_table([_row(CHINESE, "Ideas submitted"), _row("data", "Ideas submitted")])
        body = text.splitlines()[2:]
        assert len({_starts(line, ["Ideas submitted"])[0] for line in body}) == 1


def test_the_xlsx_export_is_wide_enough_for_chinese() -> None:
    book = load_workbook(io.BytesIO(to_xlsx([_row(CHINESE * 3, "Ideas submitted")])))
    sheet = book["Indicators"]
    assert sheet.column_dimensions["F"].width >= columns(CHINESE * 3)


def test_right_to_left_text_is_isolated_and_takes_no_extra_room() -> None:
    assert isolate(ARABIC) == FSI + ARABIC + PDI
    assert isolate(isolate(ARABIC)) == FSI + ARABIC + PDI
    assert isolate(CHINESE) == CHINESE and isolate("Design") == "Design"
    table = Table(("community", "ideas"), ((ARABIC, "12"), ("data", "3")))
    lines = render_text(Reply("Ideas", table=table)).splitlines()
    arabic = next(line for line in lines if ARABIC in line)
    assert FSI + ARABIC + PDI in arabic and columns(FSI + PDI) == 0
    data = next(line for line in lines if line.startswith("data"))
    assert _starts(arabic, ["12"]) == _starts(data, ["3"])


def test_isolation_looks_at_every_character_it_must() -> None:
    """Only right-to-left letters are isolated, wherever they stand in the text, whatever
    comes before them (Latin, accented, Chinese or an emoji)."""
    for code in range(0x20, 0x30000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        rtl = unicodedata.bidirectional(char) in ("R", "AL")
        for text in (char, f"Café {char}", f"设计{char}x"):
            assert (isolate(text) == FSI + text + PDI) is rtl, hex(code)
