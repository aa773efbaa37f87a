"""What the composition root (``copbot.bootstrap``) hands to the platforms and the jobs: the
wired parts of one process, and the shape of a platform's mount on the web app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy import Engine

from bot.commands import Runner
from bot.ports import Notifiers
from bot.settings import Settings
from storage.inbox import InboxStore
from storage.uow import UnitOfWorkFactory


@dataclass(slots=True)
class Container:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    runner: Runner
    notifiers: Notifiers
    extras: dict[str, Any] = field(default_factory=dict)
    inbox: InboxStore | None = None
    # True when separate ``copbot inbox-worker`` processes work through the inbox; the web
    # process then only stores and acknowledges.
    inbox_workers_elsewhere: bool = False

    def close(self) -> None:
        if self.inbox is not None:
            self.inbox.close()
        self.engine.dispose()


Mount = Callable[[web.Application, Container], None]
"""How a platform attaches its endpoints (and background tasks) to the shared web app."""
