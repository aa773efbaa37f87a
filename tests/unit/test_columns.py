"""Plain-text tables line up by how wide the text shows, and cells are cut between graphemes."""

from __future__ import annotations

from datetime import date

import pytest

from bot.indicators.export import ExportRow, to_table
from bot.messages import Reply, Table
from bot.text import align, columns, fit
from handlers.console.render import render_text
from handlers.slack.render import table_lines

FAMILY = "👩\u200d👩\u200d👧"  # one emoji: woman, ZWJ, woman, ZWJ, girl
FLAG = "🇫🇷"  # two regional indicators, one grapheme
ACCENT = "e\u0301"  # e and a combining acute accent


def test_wide_characters_take_two_columns() -> None:
    assert columns("设计思维社区") == 12
    assert columns(FAMILY) == 2 and columns(FLAG) == 2
    assert columns(ACCENT) == 1
    assert columns("ideas") == 5


def test_columns_line_up_with_chinese_and_emoji() -> None:
    lines = align([("Community", "Ideas"), ("设计思维社区", "12"), (f"Fun {FAMILY}", "3")])
    assert lines == [
        "Community     Ideas",
        "------------  -----",
        "设计思维社区  12",
        f"Fun {FAMILY}        3",
    ]
    # every value starts in the same display column
    starts = {columns(line[: line.rindex(" ") + 1]) for line in lines[2:]}
    assert starts == {14}


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("设计思维社区", 12, "设计思维社区"),
        ("设计思维社区", 11, "设计思维社…"),
        ("设计思维社区", 10, "设计思维…"),  # a wide character never half-shown
        (FAMILY * 3, 5, FAMILY * 2 + "…"),
        (FAMILY * 3, 4, FAMILY + "…"),  # not a woman without her family
        (FLAG * 2, 3, FLAG + "…"),
        (ACCENT * 5, 3, ACCENT * 2 + "…"),  # the accent stays on its letter
        ("abcdef", 4, "abc…"),
        ("abc", 0, ""),
    ],
)
def test_a_cut_keeps_graphemes_whole(text: str, limit: int, expected: str) -> None:
    cut = fit(text, limit)
    assert cut == expected
    assert columns(cut) <= limit


def test_console_and_slack_tables_share_the_alignment() -> None:
    table = Table(columns=("社区", "Value"), rows=((f"{FAMILY} 设计思维社区", "12"), ("ab", "3")))
    expected = [
        "社区             Value",
        "---------------  -----",
        f"{FAMILY} 设计思维社区  12",
        "ab               3",
    ]
    assert table_lines(table) == expected
    assert render_text(Reply(text="Stats", table=table)).splitlines()[2:] == expected


def test_long_cells_are_cut_to_forty_columns_between_graphemes() -> None:
    long = "设计思维" * 20
    [_, _, row] = Table(columns=("x",), rows=((long,),)).aligned(str, max_width=40)
    assert row == "设计思维" * 4 + "设计思…"
    assert columns(row) == 39  # a wide character does not fit in the last column
    assert table_lines(Table(columns=("x",), rows=((FAMILY * 30,),)))[2] == FAMILY * 19 + "…"


def test_the_indicator_export_table_uses_the_same_alignment() -> None:
    row = ExportRow(
        period="2026-11",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 1),
        time_zone="UTC",
        scope_kind="community",
        scope="设计思维社区",
        indicator="active_members",
        label="Active members",
        strategy="",
        unit="count",
        value=3.0,
        details={},
        target=None,
        baseline=None,
        owner=None,
    )
    lines = to_table([row]).splitlines()
    assert lines[0].startswith("Scope                    Indicator       Value")
    assert lines[2].startswith("community: 设计思维社区  Active members")
