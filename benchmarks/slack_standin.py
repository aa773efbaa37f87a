"""A light stand-in for the Slack Web API, for the load benchmarks.

Slack is remote: the CPU it spends answering is not the bot's. The tests' fake
(``tests.fakes.slack_api``) records every call, validates every Block Kit payload and opens
a connection and a thread per request; on a 2-core machine it would take CPU from the bot it
measures. This one answers from one aiohttp event loop over kept-alive connections with the
fields the bot reads (``ok``, ``ts``, ``permalink``, ``user`` …), counts calls per method
and checks nothing. The tests keep using the full fake.
"""

from __future__ import annotations

import itertools
import json
import resource
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

TEAM = "T111"
BOT_USER = "U0BOT0001"
BOT_ID = "B0BOT0001"


class Standin:
    """The Web API at ``/api/<method>`` and response URLs at ``/response/…``."""

    def __init__(self, *, team: str = TEAM, users: dict[str, dict[str, Any]] | None = None):
        self.team = team
        self.users = users or {}
        self.calls: Counter[str] = Counter()
        self._ts = itertools.count(1)

    def user(self, user_id: str, name: str, email: str) -> None:
        handle = email.split("@")[0]
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team,
            "name": handle,
            "real_name": name,
            "tz": "UTC",
            "is_bot": False,
            "is_app_user": False,
            "profile": {"real_name": name, "display_name": handle, "email": email},
        }

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls[method] += 1
        channel = str(params.get("channel") or "")
        if method == "auth.test":
            return {
                "url": "https://bench.slack.com/",
                "team": "bench",
                "team_id": self.team,
                "user": "copbot",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = str(params.get("user") or "")
            found = self.users.get(user)
            if found is None:
                return {"ok": False, "error": "user_not_found"}
            return {"user": found}
        if method == "chat.postMessage":
            return {"channel": channel, "ts": self._next_ts()}
        if method == "chat.postEphemeral":
            return {"message_ts": self._next_ts()}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts") or "").replace(".", "")
            return {"channel": channel, "permalink": f"https://bench.slack.com/archives/p{ts}"}
        if method in ("views.open", "views.update", "views.publish"):
            return {"view": {"id": str(params.get("view_id") or f"V{next(self._ts)}")}}
        if method == "conversations.members":
            return {"members": [*self.users, BOT_USER], "response_metadata": {"next_cursor": ""}}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(params.get("users") or "U")[1:]}}
        if method in ("conversations.history", "conversations.replies"):
            return {"messages": [], "has_more": False}
        return {}

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(json.loads(raw or "{}"))
        else:
            params.update(parse_qsl(raw, keep_blank_values=True))
        answer = self.answer(method, params)
        if answer.get("ok") is False:
            return web.json_response(answer)
        return web.json_response({"ok": True, **answer})

    async def response_url(self, request: web.Request) -> web.Response:
        await request.read()
        self.calls["response_url"] += 1
        return web.Response(text="ok", content_type="text/html")

    async def stats(self, request: web.Request) -> web.Response:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return web.json_response(
            {"calls": dict(self.calls), "cpu_seconds": usage.ru_utime + usage.ru_stime}
        )

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self.api)
        app.router.add_get("/api/{method}", self.api)
        app.router.add_post("/response/{path:.*}", self.response_url)
        app.router.add_get("/stats", self.stats)
        return app


def serve(standin: Standin, port: int) -> None:
    """Run until the process is stopped (the benchmarks start it in its own process)."""
    web.run_app(standin.app(), host="127.0.0.1", port=port, print=None, access_log=None)
