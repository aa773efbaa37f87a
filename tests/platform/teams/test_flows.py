"""Teams flows through botbuilder's TestAdapter: commands, buttons, forms and message actions."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.container import Container
from storage.models import (
    Account,
    Attendance,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    Person,
    PulseQuestion,
    PulseResponse,
)
from tests.conftest import NOW
from tests.platform.teams.flows import CHANNEL_ID, Chat, actions, card_text


def ideas(container: Container) -> list[tuple[int, str, str, int]]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(Idea).order_by(Idea.id)).all()
        return [(i.id, i.title, i.stage, i.votes) for i in rows]


async def test_mention_in_a_channel_captures_an_idea(chat: Chat, container: Container) -> None:
    sent = await chat.say("ana", "idea Mentoring circles for new staff")

    assert "Idea I-1 saved: Mentoring circles for new staff" in card_text(sent)
    assert sent[0].summary == "Idea I-1 saved: Mentoring circles for new staff"
    buttons = {a["title"]: a["data"] for a in actions(sent)}
    assert buttons == {  # what the channel sees; the channel is not a community yet
        "Vote": {"cop_action": "vote", "value": "I-1"},
        "Make #Design thinking a community": {"cop_action": "community", "value": "bind"},
        "Bind to an existing community": {"cop_action": "community", "value": "list"},
    }
    with container.uow() as uow:
        idea = uow.session.scalars(select(Idea)).one()
        assert idea.source_platform is None  # typed, not saved from a message
        account = uow.session.scalars(select(Account)).one()
        assert (account.platform, account.user_id) == ("teams", "aad-ana")
        assert idea.author_id == account.person_id


async def test_a_message_without_a_mention_in_a_channel_is_ignored(
    chat: Chat, container: Container
) -> None:
    sent = await chat.send("ana", {"type": "message", "text": "idea not for the bot"})

    assert sent == []
    assert ideas(container) == []


async def test_personal_chat_lists_ideas(chat: Chat) -> None:
    await chat.say("ana", "idea Mentoring circles")
    await chat.say("ben", "idea Open data days")

    sent = await chat.say("ben", "ideas", personal=True)

    text = card_text(sent)
    assert "Ideas: 2" in text
    assert "Mentoring circles" in text and "Open data days" in text


async def test_vote_button_counts_a_vote_once(chat: Chat, container: Container) -> None:
    await chat.say("ana", "idea Mentoring circles")

    first = await chat.click("ben", "vote", "I-1")
    again = await chat.click("ben", "vote", "I-1")

    assert "your vote for I-1 is counted (1 in all)" in card_text(first)
    assert "already voted" in card_text(again)
    assert ideas(container) == [(1, "Mentoring circles", "proposed", 1)]


async def test_a_members_advance_button_is_refused_and_changes_nothing(
    chat: Chat, container: Container
) -> None:
    await chat.say("ana", "idea Mentoring circles")

    sent = await chat.click("ben", "advance", "I-1 development")

    assert "Only" in card_text(sent)
    assert ideas(container) == [(1, "Mentoring circles", "proposed", 0)]
    champion = await chat.click("ana", "advance", "I-1 development")
    assert "I-1 moved to development" in card_text(champion)
    assert ideas(container)[0][2] == "development"


async def test_stage_buttons_are_shown_only_to_people_who_may_use_them(chat: Chat) -> None:
    await chat.say("ana", "idea Mentoring circles")

    member, champion, coordinator = [
        [
            a["data"].get("cop_action")
            for a in actions(await chat.say(who, "show I-1", personal=True))
            if a["type"] == "Action.Submit"  # the idea's "View source" link aside
        ]
        for who in ("ben", "ana", "cora")
    ]

    assert member == ["vote"]
    assert champion == ["vote", "advance"]
    assert coordinator == ["vote", "advance"]


async def test_a_forged_button_is_just_a_command(chat: Chat, container: Container) -> None:
    await chat.say("ana", "idea Mentoring circles")

    unknown = await chat.click("ben", "delete", "I-1")
    smuggled = await chat.click("ben", "vote", "I-1\nadvance I-1 scaled")

    assert "no longer works" in card_text(unknown)
    assert card_text(smuggled)  # answered with a usage error, nothing more
    assert ideas(container) == [(1, "Mentoring circles", "proposed", 0)]


async def test_offer_resolve_and_attend_buttons(chat: Chat, container: Container) -> None:
    await chat.say("ana", "ask Who knows GIS?")
    await chat.say("cora", 'event add "GIS clinic" 2026-12-03 workshop')

    offered = await chat.click("ben", "offer", "R-1")
    resolved = await chat.click("ana", "resolve", "R-1")
    attended = await chat.click("ben", "attend", "E-1")

    assert "will hear that you can help with R-1" in card_text(offered)
    assert "R-1 resolved" in card_text(resolved)
    assert "registered for E-1" in card_text(attended)
    with container.uow() as uow:
        assert uow.session.scalars(select(HelpRequest.status)).one() == "resolved"
        assert len(uow.session.scalars(select(HelpOffer)).all()) == 1
        assert len(uow.session.scalars(select(Attendance)).all()) == 1


def _pulse_question(container: Container) -> int:
    with container.uow() as uow:
        question = PulseQuestion(period="2026-11", question="How was this month?", sent_at=NOW)
        uow.session.add(question)
        uow.commit()
        return question.id


async def test_pulse_button_records_one_answer_per_person_which_a_click_changes(
    chat: Chat, container: Container
) -> None:
    question_id = _pulse_question(container)

    first = await chat.click("ana", "pulse", f"{question_id}:4")
    again = await chat.click("ana", "pulse", f"{question_id}:2")
    bad = await chat.click("ana", "pulse", f"{question_id}:9")

    assert "Your answer (4/5) is recorded" in card_text(first)
    assert "Changed your answer from 4/5 to 2/5" in card_text(again)
    assert "from 1 to 5" in card_text(bad)
    with container.uow() as uow:
        assert uow.session.scalars(select(PulseResponse.score)).all() == [2]


async def test_idea_without_text_offers_the_form_in_a_task_module(chat: Chat) -> None:
    sent = await chat.say("ana", "idea")

    [launcher] = [a for a in actions(sent) if a["data"].get("cop_form")]
    assert launcher["data"]["msteams"] == {"type": "task/fetch"}
    body = await chat.invoke("ana", "task/fetch", {"data": launcher["data"]})
    task = body["task"]
    assert task["type"] == "continue"
    form = task["value"]["card"]["content"]
    assert [i["id"] for i in form["body"] if "id" in i] == ["title", "description", "theme"]
    assert form["actions"][0]["data"] == {"cop_form": "idea"}


async def test_task_module_submit_creates_an_event_for_a_coordinator(
    chat: Chat, container: Container
) -> None:
    data = {"cop_form": "event", "title": "GIS clinic", "date": "2026-12-03", "kind": "workshop"}

    refused = await chat.invoke("ben", "task/submit", {"data": data})
    created = await chat.invoke("cora", "task/submit", {"data": data})

    # A member sees the form again, with the reason and what they typed.
    assert refused["task"]["type"] == "continue"
    shown = refused["task"]["value"]["card"]["content"]
    assert "Only a focal point" in " ".join(t["text"] for t in shown["body"] if "text" in t)
    assert {i["id"]: i.get("value") for i in shown["body"] if "id" in i}["title"] == "GIS clinic"
    assert created is None  # the task module closes
    with container.uow() as uow:
        event = uow.session.scalars(select(Event)).one()
        assert (event.title, event.day.isoformat(), event.kind) == (
            "GIS clinic",
            "2026-12-03",
            "workshop",
        )


async def test_inline_form_submit_opens_a_request_with_tags(
    chat: Chat, container: Container
) -> None:
    value = {"cop_form": "request", "question": "Who has run a hackathon?", "tags": "events, data"}

    sent = await chat.send("ana", {"type": "message", "value": value})

    assert "Request R-1 is open" in card_text(sent)
    with container.uow() as uow:
        request = uow.session.scalars(select(HelpRequest)).one()
        assert request.tags == ["data", "events"]


async def test_feedback_form_can_be_anonymous(chat: Chat, container: Container) -> None:
    await chat.say("ana", "idea Mentoring circles")
    value = {
        "cop_form": "feedback",
        "target": "I-1",
        "rating": "5",
        "text": "Very useful",
        "anonymous": "true",
        "source": "partner",
    }

    sent = await chat.send("ben", {"type": "message", "value": value})

    assert "feedback on I-1 (5/5), recorded anonymously" in card_text(sent)
    with container.uow() as uow:
        feedback = uow.session.scalars(select(Feedback)).one()
        assert (feedback.author_id, feedback.source, feedback.rating) == (None, "partner", 5)


MESSAGE = {
    "id": "1700000000123",
    "messageType": "message",
    "createdDateTime": "2026-11-18T09:58:00Z",
    "linkToMessage": "https://teams.microsoft.com/l/message/19:design-thinking@thread.skype/1700000000123",
    "from": {"user": {"id": "aad-dora", "displayName": "Dora", "userIdentityType": "aadUser"}},
    "body": {
        "contentType": "html",
        "content": "<p>Let&#39;s pilot a chatbot</p><p>for constituents&#39; FAQs</p>",
    },
}


async def test_message_action_saves_an_idea_keeping_author_and_link(
    chat: Chat, container: Container
) -> None:
    fetch = {"commandId": "cop_save_idea", "commandContext": "message", "messagePayload": MESSAGE}

    opened = await chat.invoke("ana", "composeExtension/fetchTask", fetch)
    form = opened["task"]["value"]["card"]["content"]
    values = {i["id"]: i.get("value") for i in form["body"] if "id" in i}
    assert values["title"] == "Let's pilot a chatbot"
    assert values["description"] == "for constituents' FAQs"

    submit = {**fetch, "data": {"cop_form": "idea", **{k: v or "" for k, v in values.items()}}}
    saved = await chat.invoke("ana", "composeExtension/submitAction", submit)
    twice = await chat.invoke("ana", "composeExtension/submitAction", submit)

    assert saved == {}
    assert "already saved as I-1" in str(twice)
    with container.uow() as uow:
        idea = uow.session.scalars(select(Idea)).one()
        author = uow.session.get(Person, idea.author_id)
        capturer = uow.session.get(Person, idea.captured_by)
        assert author is not None and capturer is not None
        assert (author.display_name, capturer.display_name) == ("Dora", "ana")
        assert idea.permalink == MESSAGE["linkToMessage"]
        assert (idea.source_platform, idea.source_channel, idea.source_ts) == (
            "teams",
            CHANNEL_ID,
            "1700000000123",
        )
        assert idea.title == "Let's pilot a chatbot"


async def test_message_action_request_and_feedback_forms_are_prefilled(chat: Chat) -> None:
    for command, field in (("cop_save_request", "question"), ("cop_give_feedback", "text")):
        value = {"commandId": command, "commandContext": "message", "messagePayload": MESSAGE}
        opened = await chat.invoke("ana", "composeExtension/fetchTask", value)
        form = opened["task"]["value"]["card"]["content"]
        values = {i["id"]: i.get("value") for i in form["body"] if "id" in i}
        assert values[field] == "Let's pilot a chatbot\nfor constituents' FAQs"


async def test_adaptive_card_execute_action_runs_the_button(
    chat: Chat, container: Container
) -> None:
    await chat.say("ana", "idea Mentoring circles")
    value = {
        "action": {
            "type": "Action.Execute",
            "verb": "vote",
            "data": {"cop_action": "vote", "value": "I-1"},
        }
    }

    body = await chat.invoke("ben", "adaptiveCard/action", value)

    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "counted" in " ".join(t["text"] for t in body["value"]["body"])
    assert ideas(container)[0][3] == 1


async def test_members_added_welcomes_once_when_the_bot_joins(chat: Chat) -> None:
    update = {
        "type": "conversationUpdate",
        "membersAdded": [{"id": "28:cop-bot-app-id"}],
        "channelData": {"eventType": "teamMemberAdded"},
    }

    sent = await chat.send("ana", update)
    other = await chat.send("ana", {**update, "membersAdded": [{"id": "29:someone"}]})

    assert "I'm cop-bot" in card_text(sent)
    forms = [a["data"]["cop_form"] for a in actions(sent) if "cop_form" in a["data"]]
    assert forms == ["idea", "request", "feedback", "event"]
    assert other == []


async def test_rate_and_form_buttons(chat: Chat, container: Container) -> None:
    await chat.say("ana", "idea Mentoring circles")

    rated = await chat.click("cora", "rate", "I-1 high")
    form = await chat.click("ana", "form", "event")

    assert "scaling potential: high" in card_text(rated)
    [launcher] = [a for a in actions(form) if a["data"].get("cop_form")]
    assert launcher["data"] == {
        "msteams": {"type": "task/fetch"},
        "cop_form": "event",
        "prefill": {},
    }


def test_a_form_button_opens_a_task_module_directly() -> None:
    from bot.messages import Button, Reply
    from handlers.teams.render import render_card

    card = render_card(Reply("Share something", buttons=(Button("New idea", "form", "idea"),)))

    [action] = card["body"][-1]["actions"]
    assert action["data"] == {"msteams": {"type": "task/fetch"}, "cop_form": "idea"}


async def test_a_pulse_click_replaces_the_card_with_the_answer_and_buttons_to_change_it(
    chat: Chat, container: Container
) -> None:
    question_id = _pulse_question(container)

    await chat.click("ana", "pulse", f"{question_id}:4", card="1:pulse-card")
    await chat.click("ana", "pulse", f"{question_id}:2", card="1:pulse-card")

    first, second = chat.updated
    assert first.id == second.id == "1:pulse-card"
    card = second.attachments[0].content
    text = json.dumps(card, ensure_ascii=False)
    assert "Your answer: 2/5" in text and "How was this month?" in text
    titles = [a["title"] for a in actions([second])]
    assert titles == ["1", "2 ✓", "3", "4", "5"]  # still there, to change the answer


async def test_an_idea_captured_by_mention_links_back_to_its_message(
    chat: Chat, container: Container
) -> None:
    await chat.say("ana", "idea Mentoring circles")

    with container.uow() as uow:
        link = uow.session.scalar(select(Idea.permalink))
    assert link is not None
    assert link.startswith(
        "https://teams.microsoft.com/l/message/19%3Adesign-thinking%40thread.skype/"
    )
    assert "parentMessageId=1700000000000" in link
