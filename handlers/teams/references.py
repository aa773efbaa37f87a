"""Conversation references, stored on every inbound activity so the outbox can reach Teams
channels and people later. An unchanged reference is rewritten at most once an hour."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from cachetools import TTLCache

from bot.messages import Actor
from bot.services import conversations
from handlers.teams import activity as teams
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

PLATFORM = "teams"


class ReferenceBook:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime],
        refresh: float = 3600,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._clock = clock
        # the fingerprint of the reference last stored, by (tenant, key), for ``refresh`` seconds
        self._seen: TTLCache[tuple[str, str], str] = TTLCache(
            maxsize=50_000, ttl=refresh, timer=monotonic
        )

    async def remember(self, turn_context: TurnContext, who: Actor | None) -> None:
        """Store the reference of this turn's conversation (``who``: the person in a 1:1 chat)."""
        activity = turn_context.activity
        if activity.conversation is None or not activity.service_url:
            return
        await self.store(
            workspace=teams.tenant_id(activity),
            key=teams.reference_key(activity),
            reference=teams.reference(activity),
            who=who,
        )

    async def store(
        self, *, workspace: str, key: str, reference: dict[str, Any], who: Actor | None
    ) -> None:
        fingerprint = json.dumps([reference, who.user_id if who else None], sort_keys=True)
        if self._seen.get((workspace, key)) == fingerprint:
            return
        try:
            await asyncio.to_thread(
                conversations.remember,
                self._uow,
                platform=PLATFORM,
                workspace=workspace,
                key=key,
                reference=reference,
                now=self._clock(),
                actor=who,
            )
        except Exception:  # a reference not stored must not cost the person their command
            log.exception("Could not store the Teams conversation reference %s", key)
            return
        self._seen[(workspace, key)] = fingerprint

    async def forget(self, turn_context: TurnContext) -> None:
        """The app was removed from this conversation: its reference is no use any more."""
        activity = turn_context.activity
        workspace, key = teams.tenant_id(activity), teams.reference_key(activity)
        self._seen.pop((workspace, key), None)
        await asyncio.to_thread(
            conversations.forget, self._uow(), platform=PLATFORM, workspace=workspace, key=key
        )
