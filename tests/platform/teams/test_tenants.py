"""Teams identity stays inside the organisation's tenants: traffic from another tenant is
refused, and an e-mail address links accounts only when a named tenant reported it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.container import Container
from bot.messages import Actor, Inbound, Platform
from bot.services.people import resolve_person
from bot.settings import Settings
from storage.models import Account, Idea, Person
from tests.conftest import NOW
from tests.platform.teams.conftest import Teams
from tests.platform.teams.wire import (
    APP_ID,
    APP_PASSWORD,
    MENTION,
    TENANT,
    USER_ONE_EMAIL,
    recorded,
    with_text,
)

OURS = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def settings(make_settings: Callable[..., Settings], request: pytest.FixtureRequest) -> Settings:
    """Our organisation's tenant is OURS; the recorded traffic comes from TENANT."""
    tenants: list[str] = getattr(request, "param", [OURS])
    return make_settings(
        microsoft_app_id=APP_ID, microsoft_app_password=APP_PASSWORD, copbot_teams_tenants=tenants
    )


def _colleague_on_slack(container: Container) -> None:
    slack = Actor(Platform.SLACK, "T111", "U111", "Test One", email=USER_ONE_EMAIL)
    with container.uow() as uow:
        resolve_person(uow.session, slack, now=NOW)
        uow.commit()
    container.runner.handle(Inbound(slack, "C111", "idea Private plans"), now=NOW)


async def test_traffic_from_another_tenant_is_refused(teams: Teams, container: Container) -> None:
    _colleague_on_slack(container)

    response = await teams.post(with_text(recorded(MENTION), "my-data"))

    assert response.status == 403
    assert "own organisation" in (await response.json())["error"]
    assert teams.connector.activities == [] and teams.connector.calls == []
    with container.uow() as uow:
        assert (
            uow.session.scalar(select(func.count(Account.id)).where(Account.platform == "teams"))
            == 0
        )


@pytest.mark.parametrize("settings", [[]], indirect=True)
async def test_an_address_from_an_unnamed_tenant_links_nobody(
    teams: Teams, container: Container
) -> None:
    _colleague_on_slack(container)

    response = await teams.post(with_text(recorded(MENTION), "idea From outside"))

    assert response.status == 201
    with container.uow() as uow:
        people = uow.session.scalars(select(Person).order_by(Person.id)).all()
        assert len(people) == 2
        slack_person, teams_person = people
        assert slack_person.email == USER_ONE_EMAIL and teams_person.email is None
        authors = uow.session.scalars(select(Idea.author_id).order_by(Idea.id)).all()
        assert authors == [slack_person.id, teams_person.id]


@pytest.mark.parametrize("settings", [[TENANT]], indirect=True)
async def test_within_a_named_tenant_the_same_address_is_one_person(
    teams: Teams, container: Container
) -> None:
    _colleague_on_slack(container)

    await teams.post(with_text(recorded(MENTION), "idea From inside"))

    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(Person.id))) == 1


def test_the_tenants_default_to_the_app_tenant(make_settings: Callable[..., Settings]) -> None:
    assert make_settings(microsoft_app_tenant_id=TENANT.upper()).teams_tenants == {TENANT}
    named = make_settings(microsoft_app_tenant_id=TENANT, copbot_teams_tenants=f"{OURS}, {TENANT}")
    assert named.teams_tenants == {OURS, TENANT}
    assert make_settings().teams_tenants == frozenset()
