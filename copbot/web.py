"""The aiohttp application: /healthz here; Slack and Teams mount their endpoints on it."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from bot.container import Container, Mount

CONTAINER = web.AppKey("container", Container)


async def healthz(request: web.Request) -> web.Response:
    container = request.app[CONTAINER]
    try:
        with container.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # the check reports any database failure as unhealthy
        return web.json_response({"ok": False, "database": type(error).__name__}, status=503)
    return web.json_response({"ok": True})


def build_app(container: Container, mounts: list[Mount]) -> web.Application:
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[CONTAINER] = container
    app.router.add_get("/healthz", healthz)
    for mount in mounts:
        mount(app, container)
    return app
