"""What a block of code sends to the database: the statements (and parameters) the driver
receives through an engine while the block runs, for tests that count or compare them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def sent(engine: Engine | type[Engine]) -> Iterator[list[tuple[str, Any]]]:
    """(statement, parameters) of every execution on ``engine`` (on every engine when it is
    the ``Engine`` class) while the block runs."""
    out: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        out.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def statements(engine: Engine | type[Engine]) -> Iterator[list[str]]:
    """The SQL text of every execution on ``engine`` while the block runs."""
    out: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        out.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", record)
