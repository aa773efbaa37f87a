"""Who a Teams user is: their e-mail address from the team roster, looked up once and cached.

The address links a Teams account to the same person's Slack account on first contact, but
only for people of the tenants the organisation names (COPBOT_TEAMS_TENANTS, else
MICROSOFT_APP_TENANT_ID): another organisation's directory can hold any address, so an
address from there proves nothing. A failed lookup never stops a command: the person is just
not linked by e-mail this time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from cachetools import TLRUCache

from bot.messages import Actor
from handlers.teams import activity as teams

log = logging.getLogger(__name__)

ACTOR_KEY = "copbot.actor"


class Directory:
    """E-mail addresses by (tenant, user), kept for a day; failures are retried after a while."""

    def __init__(
        self,
        *,
        ttl: float = 24 * 3600,
        retry_after: float = 600,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        tenants: frozenset[str] = frozenset(),
    ) -> None:
        self._tenants = tenants

        def until(_key: tuple[str, str], value: tuple[str | None, bool], now: float) -> float:
            return now + (ttl if value[1] else retry_after)

        # (e-mail or None, whether the lookup succeeded) by (tenant, user)
        self._cache: TLRUCache[tuple[str, str], tuple[str | None, bool]] = TLRUCache(
            maxsize=max_entries, ttu=until, timer=clock
        )

    async def actor(self, turn_context: TurnContext) -> Actor:
        """The Actor behind this turn (with e-mail when Teams gives it), once per turn."""
        known = turn_context.turn_state.get(ACTOR_KEY)
        if isinstance(known, Actor):
            return known
        activity = turn_context.activity
        trusted = teams.tenant_id(activity).lower() in self._tenants
        email = await self.email(turn_context) if trusted else None
        who = teams.actor(activity, email=email)
        turn_context.turn_state[ACTOR_KEY] = who
        return who

    async def email(self, turn_context: TurnContext) -> str | None:
        activity = turn_context.activity
        sender = activity.from_property
        if sender is None or not sender.id:
            return None
        key = (teams.tenant_id(activity), teams.user_id(activity))
        cached = self._cache.get(key)
        if cached is not None:
            return cached[0]
        try:
            member = await TeamsInfo.get_member(turn_context, sender.aad_object_id or sender.id)
        except Exception as error:  # any roster failure: carry on without the address
            log.info(
                "Teams member lookup failed (%s); going on without e-mail", error, exc_info=True
            )
            self._cache[key] = (None, False)
            return None
        address = getattr(member, "email", None) or getattr(member, "user_principal_name", None)
        email = str(address).strip() if address and "@" in str(address) else None
        self._cache[key] = (email, True)
        return email
