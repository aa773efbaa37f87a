"""Which database failures are worth waiting out (a lock, a lost connection, a read-only
or unreachable server) and which are final."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def is_transient(error: BaseException) -> bool:
    """True for failures that a later attempt may not meet."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OperationalError | InterfaceError | PoolTimeout):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def is_conflict(error: BaseException) -> bool:
    """A unique key taken by a concurrent request (two first requests of one person): a later
    attempt finds the winner's row."""
    return isinstance(error, IntegrityError)
