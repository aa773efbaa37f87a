"""The Bolt app: built from our settings (nothing read from the environment), with every
listener registered and one global error handler that logs with the traceback."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.container import Container
from handlers.slack import stores
from handlers.slack.client import async_client, bot_token
from handlers.slack.listeners import register_all
from handlers.slack.surface import SlackSurface
from handlers.slack.work import CURRENT

log = logging.getLogger(__name__)


def build_bolt_app(
    container: Container, surface: SlackSurface, *, process_before_response: bool = False
) -> AsyncApp:
    """The app that answers Slack (acknowledging first), or with ``process_before_response``
    the one the inbox workers replay stored requests through (it returns when done)."""
    settings = container.settings
    secret = settings.slack_signing_secret
    oauth = stores.oauth_settings(settings, container.engine) if settings.slack_oauth else None
    app = AsyncApp(
        name="cop-bot",
        logger=logging.getLogger("copbot.slack.bolt"),
        signing_secret=secret.get_secret_value() if secret else "",
        client=async_client(settings, token=bot_token(settings)),
        oauth_settings=oauth,
        process_before_response=process_before_response,
        # /slack/events verifies the signature on the raw bytes before parsing
        # (handlers/slack/ingress.py); Socket Mode needs none.
        request_verification_enabled=False,
    )

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        current = CURRENT.get()
        if current is not None:
            current.errors.append(error)  # the inbox worker decides: retry or tell
        log.error("Slack listener failed on a %r request", body.get("type"), exc_info=error)

    if oauth is not None:
        # app_uninstalled and tokens_revoked delete the workspace's stored tokens.
        app.enable_token_revocation_listeners()
    register_all(app, surface)
    return app
