"""Which function answers which command. Modules register their handlers with ``@handles``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.messages import Reply
from bot.services.context import Context
from bot.settings import Settings
from storage.uow import UnitOfWorkFactory


@dataclass(slots=True)
class Deps:
    """What command handlers need: a unit-of-work factory, settings, optional extras
    (the summariser, the digest builder) that bootstrap wires."""

    uow: UnitOfWorkFactory
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Deps, Any, Context], Reply]
HANDLERS: dict[type, Handler] = {}
# Commands whose reply is posted in the channel for everyone: written in the channel's
# language (its community's), not in that of the person who typed them.
FOR_THE_CHANNEL: set[type] = set()

C = TypeVar("C")


def handles(
    command: type[C], *, for_the_channel: bool = False
) -> Callable[[Callable[[Deps, C, Context], Reply]], Callable[[Deps, C, Context], Reply]]:
    def register(fn: Callable[[Deps, C, Context], Reply]) -> Callable[[Deps, C, Context], Reply]:
        HANDLERS[command] = fn
        if for_the_channel:
            FOR_THE_CHANNEL.add(command)
        return fn

    return register
