"""Messages per community and day: the sum of ``participation``, kept by the database.

``participation`` has one row per person, community and day, so a quarter of a large
organisation is millions of rows; what ``stats``, the digests and the activity pages add up
is their sum per community and day. ``participation_days`` holds that sum. Triggers on
``participation`` keep it in step on every insert, update and delete (including the deletes
a community's removal cascades to), so whatever writes participation (counting, the import,
retention, a test) keeps it right without knowing of it. A day whose total falls to zero by
deletion is removed. Nothing else writes the table.

The same statements serve the migration that creates the table (0010) and
``Base.metadata.create_all``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, Index, event
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ParticipationDay(Base):
    """Messages posted in one community's bound channels on one day."""

    __tablename__ = "participation_days"
    __table_args__ = (
        Index("ix_participation_days_community_day", "community_id", "day"),
        {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    messages: Mapped[int] = mapped_column(default=0)


_ADD = (  # add n to (community, day), creating the row the first time
    "INSERT INTO participation_days (day, community_id, messages) VALUES ({d}, {c}, {n}) "
    "ON CONFLICT (day, community_id) DO UPDATE "
    "SET messages = participation_days.messages + excluded.messages"
)
_TAKE = (  # take n from (community, day); a total that reaches zero goes
    "UPDATE participation_days SET messages = messages - {n} "
    "WHERE day = {d} AND community_id = {c}; "
    "DELETE FROM participation_days WHERE day = {d} AND community_id = {c} AND messages = 0"
)
_SAME_DAY = "old.community_id = new.community_id AND old.day = new.day"
_NEW = {"c": "new.community_id", "d": "new.day", "n": "new.messages"}
_OLD = {"c": "old.community_id", "d": "old.day", "n": "old.messages"}
_UPDATED = "AFTER UPDATE OF community_id, day, messages ON participation"

SQLITE_TRIGGERS: dict[str, str] = {
    "participation_days_ai": f"AFTER INSERT ON participation BEGIN {_ADD.format(**_NEW)}; END",
    "participation_days_ad": f"AFTER DELETE ON participation BEGIN {_TAKE.format(**_OLD)}; END",
    # A count going up, the usual update: one statement on the day's row.
    "participation_days_au": f"{_UPDATED} WHEN {_SAME_DAY} BEGIN "
    f"{_ADD.format(**{**_NEW, 'n': 'new.messages - old.messages'})}; END",
    "participation_days_am": f"{_UPDATED} WHEN NOT ({_SAME_DAY}) BEGIN "
    f"{_TAKE.format(**_OLD)}; {_ADD.format(**_NEW)}; END",
}

PG_TRIGGER = "participation_days_sync"
PG_STATEMENTS: tuple[str, ...] = (
    f"""CREATE FUNCTION {PG_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {_SAME_DAY} THEN
        {_ADD.format(**{**_NEW, "n": "new.messages - old.messages"})};
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_TAKE.format(**_OLD)};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {_ADD.format(**_NEW)};
    END IF;
    RETURN NULL;
END
$$""",
    f"CREATE TRIGGER {PG_TRIGGER} "
    "AFTER INSERT OR DELETE OR UPDATE OF community_id, day, messages ON participation "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_TRIGGER}()",
)

REBUILD: tuple[str, ...] = (
    "DELETE FROM participation_days",
    "INSERT INTO participation_days (day, community_id, messages) "
    "SELECT day, community_id, SUM(messages) FROM participation GROUP BY day, community_id",
)


def create_statements(dialect: str) -> list[str]:
    """What keeps the table in step on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    return list(PG_STATEMENTS)


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    return [
        f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON participation",
        f"DROP FUNCTION IF EXISTS {PG_TRIGGER}()",
    ]


def _after_create(target: Any, connection: Any, **_: Any) -> None:
    """``create_all`` (tests that build the schema from the models) installs the triggers once
    every table exists."""
    if ParticipationDay.__tablename__ in target.tables:
        for statement in create_statements(connection.dialect.name):
            connection.exec_driver_sql(statement)


event.listen(Base.metadata, "after_create", _after_create)
