"""Slack installations and OAuth states in our database (tables from migration 0002).

The tables and queries are those of slack_sdk's ``SQLAlchemyInstallationStore`` and
``SQLAlchemyOAuthStateStore``. Those classes cannot be imported here: their module imports
``sqlalchemy.ext.asyncio``, which needs the ``greenlet`` package that SQLAlchemy 2.1 no longer
installs. So this module keeps the same schema and behaviour on our synchronous engine, with
both the sync and the async store interfaces (the async ones run in a worker thread).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.state_store import OAuthStateStore
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    desc,
    select,
)

log = logging.getLogger(__name__)

_META = MetaData()


def _columns(*, user: bool) -> list[Column[Any]]:
    columns: list[Column[Any]] = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]
    if user:
        columns.append(Column("enterprise_url", String(200)))
    columns += [
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]
    if user:
        columns += [
            Column("user_id", String(32), nullable=False),
            Column("user_token", String(200)),
            Column("user_scopes", String(1000)),
            Column("user_refresh_token", String(200)),
            Column("user_token_expires_at", DateTime),
            Column("incoming_webhook_url", String(200)),
            Column("incoming_webhook_channel", String(200)),
            Column("incoming_webhook_channel_id", String(200)),
            Column("incoming_webhook_configuration_url", String(200)),
        ]
    columns += [Column("is_enterprise_install", Boolean, default=False, nullable=False)]
    if user:
        columns.append(Column("token_type", String(32)))
    columns.append(Column("installed_at", DateTime, nullable=False))
    return columns


INSTALLATIONS = Table("slack_installations", _META, *_columns(user=True))
BOTS = Table("slack_bots", _META, *_columns(user=False))
STATES = Table(
    "slack_oauth_states",
    _META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


def _naive(moment: Any) -> datetime | None:
    if moment is None:
        return None
    if isinstance(moment, int | float):
        moment = datetime.fromtimestamp(moment, UTC)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment if isinstance(moment, datetime) else None


def _row(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in data.items() if k in table.c}
    for name in ("installed_at", "bot_token_expires_at", "user_token_expires_at"):
        if name in table.c:
            row[name] = _naive(row.get(name))
    if row.get("installed_at") is None:
        row["installed_at"] = _naive(time.time())
    return row


def _entity(row: Any) -> dict[str, Any]:
    """A stored row as keyword arguments for slack_sdk's ``Bot`` or ``Installation``."""
    data = {str(k): v for k, v in dict(row).items() if k not in ("id", "client_id")}
    for name, value in list(data.items()):
        if isinstance(value, datetime):
            data[name] = value.replace(tzinfo=UTC)
    data["installed_at"] = data["installed_at"].timestamp()
    return data


class InstallationStoreDB(InstallationStore, AsyncInstallationStore):
    """Workspaces that installed the app, and their bot tokens."""

    def __init__(self, *, client_id: str, engine: Engine) -> None:
        self.client_id = client_id
        self.engine = engine

    @property
    def logger(self) -> logging.Logger:
        return log

    def _upsert(self, table: Table, data: dict[str, Any]) -> None:
        row = {**_row(table, data), "client_id": self.client_id}
        c = table.c
        with self.engine.begin() as conn:
            found = conn.scalar(
                select(c.id).where(
                    c.client_id == self.client_id,
                    c.enterprise_id == row.get("enterprise_id"),
                    c.team_id == row.get("team_id"),
                    c.installed_at == row["installed_at"],
                )
            )
            if found is None:
                conn.execute(table.insert().values(**row))
            else:
                conn.execute(table.update().where(c.id == found).values(**row))

    def save(self, installation: Installation) -> None:
        self._upsert(INSTALLATIONS, installation.to_dict())
        self.save_bot(installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        self._upsert(BOTS, bot.to_dict())

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        c = BOTS.c
        team = None if is_enterprise_install else team_id
        query = (
            select(BOTS)
            .where(
                c.client_id == self.client_id,
                c.enterprise_id == enterprise_id,
                c.team_id == team,
                c.bot_token.is_not(None),
            )
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else Bot(**_entity(row))

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        c = INSTALLATIONS.c
        team = None if is_enterprise_install else team_id
        where = [c.client_id == self.client_id, c.enterprise_id == enterprise_id, c.team_id == team]
        if user_id is not None:
            where.append(c.user_id == user_id)
        query = select(INSTALLATIONS).where(and_(*where)).order_by(desc(c.installed_at)).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        installation = Installation(**_entity(row))
        bot = self.find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is not None and installation.bot_token != bot.bot_token:
            installation.bot_id, installation.bot_user_id = bot.bot_id, bot.bot_user_id
            installation.bot_token, installation.bot_scopes = bot.bot_token, bot.bot_scopes
        return installation

    def _delete(
        self, table: Table, enterprise_id: str | None, team_id: str | None, **more: Any
    ) -> None:
        c = table.c
        where = [
            c.client_id == self.client_id,
            c.enterprise_id == enterprise_id,
            c.team_id == team_id,
        ]
        where += [c[k] == v for k, v in more.items() if v is not None]
        with self.engine.begin() as conn:
            conn.execute(table.delete().where(and_(*where)))

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(BOTS, enterprise_id, team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._delete(INSTALLATIONS, enterprise_id, team_id, user_id=user_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    # The async interface Bolt's AsyncApp uses: the same calls in a worker thread.

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            lambda: self.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            lambda: self.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        )


class StateStoreDB(OAuthStateStore, AsyncOAuthStateStore):
    """One-time ``state`` values for the OAuth redirect, valid for ``expiration_seconds``."""

    def __init__(self, *, engine: Engine, expiration_seconds: int) -> None:
        self.engine = engine
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = str(uuid4())
        expire_at = _naive(time.time() + self.expiration_seconds)
        with self.engine.begin() as conn:
            conn.execute(STATES.insert().values(state=state, expire_at=expire_at))
        return state

    def consume(self, state: str) -> bool:
        now = _naive(time.time())
        c = STATES.c
        with self.engine.begin() as conn:
            found = conn.scalar(select(c.id).where(c.state == state, c.expire_at > now).limit(1))
            if found is None:
                return False
            conn.execute(STATES.delete().where(c.id == found))
            return True

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.consume, state)
