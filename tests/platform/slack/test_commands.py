"""The slash command's replies: ephemeral answers, errors, files, people named by mention."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from storage.models import CreditedHelper, Idea
from tests.fakes.slack_signing import FORM_CONTENT_TYPE, slash_command_body
from tests.platform.slack.conftest import CHANNEL, TEAM, Harness


async def test_answers_only_the_caller_through_the_response_url(community: Harness) -> None:
    await community.command("ideas")
    await community.command("")
    await community.command("idae Typo in the verb")

    empty, help_text, error = community.responses()
    assert empty["response_type"] == "ephemeral" and "No ideas" in empty["text"]
    assert "Commands" in help_text["text"] or "idea" in help_text["text"]
    assert error["response_type"] == "ephemeral"
    assert error["text"].startswith(":warning:") and 'Did you mean "idea"' in error["text"]
    assert community.posted() == []


async def test_my_data_arrives_as_a_file_in_a_direct_message(community: Harness) -> None:
    community.setup("UANA", "idea Mentoring circles")

    await community.command("my-data")

    [opened] = community.posted("conversations.open")
    assert opened.params["users"] == "UANA"
    [complete] = community.posted("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DANA"
    [uploaded] = community.slack.uploads.values()
    assert json.loads(uploaded)["ideas_authored"][0]["title"] == "Mentoring circles"
    assert "everything stored about you" in community.responses()[0]["text"]


async def test_people_named_by_slack_mention_are_understood(community: Harness) -> None:
    community.setup("UANA", "ask How do we run a good retrospective?")
    community.setup("UBO", "skills add facilitation")

    await community.command("resolve R-1 <@UBO|bo>")

    with community.container.uow() as uow:
        credited = uow.session.scalars(select(CreditedHelper.person_id)).all()
    assert len(credited) == 1
    assert "Kudos to bo" in community.posted()[0].params["text"]


async def test_a_slash_command_delivered_twice_captures_once(community: Harness) -> None:
    body = slash_command_body(
        text="idea Delivered twice",
        user_id="UANA",
        channel_id=CHANNEL,
        team_id=TEAM,
        response_url=community.slack.response_url("/response/twice"),
        trigger_id="42.same-trigger",
    )

    await community.post(body, content_type=FORM_CONTENT_TYPE)
    await community.post(body, content_type=FORM_CONTENT_TYPE)

    with community.container.uow() as uow:
        assert uow.session.scalar(select(func.count(Idea.id))) == 1
    assert len(community.posted()) == 1
