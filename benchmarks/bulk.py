"""Participation rows by the million, for the benchmarks' stores.

The bot writes participation one message at a time, and triggers keep ``participation_days``
in step (``storage.models.participation_days``). Loading ten million rows that way would
take the benchmark longer than what it measures, so :class:`ParticipationLoad` does what a
bulk load does: the triggers and the secondary indexes are set aside, the rows go in through
the driver (``executemany`` of plain tuples on SQLite, ``COPY`` on PostgreSQL), then the
indexes are built once and the daily totals computed once, and the triggers come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, text

from storage.models.participation_days import (
    PG_TRIGGER,
    REBUILD,
    create_statements,
    drop_statements,
)

Row = tuple[int, int, date, int]  # community id, person id, day, messages
COLUMNS = "community_id, person_id, day, messages"


class ParticipationLoad:
    """``with ParticipationLoad(engine) as load: load.add(rows)``: rows need not be sorted and
    may come in as many calls as suit the caller's memory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.indexes: list[str] = []
        self.conn: Connection | None = None

    def __enter__(self) -> ParticipationLoad:
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                found = conn.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = 'participation' AND sql IS NOT NULL"
                    )
                ).all()
                for statement in drop_statements("sqlite"):
                    conn.exec_driver_sql(statement)
            else:
                found = conn.execute(
                    text(
                        "SELECT indexname, indexdef FROM pg_indexes "
                        "WHERE tablename = 'participation' AND schemaname = current_schema() "
                        "AND indexname LIKE 'ix_%'"
                    )
                ).all()
                conn.exec_driver_sql(f"ALTER TABLE participation DISABLE TRIGGER {PG_TRIGGER}")
            for name, definition in found:
                conn.exec_driver_sql(f"DROP INDEX {name}")
                self.indexes.append(definition)
        return self

    def add(self, rows: Sequence[Row]) -> None:
        """Write ``rows`` and commit them."""
        conn = self._conn()
        driver: Any = conn.connection.driver_connection
        with conn.begin():  # committed through the driver at the end of the block
            if self.dialect == "sqlite":
                cursor = driver.cursor()
                cursor.executemany(
                    f"INSERT INTO participation ({COLUMNS}) VALUES (?, ?, ?, ?)",
                    [(c, p, d.isoformat(), n) for c, p, d, n in rows],
                )
                cursor.close()
                return
            with (
                driver.cursor() as cursor,
                cursor.copy(f"COPY participation ({COLUMNS}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

    def _conn(self) -> Connection:
        """One connection for the whole load; on SQLite (a scratch file) without fsync or
        foreign-key lookups, and with a page cache that holds the unique index."""
        if self.conn is None:
            self.conn = self.engine.connect()
            if self.dialect == "sqlite":
                self.conn.exec_driver_sql("PRAGMA synchronous=OFF")
                self.conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # ids made by the caller
                self.conn.exec_driver_sql("PRAGMA cache_size=-1000000")
                self.conn.commit()
        return self.conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        conn = self._conn()
        for definition in self.indexes:
            conn.exec_driver_sql(definition)
        for statement in REBUILD:
            conn.exec_driver_sql(statement)
        if self.dialect == "sqlite":
            for statement in create_statements("sqlite"):
                conn.exec_driver_sql(statement)
        else:
            conn.exec_driver_sql(f"ALTER TABLE participation ENABLE TRIGGER {PG_TRIGGER}")
        conn.commit()
        if self.dialect == "sqlite":  # the bot's settings, before the pool hands it out again
            conn.exec_driver_sql("PRAGMA cache_size=-2000")
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
            conn.commit()
        conn.close()
