"""Teams' place in the process: the /api/messages route on the shared web app, and the
notifier the outbox uses to reach Teams (web and worker processes alike)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from botframework.connector.auth import (  # type: ignore[import-untyped]
    ServiceClientCredentialsFactory,
)
from msrest.authentication import Authentication

from bot.clock import utcnow
from bot.container import Container, Mount
from handlers.teams.bot import CopTeamsBot
from handlers.teams.endpoint import MessagesEndpoint, add_route, make_adapter
from handlers.teams.notifier import TeamsNotifier, credentials_for

BOT = web.AppKey("teams_bot", CopTeamsBot)


def register_notifier(container: Container, *, credentials: Authentication | None = None) -> None:
    """Let the outbox reach Teams. Bootstrap calls this for worker-only processes too."""
    settings = container.settings
    if not settings.teams_enabled:
        return
    notifier = TeamsNotifier(
        uow=container.uow, credentials=credentials or credentials_for(settings)
    )
    container.notifiers.register("teams", notifier)


def teams_mount(
    *,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Mount:
    """The route. It is always there: without Teams settings it answers 401."""

    def mount(app: web.Application, container: Container) -> None:
        adapter = make_adapter(container.settings, credentials_factory=credentials_factory)
        bot = CopTeamsBot(
            runner=container.runner,
            uow=container.uow,
            notifiers=container.notifiers,
            clock=clock,
            tenants=container.settings.teams_tenants,
        )
        app[BOT] = bot
        add_route(
            app, MessagesEndpoint(settings=container.settings, adapter=adapter, on_turn=bot.on_turn)
        )

    return mount


def mounts(container: Container) -> list[Mount]:
    register_notifier(container)
    return [teams_mount()]
