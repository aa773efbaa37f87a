"""One set of limits, each refusal naming it, through the real endpoint: replayed form
submissions count once, lists and names are bounded, invisible text is empty, and a day
holds at most 24 logged hours."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot import limits
from storage.models import Community, Idea, Skill, TimeLog
from tests.platform.slack.conftest import Harness, idea_state


def _opened_view(harness: Harness) -> dict[str, Any]:
    """The form, which replaces the loading view opened with the trigger id."""
    [call] = harness.posted("views.update")
    view: dict[str, Any] = call.params["view"]
    return view


def _count(harness: Harness, model: type[Any]) -> int:
    with harness.container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _texts(harness: Harness) -> str:
    return "\n".join(r.get("text", "") for r in harness.responses()) + "\n".join(
        str(c.params.get("text", "")) for c in harness.posted()
    )


async def test_the_same_signed_submission_three_times_makes_one_idea(community: Harness) -> None:
    await community.command("idea")
    payload = community.submission(_opened_view(community), idea_state("Mentoring circles"))

    for _ in range(3):
        response = await community.interact(payload)
        assert response.status == 200

    assert _count(community, Idea) == 1
    assert len(community.posted()) == 1


async def test_two_submissions_of_two_modals_make_two_ideas(community: Harness) -> None:
    await community.command("idea")
    view = _opened_view(community)
    await community.interact(community.submission(view, idea_state("Mentoring circles")))
    await community.interact(community.submission(view, idea_state("Open data days")))

    assert _count(community, Idea) == 2


async def test_the_modal_refuses_a_huge_forged_theme(community: Harness) -> None:
    await community.command("idea")
    view = _opened_view(community)
    huge = ", ".join(f"theme{n}" for n in range(20_000))

    response = await community.interact(community.submission(view, idea_state("Ok", huge)))

    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]["theme"].startswith("Pick one of:")
    assert _count(community, Idea) == 0


async def test_too_many_themes_past_the_modal_are_refused_by_the_service(
    community: Harness,
) -> None:
    from bot.errors import InvalidInput
    from bot.services import ideas
    from bot.services.context import Context

    many = tuple(f"t{n}" for n in range(limits.THEMES + 1))
    ctx = Context(actor=_actor(), channel="C111", now=_now(), settings=community.container.settings)
    with pytest.raises(InvalidInput, match=f"the limit is {limits.THEMES} themes"):
        ideas.create(community.container.uow(), ctx, text="Ok", themes=many)


def _actor() -> Any:
    from bot.messages import Actor, Platform

    return Actor(Platform.SLACK, "T111", "UANA", "ana", email="ana@example.org")


def _now() -> Any:
    from bot.clock import utcnow

    return utcnow()


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", "\u200d\ufeff\u2060 \u00ad", "\u0301"])
async def test_an_idea_of_invisible_characters_is_empty(community: Harness, invisible: str) -> None:
    await community.command(f"idea {invisible}")

    assert "The idea is empty" in _texts(community)
    assert _count(community, Idea) == 0


async def test_a_long_skill_is_refused_not_cut(community: Harness) -> None:
    await community.command("skills add " + "x" * (limits.SKILL + 1))

    assert f"a skill is at most {limits.SKILL} characters" in _texts(community)
    assert _count(community, Skill) == 0


async def test_a_long_community_name_is_refused_not_cut(community: Harness) -> None:
    await community.command("community create " + "y" * (limits.COMMUNITY_NAME + 1), user="UCORA")

    assert f"a community name is at most {limits.COMMUNITY_NAME} characters" in _texts(community)
    assert _count(community, Community) == 1  # design-thinking only


async def test_a_long_time_log_note_is_refused(community: Harness) -> None:
    await community.command("log 1h " + "z" * 50_000)

    assert f"the limit is {limits.NOTE:,} characters" in _texts(community)
    assert _count(community, TimeLog) == 0


async def test_a_day_holds_at_most_24_logged_hours(community: Harness) -> None:
    await community.command("log 24h")
    await community.command("log 24h")
    await community.command("log 1h")

    assert _count(community, TimeLog) == 1
    assert "a day takes at most 24 hours" in _texts(community)
