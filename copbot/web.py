"""The aiohttp application: /healthz here; Slack and Teams mount their endpoints on it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from sqlalchemy import text

from bot.clock import utcnow
from bot.container import Container, Mount

CONTAINER = web.AppKey("container", Container)
CHECK_TIMEOUT = 2.0
_CHECKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _check(container: Container) -> dict[str, Any]:
    """Whether the database takes a write (a statement that would write, changing nothing:
    a read-only, full or locked database fails it) and how old the inbox's backlog is."""
    problems: dict[str, Any] = {}
    try:
        with container.engine.begin() as conn:
            conn.execute(text("DELETE FROM inbox WHERE id = -1"))
    except Exception as error:  # any failure to write makes the process unhealthy
        problems["database"] = type(error).__name__
    if container.inbox is not None:
        try:
            count, oldest = container.inbox.waiting()
        except Exception as error:  # the inbox itself cannot be read
            problems["inbox"] = type(error).__name__
        else:
            age = (utcnow() - oldest).total_seconds() if oldest else 0.0
            if age > container.settings.copbot_inbox_max_age:
                problems["inbox"] = f"{count} waiting, oldest {age:.0f} s"
    return problems


async def healthz(request: web.Request) -> web.Response:
    container = request.app[CONTAINER]
    loop = asyncio.get_running_loop()
    try:
        problems = await asyncio.wait_for(
            loop.run_in_executor(_CHECKS, _check, container), CHECK_TIMEOUT
        )
    except TimeoutError:
        problems = {"database": "no answer within 2 s"}
    if problems:
        return web.json_response({"ok": False, **problems}, status=503)
    return web.json_response({"ok": True})


def build_app(container: Container, mounts: list[Mount]) -> web.Application:
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[CONTAINER] = container
    app.router.add_get("/healthz", healthz)
    for mount in mounts:
        mount(app, container)
    return app
