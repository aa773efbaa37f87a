"""Forms on Slack through the real endpoint: the loading modal that holds the trigger id,
service refusals shown on their field inside the modal, a slow save that updates the modal,
and every view validated with slack_sdk's Block Kit models."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.forms import FORMS
from handlers.slack.listeners import forms as form_listener
from storage.models import Feedback, Idea
from tests.payload_checks import assert_valid_view
from tests.platform.slack.conftest import Harness, idea_state


def _count(harness: Harness, model: Any) -> int:
    with harness.container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _feedback_state(target: str) -> dict[str, Any]:
    return {
        "target": {"type": "plain_text_input", "value": target},
        "rating": {"type": "static_select", "selected_option": {"value": "4"}},
        "text": {"type": "plain_text_input", "value": "Saves a day a month"},
        "anonymous": {"type": "checkboxes", "selected_options": []},
        "source": {"type": "static_select", "selected_option": {"value": "staff"}},
    }


def _all_views(harness: Harness) -> list[dict[str, Any]]:
    return [
        c.params["view"] for c in harness.slack.calls if c.method in ("views.open", "views.update")
    ]


async def test_a_form_opens_a_loading_view_at_once_then_updates_it(community: Harness) -> None:
    await community.command("idea")

    [opened] = community.posted("views.open")
    assert opened.params["view"]["callback_id"] == "cop:loading"
    assert opened.params["trigger_id"] == "1.trigger"
    [updated] = community.posted("views.update")
    assert updated.params["view"]["callback_id"] == "cop:form:idea"
    assert updated.params["view_id"]
    for view in _all_views(community):
        assert_valid_view(view)


async def test_the_message_shortcut_opens_the_loading_view_before_reading_the_message(
    community: Harness,
) -> None:
    payload = community.click_payload("x", "y")  # a signed interactivity body to reshape
    payload.update(
        type="message_action",
        callback_id="cop_save_request",
        message={"type": "message", "user": "UBO", "text": "Who has a survey template?"},
        message_ts="1700000123.000200",
    )
    payload.pop("actions")

    await community.interact(payload)

    methods = [c.method for c in community.slack.calls]
    assert methods.index("views.open") < methods.index("views.update")
    assert community.posted("views.open")[0].params["view"]["callback_id"] == "cop:loading"
    [form] = community.forms_shown()
    assert form["blocks"][0]["element"]["initial_value"] == "Who has a survey template?"


async def test_an_unknown_item_is_refused_on_its_field_inside_the_modal(
    community: Harness,
) -> None:
    await community.command("feedback", user="UBO")
    [view] = community.forms_shown()

    response = await community.interact(community.submission(view, _feedback_state("I-99")))

    answer = await response.json()
    assert answer == {
        "response_action": "errors",
        "errors": {"target": "There is no idea I-99."},
    }
    assert _count(community, Feedback) == 0
    assert community.posted("chat.postEphemeral") == []


async def test_a_title_over_the_limit_is_refused_in_the_modal(community: Harness) -> None:
    await community.command("idea")
    [view] = community.forms_shown()
    limit = FORMS["idea"].field("title").max_length  # type: ignore[union-attr]
    state = {"title": {"type": "plain_text_input", "value": "x" * (limit + 1)}}

    answer = await (await community.interact(community.submission(view, state))).json()

    assert answer["response_action"] == "errors"
    assert f"keep it under {limit}" in answer["errors"]["title"]
    assert _count(community, Idea) == 0


async def test_a_slow_save_shows_saving_then_the_form_again_with_the_refusal(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(form_listener, "ACK_BUDGET_SECONDS", 0.0)
    await community.command("feedback", user="UBO")
    [view] = community.forms_shown()

    response = await community.interact(community.submission(view, _feedback_state("R-7")))

    answer = await response.json()
    assert answer["response_action"] == "update"
    assert_valid_view(answer["view"])
    assert "Saving" in answer["view"]["blocks"][0]["text"]["text"]
    again = community.posted("views.update")[-1]
    assert again.params["view_id"] == view["id"]
    shown = again.params["view"]
    assert_valid_view(shown)
    assert "There is no request R-7." in shown["blocks"][0]["elements"][0]["text"]
    typed = {b["block_id"]: b["element"] for b in shown["blocks"] if b["type"] == "input"}
    assert typed["text"]["initial_value"] == "Saves a day a month"
    assert _count(community, Feedback) == 0


async def test_a_slow_save_that_succeeds_says_so_in_the_modal_and_the_channel(
    community: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(form_listener, "ACK_BUDGET_SECONDS", 0.0)
    await community.command("idea")
    [view] = community.forms_shown()
    state = {"title": {"type": "plain_text_input", "value": "Mentoring circles"}}

    await community.interact(community.submission(view, state))

    done = community.posted("views.update")[-1].params["view"]
    assert_valid_view(done)
    assert "Idea I-1 saved" in done["blocks"][0]["text"]["text"]
    assert "Idea I-1 saved" in community.posted()[0].params["text"]


async def test_a_crash_while_saving_is_said_inside_the_modal(
    community: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await community.command("idea")
    [view] = community.forms_shown()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(form_listener.forms, "run", broken)
    state = {"title": {"type": "plain_text_input", "value": "Mentoring circles"}}

    answer = await (await community.interact(community.submission(view, state))).json()

    assert answer == {"response_action": "errors", "errors": {"title": form_listener.SORRY}}
    assert "database went away" in caplog.text and "Traceback" in caplog.text


async def test_an_expired_trigger_falls_back_to_a_hint_to_type_the_command(
    community: Harness,
) -> None:
    community.slack.fail_next("views.open", status=200, error="expired_trigger_id")

    await community.command("idea")

    assert community.forms_shown() == []
    [hint] = community.responses()
    assert "Type it after `/cop idea`" in hint["text"]


@pytest.mark.parametrize("with_hash", [True, False])
async def test_the_same_submission_sent_three_times_saves_one_idea(
    community: Harness, with_hash: bool
) -> None:
    await community.command("idea")
    [view] = community.forms_shown()
    submitted = community.submission(
        view, {"title": {"type": "plain_text_input", "value": "Peer coaching groups"}}
    )
    if not with_hash:  # a replay stripped of Slack's state hash is still the same submission
        submitted["view"].pop("hash")

    for _ in range(3):
        response = await community.interact(submitted)
        assert response.status == 200

    assert _count(community, Idea) == 1


def _theme_select(view: dict[str, Any]) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == "theme")
    element: dict[str, Any] = block["element"]
    return element


def _themes_of_ideas(harness: Harness) -> list[list[str]]:
    with harness.container.uow() as uow:
        return [list(i.themes) for i in uow.session.scalars(select(Idea).order_by(Idea.id))]


async def test_the_idea_form_offers_the_theme_list_as_it_is_now_and_stores_the_choice(
    community: Harness,
) -> None:
    community.setup("UCORA", "themes add youth Youth employment")
    community.setup("UCORA", "themes remove technology")
    await community.command("idea")
    [view] = community.forms_shown()
    assert_valid_view(view)
    select_ = _theme_select(view)
    assert select_["type"] == "static_select"
    offered = [(o["value"], o["text"]["text"]) for o in select_["options"]]
    assert offered == [
        ("skills", "Skills and lifelong learning"),
        ("enterprises", "Productive and sustainable enterprises"),
        ("climate", "Climate action and a just transition"),
        ("youth", "Youth employment"),
    ]

    response = await community.interact(
        community.submission(view, idea_state("Summer jobs fair", "youth"))
    )

    assert response.status == 200
    assert _themes_of_ideas(community) == [["youth"]]


async def test_a_theme_that_is_not_on_the_list_is_refused_on_its_field(
    community: Harness,
) -> None:
    await community.command("idea")
    [view] = community.forms_shown()
    forged = idea_state("Summer jobs fair", "not-a-theme")

    answer = await (await community.interact(community.submission(view, forged))).json()

    assert answer["response_action"] == "errors"
    assert answer["errors"]["theme"].startswith("Pick one of: Skills and lifelong learning")
    assert _count(community, Idea) == 0


async def test_an_idea_saved_without_a_theme_from_the_form_keeps_the_suggested_one(
    community: Harness,
) -> None:
    await community.command("idea")
    [view] = community.forms_shown()
    state = idea_state("Solar panels on the roof of every field office", None)

    await community.interact(community.submission(view, state))

    assert _themes_of_ideas(community) == [["climate"]]  # suggested by meaning, as in chat
