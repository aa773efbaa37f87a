"""Teams test fixtures: the real endpoint on an aiohttp test server, with Bot Framework tokens
issued and validated locally and the Bot Connector played by ``FakeBotConnector``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import ChannelValidation  # type: ignore[import-untyped]

from bot.container import Container
from bot.settings import Settings
from copbot.web import build_app
from handlers.teams.bot import CopTeamsBot
from handlers.teams.mount import BOT, register_notifier, teams_mount
from tests.conftest import NOW
from tests.fakes.bot_connector import FakeBotConnector
from tests.payload_checks import assert_valid_card, cards_in
from tests.platform.teams.flows import Chat
from tests.platform.teams.wire import (
    APP_ID,
    APP_PASSWORD,
    TENANT,
    BotFrameworkIssuer,
    LocalCredentialFactory,
    StaticCredentials,
)


@pytest.fixture(scope="session")
def issuer() -> Iterator[BotFrameworkIssuer]:
    with BotFrameworkIssuer() as server:
        yield server


@pytest.fixture
def connector() -> Iterator[FakeBotConnector]:
    with FakeBotConnector() as fake:
        yield fake
        assert fake.rejected == [], "Teams would reject these cards"


SAMPLES_TENANT = "09e852a2-4575-45f7-9586-7cc3acfdc715"  # BotBuilder-MicrosoftTeams-Jsons


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    """Teams configured as in production: app id and password, so tokens are required.
    Cora is a bootstrap coordinator by her Entra object id."""
    return make_settings(
        microsoft_app_id=APP_ID,
        microsoft_app_password=APP_PASSWORD,
        copbot_coordinators=["aad-cora"],
        copbot_teams_tenants=[TENANT, SAMPLES_TENANT],
    )


@pytest.fixture
def chat(container: Container) -> Chat:
    """The bot behind botbuilder's TestAdapter, with a fixed clock."""
    bot = CopTeamsBot(
        runner=container.runner, uow=container.uow, notifiers=container.notifiers, clock=lambda: NOW
    )
    return Chat(bot)


@pytest.fixture
def token_validation(issuer: BotFrameworkIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the SDK's channel token validation at the local issuer's OpenID metadata."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", issuer.metadata_url)


class Teams:
    """The web app with Teams mounted, and a way to post activities as Teams does."""

    def __init__(
        self,
        client: TestClient[Any, Any],
        issuer: BotFrameworkIssuer,
        connector: FakeBotConnector,
        bot: CopTeamsBot,
    ) -> None:
        self.client = client
        self.issuer = issuer
        self.connector = connector
        self.bot = bot

    async def post(
        self,
        body: dict[str, Any],
        *,
        token: str | None = "valid",
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST ``body`` to /api/messages with its service URL on the fake connector."""
        body["serviceUrl"] = self.connector.service_url
        sent = dict(headers or {})
        if token == "valid":
            token = self.issuer.token(service_url=body["serviceUrl"])
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        response = await self.client.post("/api/messages", json=body, headers=sent)
        answer = await response.read()
        await self.bot.delivery.drain()
        if answer and response.content_type == "application/json":
            for card in cards_in(json.loads(answer)):
                assert_valid_card(card)
        return response


@pytest.fixture
async def teams(
    container: Container,
    issuer: BotFrameworkIssuer,
    connector: FakeBotConnector,
    token_validation: None,
) -> AsyncIterator[Teams]:
    register_notifier(container, credentials=StaticCredentials())
    mount = teams_mount(credentials_factory=LocalCredentialFactory(), clock=lambda: NOW)
    app = build_app(container, [mount])
    client: TestClient[Any, Any] = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Teams(client, issuer, connector, app[BOT])
    finally:
        await client.close()
