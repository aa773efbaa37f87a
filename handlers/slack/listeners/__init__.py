"""Bolt listeners, one module per group, each with ``register(app, surface)``.

Every listener acknowledges first and does the rest in the background (``surface.spawn``).
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers.slack.listeners import (
    actions,
    capture,
    channels,
    commands,
    forms,
    home,
    messages,
    shortcuts,
)
from handlers.slack.surface import SlackSurface


def register_all(app: AsyncApp, surface: SlackSurface) -> None:
    for group in (commands, forms, shortcuts, actions, capture, messages, home, channels):
        group.register(app, surface)
