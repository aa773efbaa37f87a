"""Time logs: a calendar day holds at most 24 logged hours, also when two logs arrive at once."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.container import Container
from bot.services import events
from storage.models import TimeLog
from tests.conftest import NOW, Say


def _logged(container: Container) -> float:
    with container.uow() as uow:
        return float(uow.session.scalar(select(func.coalesce(func.sum(TimeLog.hours), 0))) or 0)


def test_two_full_days_sent_at_once_store_one(
    container: Container, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    say("ana", "log 1h")  # ana exists before the two requests race
    # Both requests read the day's sum before either writes, unless the first holds ana's row:
    # then the second waits for it, the barrier gives up after a second, and it reads 24 h.
    meet = threading.Barrier(2, timeout=1.0)
    within = events._within_the_day

    def read_together(*args: Any, **kwargs: Any) -> None:
        within(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait()

    monkeypatch.setattr(events, "_within_the_day", read_together)
    replies: list[str] = []
    next_day = NOW + timedelta(days=1)

    def send() -> None:
        replies.append(say("ana", "log 24h", now=next_day).text)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert _logged(container) == 25.0
    assert sum("a day takes at most 24 hours" in r for r in replies) == 1
