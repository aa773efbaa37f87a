"""Slack's place in the process: HTTP routes on the shared web app, Socket Mode in the
background. Filled in by the Slack handler package."""

from __future__ import annotations

from bot.bootstrap import Container
from bot.web import Mount


def mounts(container: Container) -> list[Mount]:
    return []
