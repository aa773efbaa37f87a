"""Fixtures for the scheduled jobs: a week of activity, fixed instants, fake notifiers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.container import Container
from bot.messages import Reply
from bot.ports import Address, DeliveryError
from tests.conftest import NOW, Say

# The Monday after NOW (Wed 2026-11-18): the default digest slot, Monday 09:00 UTC.
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

WEEK = [
    ("cora", "community create design-thinking"),
    ("cora", "focal add @cora design-thinking"),
    ("ana", "idea Mentoring circles for new staff"),
    ("ana", "idea Chatbot for constituents' FAQs"),
    ("bo", "idea Paperless travel claims"),
    ("bo", "vote I-3"),
    ("ana", "vote I-3"),
    ("ana", "vote I-1"),
    ("cora", "advance I-1 development Good support in the brainstorm"),
    ("cora", "shelve I-2 The FAQ data was too scattered; curate the FAQs first"),
    ("ana", "ask How do we run a good retrospective? #facilitation"),
    ("bo", "offer R-1"),
    ("ana", "resolve R-1 @bo"),
    ("bo", "ask Who knows a good survey tool? #surveys"),
    ("ana", "feedback I-1 5 Great idea, thank you"),
    ("bo", "feedback community 4 anon Helpful sessions this month"),
    ("ana", "feedback community 2 Too many meetings"),
    ("cora", 'event add "Design sprint workshop" 2026-11-26 workshop'),
]


def play(say: Say, lines: list[tuple[str, str]], *, start: datetime = NOW) -> None:
    for i, (user, line) in enumerate(lines):
        reply = say(user, line, now=start + timedelta(minutes=i))
        assert not reply.error, (line, reply.text)


@pytest.fixture
def week(say: Say) -> None:
    """A week of activity in design-thinking (console channel), Wednesday 18 Nov 2026."""
    play(say, WEEK)


class FlakyNotifier:
    """Fails with the scripted errors first, then records like RecordingNotifier."""

    def __init__(self, *errors: DeliveryError, delay: float = 0.0) -> None:
        self.errors = list(errors)
        self.sent: list[tuple[Address, Reply]] = []
        self.calls = 0
        self.delay = delay

    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        import time

        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((address, reply))
        return f"ts-{len(self.sent)}"


@pytest.fixture
def flaky(container: Container) -> Callable[..., FlakyNotifier]:
    def install(*errors: DeliveryError, delay: float = 0.0) -> FlakyNotifier:
        notifier = FlakyNotifier(*errors, delay=delay)
        container.notifiers.register("console", notifier)
        return notifier

    return install


HELLO_ADDRESS = Address("console", "local", channel="general")


def hello() -> Reply:
    return Reply("Hello", public=True)
