"""The Teams route of a process that has no Teams settings: it refuses every request (401)
as the full endpoint would, without loading the Bot Framework SDK (about 25 MB of a Slack-only
server's memory)."""

from __future__ import annotations

from aiohttp import web

from bot.container import Container, Mount

ROUTE = "/api/messages"
REFUSAL = "Teams is not configured: set MICROSOFT_APP_ID."


async def _refuse(request: web.Request) -> web.Response:
    return web.json_response({"error": REFUSAL}, status=401)


def mounts(container: Container) -> list[Mount]:
    """``POST /api/messages`` answering 401; nothing registered for the outbox."""

    def mount(app: web.Application, container: Container) -> None:
        app.router.add_post(ROUTE, _refuse)

    return [mount]
