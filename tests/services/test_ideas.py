"""Idea rules: stages move forward only, shelving needs lessons, one vote per person,
coordinators reopen, focal points rate, and every refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.container import Container
from bot.indicators.compute import compute
from bot.indicators.definitions import Scope
from bot.periods import parse_period
from storage.models import Idea, StageChange, Vote
from tests.conftest import NOW, Say


def _setup(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles\nPair new staff with mentors across units.")


def _idea(container: Container, number: int = 1) -> Idea:
    with container.uow() as uow:
        idea = uow.session.get(Idea, number)
        assert idea is not None
        uow.session.expunge(idea)
        return idea


def test_capture_keeps_title_description_and_author(say: Say, container: Container) -> None:
    _setup(say)
    idea = _idea(container)
    assert idea.title == "Mentoring circles"
    assert idea.description == "Pair new staff with mentors across units."
    assert idea.stage == "proposed" and idea.scaling == "unrated"
    shown = say("bo", "show I-1").text
    assert shown == "I-1 Mentoring circles"


def test_one_vote_per_person(say: Say, container: Container) -> None:
    _setup(say)
    assert "counted (1 in all)" in say("bo", "vote I-1").text
    again = say("bo", "vote I-1")
    assert again.error and "already voted" in again.text
    assert "counted (2 in all)" in say("ana", "vote I-1").text
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(Vote.id))) == 2
    assert _idea(container).votes == 2


def test_champion_moves_forward_only(say: Say, container: Container) -> None:
    _setup(say)
    assert not say("ana", "advance I-1 development").error
    assert not say("ana", "advance I-1 pilot").error
    back = say("ana", "advance I-1 development")
    assert back.error and "only move forward" in back.text
    assert _idea(container).stage == "pilot"


def test_member_cannot_advance_shelve_or_rate(say: Say, container: Container) -> None:
    _setup(say)
    for line in (
        "advance I-1 development",
        "shelve I-1 It did not work for us at all",
        "rate I-1 high",
        "reopen I-1",
    ):
        reply = say("bo", line)
        assert reply.error, line
    idea = _idea(container)
    assert (idea.stage, idea.scaling, idea.lessons) == ("proposed", "unrated", None)


def test_focal_point_decides_in_scope_only(say: Say, container: Container) -> None:
    _setup(say)
    say("cora", "community create other-cop")
    say("bo", "ideas")
    say("cora", "focal add @bo other-cop")
    assert say("bo", "rate I-1 high").error  # bo looks after another community
    say("cora", "focal add @bo design-thinking")
    assert not say("bo", "rate I-1 high").error
    assert not say("bo", "advance I-1 development").error
    assert _idea(container).scaling == "high"


def test_shelve_needs_lessons_and_coordinator_reopens(say: Say, container: Container) -> None:
    _setup(say)
    say("ana", "advance I-1 development")
    short = say("ana", "shelve I-1 meh")
    assert short.error and "lessons learned" in short.text
    assert _idea(container).stage == "development"
    later = NOW + timedelta(days=1)
    assert not say("ana", "shelve I-1 Mentors had no time; try lighter formats", now=later).error
    assert say("ana", "vote I-1").error
    assert say("ana", "reopen I-1").error  # only a coordinator
    reopened = say("cora", "reopen I-1", now=later + timedelta(hours=1))
    assert "reopened in development" in reopened.text
    with container.uow() as uow:
        steps = uow.session.scalars(
            select(StageChange.to_stage).where(StageChange.idea_id == 1).order_by(StageChange.id)
        ).all()
    assert steps == ["proposed", "development", "shelved", "development"]


def test_unknown_stage_is_explained(say: Say) -> None:
    _setup(say)
    reply = say("ana", "advance I-1 pilto")
    assert reply.error
    assert reply.text.startswith(
        'Unknown stage "pilto". Stages: proposed, development, pilot, scaled.'
    )


def test_missing_idea_and_hand_over(say: Say, container: Container) -> None:
    _setup(say)
    assert "no idea I-9" in say("ana", "vote I-9").text
    say("bo", "ideas")  # bo has talked to the bot once
    assert "bo is now the champion of I-1" in say("ana", "handover I-1 @bo").text
    assert not say("bo", "advance I-1 development").error
    assert say("ana", "advance I-1 pilot").error  # no longer the champion


def test_a_skip_counts_as_leaving_brainstorming_and_is_reported_apart(
    say: Say, container: Container
) -> None:
    _setup(say)
    say("ana", "idea Paperless travel claims")
    assert not say("cora", "advance I-1 development").error
    assert not say("cora", "advance I-2 scaled Already running in three units").error
    with container.uow() as uow:
        value = compute(
            uow.session,
            "ideas_past_brainstorming",
            period=parse_period("2026-Q4", today=NOW.date()),
            scope=Scope.org(),
            tz=ZoneInfo("UTC"),
        )
    assert value.value == 2
    assert value.details["skipped_development"] == 1
