from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.forms import FORMS
from bot.messages import Button, Form, Item, Reply, Section, Table
from handlers.slack.modals import render_modal
from handlers.teams import form_cards, render
from handlers.teams.render import CUT_MARKER, MAX_TEXT, SCHEMA, escape_teams
from tests.payload_checks import assert_valid_card


def render_card(reply: Reply) -> dict[str, Any]:
    """The renderer under test, with every card it builds checked against the 1.5 schema."""
    card = render.render_card(reply)
    assert_valid_card(card)
    return card


def render_task_form(form: Form) -> dict[str, Any]:
    card = form_cards.render_task_form(form)
    assert_valid_card(card)
    return card


TEAMS_LIMIT = 28 * 1024
ATTACKS = (
    "[click](http://evil)",
    "![img](http://evil/pixel.png)",
    "[a] (b) [c][d]",
    "<at>Boss</at>",
    "<a href='http://evil'>good</a>",
    "<https://evil.example>",
    "{{DATE(2026-01-01T00:00:00Z, SHORT)}}",
)
UNSAFE = re.compile(r"\]\(|\]\[|<[A-Za-z/!]|\{\{")


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [t for k, v in value.items() if k != "text" for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _of_type(value: Any, kind: str) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        here = [value] if value.get("type") == kind else []
        return here + [e for v in value.values() for e in _of_type(v, kind)]
    if isinstance(value, list):
        return [e for v in value for e in _of_type(v, kind)]
    return []


def _size(card: dict[str, Any]) -> int:
    return len(json.dumps(card).encode())


@pytest.mark.parametrize("attack", ATTACKS)
def test_escape_teams_breaks_links_mentions_and_macros(attack: str) -> None:
    assert UNSAFE.search(escape_teams(attack)) is None


def test_escape_teams_keeps_ordinary_text() -> None:
    assert escape_teams("Q&A on *budget* (2026) [draft]") == "Q&A on *budget* (2026) [draft]"


@pytest.mark.parametrize("attack", ATTACKS)
def test_injection_in_every_field_is_harmless(attack: str) -> None:
    reply = Reply(
        text=attack,
        sections=(
            Section(
                heading=attack,
                lines=(attack,),
                items=(Item(ref=attack, title=attack, details=(attack,), link=attack),),
            ),
        ),
        table=Table(columns=(attack,), rows=((attack,),)),
    )

    card = render_card(reply)

    for text in _texts(card):
        assert UNSAFE.search(text) is None, text
    assert _of_type(card, "Action.OpenUrl") == []


def test_card_layout() -> None:
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
                        link="https://teams.example/msg/1",
                        buttons=(Button("Vote", "vote", "I-12", "primary"),),
                    ),
                ),
                more=2,
            ),
        ),
        buttons=(Button("All ideas", "ideas", "all"),),
    )

    card = render_card(reply)

    assert card["$schema"] == SCHEMA and card["version"] == "1.4"
    assert card["type"] == "AdaptiveCard"
    body = card["body"]
    assert body[0] == {
        "type": "TextBlock",
        "text": "Top ideas",
        "wrap": True,
        "weight": "Bolder",
        "size": "Medium",
    }
    assert body[1]["text"] == "Digital" and body[1]["weight"] == "Bolder"
    assert body[2]["text"] == "This week"
    item = body[3]
    assert item["type"] == "Container"
    assert [t["text"] for t in _of_type(item["items"][0], "TextBlock")] == [
        "I-12",
        "Chatbot for FAQs",
    ]
    assert item["items"][1]["text"] == "3 votes  ·  pilot"
    assert item["items"][2]["actions"] == [
        {"type": "Action.OpenUrl", "title": "View source", "url": "https://teams.example/msg/1"},
        {
            "type": "Action.Submit",
            "title": "Vote",
            "data": {"cop_action": "vote", "value": "I-12"},
            "style": "positive",
        },
    ]
    assert body[4]["text"] == "and 2 more"
    assert body[5]["actions"][0]["data"] == {"cop_action": "ideas", "value": "all"}
    assert all(t["wrap"] for t in _of_type(card, "TextBlock"))


def test_error_headline_is_marked() -> None:
    card = render_card(Reply(text="Unknown stage", error=True))

    assert card["body"][0]["color"] == "Attention"


def test_long_line_is_cut_with_a_marker() -> None:
    card = render_card(Reply(text="Notes", sections=(Section(lines=("y" * 10_000,)),)))

    line = card["body"][1]["text"]
    assert len(line) <= MAX_TEXT and line.endswith(CUT_MARKER)


def test_eighty_items_stay_within_the_payload_limit_and_say_how_many_are_left_off() -> None:
    items = tuple(
        Item(
            ref=f"I-{n}",
            title="An idea with a fairly long title " * 3,
            details=("1 vote", "proposed"),
            link=f"https://teams.example/{n}",
            buttons=(Button("Vote", "vote", f"I-{n}"),),
        )
        for n in range(80)
    )

    card = render_card(Reply(text="Ideas", sections=(Section(items=items),)))

    assert _size(card) < TEAMS_LIMIT
    shown = len([e for e in card["body"] if e["type"] == "Container"])
    assert 0 < shown < 80
    assert card["body"][-1]["text"] == f"… and {80 - shown} more items not shown"


def test_table_is_an_adaptive_card_table_with_a_text_fallback() -> None:
    table = Table(
        columns=("Indicator", "Value"), rows=(("ideas", "12"), ("设计思维社区 <at>x</at>", ""))
    )

    card = render_card(Reply(text="Stats", table=table))

    assert card["version"] == "1.5"
    [grid] = _of_type(card, "Table")
    rows = [[c["items"][0]["text"] for c in row["cells"]] for row in grid["rows"]]
    assert rows[:2] == [["Indicator", "Value"], ["ideas", "12"]]
    assert rows[2][0].startswith("设计思维社区 <\u200bat>") and rows[2][1] == " "
    assert (
        grid["firstRowAsHeader"] and grid["rows"][0]["cells"][0]["items"][0]["weight"] == "Bolder"
    )
    aligned = [c["horizontalCellContentAlignment"] for c in grid["columns"]]
    assert aligned == ["Left", "Right"]
    fallback = grid["fallback"]
    assert fallback["fontType"] == "Monospace"
    header, rule, ideas, chinese = fallback["text"].splitlines()
    assert header.startswith("Indicator ") and set(rule) == {"-", " "}
    assert header.index("Value") == ideas.index("12")  # aligned, the wide script included
    assert chinese.startswith("设计思维社区")
    assert not _of_type(card, "ColumnSet")


def test_a_card_without_a_table_stays_version_1_4() -> None:
    assert render_card(Reply(text="Hello"))["version"] == "1.4"


def test_long_table_is_cut_with_a_count() -> None:
    table = Table(columns=("n",), rows=tuple((str(n),) for n in range(500)))

    card = render_card(Reply(text="Stats", table=table))

    assert _size(card) < TEAMS_LIMIT
    [grid] = _of_type(card, "Table")
    shown = len(grid["rows"]) - 1
    assert len(grid["fallback"]["text"].splitlines()) == shown + 2
    assert card["body"][-1]["text"] == f"… and {500 - shown} more rows not shown"


def _with_choices(kind: str) -> Form:
    """The empty form with two choices for each field that reads its choices at run time."""
    found = (("a", "First"), ("b", "Second"))
    return Form(kind, choices=tuple((f.name, found) for f in FORMS[kind].fields if f.choices_from))


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_task_form_matches_the_slack_modal(kind: str) -> None:
    form = _with_choices(kind)
    card = render_task_form(form)

    inputs = [e for e in card["body"] if e["type"].startswith("Input.")]
    slack = render_modal(form)["blocks"]
    assert [e["id"] for e in inputs] == [b["block_id"] for b in slack]
    assert [e["id"] for e in inputs] == [f.name for f in FORMS[kind].fields]
    assert [not e["isRequired"] for e in inputs] == [b["optional"] for b in slack]
    assert card["actions"] == [
        {"type": "Action.Submit", "title": card["actions"][0]["title"], "data": {"cop_form": kind}}
    ]


def test_a_select_whose_choices_were_not_read_is_left_out_on_both_platforms() -> None:
    card = render_task_form(Form("idea"))
    slack = render_modal(Form("idea"))["blocks"]

    assert "theme" not in [e.get("id") for e in card["body"]]
    assert "theme" not in [b["block_id"] for b in slack]
    themes = {e["id"]: e for e in render_task_form(_with_choices("idea"))["body"] if "id" in e}
    assert themes["theme"]["choices"] == [
        {"title": "First", "value": "a"},
        {"title": "Second", "value": "b"},
    ]


def test_task_form_inputs_and_prefill() -> None:
    form = Form(
        "feedback",
        prefill=(("target", "E-2"), ("rating", "3"), ("anonymous", "yes"), ("source", "partner")),
    )

    inputs = {e["id"]: e for e in render_task_form(form)["body"] if "id" in e}

    assert inputs["target"]["type"] == "Input.Text" and inputs["target"]["value"] == "E-2"
    assert inputs["text"]["isMultiline"] is True and inputs["text"]["isRequired"] is False
    assert inputs["rating"]["type"] == "Input.ChoiceSet"
    assert [c["value"] for c in inputs["rating"]["choices"]] == ["1", "2", "3", "4", "5"]
    assert inputs["rating"]["value"] == "3"
    assert inputs["anonymous"]["type"] == "Input.Toggle" and inputs["anonymous"]["value"] == "true"
    assert inputs["source"]["value"] == "partner"


def test_task_form_event_date() -> None:
    good = render_task_form(Form("event", (("date", "2026-11-20"), ("kind", "webinar"))))
    bad = render_task_form(Form("event", (("date", "soon"),)))

    assert {e["id"]: e.get("value") for e in good["body"] if "id" in e} == {
        "title": None,
        "date": "2026-11-20",
        "kind": "webinar",
    }
    assert "value" not in next(e for e in bad["body"] if e.get("id") == "date")


def test_unknown_form_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown form kind"):
        render_task_form(Form("party"))


_text = st.one_of(
    st.text(max_size=300), st.sampled_from(ATTACKS), st.text("[]()<>{}@*_ ", max_size=40)
)
_items = st.builds(
    Item,
    ref=_text,
    title=st.one_of(_text, st.text(min_size=2000, max_size=2500)),
    details=st.lists(_text, max_size=3).map(tuple),
    link=st.one_of(st.none(), _text, st.just("https://example.org/x")),
    buttons=st.lists(st.builds(Button, label=_text, action=_text, value=_text), max_size=3).map(
        tuple
    ),
)
_replies = st.builds(
    Reply,
    text=_text,
    sections=st.lists(
        st.builds(
            Section,
            heading=st.one_of(st.none(), _text),
            lines=st.lists(_text, max_size=3).map(tuple),
            items=st.lists(_items, max_size=40).map(tuple),
            more=st.integers(min_value=0, max_value=50),
        ),
        max_size=3,
    ).map(tuple),
    table=st.one_of(
        st.none(),
        st.builds(
            Table,
            columns=st.lists(_text, max_size=4).map(tuple),
            rows=st.lists(st.lists(_text, max_size=4).map(tuple), max_size=60).map(tuple),
        ),
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_replies)
def test_any_reply_fits_teams_and_is_harmless(reply: Reply) -> None:
    card = render_card(reply)

    assert _size(card) < TEAMS_LIMIT
    for block in _of_type(card, "TextBlock"):
        assert len(block["text"]) <= MAX_TEXT
        assert UNSAFE.search(block["text"]) is None
    for action in _of_type(card, "Action.Submit"):
        assert set(action["data"]) == {"cop_action", "value"}
    for action in _of_type(card, "Action.OpenUrl"):
        assert action["url"].startswith(("http://", "https://"))


def test_a_tables_text_fallback_keeps_to_a_text_blocks_limit() -> None:
    rows = tuple((f"row {n}", "x" * 50, "y" * 50) for n in range(45))
    card = render_card(Reply(text="Stats", table=Table(("Name", "A", "B"), rows)))

    [grid] = _of_type(card, "Table")
    fallback = grid["fallback"]["text"]
    assert len(fallback) <= 2000 and fallback.endswith("\n…")
    assert len(grid["rows"]) > fallback.count("\n")  # the table keeps what fits the card
