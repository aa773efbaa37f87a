"""Setting Slack up: OAuth installs for several workspaces, Socket Mode, and no Slack at all."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.container import Container
from bot.settings import Settings
from copbot.web import build_app
from handlers.slack.mount import SLACK, mounts
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_signing import FORM_CONTENT_TYPE, signed_headers, slash_command_body
from tests.platform.slack.conftest import OAUTH_CLIENT_ID, SECRET, TEAM

CLIENT_ID = OAUTH_CLIENT_ID


async def test_oauth_install_round_trip_then_requests_use_the_installed_token(
    oauth_settings: Settings, slack: FakeSlackAPI
) -> None:
    from copbot.bootstrap import bootstrap

    container = bootstrap(oauth_settings, migrate=False)
    client = TestClient(TestServer(build_app(container, mounts(container)), host="127.0.0.1"))
    await client.start_server()
    try:
        page = await client.get("/slack/install")
        html = await page.text()
        assert page.status == 200
        authorize = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', html)
        assert authorize is not None
        query = parse_qs(urlsplit(authorize.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID]
        assert "commands" in query["scope"][0].split(",")
        state = query["state"][0]
        cookie = {"Cookie": f"slack-app-oauth-state={page.cookies['slack-app-oauth-state'].value}"}

        refused = await client.get(
            "/slack/oauth_redirect", params={"code": "c0de", "state": "x"}, headers=cookie
        )
        assert refused.status == 400
        done = await client.get(
            "/slack/oauth_redirect", params={"code": "c0de", "state": state}, headers=cookie
        )
        assert done.status == 200
        [exchange] = slack.calls_to("oauth.v2.access")
        assert exchange.params["code"] == "c0de"
        with container.engine.connect() as conn:
            bots = conn.execute(text("SELECT team_id, bot_token FROM slack_bots")).all()
        assert bots == [(TEAM, f"xoxb-{TEAM}-{slack.bot_user_id}-faketoken0000000000000")]

        body = slash_command_body(
            text="idea Installed and working", team_id=TEAM, user_id="UANA", channel_id="C111"
        )
        body = body.replace("&enterprise_id=E111", "")
        answer = await client.post("/slack/events", data=body, headers=signed_headers(body, SECRET))
        assert answer.status == 200
        await client.app[SLACK].drain()
        [post] = slack.calls_to("chat.postMessage")
        assert post.token == bots[0][1]
    finally:
        await client.close()
        container.close()


async def test_socket_mode_connects_in_the_background_instead_of_http(
    make_settings: Callable[..., Settings], slack: FakeSlackAPI
) -> None:
    settings = make_settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_app_token="xapp-1-test",
        slack_api_url=slack.api_url,
    )
    from copbot.bootstrap import bootstrap

    container = bootstrap(settings, migrate=False)
    client = TestClient(TestServer(build_app(container, mounts(container)), host="127.0.0.1"))
    await client.start_server()
    try:
        for _ in range(100):
            if slack.calls_to("apps.connections.open"):
                break
            await asyncio.sleep(0.02)
        [opened] = slack.calls_to("apps.connections.open")
        assert opened.token == "xapp-1-test"
        body = slash_command_body(text="idea Over HTTP")
        posted = await client.post("/slack/events", data=body, headers=signed_headers(body, SECRET))
        assert posted.status in (404, 405)
        assert (await client.get("/healthz")).status == 200
    finally:
        await client.close()
        container.close()


def test_without_slack_settings_nothing_is_mounted(container: Container) -> None:
    bare = Container(
        settings=Settings(_env_file=None, database_url=container.settings.database_url),  # type: ignore[call-arg]
        engine=container.engine,
        uow=container.uow,
        runner=container.runner,
        notifiers=container.notifiers,
    )

    assert mounts(bare) == []
    assert "slack" not in bare.notifiers.platforms()


def test_with_slack_settings_a_notifier_is_registered(container: Container) -> None:
    assert len(mounts(container)) == 1
    assert "slack" in container.notifiers.platforms()


async def test_the_notifier_posts_for_scheduled_work(
    container: Container, slack: FakeSlackAPI
) -> None:
    from bot.messages import Reply
    from bot.ports import Address

    mounts(container)
    notifier = container.notifiers.get("slack")
    assert notifier is not None
    slack.fail_next("chat.postMessage", status=429, retry_after=0)

    ts = await asyncio.to_thread(
        notifier.send,
        address=Address("slack", TEAM, user="UANA"),
        reply=Reply("Your weekly digest <!channel>"),
    )

    assert ts
    posts = slack.calls_to("chat.postMessage")
    assert len(posts) == 2 and posts[-1].params["channel"] == "UANA"
    assert "<!channel>" not in posts[-1].params["text"]


def test_form_content_type_constant() -> None:
    assert FORM_CONTENT_TYPE == "application/x-www-form-urlencoded"
