from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import TableBlock

from bot.forms import FORMS
from bot.messages import Button, Form, Item, Reply, Section, Table
from handlers.slack import modals, render
from handlers.slack.escape import CUT_MARKER, escape_mrkdwn, link, truncate
from handlers.slack.modals import modal_values
from handlers.slack.render import MAX_BLOCKS, render_text_for_slack
from tests.fixtures import SLACK_PAYLOADS
from tests.payload_checks import assert_valid_slack_message, assert_valid_view


def render_blocks(reply: Reply) -> dict[str, Any]:
    """The renderer under test, with every payload it builds checked as Slack would."""
    rendered = render.render_blocks(reply)
    assert_valid_slack_message(rendered)
    return rendered


def render_modal(form: Form, **kwargs: Any) -> dict[str, Any]:
    view = modals.render_modal(form, **kwargs)
    assert_valid_view(view)
    return view


VIEW_SUBMISSION = SLACK_PAYLOADS / "interactivity.view_submission.json"  # kept in the repository

ATTACKS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<!subteam^S1>",
    "<#C123>",
    "<https://evil.example|https://good.example>",
    "@here",
    "@channel",
    "@Everyone",
    "ping @alice now",
    "&lt;!channel&gt;",
)
BARE_MENTION = re.compile(r"@(?:here|channel|everyone|alice)", re.IGNORECASE)


def _texts(value: Any) -> list[str]:
    """Every string that Slack renders as text (mrkdwn or plain_text) in a payload."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [t for k, v in value.items() if k != "text" for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _assert_harmless(rendered: dict[str, Any]) -> None:
    for text in [*_texts(rendered["blocks"]), rendered["text"]]:
        assert "<!" not in text and "<@" not in text and "<#" not in text
        assert re.search(r"<(?!https?://)", text) is None, text
        assert BARE_MENTION.search(text) is None, text


def _sections(blocks: list[dict[str, Any]]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return texts


@pytest.mark.parametrize("attack", ATTACKS)
def test_escape_mrkdwn_defuses_mentions_and_links(attack: str) -> None:
    escaped = escape_mrkdwn(attack)

    assert "<" not in escaped and ">" not in escaped
    assert BARE_MENTION.search(escaped) is None


def test_escape_mrkdwn_keeps_emphasis_and_email_addresses() -> None:
    assert escape_mrkdwn("*bold* _it_ ~s~ a@b.org") == "*bold* _it_ ~s~ a@b.org"
    assert escape_mrkdwn("Q&A") == "Q&amp;A"


def test_link_only_for_http_urls() -> None:
    assert link("https://example.org/a?b=1&c=2", "Docs") == (
        "<https://example.org/a?b=1&amp;c=2|Docs>"
    )
    assert link("javascript:alert(1)", "Docs") == "Docs"
    assert link("mailto:boss@example.org", "<!channel>") == "&lt;!channel"
    assert link("https://x.example|<!channel>", "x") == "<https://x.example%7C%3C!channel%3E|x>"


def test_link_label_cannot_close_or_split_the_link() -> None:
    rendered = link("https://good.example", "a|b>c <!here>")

    assert rendered == "<https://good.example|a b c &lt;!here>"
    assert rendered.count("|") == 1 and rendered.count(">") == 1


def test_truncate_fits_limit_with_marker() -> None:
    assert truncate("short", 10) == "short"
    cut = truncate("x" * 100, 20)
    assert len(cut) == 20 and cut.endswith(CUT_MARKER)
    assert truncate("x" * 100, 3) == CUT_MARKER[:3]


def test_truncate_never_splits_an_entity_or_a_link() -> None:
    text = "a" * 10 + "&amp;" + "b" * 20
    cut = truncate(text, 10 + 3 + len(CUT_MARKER))
    assert cut == "a" * 10 + CUT_MARKER

    linked = "see " + link("https://example.org/page", "the page") + " now"
    cut = truncate(linked, 15 + len(CUT_MARKER))
    assert cut == "see " + CUT_MARKER


def test_truncate_keeps_combining_marks_with_their_letter() -> None:
    text = "e\u0301" * 10
    cut = truncate(text, 5 + len(CUT_MARKER))
    assert not cut[: -len(CUT_MARKER)].endswith("e")


@pytest.mark.parametrize("attack", ATTACKS)
def test_injection_in_every_field_is_harmless(attack: str) -> None:
    reply = Reply(
        text=attack,
        sections=(
            Section(
                heading=attack,
                lines=(attack,),
                items=(
                    Item(
                        ref=attack,
                        title=attack,
                        details=(attack,),
                        link=attack,
                        buttons=(Button(label=attack, action="vote", value=attack),),
                    ),
                ),
            ),
        ),
        table=Table(columns=(attack,), rows=((attack,),)),
        buttons=(Button(label=attack, action="help", value=attack),),
    )

    rendered = render_blocks(reply)

    _assert_harmless(rendered)
    assert BARE_MENTION.search(render_text_for_slack(reply)) is None


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
    _assert_harmless(render_blocks(reply))


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


_text = st.one_of(
    st.text(max_size=400), st.sampled_from(ATTACKS), st.text(alphabet="<>&@!|*_`\n ", max_size=50)
)
_buttons = st.lists(
    st.builds(Button, label=_text, action=st.sampled_from(["vote", "offer", "x"]), value=_text),
    max_size=4,
)
_items = st.builds(
    Item,
    ref=_text,
    title=_text,
    details=st.lists(_text, max_size=3).map(tuple),
    link=st.one_of(st.none(), _text, st.just("https://example.org/a")),
    buttons=_buttons.map(tuple),
)
_sections_st = st.builds(
    Section,
    heading=st.one_of(st.none(), _text),
    lines=st.lists(st.one_of(_text, st.text(min_size=3000, max_size=3500)), max_size=3).map(tuple),
    items=st.lists(_items, max_size=30).map(tuple),
    more=st.integers(min_value=0, max_value=100),
)
_replies = st.builds(
    Reply,
    text=_text,
    sections=st.lists(_sections_st, max_size=3).map(tuple),
    table=st.one_of(
        st.none(),
        st.builds(
            Table,
            columns=st.lists(_text, max_size=4).map(tuple),
            rows=st.lists(st.lists(_text, max_size=4).map(tuple), max_size=30).map(tuple),
        ),
    ),
    buttons=_buttons.map(tuple),
    error=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_replies)
def test_any_reply_renders_within_limits_and_harmless(reply: Reply) -> None:
    rendered = render_blocks(reply)
    blocks = rendered["blocks"]

    assert len(blocks) <= MAX_BLOCKS
    assert len(rendered["text"]) <= 3000
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
            for element in block["elements"]:
                assert 0 < len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000
    _assert_harmless(rendered)
    json.dumps(rendered)


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_modal_inputs_use_their_name_as_block_and_action_id(kind: str) -> None:
    themes = (("climate", "Climate action"),)
    choices = tuple((f.name, themes) for f in FORMS[kind].fields if f.choices_from)
    view = render_modal(Form(kind, choices=choices))

    assert view["type"] == "modal"
    assert view["callback_id"] == f"cop:form:{kind}"
    assert len(view["title"]["text"]) <= 24
    for block in view["blocks"]:
        assert block["type"] == "input"
        assert block["block_id"] == block["element"]["action_id"]
    names = [b["block_id"] for b in view["blocks"]]
    assert names == [f.name for f in FORMS[kind].fields]


def test_modal_names_per_kind() -> None:
    names = {kind: [f.name for f in spec.fields] for kind, spec in FORMS.items()}

    assert names == {
        "idea": ["title", "description", "theme"],
        "request": ["question", "tags"],
        "feedback": ["target", "rating", "text", "anonymous", "source"],
        "event": ["title", "date", "kind"],
    }


def test_modal_prefill() -> None:
    form = Form(
        "feedback",
        prefill=(
            ("target", "I-12"),
            ("rating", "4"),
            ("anonymous", "yes"),
            ("text", "Great <!here>"),
        ),
    )

    view = render_modal(form, callback_id_prefix="x")

    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert view["callback_id"] == "x:form:feedback"
    assert elements["target"]["initial_value"] == "I-12"
    assert elements["text"]["initial_value"] == "Great <!here>"
    assert elements["text"]["multiline"] is True
    assert elements["rating"]["initial_option"]["value"] == "4"
    assert elements["anonymous"]["initial_options"][0]["value"] == "true"
    assert elements["source"]["initial_option"]["value"] == "staff"


def test_modal_ignores_prefill_that_slack_would_reject() -> None:
    view = render_modal(Form("event", prefill=(("date", "next week"), ("kind", "party"))))

    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements["date"]["type"] == "datepicker" and "initial_date" not in elements["date"]
    assert "initial_option" not in elements["kind"]
    assert (
        "initial_date"
        in render_modal(Form("event", (("date", "2026-11-20"),)))["blocks"][1]["element"]
    )


def test_unknown_form_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown form kind"):
        render_modal(Form("party"))


def _payload() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VIEW_SUBMISSION.read_text())
    return loaded


def test_modal_values_reads_the_recorded_payload() -> None:
    payload = _payload()

    assert modal_values(payload["view"]["state"]["values"]) == {"maBWU": "test"}


def test_modal_values_round_trip_through_a_view_submission() -> None:
    payload = copy.deepcopy(_payload())
    view = render_modal(Form("feedback"))
    payload["view"].update(blocks=view["blocks"], callback_id=view["callback_id"])
    options = {b["block_id"]: b["element"].get("options", []) for b in view["blocks"]}
    payload["view"]["state"]["values"] = {
        "target": {"target": {"type": "plain_text_input", "value": "R-3"}},
        "rating": {"rating": {"type": "static_select", "selected_option": options["rating"][4]}},
        "text": {"text": {"type": "plain_text_input", "value": "Very helpful\nThanks"}},
        "anonymous": {
            "anonymous": {"type": "checkboxes", "selected_options": options["anonymous"]}
        },
        "source": {"source": {"type": "static_select", "selected_option": None}},
    }
    body = json.loads(json.dumps(payload))

    values = modal_values(body["view"]["state"]["values"])

    assert values == {
        "target": "R-3",
        "rating": "5",
        "text": "Very helpful\nThanks",
        "anonymous": ["true"],
        "source": None,
    }


def test_modal_values_reads_dates_and_empty_inputs() -> None:
    state = {
        "title": {"title": {"type": "plain_text_input", "value": None}},
        "date": {"date": {"type": "datepicker", "selected_date": "2026-11-20"}},
        "kind": {"kind": {"type": "static_select", "selected_option": {"value": "webinar"}}},
        "anonymous": {"anonymous": {"type": "checkboxes", "selected_options": []}},
    }

    assert modal_values(state) == {
        "title": None,
        "date": "2026-11-20",
        "kind": "webinar",
        "anonymous": [],
    }


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
    _assert_harmless(rendered)


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
