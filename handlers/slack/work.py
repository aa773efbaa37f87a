"""One inbox request being worked on: the background tasks its listeners spawned, the
failures they met, and the idempotency key of each call into the core.

The key of the n-th core call of a request is ``<inbox key>#n``: a request retried after a
failure repeats none of the calls that were committed before it, and makes the others.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Work:
    key: str
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    calls: int = 0
    language: str | None = None  # the language the person was answered in, once known

    def next_key(self) -> str:
        self.calls += 1
        return f"{self.key}#{self.calls}"

    async def settle(self) -> None:
        """Wait for every task spawned for this request, including tasks they spawn."""
        waited = 0
        while waited < len(self.tasks):
            pending = self.tasks[waited:]
            waited = len(self.tasks)
            await asyncio.gather(*pending, return_exceptions=True)


CURRENT: ContextVar[Work | None] = ContextVar("copbot_slack_work", default=None)
