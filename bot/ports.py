"""Ports to the outside: how the core sends messages without knowing a platform.

Each platform implements :class:`Notifier`; tests use an in-memory fake that records what
was sent. Sends are synchronous: scheduled jobs call them from the worker's threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Reply


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message goes: a channel (``channel``) or a person's direct messages (``user``);
    ``thread`` (the platform id of an earlier message there) asks for a reply in its thread."""

    platform: str  # "slack" | "teams" | "console"
    workspace: str
    channel: str | None = None
    user: str | None = None
    thread: str | None = None

    def __post_init__(self) -> None:
        if (self.channel is None) == (self.user is None):
            raise ValueError("an address names exactly one of channel or user")

    def as_dict(self) -> dict[str, str | None]:
        data = {
            "platform": self.platform,
            "workspace": self.workspace,
            "channel": self.channel,
            "user": self.user,
        }
        if self.thread is not None:
            data["thread"] = self.thread
        return data

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Address:
        return cls(
            platform=str(data["platform"]),
            workspace=str(data["workspace"]),
            channel=data.get("channel"),
            user=data.get("user"),
            thread=data.get("thread"),
        )


class DeliveryError(Exception):
    """A send failed. ``retryable`` failures are tried again later (after ``retry_after``)."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Notifier(Protocol):
    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        """Deliver ``reply``; return the platform's id for the message when it gives one.

        ``key`` is the outbox key of the message. ``uncertain`` says an earlier attempt may
        have reached the platform (it timed out, or its worker died mid-send): a notifier that
        can look the key up finds that message instead of posting a second one.
        """
        ...


class Notifiers:
    """The notifier for each platform, wired by bootstrap."""

    def __init__(self) -> None:
        self._by_platform: dict[str, Notifier] = {}

    def register(self, platform: str, notifier: Notifier) -> None:
        self._by_platform[platform] = notifier

    def get(self, platform: str) -> Notifier | None:
        return self._by_platform.get(platform)

    def platforms(self) -> list[str]:
        return sorted(self._by_platform)


class RecordingNotifier:
    """An in-memory notifier: keeps every message it was asked to send (console, tests)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Address, Reply]] = []

    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        self.sent.append((address, reply))
        return f"local-{len(self.sent)}"
