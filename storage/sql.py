"""SQL that SQLAlchemy does not spell the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Float, Integer, Text, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class _Ids(TypeDecorator[list[int]]):
    """A list of ids as one parameter: a JSON array on SQLite, an integer array elsewhere."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(ARRAY(Integer()))

    def process_bind_param(self, value: list[int] | None, dialect: Dialect) -> Any:
        ids = sorted(set(value or ()))
        return json.dumps(ids) if dialect.name == "sqlite" else ids


class _Among(FunctionElement[bool]):
    type = Boolean()
    inherit_cache = True
    name = "among"
    _is_implicitly_boolean = True  # a condition in itself: no "= 1" after it on SQLite


def among(column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids`` for any number of ids, with one parameter: the statement is compiled
    once (its cache key does not depend on how many ids there are), and no list is cut into
    chunks to stay under the driver's limit on parameters."""
    return _Among(column, bindparam(None, list(ids), type_=_Ids()))


@compiles(_Among)
def _among_default(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"{column} = ANY(CAST({ids} AS INTEGER[]))"


@compiles(_Among, "sqlite")
def _among_sqlite(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


class hours_between(FunctionElement[float]):
    """``hours_between(start, end)``: the hours from ``start`` to ``end`` as a float, computed
    by the database, so that a median over many rows never parses timestamps in Python."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_between_default(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"
