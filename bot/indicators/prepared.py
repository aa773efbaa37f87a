"""Indicator statements as SQL text, compiled once per statement and database dialect.

An indicator statement is built once per kind of scope and run with each computation's
parameters. Run as a Core statement, each execution still costs SQLAlchemy's statement-cache
lookup (hashing the statement's whole cache key), the expansion of its ``IN`` lists and the
processing of every parameter: for a small scope, as much as the SQL of the cheaper
figures. Here that work is done once: the statement is compiled for the dialect, its
constant ``IN`` lists expanded and their values processed; an execution fills in the
computation's parameters (through the same bind processors) and sends the text on the
session's connection (``exec_driver_sql``: same transaction, same events).

A statement whose result columns need processing that depends on the driver's description
of the result (PostgreSQL's NUMERIC, for one) is not prepared: it runs as a Core statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, CursorResult, Dialect
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import BindParameter

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Prepared:
    sql: str
    order: tuple[str, ...] | None  # positional paramstyle: the parameters' names in order
    fixed: Mapping[str, Any]  # the constants, processed
    runtime: tuple[tuple[str, Processor | None], ...]  # names filled at each execution

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> CursorResult[Any]:
        values = dict(self.fixed)
        for name, process in self.runtime:
            values[name] = params[name] if process is None else process(params[name])
        if self.order is None:
            return conn.exec_driver_sql(self.sql, values)
        return conn.exec_driver_sql(self.sql, tuple(values[name] for name in self.order))


def prepare(
    statement: Select[Any], dialect: Dialect, runtime_names: frozenset[str]
) -> Prepared | None:
    """``statement`` compiled for ``dialect``, or None when it must run as a Core statement.
    ``runtime_names`` are the parameters each execution gives; the others are constants."""
    for column in statement.selected_columns:
        try:
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                return None
        except (TypeError, ValueError):  # the processor needs the driver's column type
            return None
    compiled = statement.compile(dialect=dialect)
    state = compiled.construct_expanded_state(dict.fromkeys(runtime_names & set(compiled.binds)))
    expanded = {name for names in state.parameter_expansion.values() for name in names}
    fixed, runtime = {}, []
    for name, value in state.parameters.items():
        # an expanded IN list's values have their processors in the state; others, their type's
        process: Processor | None = (
            state.processors.get(name)
            if name in expanded
            else _bind_processor(compiled.binds[name], dialect)
        )
        if name in runtime_names:
            runtime.append((name, process))
        else:
            fixed[name] = value if process is None else process(value)
    order = None if state.positiontup is None else tuple(state.positiontup)
    return Prepared(state.statement, order, fixed, tuple(runtime))


def _bind_processor(bind: BindParameter[Any], dialect: Dialect) -> Processor | None:
    return bind.type.dialect_impl(dialect).bind_processor(dialect)


_PREPARED: dict[tuple[int, str, str], tuple[Select[Any], Prepared | None]] = {}
_MAX_PREPARED = 1000  # far more than there are indicator statements: a guard, not a policy


def prepared(
    statement: Select[Any], dialect: Dialect, runtime_names: frozenset[str]
) -> Prepared | None:
    """``statement`` prepared for ``dialect`` once per process. Indicator statements are
    built once and kept; each entry holds its statement, so an id is never taken for
    another's."""
    key = (id(statement), dialect.name, dialect.driver)
    found = _PREPARED.get(key)
    if found is None or found[0] is not statement:
        if len(_PREPARED) >= _MAX_PREPARED:
            _PREPARED.clear()
        found = (statement, prepare(statement, dialect, runtime_names))
        _PREPARED[key] = found
    return found[1]
