"""OAuth for several workspaces: Bolt's OAuth settings with slack_sdk's installation and state
stores in our own database (``handlers.slack.installations``, tables made by migration 0002)."""

from __future__ import annotations

import logging

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.settings import Settings
from handlers.slack.installations import (
    AsyncInstallations,
    AsyncStates,
    state_store,
)
from handlers.slack.installations import installation_store as sdk_installation_store

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "reactions:read",
    "users:read",
    "users:read.email",
)


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    return sdk_installation_store(client_id=settings.slack_client_id or "", engine=engine)


def oauth_settings(settings: Settings, engine: Engine) -> AsyncOAuthSettings:
    """Bolt's OAuth settings, every value from our settings (nothing read from the env)."""
    secret = settings.slack_client_secret
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=AsyncInstallations(installation_store(settings, engine)),
        state_store=AsyncStates(state_store(engine=engine, expiration_seconds=STATE_SECONDS)),
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
