"""Operator mistakes, each told in one line that names the problem and the fix.

The command line maps the few errors an operator causes (a busy port, a database it cannot
reach, a driver that is not installed, an output folder that does not exist) to a sentence
and exit code 2. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from bot.settings import Settings

EXIT_OPERATOR = 2


class OperatorError(Exception):
    """A mistake in how copbot was started; the message is the whole explanation."""


def where(settings: Settings) -> str:
    """The database, named without its password."""
    if settings.is_sqlite:
        path = settings.sqlite_path()
        return f"the SQLite file {path}" if path else "the in-memory SQLite database"
    url = make_url(settings.database_url)
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def explain(error: BaseException, settings: Settings) -> str | None:
    """One line for an operator mistake, or None when ``error`` is not one."""
    if isinstance(error, OperatorError):
        return str(error)
    if isinstance(error, ModuleNotFoundError) and (error.name or "").startswith("psycopg"):
        return _no_driver()
    if isinstance(error, NoSuchModuleError | ArgumentError) and "postgresql" in str(error):
        return _no_driver()
    if isinstance(error, OperationalError | InterfaceError):  # reaching it, not a bug in a query
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return (
            f"cannot use {where(settings)} ({reason}). Check DATABASE_URL, that the server is "
            "running and reachable, and that the file or database may be written."
        )
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return port_busy(settings.port)
    return None


def _no_driver() -> str:
    return (
        "DATABASE_URL names PostgreSQL but its driver, psycopg, is not installed: "
        "run `pip install 'cop-bot[postgres]'` (or `pip install 'psycopg[binary]'`)."
    )


def port_busy(port: int) -> str:
    return (
        f"port {port} is already in use by another program: stop it, or set PORT to a free "
        "port (e.g. PORT=3001)."
    )


def check_port_free(port: int) -> None:
    """Raise :class:`OperatorError` when nothing can listen on ``port`` (before saying we do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise OperatorError(port_busy(port)) from None
            raise


def check_out_folder(out: Path, *, option: str = "--out") -> None:
    """Raise :class:`OperatorError` when ``out`` would go into a folder that does not exist."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OperatorError(
            f"the folder {folder} for {option} {out} does not exist: create it first "
            f"(mkdir -p {folder}) or choose another {option}."
        )
