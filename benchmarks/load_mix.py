"""The traffic and the processes of ``benchmarks.slack_ack``: a realistic request mix, the
stand-in Slack Web API and the bare Bolt app, each in its own process."""

from __future__ import annotations

import json
import logging
import random
import socket
import time
from typing import Any
from urllib.parse import urlencode

from benchmarks.knowledge import sentences

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-T111-bench"
TEAM = "T111"
CHANNEL = "CBENCH"
USERS = 200
SEEDED_IDEAS = 100_000
COMMUNITIES = 200  # the bench channel's community is one of them
PEOPLE = 5_000
# Share of each kind in the mix (issue 10): captures, listings, button clicks, message events.
MIX = (("capture", 0.40), ("listing", 0.15), ("click", 0.10), ("message", 0.35))


def people() -> list[str]:
    """The Slack user ids of the mix's people."""
    return [f"UB{n:04d}" for n in range(USERS)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_standin(port: int) -> None:
    """The Slack Web API stand-in (``benchmarks.slack_standin``) with the mix's people."""
    from benchmarks.slack_standin import Standin, serve

    standin = Standin(team=TEAM)
    for n in range(USERS):
        standin.user(f"UB{n:04d}", f"Bench {n}", f"b{n}@example.org")
    serve(standin, port)


def run_bare(api_url: str, port: int) -> None:
    """A Bolt app that only acknowledges: the floor the ack latency is compared with."""
    logging.basicConfig(level=logging.WARNING)
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @bolt.command("/cop")
    async def command(ack: Any) -> None:
        await ack()

    @bolt.action({"action_id": "cop:vote"})
    async def vote(ack: Any) -> None:
        await ack()

    @bolt.event("message")
    async def message() -> None:
        return None

    async def dispatch(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slack/events", dispatch)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def seed(database_url: str) -> None:
    """Migrate; bind CHANNEL to community 1 with counting on; store SEEDED_IDEAS ideas with
    their search documents and vectors, spread over COMMUNITIES communities and PEOPLE
    people (``benchmarks.store``)."""
    from datetime import timedelta

    from benchmarks import store
    from bot.clock import utcnow
    from bot.messages import Actor, Inbound, Platform
    from bot.settings import Settings
    from copbot.bootstrap import bootstrap
    from storage.migrate import upgrade

    upgrade(database_url)
    settings = Settings(_env_file=None, database_url=database_url, copbot_coordinators=["UCOORD"])
    container = bootstrap(settings, migrate=False)
    actor = Actor(Platform.SLACK, TEAM, "UCOORD", display_name="coordinator")
    for line in (
        "community create bench",
        "community bind bench",
        "community settings counting=on",
    ):
        reply = container.runner.handle(Inbound(actor, CHANNEL, line, "bench"), now=utcnow())
        assert not reply.error, reply.text
    since = utcnow() - timedelta(days=400)
    store.communities(container.engine, ids=range(2, COMMUNITIES + 1), at=since)
    store.people(container.engine, first=1000, count=PEOPLE, at=since)
    store.ideas(
        container.engine,
        SEEDED_IDEAS,
        community=lambda i: 1 + i % COMMUNITIES,
        people=range(1000, 1000 + PEOPLE),
        since=since,
        rng=random.Random(11),
    )
    container.close()


class Mix:
    """Signed request bodies in the mix, each a capture with a unique title when it is one."""

    def __init__(self, label: str, response_base: str, seed_value: int = 7) -> None:
        self.label = label
        self.response_url = f"{response_base}/response/bench"
        self.rng = random.Random(seed_value)
        self.serial = 0
        self.captures: list[str] = []
        self.sentences = sentences(500, random.Random(seed_value))

    def next(self) -> tuple[str, bytes, str]:
        """The next request of the mix: its kind, signed-to-be body and content type."""
        return self.make(self.rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0])

    def make(self, kind: str, user: str | None = None) -> tuple[str, bytes, str]:
        """One request of ``kind``, from ``user`` (a random one of the mix's people)."""
        self.serial += 1
        n = self.serial
        user = user or f"UB{self.rng.randrange(USERS):04d}"
        if kind == "capture":
            # An idea like those stored, marked so the benchmark can find it afterwards.
            title = f"{self.rng.choice(self.sentences)} {self.mark(n)}"
            self.captures.append(title)
            return kind, self._command(f"idea {title}", user, n), FORM
        if kind == "listing":
            return kind, self._command("ideas", user, n), FORM
        if kind == "click":
            return kind, self._click(user, n), FORM
        return kind, self._message(user, n), JSON

    def mark(self, n: int) -> str:
        """What the title of this mix's ``n``-th capture ends with."""
        return f"[{self.label}-{n}]"

    @property
    def marked(self) -> str:
        """A LIKE pattern matching the titles of every capture of this mix."""
        return f"%[{self.label}-%"

    def _command(self, text: str, user: str, n: int) -> bytes:
        return urlencode(
            {
                "token": "x",
                "team_id": TEAM,
                "team_domain": "bench",
                "channel_id": CHANNEL,
                "channel_name": "bench",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/cop",
                "text": text,
                "api_app_id": "A0COPBOT1",
                "response_url": self.response_url,
                "trigger_id": f"{self.label}.{n}",
            }
        ).encode()

    def _click(self, user: str, n: int) -> bytes:
        idea = self.rng.randrange(2, SEEDED_IDEAS)
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "team": {"id": TEAM, "domain": "bench"},
            "api_app_id": "A0COPBOT1",
            "channel": {"id": CHANNEL, "name": "bench"},
            "container": {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": CHANNEL,
            },
            "trigger_id": f"{self.label}.{n}.click",
            "response_url": self.response_url,
            "actions": [
                {
                    "action_id": "cop:vote",
                    "block_id": "b",
                    "value": f"I-{idea}",
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return urlencode({"payload": json.dumps(payload)}).encode()

    def _message(self, user: str, n: int) -> bytes:
        ts = f"{int(time.time())}.{n % 1_000_000:06d}"
        return json.dumps(
            {
                "token": "x",
                "team_id": TEAM,
                "api_app_id": "A0COPBOT1",
                "type": "event_callback",
                "event_id": f"Ev{self.label}{n:08d}",
                "event_time": int(time.time()),
                "event": {
                    "type": "message",
                    "text": f"message {n}",
                    "user": user,
                    "ts": ts,
                    "channel": CHANNEL,
                    "event_ts": ts,
                    "channel_type": "channel",
                },
            }
        ).encode()


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
