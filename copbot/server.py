"""Process lifecycle for ``copbot run|serve|worker``: wires the web app and the scheduler,
and says plainly what is enabled."""

from __future__ import annotations

import logging
import threading

from aiohttp import web

from bot.container import Container, Mount
from bot.settings import Settings
from copbot.bootstrap import bootstrap, connect_platforms
from copbot.cli.failures import check_port_free
from copbot.inbox_workers import start_workers
from copbot.warm import warm_up
from copbot.web import build_app

log = logging.getLogger("copbot")


def banner(settings: Settings, *, web_on: bool, scheduler_on: bool) -> list[str]:
    lines = [f"cop-bot starting. Database: {_db_label(settings)}."]
    if web_on:
        lines.append(f"HTTP on port {settings.port}: GET /healthz.")
    if settings.slack_enabled:
        how = "Socket Mode" if settings.slack_socket_mode else "HTTP at POST /slack/events"
        oauth = " with OAuth installs at /slack/install" if settings.slack_oauth else ""
        lines.append(f"Slack: enabled over {how}{oauth}.")
    else:
        lines.append(
            "Slack: off. To enable it set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN "
            "(add SLACK_APP_TOKEN for Socket Mode); see README, 'Slack'."
        )
    if settings.microsoft_app_id:
        lines.append("Teams: enabled at POST /api/messages.")
    elif settings.copbot_teams_allow_unauthenticated:
        lines.append("Teams: LOCAL TESTING ONLY - /api/messages accepts unauthenticated traffic.")
    else:
        lines.append(
            "Teams: off. To enable it set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD; "
            "see README, 'Microsoft Teams'."
        )
    if settings.copbot_dashboard:
        lines.append(
            f"Dashboard: on; people ask for their link with `dashboard` "
            f"({settings.public_url}/dashboard/)."
        )
    else:
        lines.append(
            "Dashboard: off. To enable it set COPBOT_DASHBOARD=true, COPBOT_SECRET_KEY and "
            "COPBOT_PUBLIC_URL; see README, 'Dashboard'."
        )
    lines.append(
        "Language model: "
        + (
            "on."
            if settings.llm_enabled
            else "off (summaries use the built-in version; set OPENAI_API_KEY to enable)."
        )
    )
    if scheduler_on:
        lines.append("Scheduler: digests, nudges, pulse, tallies and retention run here.")
    lines.append("Try it without any platform: copbot chat --user you --channel general")
    return lines


def _db_label(settings: Settings) -> str:
    path = settings.sqlite_path()
    if settings.is_sqlite:
        return f"SQLite file {path}" if path else "SQLite in memory"
    return "PostgreSQL"


def platform_mounts(container: Container) -> list[Mount]:
    from copbot.dashboard import dashboard_mount
    from handlers.slack.mount import mounts as slack_mounts

    if container.settings.teams_enabled:
        from handlers.teams.mount import mounts as teams_mounts
    else:  # the route still answers (401), without loading the Bot Framework SDK
        from handlers.teams.unconfigured import mounts as teams_mounts
    return [*slack_mounts(container), *teams_mounts(container), dashboard_mount()]


def serve(settings: Settings, *, web: bool, scheduler: bool) -> int:
    if web:
        check_port_free(settings.port)  # before the banner says we serve there
    container = bootstrap(settings)
    for line in banner(settings, web_on=web, scheduler_on=scheduler):
        log.info(line)
    from digests.runtime import start_scheduler

    connect_platforms(container)
    warm_up(container)
    running = start_scheduler(container) if scheduler else None
    workers = start_workers(container) if web else None
    try:
        if web:
            app = build_app(container, platform_mounts(container))
            _run_web(app, settings)
        elif running is not None:
            _wait_forever()
        return 0
    finally:
        if workers is not None:
            workers.stop()
        if running is not None:
            running.stop()
        container.close()


def _wait_forever() -> None:
    threading.Event().wait()


def _run_web(app: web.Application, settings: Settings) -> None:
    web.run_app(app, port=settings.port, print=None, access_log=None)
