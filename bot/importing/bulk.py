"""Inserting hundreds of thousands of rows quickly: one driver-level ``executemany``.

SQLAlchemy's Core insert prepares every parameter set in Python (several microseconds a row);
here the column types' own bind processors run once per distinct value (a few hundred days,
one timestamp) and the driver gets plain tuples. Used for the import's counts only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from storage.models import Base


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def insert_rows(
    session: Session,
    table: Table,
    *,
    constants: Mapping[str, Any],
    columns: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """INSERT ``rows`` (values for ``columns``), each with the same ``constants``."""
    conn = session.connection()
    dialect = conn.dialect
    names = (*constants, *columns)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    preparer = dialect.identifier_preparer
    sql = (
        f"INSERT INTO {preparer.format_table(table)} "
        f"({', '.join(preparer.quote(n) for n in names)}) "
        f"VALUES ({', '.join([mark] * len(names))})"
    )

    def processor(name: str) -> Callable[[Any], Any]:
        process = table.c[name].type._cached_bind_processor(dialect)
        if process is None:
            return lambda value: value
        seen: dict[Any, Any] = {}

        def once(value: Any) -> Any:
            if value not in seen:
                seen[value] = process(value)
            return seen[value]

        return once

    fixed = tuple(processor(n)(v) for n, v in constants.items())
    processors = [processor(n) for n in columns]
    params = [fixed + tuple(p(v) for p, v in zip(processors, row, strict=True)) for row in rows]
    if params:
        conn.exec_driver_sql(sql, params)
