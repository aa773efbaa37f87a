"""Forms on Teams through the real /api/messages: one definition with Slack (same fields,
limits and prefill), and a service refusal shown under its input with the text kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.container import Container
from bot.forms import FORMS, ready
from bot.messages import Form
from handlers.slack.modals import render_modal
from storage.models import Feedback, Idea
from tests.payload_checks import assert_valid_card, assert_valid_view
from tests.platform.teams.conftest import Teams
from tests.platform.teams.wire import FETCH_TASK, TASK_FETCH, TASK_SUBMIT, recorded

LONG_TITLE = ("Pilot a multilingual chatbot that answers constituents' questions " * 3).strip()


async def _invoke(teams: Teams, body: dict[str, Any]) -> Any:
    response = await teams.post(body)
    assert response.status == 200
    return await response.json()


def _inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card["body"] if "id" in e}


async def test_save_as_idea_prefills_and_limits_the_title_exactly_as_slack(
    teams: Teams, container: Container
) -> None:
    assert 150 < len(LONG_TITLE) <= 200
    body = recorded(FETCH_TASK)
    body["value"] = {
        "commandId": "cop_save_idea",
        "commandContext": "message",
        "messagePayload": {"id": "1700000000123", "body": {"content": LONG_TITLE}},
    }

    answer = await _invoke(teams, body)

    card = answer["task"]["value"]["card"]["content"]
    assert_valid_card(card)
    inputs = _inputs(card)
    assert inputs["title"]["value"] == LONG_TITLE  # not cut at another limit than Slack's
    slack = render_modal(ready(container.uow(), Form("idea", (("title", LONG_TITLE),))))
    assert_valid_view(slack)
    elements = {b["block_id"]: b["element"] for b in slack["blocks"]}
    for field in FORMS["idea"].fields:
        limit = inputs[field.name].get("maxLength")
        assert limit == elements[field.name].get("max_length") == field.max_length
    assert elements["title"]["initial_value"] == LONG_TITLE
    slack_themes = [o["value"] for o in elements["theme"]["options"]]
    assert slack_themes == [c["value"] for c in inputs["theme"]["choices"]]  # one list


async def test_a_refusal_is_shown_under_its_input_and_the_text_is_kept(
    teams: Teams, container: Container
) -> None:
    body = recorded(TASK_SUBMIT)
    body["value"] = {
        "data": {
            "cop_form": "feedback",
            "target": "I-99",
            "rating": "4",
            "text": "Saves a day a month",
            "anonymous": "false",
            "source": "staff",
        }
    }

    answer = await _invoke(teams, body)

    card = answer["task"]["value"]["card"]["content"]
    assert_valid_card(card)
    ids = [e.get("id") for e in card["body"]]
    error = card["body"][ids.index("target") + 1]
    assert error["type"] == "TextBlock" and error["color"] == "Attention"
    assert error["text"] == "There is no idea I-99."
    assert _inputs(card)["text"]["value"] == "Saves a day a month"
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Feedback)) == 0


DEFAULT_THEMES = [
    {"title": "Skills and lifelong learning", "value": "skills"},
    {"title": "Productive and sustainable enterprises", "value": "enterprises"},
    {"title": "Climate action and a just transition", "value": "climate"},
    {"title": "Transformative technologies", "value": "technology"},
]


async def test_the_idea_task_module_offers_the_theme_list_and_stores_the_choice(
    teams: Teams, container: Container
) -> None:
    fetch = recorded(TASK_FETCH)
    fetch["value"] = {"data": {"type": "task/fetch", "cop_form": "idea"}}

    answer = await _invoke(teams, fetch)

    card = answer["task"]["value"]["card"]["content"]
    assert_valid_card(card)
    theme = _inputs(card)["theme"]
    assert theme["type"] == "Input.ChoiceSet" and not theme["isRequired"]
    assert theme["choices"] == DEFAULT_THEMES

    submit = recorded(TASK_SUBMIT)
    submit["value"] = {"data": {"cop_form": "idea", "title": "Green jobs map", "theme": "climate"}}
    assert (await teams.post(submit)).status == 200  # saved: the reply goes to the conversation

    with container.uow() as uow:
        [idea] = uow.session.scalars(select(Idea))
        assert idea.themes == ["climate"]


async def test_a_theme_not_on_the_list_is_refused_under_its_input(
    teams: Teams, container: Container
) -> None:
    submit = recorded(TASK_SUBMIT)
    submit["value"] = {"data": {"cop_form": "idea", "title": "Green jobs map", "theme": "nope"}}

    answer = await _invoke(teams, submit)

    card = answer["task"]["value"]["card"]["content"]
    assert_valid_card(card)
    ids = [e.get("id") for e in card["body"]]
    error = card["body"][ids.index("theme") + 1]
    assert error["color"] == "Attention" and error["text"].startswith("Pick one of: Skills")
    assert _inputs(card)["title"]["value"] == "Green jobs map"
    assert _inputs(card)["theme"]["choices"] == DEFAULT_THEMES
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Idea)) == 0
