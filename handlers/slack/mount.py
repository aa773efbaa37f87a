"""Slack's place in the process: ``POST /slack/events`` (events, commands, interactivity and
options on one Request URL) and the OAuth install pages on the shared web app, or Socket Mode
in the background when ``SLACK_APP_TOKEN`` is set."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, cast

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.container import Container, Mount
from bot.settings import Settings
from handlers.slack import inbox, ingress
from handlers.slack.app import build_bolt_app
from handlers.slack.inbox_worker import InboxWorker
from handlers.slack.notifier import SlackNotifier
from handlers.slack.surface import SlackSurface

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SLACK = web.AppKey("slack", SlackSurface)
BOLT = web.AppKey("slack_bolt", AsyncApp)
SESSION = web.AppKey("slack_session", aiohttp.ClientSession)
WORKER = web.AppKey("slack_inbox_worker", InboxWorker)
WORKER_TASK = web.AppKey("slack_inbox_worker_task", asyncio.Task[None])


@dataclass(slots=True)
class SocketMode:
    handler: AsyncSocketModeHandler
    task: asyncio.Task[None]


SOCKET = web.AppKey("slack_socket", SocketMode)


def enabled(settings: Settings) -> bool:
    """Slack is on with a signing secret and a bot token, or OAuth's client id and secret
    (the same rule as the start-up banner's)."""
    if not settings.slack_enabled:
        return False
    if settings.slack_bot_token is None and not settings.slack_oauth:
        log.warning(
            "Slack stays off: SLACK_CLIENT_ID needs SLACK_CLIENT_SECRET (or set SLACK_BOT_TOKEN)."
        )
        return False
    return True


def register_notifier(container: Container) -> bool:
    """Register the Slack notifier for scheduled sends (also for a worker without the web app)."""
    if not enabled(container.settings):
        return False
    container.notifiers.register("slack", SlackNotifier(container.settings, container.engine))
    return True


def mounts(container: Container) -> list[Mount]:
    """The Slack routes when Slack is configured (and its notifier, registered on the way)."""
    if not register_notifier(container):
        return []
    return [mount]


def mount(app: web.Application, container: Container) -> None:
    surface = SlackSurface(container)
    bolt = build_bolt_app(container, surface)
    app[SLACK] = surface
    app[BOLT] = bolt
    if container.inbox is not None and not container.inbox_workers_elsewhere:
        # No separate inbox workers: this process works through the inbox itself.
        worker = InboxWorker(
            store=container.inbox,
            bolt=build_bolt_app(container, surface, process_before_response=True),
            give_up=container.settings.copbot_inbox_give_up,
        )
        app[WORKER] = worker
        surface.backlog = worker.drain

    writer = inbox.Writer(container.inbox) if container.inbox is not None else None
    secret = container.settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret else ""

    async def dispatch(request: web.Request) -> web.Response:
        try:
            verified = await accept(request, signing_secret)
        except ingress.Refused as error:
            return web.Response(status=error.status, text=error.reason)
        if writer is None or inbox.needs_bolt(verified):
            bolt_request = AsyncBoltRequest(
                body=verified.text, query=request.query_string, headers=dict(request.headers)
            )
            return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))
        response = await inbox.store(writer, verified, request.headers)
        if WORKER in app:
            app[WORKER].wake.set()
        return response

    if not container.settings.slack_socket_mode:
        app.router.add_post(EVENTS_PATH, dispatch)
    flow = bolt.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request))
            )

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request))
            )

        app.router.add_get(flow.install_path, install)
        app.router.add_get(flow.redirect_uri_path, redirect)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)


async def accept(request: web.Request, secret: str) -> ingress.Verified:
    """The signed, parsed body of ``request``, or :class:`ingress.Refused` (logged once)."""
    raw = b""
    try:
        raw = await request.read()
        ingress.verify(
            raw,
            timestamp=request.headers.get("X-Slack-Request-Timestamp"),
            signature=request.headers.get("X-Slack-Signature"),
            secret=secret,
            now=None,
        )
        return ingress.parse(raw, request.headers.get("Content-Type", ""))
    except ingress.Refused as error:
        retry = request.headers.get("X-Slack-Retry-Num")
        log.warning(ingress.refusal_line(error, size=len(raw), retry=retry))
        raise


async def _connect(handler: AsyncSocketModeHandler) -> None:
    try:
        await cast(Any, handler).connect_async()
        log.info("Slack Socket Mode connected.")
    except Exception:
        log.exception("Slack Socket Mode could not connect")


async def _start(app: web.Application) -> None:
    bolt = app[BOLT]
    session = aiohttp.ClientSession()
    app[SESSION] = session
    bolt.client.session = session
    if WORKER in app:
        app[WORKER].bolt.client.session = session
        app[WORKER_TASK] = asyncio.get_running_loop().create_task(app[WORKER].run())
    settings = app[SLACK].settings
    if settings.slack_app_token is not None:
        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        task = asyncio.get_running_loop().create_task(_connect(handler))
        app[SOCKET] = SocketMode(handler, task)


async def _stop(app: web.Application) -> None:
    await app[SLACK].drain()
    if WORKER in app:
        await app[WORKER].stop()
        await app[WORKER_TASK]
    if SOCKET in app:
        app[SOCKET].task.cancel()
        await cast(Any, app[SOCKET].handler).close_async()
    await app[SESSION].close()


async def work_inbox(container: Container, stop: asyncio.Event) -> None:
    """An inbox worker process's main loop: replay stored Slack requests until ``stop``."""
    if container.inbox is None or not enabled(container.settings):
        await stop.wait()
        return
    surface = SlackSurface(container)
    bolt = build_bolt_app(container, surface, process_before_response=True)
    worker = InboxWorker(
        store=container.inbox, bolt=bolt, give_up=container.settings.copbot_inbox_give_up
    )
    async with aiohttp.ClientSession() as session:
        bolt.client.session = session
        task = asyncio.get_running_loop().create_task(worker.run())
        await stop.wait()
        await worker.stop()
        await task
        await surface.drain()
