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

C = TypeVar("C")


def handles(
    command: type[C],
) -> Callable[[Callable[[Deps, C, Context], Reply]], Callable[[Deps, C, Context], Reply]]:
    def register(fn: Callable[[Deps, C, Context], Reply]) -> Callable[[Deps, C, Context], Reply]:
        HANDLERS[command] = fn
        return fn

    return register
