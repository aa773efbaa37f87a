"""Race-safe inserts: ``INSERT … ON CONFLICT`` on SQLite and PostgreSQL.

Two processes inserting the same unique key at once both succeed without an error: exactly
one row is written and only its writer is told so. No savepoints are needed, so a failed
insert never spoils the surrounding transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import update as sql_update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Base


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def insert_ignore(
    session: Session, model: type[Base], values: dict[str, Any], *, unique: Sequence[str]
) -> bool:
    """Insert one row unless a row with the same ``unique`` columns exists. True if written."""
    return insert_ignore_all(session, model, [values], unique=unique) == 1


def insert_ignore_all(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], *, unique: Sequence[str]
) -> int:
    """Insert each of ``rows`` unless a row with the same ``unique`` columns exists (in the
    table, or earlier in ``rows``); returns how many were written. Many rows go as a few
    multi-row statements (SQLAlchemy's "insertmanyvalues", about a thousand rows each)."""
    if not rows:
        return 0
    name = _dialect(session)
    if name in ("sqlite", "postgresql"):
        dialect_insert = sqlite.insert if name == "sqlite" else postgresql.insert
        keys = list(sa_inspect(model).primary_key)
        statement = (
            dialect_insert(model)
            .on_conflict_do_nothing(index_elements=list(unique))
            .returning(*keys)
        )
        # The values go as parameters, not into the statement, so it is compiled once and
        # reused from the statement cache. A row comes back only when this statement wrote
        # it (rowcount is unreliable with the RETURNING that drivers add for primary keys).
        parameters: Any = rows[0] if len(rows) == 1 else list(rows)
        return len(session.connection().execute(statement, parameters).all())
    written = 0
    for values in rows:  # other databases: a savepoint keeps the transaction usable
        try:
            with session.begin_nested():
                session.execute(insert(model).values(**values))
            written += 1
        except IntegrityError:
            continue
    return written


def upsert(
    session: Session,
    model: type[Base],
    values: dict[str, Any],
    *,
    unique: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert a row, or update ``update`` columns of the row with the same ``unique`` values."""
    name = _dialect(session)
    if name in ("sqlite", "postgresql"):
        if name == "sqlite":
            lite = sqlite.insert(model).values(**values)
            session.execute(
                lite.on_conflict_do_update(
                    index_elements=list(unique),
                    set_={c: lite.excluded[c] for c in update},
                )
            )
        else:
            pg = postgresql.insert(model).values(**values)
            session.execute(
                pg.on_conflict_do_update(
                    index_elements=list(unique),
                    set_={c: pg.excluded[c] for c in update},
                )
            )
        return
    if not insert_ignore(session, model, values, unique=unique):
        columns = {c: getattr(model, c) for c in (*unique, *update)}
        where = [columns[c] == values[c] for c in unique]
        session.execute(sql_update(model).where(*where).values({c: values[c] for c in update}))
