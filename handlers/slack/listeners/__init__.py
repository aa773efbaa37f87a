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
    # Bolt tries listeners in the order they were registered and runs the first that
    # matches; no two of ours match the same request, so the busiest (commands, channel
    # messages, buttons) go first and most requests are matched at the first tries.
    for group in (commands, messages, actions, forms, shortcuts, capture, home, channels):
        group.register(app, surface)
