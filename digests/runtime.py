"""The scheduler's place in the process: started by ``copbot run`` and ``copbot worker``."""

from __future__ import annotations

from typing import Protocol

from bot.bootstrap import Container


class Running(Protocol):
    def stop(self) -> None: ...


def start_scheduler(container: Container) -> Running | None:
    return None
