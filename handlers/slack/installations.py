"""Slack installations and OAuth states: slack_sdk's own SQLAlchemy stores on our engine.

The tables come from migration 0002 and are exactly the stores' default tables
(``slack_installations``, ``slack_bots``, ``slack_oauth_states``), so installs saved before
keep working. The stores are synchronous; Bolt's ``AsyncApp`` wants the async interface, so
:class:`AsyncInstallations` and :class:`AsyncStates` run each call in a worker thread.
(slack_sdk's module imports ``sqlalchemy.ext.asyncio``, hence the ``greenlet`` dependency.)
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

log = logging.getLogger(__name__)


def installation_store(*, client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)


def state_store(*, engine: Engine, expiration_seconds: int) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=expiration_seconds, engine=engine, logger=log
    )


class AsyncInstallations(AsyncInstallationStore):  # type: ignore[misc]
    """The synchronous store behind the async interface (each call in a worker thread)."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found: Bot | None = await asyncio.to_thread(
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )
        return found

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found: Installation | None = await asyncio.to_thread(
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )
        return found

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self.store.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        log.info("Slack app uninstalled from %s: its tokens are deleted", team_id or enterprise_id)
        await asyncio.to_thread(
            lambda: self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        )


class AsyncStates(AsyncOAuthStateStore):  # type: ignore[misc]
    """One-time ``state`` values for the OAuth redirect, through the synchronous store."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        issued: str = await asyncio.to_thread(self.store.issue)
        return issued

    async def async_consume(self, state: str) -> bool:
        consumed: bool = await asyncio.to_thread(self.store.consume, state)
        return consumed
