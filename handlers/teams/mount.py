"""Teams' place in the process: the /api/messages route on the shared web app."""

from __future__ import annotations

from bot.bootstrap import Container
from bot.web import Mount


def mounts(container: Container) -> list[Mount]:
    return []
