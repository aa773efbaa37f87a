"""The in-process caches of the platform handlers: fresh entries are kept, stale ones are not,
and a full cache drops old entries instead of growing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.services.suggest import Cooldown
from handlers.slack.people import People
from handlers.teams.identity import Directory
from handlers.teams.references import ReferenceBook
from tests.conftest import NOW


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class UsersInfo:
    """A Slack client that answers ``users.info`` and counts the calls."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def users_info(self, *, user: str, include_locale: bool = False) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            raise SlackApiError("no", {"ok": False, "error": "user_not_found"})
        return {"user": {"id": user, "profile": {"display_name": f"name {user}"}}}


async def test_slack_people_are_asked_once_an_hour() -> None:
    clock, client = Clock(), UsersInfo()
    people = People(ttl=3600, max_entries=2, clock=clock)
    for _ in range(3):
        actor = await people.actor(client, "T1", "U1")  # type: ignore[arg-type]
    assert (actor.display_name, client.calls) == ("name U1", 1)
    clock.now += 3601
    await people.actor(client, "T1", "U1")  # type: ignore[arg-type]
    assert client.calls == 2
    for user in ("U2", "U3"):  # the cache holds two: U1 goes
        await people.actor(client, "T1", user)  # type: ignore[arg-type]
    await people.actor(client, "T1", "U1")  # type: ignore[arg-type]
    assert client.calls == 5


async def test_a_failed_slack_lookup_is_not_kept() -> None:
    client = UsersInfo(fail=True)
    people = People(clock=Clock())
    for _ in range(2):
        actor, is_bot = await people.lookup(client, "T1", "U1")  # type: ignore[arg-type]
    assert (actor.user_id, actor.display_name, is_bot, client.calls) == ("U1", None, False, 2)


def test_one_suggestion_per_person_and_channel_an_hour() -> None:
    clock = Clock()
    cooldown = Cooldown(3600, clock=clock)
    assert cooldown.ready("T1", "U1", "C1")
    assert not cooldown.ready("T1", "U1", "C1")
    assert cooldown.ready("T1", "U1", "C2") and cooldown.ready("T1", "U2", "C1")
    clock.now += 3599
    assert not cooldown.ready("T1", "U1", "C1")
    clock.now += 2
    assert cooldown.ready("T1", "U1", "C1")


def _turn(user: str) -> Any:
    activity = SimpleNamespace(
        from_property=SimpleNamespace(id=user, aad_object_id=None),
        conversation=SimpleNamespace(tenant_id="tenant"),
        channel_data={"tenant": {"id": "tenant"}},
    )
    return SimpleNamespace(activity=activity, turn_state={})


async def test_teams_addresses_are_kept_a_day_and_failures_retried_sooner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    failing = {"29:bad"}

    async def get_member(turn_context: Any, member: str) -> Any:
        asked.append(member)
        if member in failing:
            raise RuntimeError("roster unavailable")
        return SimpleNamespace(email=f"{member[3:]}@example.org")

    monkeypatch.setattr("handlers.teams.identity.TeamsInfo.get_member", get_member)
    clock = Clock()
    directory = Directory(ttl=86_400, retry_after=600, clock=clock)
    assert await directory.email(_turn("29:ann")) == "ann@example.org"
    assert await directory.email(_turn("29:bad")) is None
    clock.now += 601
    assert await directory.email(_turn("29:ann")) == "ann@example.org"
    assert await directory.email(_turn("29:bad")) is None
    assert asked == ["29:ann", "29:bad", "29:bad"]
    clock.now += 86_400
    await directory.email(_turn("29:ann"))
    assert asked[-1] == "29:ann" and len(asked) == 4


async def test_an_unchanged_teams_reference_is_stored_once_an_hour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored: list[str] = []

    def remember(uow: object, *, key: str, **kwargs: object) -> None:
        stored.append(key)

    monkeypatch.setattr("handlers.teams.references.conversations.remember", remember)
    clock = Clock()
    book = ReferenceBook(uow=lambda: None, clock=lambda: NOW, monotonic=clock)  # type: ignore[arg-type,return-value]
    reference = {"serviceUrl": "https://smba.example", "conversation": {"id": "c1"}}
    for _ in range(3):
        await book.store(workspace="t", key="c1", reference=reference, who=None)
    await book.store(workspace="t", key="c1", reference={**reference, "x": 1}, who=None)
    assert stored == ["c1", "c1"]
    clock.now += 3601
    await book.store(workspace="t", key="c1", reference={**reference, "x": 1}, who=None)
    assert stored == ["c1", "c1", "c1"]
