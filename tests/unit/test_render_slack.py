from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import TableBlock

from bot.messages import Button, Item, Reply, Section, Table
from handlers.slack import render
from handlers.slack.escape import CUT_MARKER
from handlers.slack.render import MAX_BLOCKS, render_text_for_slack
from tests.unit.slack_rendered import assert_harmless, render_blocks


def _sections(blocks: list[dict[str, Any]]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return texts


def test_long_line_is_cut_with_a_marker() -> None:
    reply = Reply(text="Notes", sections=(Section(lines=("y" * 10_000,)),))

    blocks = render_blocks(reply)["blocks"]

    line = blocks[1]["text"]["text"]
    assert len(line) <= 3000
    assert line.endswith(CUT_MARKER)
    assert len(render_blocks(reply)["text"]) <= 3000


def test_reply_layout() -> None:
    reply = Reply(
        text="Top ideas",
        sections=(
            Section(
                heading="Digital",
                lines=("This week",),
                items=(
                    Item(
                        ref="I-12",
                        title="Chatbot for FAQs",
                        details=("3 votes", "pilot"),
                        link="https://example.slack.com/archives/C1/p1",
                        buttons=(Button("Vote", "vote", "I-12", "primary"),),
                    ),
                ),
                more=4,
            ),
        ),
        buttons=(Button("All ideas", "ideas", "all"), Button("Drop", "shelve", "I-12", "danger")),
    )

    blocks = render_blocks(reply)["blocks"]

    assert [b["type"] for b in blocks] == [
        "section",
        "header",
        "section",
        "section",
        "context",
        "actions",
        "context",
        "actions",
    ]
    assert blocks[0]["text"]["text"] == "*Top ideas*"
    assert blocks[1]["text"]["text"] == "Digital"
    assert blocks[3]["text"]["text"] == "*I-12* Chatbot for FAQs"
    assert blocks[4]["elements"][0]["text"] == (
        "3 votes  ·  pilot  ·  <https://example.slack.com/archives/C1/p1|View source>"
    )
    assert blocks[5]["elements"] == [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": "Vote", "emoji": True},
            "action_id": "cop:vote:1",
            "value": "I-12",
            "style": "primary",
        }
    ]
    assert blocks[6]["elements"][0]["text"] == "_and 4 more_"
    assert [e["action_id"] for e in blocks[7]["elements"]] == ["cop:ideas:2", "cop:shelve:3"]
    assert blocks[7]["elements"][1]["style"] == "danger"


def test_eighty_items_stay_within_fifty_blocks_and_say_how_many_are_left_off() -> None:
    items = tuple(
        Item(
            ref=f"I-{n}",
            title=f"Idea {n}",
            details=("1 vote",),
            buttons=(Button("Vote", "vote", f"I-{n}"),),
        )
        for n in range(80)
    )
    reply = Reply(
        text="Ideas", sections=(Section(items=items),), buttons=(Button("More", "ideas", "all"),)
    )

    blocks = render_blocks(reply)["blocks"]

    assert len(blocks) <= MAX_BLOCKS
    shown = sum(1 for t in _sections(blocks) if t.startswith("*I-"))
    notice = blocks[-2]
    assert notice["type"] == "context"
    assert notice["elements"][0]["text"] == f"… and {80 - shown} more items not shown"
    assert blocks[-1]["elements"][0]["action_id"].startswith("cop:ideas:")


def test_limits_on_headers_buttons_and_actions() -> None:
    buttons = tuple(Button("L" * 100, f"act{n}", str(n)) for n in range(30))
    reply = Reply(
        text="x",
        sections=(Section(heading="H" * 400),),
        buttons=(*buttons, Button("Too long", "vote", "v" * 2001)),
    )

    blocks = render_blocks(reply)["blocks"]

    assert len(blocks[1]["text"]["text"]) <= 150
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in actions] == [25, 5]
    for element in (e for b in actions for e in b["elements"]):
        assert len(element["text"]["text"]) <= 75
        assert len(element["value"]) <= 2000


def test_buttons_with_the_same_action_sit_in_one_row_with_their_own_action_ids() -> None:
    pulse = tuple(Button(str(n), "pulse", str(n)) for n in range(1, 6))

    blocks = render_blocks(Reply(text="How was your week?", buttons=pulse))["blocks"]

    [actions] = [b for b in blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == [f"cop:pulse:{n}" for n in range(1, 6)]


def test_table_is_an_aligned_code_block_split_across_sections() -> None:
    rows = tuple((f"row {n}", "x" * 30, "<@U1>") for n in range(200))
    reply = Reply(text="Stats", table=Table(columns=("Name", "Value", "Who"), rows=rows))

    blocks = render_blocks(reply)["blocks"]

    tables = [t for t in _sections(blocks) if t.startswith("```")]
    assert len(tables) > 1
    for text in tables:
        assert len(text) <= 3000 and text.endswith("```")
        lines = text.strip("`\n").splitlines()
        assert lines[0] == f"{'Name':<7}  {'Value':<30}  Who"
        assert lines[1] == f"{'-' * 7}  {'-' * 30}  -----"
    assert sum(t.count("\nrow ") for t in tables) == 200
    assert_harmless(render_blocks(reply))


def test_error_reply_is_marked() -> None:
    assert render_blocks(Reply(text="Unknown stage", error=True))["blocks"][0]["text"]["text"] == (
        ":warning: *Unknown stage*"
    )


def test_text_for_slack_keeps_table_block_closed_when_cut() -> None:
    rows = tuple((f"row {n}", "value") for n in range(1000))
    text = render_text_for_slack(Reply(text="Stats", table=Table(("Name", "Value"), rows)))

    assert len(text) <= 4000
    assert text.count("```") == 2
    assert re.search(r"_and \d+ more rows_$", text)


def test_a_table_within_slacks_limits_is_a_native_table_block_with_a_text_fallback() -> None:
    rows = (("Ideas submitted", "12", "8"), ("设计思维社区 <@U1> @here", "1,5", ""))
    reply = Reply(text="Stats", table=Table(columns=("Indicator", "Value", "Previous"), rows=rows))

    rendered = render_blocks(reply)

    [table] = [b for b in rendered["blocks"] if b["type"] == "table"]
    TableBlock(**{k: v for k, v in table.items() if k != "type"}).validate_json()
    assert table["rows"][0] == [{"type": "raw_text", "text": t} for t in reply.table.columns]
    assert table["rows"][1][0] == {"type": "raw_text", "text": "Ideas submitted"}
    assert table["rows"][2][2] == {"type": "raw_text", "text": "–"}
    assert [s["align"] for s in table["column_settings"]] == ["left", "right", "right"]
    assert not any(s.startswith("```") for s in _sections(rendered["blocks"]))
    fallback = rendered["text"].split("```")[1].strip("\n").splitlines()
    assert fallback[0].startswith("Indicator") and "Ideas submitted" in fallback[2]
    assert_harmless(rendered)


def test_a_table_beyond_slacks_limits_stays_aligned_code_blocks() -> None:
    wide = Reply(text="Wide", table=Table(tuple(f"c{n}" for n in range(21)), (("x",) * 21,)))
    long = Reply(text="Long", table=Table(("Name",), tuple((f"row {n}",) for n in range(100))))
    for reply in (wide, long):
        blocks = render_blocks(reply)["blocks"]
        assert not [b for b in blocks if b["type"] == "table"]
        assert any(s.startswith("```") for s in _sections(blocks))


def test_a_table_can_be_asked_for_as_text_only() -> None:
    reply = Reply(text="Stats", table=Table(("Name", "Value"), (("a", "1"),)))
    blocks = render.render_blocks(reply, native_table=False)["blocks"]
    assert not [b for b in blocks if b["type"] == "table"]


def test_a_headline_is_bold_unless_it_holds_emphasis_marks() -> None:
    def headline(text: str) -> str:
        return str(render_blocks(Reply(text))["blocks"][0]["text"]["text"])

    assert headline("Run `community bind` here.") == "*Run `community bind` here.*"
    assert headline("ana proposes *bold* xxx") == "ana proposes *bold* xxx"
    assert headline("ana wrote ~this~ and `that") == "ana wrote ~this~ and `that"
