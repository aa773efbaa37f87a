"""What every service call needs to know about where it was asked from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.messages import Actor, MessageRef
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services.access import Caller


@dataclass(slots=True)
class Memo:
    """What one request has read already, so that deciding which buttons its reply shows
    (``bot.reads.visibility``) reads none of it again: the caller with their roles, and who
    owns the ideas and requests the reply names and where they live."""

    caller: Caller | None = None
    ideas: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    requests: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    language_changed: bool = False  # the request changed the caller's language (`language es`)


@dataclass(frozen=True, slots=True)
class Context:
    """One request from one person in one place, at one instant."""

    actor: Actor
    channel: str
    now: datetime
    settings: Settings
    channel_name: str | None = None
    source: MessageRef | None = None
    auto_bind: bool = False  # an unknown channel becomes a community (data imports, tests)
    direct: bool = False  # a direct chat with the bot: no channel to bind or hold items in
    extra: dict[str, str] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def timezone(self) -> ZoneInfo:
        """The caller's time zone when the platform told us, else the organisation's."""
        if self.actor.timezone:
            try:
                return ZoneInfo(self.actor.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return ZoneInfo(self.settings.copbot_timezone)
