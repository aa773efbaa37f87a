"""Every capture path, through the real endpoint: slash command, modals, message shortcuts,
the global shortcut, reaction capture, suggested capture and mentions."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.models import Event, Feedback, HelpRequest, Idea, Person
from tests.fakes.slack_signing import load_payload
from tests.platform.slack.conftest import CHANNEL, TEAM, Harness

MESSAGE_TS = "1700000123.000200"


def _ideas(harness: Harness) -> list[Idea]:
    with harness.container.uow() as uow:
        ideas = list(uow.session.scalars(select(Idea).order_by(Idea.id)))
        uow.session.expunge_all()
        return ideas


def _person(harness: Harness, person_id: int | None) -> str | None:
    with harness.container.uow() as uow:
        person = uow.session.get(Person, person_id)
        return person.email if person else None


def _opened_view(harness: Harness) -> dict[str, Any]:
    [view] = harness.forms_shown()
    return view


def _slack_has_message(harness: Harness, *, user: str, text: str, ts: str = MESSAGE_TS) -> None:
    message = {"type": "message", "user": user, "text": text, "ts": ts, "team": TEAM}
    harness.slack.set_response("conversations.history", {"messages": [message]})


def _dms_to(harness: Harness, user: str) -> list[str]:
    return [c.params["text"] for c in harness.posted() if c.params["channel"] == user]


async def test_a_slash_command_without_text_opens_the_form(community: Harness) -> None:
    await community.command("idea")

    view = _opened_view(community)
    assert view["callback_id"] == "cop:form:idea"
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}
    description = next(b for b in view["blocks"] if b["block_id"] == "description")
    assert description["optional"] is True
    assert _ideas(community) == []


async def test_the_idea_form_saves_an_idea_with_its_theme(community: Harness) -> None:
    await community.command("idea")
    view = _opened_view(community)
    state = {
        "title": {"type": "plain_text_input", "value": "Mentoring circles"},
        "description": {"type": "plain_text_input", "value": None},
        "theme": {"type": "static_select", "selected_option": {"value": "skills"}},
    }

    response = await community.interact(community.submission(view, state))

    assert response.status == 200
    [idea] = _ideas(community)
    assert (idea.title, idea.description, idea.themes) == (
        "Mentoring circles",
        None,
        ["skills"],
    )
    [post] = community.posted()
    assert post.params["channel"] == CHANNEL
    assert "Idea I-1 saved in design-thinking" in post.params["text"]


async def test_a_form_with_a_missing_title_answers_inside_the_modal(community: Harness) -> None:
    await community.command("idea")
    view = _opened_view(community)
    state = {"title": {"type": "plain_text_input", "value": "  "}}

    response = await community.interact(community.submission(view, state))

    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"title"}
    assert _ideas(community) == []


async def test_the_request_form_opens_a_request_with_tags(community: Harness) -> None:
    await community.command("ask")
    view = _opened_view(community)
    state = {
        "question": {"type": "plain_text_input", "value": "Who has run a remote retro?"},
        "tags": {"type": "plain_text_input", "value": "facilitation, remote"},
    }

    await community.interact(community.submission(view, state, user="UBO"))

    with community.container.uow() as uow:
        [request] = uow.session.scalars(select(HelpRequest)).all()
        uow.session.expunge_all()
    assert request.question == "Who has run a remote retro?"
    assert request.tags == ["facilitation", "remote"]
    assert "Request R-1 is open" in community.posted()[0].params["text"]


async def test_the_feedback_form_can_be_anonymous(community: Harness) -> None:
    community.setup("UANA", "idea Paperless travel claims")
    await community.command("feedback", user="UBO")
    view = _opened_view(community)
    assert view["callback_id"] == "cop:form:feedback"
    state = {
        "target": {"type": "plain_text_input", "value": "I-1"},
        "rating": {"type": "static_select", "selected_option": {"value": "4"}},
        "text": {"type": "plain_text_input", "value": "Saves a day a month"},
        "anonymous": {"type": "checkboxes", "selected_options": [{"value": "true"}]},
        "source": {"type": "static_select", "selected_option": {"value": "partner"}},
    }

    await community.interact(community.submission(view, state, user="UBO"))

    with community.container.uow() as uow:
        [feedback] = uow.session.scalars(select(Feedback)).all()
        assert (feedback.target_kind, feedback.target_id, feedback.rating) == ("idea", 1, 4)
        assert (feedback.anonymous, feedback.author_id, feedback.source) == (True, None, "partner")
    [ephemeral] = community.posted("chat.postEphemeral")
    assert ephemeral.params["user"] == "UBO"
    assert "recorded anonymously" in ephemeral.params["text"]


async def test_the_event_form_is_for_focal_points_and_coordinators(community: Harness) -> None:
    """The refusal is shown inside the modal, on its field, while the text is still there."""
    await community.command("event", user="UCORA")
    view = _opened_view(community)
    state = {
        "title": {"type": "plain_text_input", "value": "Design sprint workshop"},
        "date": {"type": "datepicker", "selected_date": "2030-11-20"},
        "kind": {"type": "static_select", "selected_option": {"value": "workshop"}},
    }

    refused = await community.interact(community.submission(view, state, user="UANA"))
    await community.interact(community.submission(view, state, user="UCORA"))

    with community.container.uow() as uow:
        events = uow.session.scalars(select(Event)).all()
        uow.session.expunge_all()
    assert [(e.title, str(e.day), e.kind) for e in events] == [
        ("Design sprint workshop", "2030-11-20", "workshop")
    ]
    answer = await refused.json()
    assert answer["response_action"] == "errors"
    assert "Only a focal point" in answer["errors"]["title"]
    assert community.posted("chat.postEphemeral") == []


def _message_shortcut(harness: Harness, callback_id: str, *, text: str) -> dict[str, Any]:
    payload = load_payload("interactivity.message_action")
    payload["callback_id"] = callback_id
    payload["team"] = {"id": TEAM, "domain": "test-domain"}
    payload["user"] = {"id": "UANA", "name": "ana"}
    payload["channel"] = {"id": CHANNEL, "name": "design-thinking"}
    payload["message_ts"] = MESSAGE_TS
    payload["message"].update(user="UBO", text=text, ts=MESSAGE_TS)
    payload["response_url"] = harness.slack.response_url("/response/shortcut")
    return payload


async def test_save_as_idea_keeps_the_author_and_permalink(community: Harness) -> None:
    text = "<@UCORA> what if we ran monthly demo days?\nEach team shows one thing &amp; asks."

    await community.interact(_message_shortcut(community, "cop_save_idea", text=text))

    view = _opened_view(community)
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["title"] == "@cora what if we ran monthly demo days?"
    assert initial["description"] == "Each team shows one thing & asks."
    state = {
        "title": {"type": "plain_text_input", "value": initial["title"]},
        "description": {"type": "plain_text_input", "value": initial["description"]},
    }
    await community.interact(community.submission(view, state, user="UANA"))

    [idea] = _ideas(community)
    assert _person(community, idea.author_id) == "bo@example.org"
    assert _person(community, idea.captured_by) == "ana@example.org"
    assert (idea.source_channel, idea.source_ts) == (CHANNEL, MESSAGE_TS)
    assert idea.permalink == (
        f"https://test-domain.slack.com/archives/{CHANNEL}/p{MESSAGE_TS.replace('.', '')}"
    )
    [note] = _dms_to(community, "UBO")
    assert "saved your message as idea I-1" in note


async def test_save_as_request_and_give_feedback_shortcuts(community: Harness) -> None:
    text = "Does anyone have a template for partner surveys?"
    await community.interact(_message_shortcut(community, "cop_save_request", text=text))
    await community.interact(
        _message_shortcut(community, "cop_give_feedback", text="Great session")
    )

    request_view, feedback_view = community.forms_shown()
    assert request_view["blocks"][0]["element"]["initial_value"] == text
    await community.interact(
        community.submission(
            request_view, {"question": {"type": "plain_text_input", "value": text}}
        )
    )
    await community.interact(
        community.submission(
            feedback_view,
            {
                "text": {"type": "plain_text_input", "value": "Great session"},
                "source": {"type": "static_select", "selected_option": {"value": "staff"}},
            },
        )
    )

    with community.container.uow() as uow:
        [request] = uow.session.scalars(select(HelpRequest)).all()
        [feedback] = uow.session.scalars(select(Feedback)).all()
        assert request.requester_id is not None
        assert _person(community, request.requester_id) == "bo@example.org"
        assert feedback.permalink is not None and feedback.permalink.endswith("p1700000123000200")
        assert feedback.target_kind == "community"
        # The message's author is the feedback's subject, and is told; the giver is its author.
        assert _person(community, feedback.author_id) == "ana@example.org"
        assert _person(community, feedback.subject_author_id) == "bo@example.org"
    told = _dms_to(community, "UBO")
    assert any("gave feedback on your message: Great session" in note for note in told)


async def test_the_global_shortcut_opens_the_idea_form(community: Harness) -> None:
    payload = load_payload("interactivity.shortcut.global")
    payload.update(callback_id="cop_new_idea", team={"id": TEAM, "domain": "test-domain"})
    payload["user"] = {"id": "UANA", "username": "ana", "team_id": TEAM}

    await community.interact(payload)

    view = _opened_view(community)
    assert view["callback_id"] == "cop:form:idea"
    assert json.loads(view["private_metadata"]) == {"channel": None}


def _reaction(harness: Harness, reaction: str = "bulb") -> dict[str, Any]:
    return harness.event_payload(
        "event_callback.reaction_added",
        user="UANA",
        reaction=reaction,
        item={"type": "message", "channel": CHANNEL, "ts": MESSAGE_TS},
        item_user="UBO",
    )


async def test_reaction_capture_asks_the_reactor_then_saves_for_the_author(
    community: Harness,
) -> None:
    _slack_has_message(community, user="UBO", text="Let's pilot a shared calendar for trainings")

    await community.event(_reaction(community, "thumbsup"))
    await community.event(_reaction(community))

    [prompt] = community.posted("chat.postEphemeral")
    assert (prompt.params["channel"], prompt.params["user"]) == (CHANNEL, "UANA")
    assert "shared calendar" in prompt.params["text"]
    [button] = prompt.params["blocks"][-1]["elements"]
    assert (button["action_id"], button["value"]) == (
        "cop:capture_idea:1",
        f"idea {CHANNEL} {MESSAGE_TS}",
    )
    assert _ideas(community) == []  # nothing saved without a click

    await community.click("capture_idea", button["value"], user="UANA")

    [idea] = _ideas(community)
    assert idea.title == "Let's pilot a shared calendar for trainings"
    assert _person(community, idea.author_id) == "bo@example.org"
    assert any("saved your message as idea I-1" in t for t in _dms_to(community, "UBO"))
    assert {"delete_original": True} in community.responses()

    await community.click("capture_idea", button["value"], user="UANA")
    assert len(_ideas(community)) == 1  # a second click saves nothing more


async def test_suggested_capture_prompts_the_author_and_waits_for_a_click(
    community: Harness,
) -> None:
    community.setup("UCORA", "community settings suggestions=on")
    question = "Does anyone know how to run a remote design sprint with partners?"
    _slack_has_message(community, user="UBO", text=question)
    message = community.event_payload(
        "event_callback.message", user="UBO", channel=CHANNEL, text=question, ts=MESSAGE_TS
    )

    await community.event(message)
    chatter = community.event_payload(
        "event_callback.message", user="UBO", channel=CHANNEL, text="Lunch at noon today, anyone?"
    )
    await community.event(chatter)

    [prompt] = community.posted("chat.postEphemeral")
    assert prompt.params["user"] == "UBO"
    values = [e["value"] for e in prompt.params["blocks"][-1]["elements"]]
    assert values == [f"idea {CHANNEL} {MESSAGE_TS}", f"request {CHANNEL} {MESSAGE_TS}"]
    with community.container.uow() as uow:
        assert uow.session.scalars(select(HelpRequest)).all() == []

    await community.click("capture_request", values[1], user="UBO")

    with community.container.uow() as uow:
        [request] = uow.session.scalars(select(HelpRequest)).all()
        uow.session.expunge_all()
    assert request.question == question
    assert _dms_to(community, "UBO") == []  # the author saved it themselves: no note


async def test_suggested_capture_is_off_unless_the_community_opts_in(community: Harness) -> None:
    message = community.event_payload(
        "event_callback.message",
        user="UBO",
        channel=CHANNEL,
        text="Does anyone know how to run a remote design sprint with partners?",
    )

    await community.event(message)

    assert community.posted("chat.postEphemeral") == []


async def test_a_mention_speaks_the_same_grammar(community: Harness) -> None:
    mention = community.event_payload(
        "event_callback.app_mention",
        user="UANA",
        channel=CHANNEL,
        text="<@U0BOT0001> idea Weekly show and tell",
    )
    help_mention = community.event_payload(
        "event_callback.app_mention", user="UANA", channel=CHANNEL, text="<@U0BOT0001> help vote"
    )

    await community.event(mention)
    await community.event(help_mention)

    assert [i.title for i in _ideas(community)] == ["Weekly show and tell"]
    assert "Idea I-1 saved" in community.posted()[0].params["text"]
    [answer] = community.posted("chat.postEphemeral")
    assert answer.params["user"] == "UANA" and "vote" in answer.params["text"]


async def test_a_direct_message_to_the_bot_is_a_command_run_once(community: Harness) -> None:
    dm = community.event_payload(
        "event_callback.message",
        user="UANA",
        channel="DANA",
        channel_type="im",
        text="idea Office hours for new members",
    )

    await community.event(dm)
    await community.event(dm, retry=1)

    assert [i.title for i in _ideas(community)] == ["Office hours for new members"]
    [answer] = community.posted()
    assert answer.params["channel"] == "UANA" and "Idea I-1 saved" in answer.params["text"]
