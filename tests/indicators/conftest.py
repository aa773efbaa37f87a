"""Helpers for the indicator tests: replies as rows, direct inserts, a second time zone."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.container import Container
from bot.messages import Reply
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from handlers.console.chat import inbound
from storage.models import Community, Unit
from tests.conftest import NOW, Say

ZURICH = "Europe/Zurich"  # Geneva keeps Zurich time; there is no Europe/Geneva zone


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def row(reply: Reply, label: str) -> tuple[str, ...]:
    """The table row of the indicator labelled ``label``."""
    assert reply.table is not None, reply.text
    for cells in reply.table.rows:
        if cells[0] == label:
            return cells
    raise AssertionError(f"{label!r} not in {[r[0] for r in reply.table.rows]}")


def play(say: Say, lines: list[tuple[str, str]], *, start: datetime = NOW) -> None:
    for i, (user, line) in enumerate(lines):
        reply = say(user, line, now=start + timedelta(seconds=i))
        assert not reply.error, (line, reply.text)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's signature and IHDR chunk (checked by its CRC)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert crc == zlib.crc32(kind + body), "IHDR checksum"
    width, height = struct.unpack(">II", body[:8])
    assert data[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82", "no IEND chunk at the end"
    return width, height


Other = Callable[..., Reply]


@pytest.fixture
def zurich(make_settings: Callable[..., Settings]) -> Iterator[Container]:
    """A second bot on the same database, counting in Europe/Zurich."""
    built = bootstrap(make_settings(copbot_timezone=ZURICH), migrate=False)
    yield built
    built.close()


@pytest.fixture
def say_zurich(zurich: Container) -> Other:
    def run(
        user: str, line: str, *, channel: str = "design-thinking", now: datetime = NOW
    ) -> Reply:
        return zurich.runner.handle(inbound(user, channel, line), now=now, auto_bind=True)

    return run


def place(container: Container, community: str, unit: str, region: str | None) -> None:
    """Put ``community`` in ``unit`` (created if new) of ``region``."""
    with container.uow() as uow:
        s = uow.session
        found = s.query(Unit).filter_by(name=unit).one_or_none()
        if found is None:
            found = Unit(name=unit, region=region)
            s.add(found)
            s.flush()
        found.region = region
        s.execute(update(Community).where(Community.name == community).values(unit_id=found.id))
        uow.commit()
