"""Reading Teams activities (recorded and sample payloads) and form values, without a server."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity

from bot.messages import Platform
from bot.services.capture import MAX_TITLE
from handlers.teams import actions, forms
from handlers.teams import activity as teams
from tests.platform.teams.wire import (
    CHANNEL,
    MENTION,
    PERSONAL,
    TENANT,
    USER_ONE_AAD,
    recorded,
    sample,
)


def parse(body: dict[str, object]) -> Activity:
    return Activity().deserialize(body)


def test_a_recorded_channel_mention() -> None:
    activity = parse(recorded(MENTION))

    assert teams.conversation_type(activity) == "channel"
    assert teams.tenant_id(activity) == TENANT
    assert teams.channel_id(activity) == CHANNEL  # not the thread
    assert teams.reference_key(activity) == f"channel:{CHANNEL}"
    assert teams.command_text(activity) == "1"
    actor = teams.actor(activity, email="one@example.com")
    assert (actor.platform, actor.workspace, actor.user_id) == (
        Platform.TEAMS,
        TENANT,
        USER_ONE_AAD,
    )
    assert (actor.display_name, actor.email) == ("Test User One", "one@example.com")


def test_a_recorded_personal_message() -> None:
    activity = parse(recorded(PERSONAL))

    assert teams.is_personal(activity)
    assert teams.command_text(activity) == "file"
    assert teams.channel_id(activity) == activity.conversation.id
    assert teams.channel_name(activity) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SampleActivityAtMention", None),  # mentions someone else, not the bot
        ("SampleActivityNoMentions", None),
    ],
)
def test_channel_messages_not_for_the_bot_are_ignored(name: str, expected: str | None) -> None:
    body = sample(name)
    body["recipient"] = {"id": "28:cop-bot", "name": "cop-bot"}
    body.setdefault("conversation", {})["conversationType"] = "channel"

    assert teams.command_text(parse(body)) == expected


def test_old_payloads_without_tenant_or_type_still_map() -> None:
    body = sample("SampleActivityComposeExtension")
    body["channelData"] = {}

    activity = parse(body)

    assert teams.tenant_id(activity) == teams.NO_TENANT
    assert teams.conversation_type(activity) == "personal"


def test_the_reference_of_a_channel_points_at_the_channel() -> None:
    reference = teams.reference(parse(recorded(MENTION)))

    assert reference["conversation"]["id"] == CHANNEL
    assert reference["conversation"]["tenantID"] == TENANT
    assert "activityId" not in reference
    assert reference["bot"]["id"].startswith("28:")


def test_html_bodies_become_plain_text() -> None:
    html = "<div><p>Pilot&nbsp;a <b>chatbot</b></p><p>for FAQs<br>and forms</p></div>"

    assert teams.html_to_text(html) == "Pilot a chatbot\nfor FAQs\nand forms"


def test_message_prefill_for_each_form() -> None:
    assert forms.prefill("idea", "One line") == {"title": "One line", "description": ""}
    long = "word " * 60  # 300 characters: over the title limit
    idea = forms.prefill("idea", long)
    assert idea["title"].endswith("…") and len(idea["title"]) <= MAX_TITLE
    assert idea["description"] == long.strip()
    assert forms.prefill("request", " Who knows GIS? ") == {"question": "Who knows GIS?"}
    assert forms.prefill("feedback", "Great") == {"text": "Great", "source": "staff"}


@pytest.mark.parametrize(
    ("action", "value", "line"),
    [
        ("vote", "I-3", "vote I-3"),
        ("advance", "I-3 pilot", "advance I-3 pilot"),
        ("offer", "R-2", "offer R-2"),
        ("resolve", "R-2", "resolve R-2"),
        ("attend", "E-1", "attend E-1"),
        ("vote", "I-3\n  advance", "vote I-3 advance"),
        ("forget-me", "confirm", None),
    ],
)
def test_buttons_become_command_lines(action: str, value: str, line: str | None) -> None:
    assert actions.command_line(action, value) == line


@pytest.mark.parametrize("name", ["cop-bot", "cop-bot (beta)", "C++ bot*"])
def test_the_bot_mention_is_taken_out_whatever_its_name(name: str) -> None:
    body = recorded(MENTION)
    mention = f"<at>{name}</at>"
    body["text"] = f"{mention} idea Mentoring circles"
    body["entities"][0].update(
        text=mention, mentioned={"id": body["recipient"]["id"], "name": name}
    )

    assert teams.command_text(parse(body)) == "idea Mentoring circles"


def test_a_mention_in_a_personal_chat_is_taken_out_too() -> None:
    body = recorded(PERSONAL)
    body["text"] = "<at>cop-bot</at> ideas"
    body["entities"] = [
        {"type": "mention", "text": "<at>cop-bot</at>", "mentioned": body["recipient"]}
    ]

    assert teams.command_text(parse(body)) == "ideas"
