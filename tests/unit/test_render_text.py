from __future__ import annotations

import pytest

from bot.messages import Attachment, Button, Form, Item, Reply, Section, Table
from handlers.console.render import button_hint, command_line, render_text


def test_full_reply_reads_as_plain_text() -> None:
    reply = Reply(
        text="Top ideas",
        sections=(
            Section(
                heading="Digital",
                lines=("Most voted first",),
                items=(
                    Item(
                        ref="I-12",
                        title="Chatbot for FAQs",
                        details=("3 votes", "stage: pilot"),
                        link="https://example.slack.com/archives/C1/p1",
                        buttons=(Button("Vote", "vote", "I-12"),),
                    ),
                    Item(ref="I-3", title="Open data portal"),
                ),
                more=5,
            ),
        ),
        buttons=(Button("All ideas", "ideas", "all"),),
    )

    assert render_text(reply) == "\n".join(
        [
            "Top ideas",
            "",
            "Digital",
            "-------",
            "Most voted first",
            "I-12  Chatbot for FAQs",
            "    3 votes",
            "    stage: pilot",
            "    → https://example.slack.com/archives/C1/p1",
            "    [Vote: /cop vote I-12]",
            "I-3  Open data portal",
            "… and 5 more",
            "",
            "[All ideas: /cop ideas all]",
        ]
    )


@pytest.mark.parametrize(
    ("action", "value", "expected"),
    [
        ("vote", "I-12", "vote I-12"),
        ("offer", "R-3", "offer R-3"),
        ("resolve", "R-3", "resolve R-3"),
        ("attend", "E-2", "attend E-2"),
        ("advance", "I-3", "advance I-3 <stage>"),
        ("advance", "I-3 pilot", "advance I-3 pilot"),
        ("snooze", "7d", "snooze 7d"),
        ("help", "", "help"),
    ],
)
def test_buttons_become_command_lines(action: str, value: str, expected: str) -> None:
    assert command_line(Button("Go", action, value)) == expected


def test_button_hint_uses_the_command_prefix() -> None:
    button = Button("I can help", "offer", "R-3")

    assert button_hint(button) == "[I can help: /cop offer R-3]"
    assert button_hint(button, command="") == "[I can help: offer R-3]"
    reply = Reply(text="x", buttons=(Button("Vote", "vote", "I-1"),))
    assert render_text(reply, command="") == "x\n\n[Vote: vote I-1]"


def test_table_columns_are_aligned() -> None:
    table = Table(
        columns=("Indicator", "Value"),
        rows=(("ideas proposed", "12"), ("requests resolved", "3"), ("short",)),
    )

    assert render_text(Reply(text="Stats", table=table)) == "\n".join(
        [
            "Stats",
            "",
            "Indicator          Value",
            "-----------------  -----",
            "ideas proposed     12",
            "requests resolved  3",
            "short",
        ]
    )


def test_attachments_are_listed_by_filename() -> None:
    reply = Reply(
        text="Export ready",
        attachments=(
            Attachment("stats-2026-Q4.csv", b"a,b\n", "text/csv"),
            Attachment("chart.png", b"\x89PNG", "image/png", title="Ideas per month"),
        ),
    )

    text = render_text(reply)

    assert "Attachments:" in text
    assert "    stats-2026-Q4.csv (4 bytes)" in text
    assert "    chart.png — Ideas per month (4 bytes)" in text


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("idea", "Type the idea after the command: /cop idea <text>"),
        ("request", "Type the question after the command: /cop ask <text>"),
        ("feedback", "/cop feedback [I-12|R-34|E-5|community] [1-5] <text>"),
        ("event", '/cop event add "<title>" <YYYY-MM-DD>'),
        ("other", "Type /cop help to see the commands."),
    ],
)
def test_forms_become_usage_hints(kind: str, hint: str) -> None:
    assert hint in render_text(Reply(text="", form=Form(kind)))


def test_error_reply_is_marked() -> None:
    assert render_text(Reply(text="Unknown stage", error=True)) == "Error: Unknown stage"


def test_terminal_control_sequences_are_dropped() -> None:
    reply = Reply(
        text="Hi \x1b[2J\x1b]0;owned\x07 there\u202e",
        sections=(Section(items=(Item("I-1", "A\x1b[31m\nB", details=("x\ry",)),)),),
    )

    text = render_text(reply)

    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\u202e" not in text
    assert "I-1  A[31m B" in text


def test_emoji_sequences_survive() -> None:
    assert render_text(Reply(text="Team 👩‍💻")) == "Team 👩‍💻"


def test_empty_reply_is_empty_text() -> None:
    assert render_text(Reply(text="")) == ""
