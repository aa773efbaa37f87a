"""What a job needs: a unit-of-work factory and the settings.

``bot.container.Container`` fits, and so do the command handlers' ``Deps`` — so the chat
commands (``digest preview|send``) can call the same functions as the scheduler.
"""

from __future__ import annotations

from typing import Protocol

from bot.settings import Settings
from storage.uow import UnitOfWorkFactory


class JobDeps(Protocol):
    @property
    def uow(self) -> UnitOfWorkFactory: ...

    @property
    def settings(self) -> Settings: ...
