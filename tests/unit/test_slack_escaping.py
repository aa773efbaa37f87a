"""Nothing a person types can act on Slack: mrkdwn escaping defuses mentions and links and
keeps emphasis, links only for http(s) URLs, truncation that never splits an entity, a link
or a letter from its marks, injection tried in every field of a reply, and, as a property,
any reply rendered within Slack's limits with no live mention."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.messages import Button, Item, Reply, Section, Table
from handlers.slack.escape import CUT_MARKER, escape_mrkdwn, link, truncate
from handlers.slack.render import MAX_BLOCKS, render_text_for_slack
from tests.unit.slack_rendered import BARE_MENTION, assert_harmless, render_blocks

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

    assert_harmless(rendered)
    assert BARE_MENTION.search(render_text_for_slack(reply)) is None


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
    assert_harmless(rendered)
    json.dumps(rendered)
