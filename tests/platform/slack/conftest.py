"""The bot's real ``/slack/events`` endpoint on 127.0.0.1, Slack's Web API played by
``FakeSlackAPI``, and request bodies built from Slack's recorded payloads and signed exactly
as Slack signs them."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import utcnow
from bot.container import Container
from bot.messages import Actor, Inbound, Platform, Reply
from bot.settings import Settings
from copbot.web import build_app
from handlers.slack.mount import SLACK, mounts
from handlers.slack.surface import SlackSurface
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_methods import Call
from tests.fakes.slack_signing import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    event_body,
    interactivity_body,
    load_payload,
    signed_headers,
    slash_command_body,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-T111-copbot-test"
TEAM = "T111"
CHANNEL = "C111"
PEOPLE = {
    "UANA": ("Ana Alves", "ana@example.org"),
    "UBO": ("Bo Berg", "bo@example.org"),
    "UCORA": ("Cora Costa", "cora@example.org"),  # a bootstrap coordinator (id, e-mail)
}


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI(team_id=TEAM) as fake:
        for user, (name, email) in PEOPLE.items():
            fake.add_user(user, real_name=name, email=email, tz="Europe/Zurich")
        fake.add_channel(CHANNEL, "design-thinking")
        yield fake
        assert fake.rejected == [], "Slack would reject these payloads"


@pytest.fixture
def settings(make_settings: Callable[..., Settings], slack: FakeSlackAPI) -> Settings:
    return make_settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=slack.api_url,
        copbot_coordinators=["cora", "UCORA", "cora@example.org"],
    )


OAUTH_CLIENT_ID = "111.222"


@pytest.fixture
def oauth_settings(make_settings: Callable[..., Settings], slack: FakeSlackAPI) -> Settings:
    """Slack over OAuth (several workspaces), with the stand-in Web API."""
    return make_settings(
        slack_client_id=OAUTH_CLIENT_ID,
        slack_client_secret="client-secret",
        slack_signing_secret=SECRET,
        slack_api_url=slack.api_url,
    )


class Harness:
    """Posts signed requests to the running app and waits for its background work."""

    def __init__(self, client: TestClient, app: web.Application, slack: FakeSlackAPI) -> None:
        self.client = client
        self.app = app
        self.slack = slack
        self.serial = 0

    @property
    def surface(self) -> SlackSurface:
        return self.app[SLACK]

    @property
    def container(self) -> Container:
        return self.surface.container

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        settle: bool = True,
    ) -> ClientResponse:
        signed = signed_headers(body, secret, content_type=content_type, timestamp=timestamp)
        response = await self.client.post(
            "/slack/events", data=body.encode(), headers={**signed, **(headers or {})}
        )
        await response.read()
        if settle:
            await self.settle()
        return response

    async def settle(self) -> None:
        await self.surface.drain()

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    async def command(
        self,
        text: str,
        *,
        user: str = "UANA",
        channel: str = CHANNEL,
        settle: bool = True,
        **fields: str,
    ) -> ClientResponse:
        n = self._next()
        body = slash_command_body(
            text=text,
            user_id=user,
            channel_id=channel,
            team_id=TEAM,
            response_url=self.slack.response_url(f"/response/cmd-{n}"),
            trigger_id=f"{n}.trigger",
            **fields,
        )
        return await self.post(body, content_type=FORM_CONTENT_TYPE, settle=settle)

    def event_payload(self, name: str, **event: Any) -> dict[str, Any]:
        payload = load_payload(name)
        payload.pop("enterprise_id", None)
        payload.pop("authorizations", None)
        payload["team_id"] = TEAM
        payload["event_id"] = f"Ev{self._next():06d}"
        payload["event"].update(event)
        return payload

    async def event(
        self, payload: dict[str, Any], *, retry: int | None = None, settle: bool = True
    ) -> ClientResponse:
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(
            event_body(payload), content_type=JSON_CONTENT_TYPE, headers=headers, settle=settle
        )

    async def open_home(self, user: str) -> dict[str, Any]:
        """Open ``user``'s App Home (``app_home_opened``) and return the view published."""
        event = self.event_payload(
            "event_callback.app_mention",
            type="app_home_opened",
            user=user,
            channel="D1",
            tab="home",
        )
        event["event"].pop("text", None)
        await self.event(event)
        view: dict[str, Any] = self.posted("views.publish")[-1].params["view"]
        return view

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        return await self.post(interactivity_body(payload), content_type=FORM_CONTENT_TYPE)

    def click_payload(
        self, action: str, value: str, *, user: str = "UANA", channel: str = CHANNEL
    ) -> dict[str, Any]:
        payload = load_payload("interactivity.block_actions")
        n = self._next()
        payload["user"] = {
            "id": user,
            "username": user.lower(),
            "name": user.lower(),
            "team_id": TEAM,
        }
        payload["team"] = {"id": TEAM, "domain": "test-domain"}
        payload["channel"] = {"id": channel, "name": "design-thinking"}
        payload["container"] = {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": channel,
            "is_ephemeral": False,
        }
        payload["trigger_id"] = f"{n}.click"
        payload["response_url"] = self.slack.response_url(f"/response/click-{n}")
        payload["actions"] = [
            {
                "action_id": f"cop:{action}",
                "block_id": "b",
                "text": {"type": "plain_text", "text": action, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": "1700000000.000200",
            }
        ]
        return payload

    async def click(self, action: str, value: str, **kwargs: Any) -> ClientResponse:
        return await self.interact(self.click_payload(action, value, **kwargs))

    def submission(
        self, view: dict[str, Any], state: dict[str, Any], *, user: str = "UANA"
    ) -> dict[str, Any]:
        payload = load_payload("interactivity.view_submission")
        payload["user"] = {
            "id": user,
            "username": user.lower(),
            "name": user.lower(),
            "team_id": TEAM,
        }
        payload["team"] = {"id": TEAM, "domain": "test-domain"}
        n = self._next()
        payload["trigger_id"] = f"{n}.submit"
        submitted = copy.deepcopy(view)
        submitted.setdefault("id", f"V{n:08d}")  # every opened modal has its own id
        submitted["hash"] = f"{n}.state"
        submitted["state"] = {"values": {name: {name: value} for name, value in state.items()}}
        submitted.setdefault("private_metadata", "")
        submitted["app_installed_team_id"] = TEAM
        payload["view"] = {**payload["view"], **submitted}
        return payload

    # -------------------------------------------------- what the fake Slack saw

    def posted(self, method: str = "chat.postMessage") -> list[Call]:
        return self.slack.calls_to(method)

    def forms_shown(self) -> list[dict[str, Any]]:
        """Every form modal the bot showed (opened, or put in place of the loading view), with
        the view id Slack gave it."""
        shown: list[dict[str, Any]] = []
        for call in self.slack.calls:
            if call.method not in ("views.open", "views.update"):
                continue
            view = dict(call.params["view"])
            if str(view.get("callback_id") or "").startswith("cop:form:"):
                shown.append({**view, "id": str(call.params.get("view_id") or "V-opened")})
        return shown

    def responses(self) -> list[dict[str, Any]]:
        return [post.json for post in self.slack.response_posts]

    def everything_sent(self) -> str:
        """Every message body the bot sent, as one JSON string (for leak checks)."""
        sent: list[Any] = [c.params for c in self.slack.calls]
        sent += self.responses()
        return json.dumps(sent, ensure_ascii=False)

    def setup(self, user: str, line: str, *, channel: str = CHANNEL, days_ago: float = 3) -> Reply:
        """Run a command directly (test set-up) as the Slack user ``user``, ``days_ago`` days
        before now (the Slack handlers read the real clock)."""
        _name, email = PEOPLE.get(user, (user, f"{user.lower()}@example.org"))
        actor = Actor(
            platform=Platform.SLACK,
            workspace=TEAM,
            user_id=user,
            display_name=email.split("@")[0],
            email=email,
        )
        inbound = Inbound(actor=actor, channel=channel, channel_name="design-thinking", text=line)
        reply = self.container.runner.handle(inbound, now=utcnow() - timedelta(days=days_ago))
        assert not reply.error, reply.text
        return reply


def idea_state(title: str, theme: str | None = None) -> dict[str, Any]:
    """What the idea modal's inputs hold when it is submitted: a title, no description, and
    the theme picked in the select (or none)."""
    option = {"value": theme} if theme is not None else None
    return {
        "title": {"type": "plain_text_input", "value": title},
        "description": {"type": "plain_text_input", "value": None},
        "theme": {"type": "static_select", "selected_option": option},
    }


@pytest.fixture
async def harness(container: Container, slack: FakeSlackAPI) -> AsyncIterator[Harness]:
    app = build_app(container, mounts(container))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield Harness(client, app, slack)
    finally:
        await client.close()


@pytest.fixture
def community(harness: Harness) -> Harness:
    """A community bound to #design-thinking (C111), with Cora as coordinator."""
    harness.setup("UCORA", "community create design-thinking")
    harness.setup("UCORA", "community bind design-thinking")
    return harness
