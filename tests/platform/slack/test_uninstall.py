"""Slack tokens after an uninstall, through the real endpoint with OAuth on: app_uninstalled
and tokens_revoked delete what is stored; slack_sdk's own stores read the rows written before
(migration 0002's tables) and never pair a new bot token with an old refresh token; after a
reinstall, scheduled sends use the new token."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from bot.container import Container
from bot.messages import Reply
from bot.ports import Address, DeliveryError
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from copbot.web import build_app
from handlers.slack import stores
from handlers.slack.mount import mounts
from handlers.slack.notifier import SlackNotifier
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_signing import JSON_CONTENT_TYPE, event_body, signed_headers
from tests.platform.slack.conftest import OAUTH_CLIENT_ID, SECRET, TEAM

CLIENT_ID = OAUTH_CLIENT_ID
OTHER_TEAM = "T999"


@pytest.fixture
def oauth_container(oauth_settings: Settings) -> Iterator[Container]:
    container = bootstrap(oauth_settings, migrate=False)
    yield container
    container.close()


@pytest.fixture
async def client(oauth_container: Container) -> AsyncIterator[TestClient[Any, Any]]:
    app = build_app(oauth_container, mounts(oauth_container))
    test_client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()


def _install(container: Container, team: str, *, token: str = "xoxb-1") -> None:
    store = stores.installation_store(container.settings, container.engine)
    store.save(
        Installation(
            app_id="A0COPBOT1",
            enterprise_id=None,
            team_id=team,
            user_id="UINSTALLER",
            user_token="xoxp-user",
            bot_token=token,
            bot_id="B0BOT0001",
            bot_user_id="U0BOT0001",
            bot_scopes="chat:write,commands",
            installed_at=time.time(),
        )
    )


def _tokens(container: Container) -> dict[str, list[tuple[str, str | None]]]:
    with container.engine.connect() as conn:
        bots = conn.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
        users = conn.execute(text("SELECT team_id, user_token FROM slack_installations")).all()
    return {"bots": sorted(map(tuple, bots)), "installations": sorted(map(tuple, users))}


async def _settled(container: Container, expected: object) -> dict[str, Any]:
    """The stored tokens once Bolt's listener (run after the ack) has made them ``expected``
    (or after two seconds)."""
    for _ in range(200):
        now = _tokens(container)
        if now == expected:
            return now
        await asyncio.sleep(0.01)
    return _tokens(container)


async def _event(client: TestClient[Any, Any], event: dict[str, Any]) -> int:
    payload = {
        "token": "verification",
        "team_id": TEAM,
        "api_app_id": "A0COPBOT1",
        "type": "event_callback",
        "event_id": f"Ev{event['type']}",
        "event_time": int(time.time()),
        "event": {**event, "event_ts": f"{time.time():.6f}"},
    }
    body = event_body(payload)
    response = await client.post(
        "/slack/events",
        data=body.encode(),
        headers=signed_headers(body, SECRET, content_type=JSON_CONTENT_TYPE),
    )
    return response.status


async def test_app_uninstalled_deletes_the_workspaces_tokens(
    oauth_container: Container, client: TestClient[Any, Any]
) -> None:
    _install(oauth_container, TEAM)
    _install(oauth_container, OTHER_TEAM, token="xoxb-other")
    left = {"bots": [(OTHER_TEAM, "xoxb-other")], "installations": [(OTHER_TEAM, "xoxp-user")]}

    assert await _event(client, {"type": "app_uninstalled"}) == 200

    assert await _settled(oauth_container, left) == left


async def test_tokens_revoked_deletes_the_revoked_tokens(
    oauth_container: Container, client: TestClient[Any, Any]
) -> None:
    _install(oauth_container, TEAM)
    none: dict[str, list[Any]] = {"bots": [], "installations": []}

    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALLER"], "bot": ["U0BOT0001"]}}
    assert await _event(client, revoked) == 200

    assert await _settled(oauth_container, none) == none


def test_rows_written_before_are_read_by_the_sdk_store(oauth_container: Container) -> None:
    """A bot row as migration 0002's tables held it (naive UTC times) is found."""
    with oauth_container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_id, "
                "bot_user_id, bot_scopes, is_enterprise_install, installed_at) VALUES "
                "(:c, 'A0COPBOT1', :t, 'xoxb-old', 'B1', 'U1', 'chat:write', false, :at)"
            ),
            {"c": CLIENT_ID, "t": TEAM, "at": datetime(2026, 11, 1, 9, 0)},
        )
    store = stores.installation_store(oauth_container.settings, oauth_container.engine)

    bot = store.find_bot(enterprise_id=None, team_id=TEAM)

    assert bot is not None and bot.bot_token == "xoxb-old"


def test_a_newer_bot_token_comes_with_its_own_refresh_token(oauth_container: Container) -> None:
    _install(oauth_container, TEAM, token="xoxb-first")
    store = stores.installation_store(oauth_container.settings, oauth_container.engine)
    store.save_bot(
        Bot(
            app_id="A0COPBOT1",
            enterprise_id=None,
            team_id=TEAM,
            bot_token="xoxb-second",
            bot_refresh_token="xoxe-second",
            bot_token_expires_at=int(time.time()) + 3600,
            bot_id="B0BOT0001",
            bot_user_id="U0BOT0001",
            installed_at=time.time() + 1,
        )
    )

    found = store.find_installation(enterprise_id=None, team_id=TEAM, user_id="UINSTALLER")

    assert found is not None
    assert (found.bot_token, found.bot_refresh_token) == ("xoxb-second", "xoxe-second")
    assert json.dumps(found.to_dict(), default=str)


def test_after_a_reinstall_scheduled_sends_use_the_new_token(
    oauth_container: Container, slack: FakeSlackAPI
) -> None:
    _install(oauth_container, TEAM, token="xoxb-first")
    notifier = SlackNotifier(oauth_container.settings, oauth_container.engine)
    where = Address("slack", TEAM, channel="C111")
    notifier.send(address=where, reply=Reply("Digest 1"))
    slack.fail_next("chat.postMessage", status=200, error="token_revoked")
    with pytest.raises(DeliveryError):
        notifier.send(address=where, reply=Reply("Digest 2"))
    _install(oauth_container, TEAM, token="xoxb-second")

    notifier.send(address=where, reply=Reply("Digest 2"))

    tokens = [call.token for call in slack.calls_to("chat.postMessage")]
    assert tokens == ["xoxb-first", "xoxb-first", "xoxb-second"]
