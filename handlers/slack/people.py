"""Who a Slack user is: name, e-mail and time zone from ``users.info``, cached for an hour.

The core links a Slack account to a person by e-mail and shows their name, so the first
contact with each user costs one ``users.info`` call, made after the request is acknowledged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Actor, Platform

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0
MAX_ENTRIES = 10_000


def actor_from_user(team: str, user: dict[str, Any]) -> Actor:
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or None
    )
    return Actor(
        platform=Platform.SLACK,
        workspace=team,
        user_id=str(user["id"]),
        display_name=str(name) if name else None,
        email=profile.get("email") or None,
        timezone=user.get("tz") or None,
        locale=user.get("locale") or None,
    )


class People:
    """An in-process cache of ``users.info`` answers per (workspace, user)."""

    def __init__(
        self,
        *,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache: TTLCache[tuple[str, str], tuple[Actor, bool]] = TTLCache(
            maxsize=max_entries, ttl=ttl, timer=clock
        )

    async def lookup(self, client: AsyncWebClient, team: str, user: str) -> tuple[Actor, bool]:
        """The actor for ``user`` and whether they are a bot (an id-only actor on failure)."""
        cached = self._cache.get((team, user))
        if cached is not None:
            return cached
        try:
            response = await client.users_info(user=user, include_locale=True)
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user, error.response.get("error"))
            return Actor(platform=Platform.SLACK, workspace=team, user_id=user), False
        data: dict[str, Any] = response.get("user") or {"id": user}
        actor = actor_from_user(team, {**data, "id": user})
        is_bot = bool(data.get("is_bot") or data.get("is_app_user"))
        self._cache[(team, user)] = (actor, is_bot)
        return actor, is_bot

    def cached(self, team: str, user: str) -> Actor | None:
        """The actor for ``user`` if ``users.info`` answered lately, without asking again."""
        found = self._cache.get((team, user))
        return None if found is None else found[0]

    async def actor(self, client: AsyncWebClient, team: str, user: str) -> Actor:
        return (await self.lookup(client, team, user))[0]

    async def names(self, client: AsyncWebClient, team: str, users: list[str]) -> dict[str, str]:
        """Display names for up to 10 mentioned users (for turning mentions into text)."""
        found: dict[str, str] = {}
        for user in users[:10]:
            actor = await self.actor(client, team, user)
            if actor.display_name:
                found[user] = actor.display_name
        return found
