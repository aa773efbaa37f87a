"""The one place that wires things: settings → engine → unit of work → command runner, then
the notifiers of the platforms the settings enable."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.commands import Runner
from bot.container import Container
from bot.ports import Notifiers, RecordingNotifier
from bot.settings import Settings
from copbot.cli.failures import OperatorError
from handlers.console.files import FILES_DIR, Mailbox
from handlers.console.notifier import ConsoleNotifier
from storage.db import make_engine, make_session_factory
from storage.inbox import InboxStore, make_inbox_engine
from storage.migrate import current, head, upgrade
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class SchemaOutOfDate(Exception):
    """The database is behind the code's migrations; the message says how to upgrade."""


def prepare_database(settings: Settings) -> None:
    """SQLite (the embedded default) migrates itself; PostgreSQL must already be at head."""
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None and path.parent != path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise OperatorError(
                    f"cannot create the folder {path.parent} for the SQLite database "
                    f"({error.strerror}): check DATABASE_URL, or create the folder and let "
                    "copbot write there."
                ) from None
        upgrade(settings.database_url)
        return
    at, want = current(settings.database_url), head()
    if at != want:
        raise SchemaOutOfDate(
            f"The database schema is at {at or 'nothing'}, the code needs {want}: "
            "run `copbot db upgrade` (the release process does this)."
        )


def connect_platforms(container: Container, *, console_files: Path = FILES_DIR) -> list[str]:
    """Register the Slack and Teams notifiers that the settings enable, and the console's
    mailbox in ``console_files``, so scheduled sends reach them from any process (web,
    worker, or a one-off CLI run)."""
    from handlers.slack.mount import register_notifier as slack_notifier

    slack_notifier(container)
    if container.settings.teams_enabled:  # the Bot Framework SDK only where it is used
        from handlers.teams.mount import register_notifier as teams_notifier

        teams_notifier(container)
    connect_console(container, console_files)
    return container.notifiers.platforms()


def connect_console(container: Container, folder: Path) -> ConsoleNotifier:
    """Messages for console people and channels go to the console's mailbox in ``folder``."""
    notifier = ConsoleNotifier(Mailbox(folder), command=container.settings.copbot_slash_command)
    container.notifiers.register("console", notifier)
    return notifier


def one_blas_thread() -> None:
    """Matrix products (the vector scan of search and similar ideas) on one thread per
    process. OpenBLAS would otherwise start a thread per core that spins while it waits: on
    a small machine running a web process and inbox workers, the scan of 100,000 vectors
    cost twice the CPU for no gain in time."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def bootstrap(settings: Settings, *, migrate: bool = True) -> Container:
    import digests.commands  # noqa: F401  (registers `digest preview|send`)

    one_blas_thread()

    if migrate:
        prepare_database(settings)
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_session_factory(engine))
    extras: dict[str, Any] = {}
    notifiers = Notifiers()
    notifiers.register("console", RecordingNotifier())
    runner = Runner(uow=uow, settings=settings, extras=extras)
    inbox = InboxStore(make_inbox_engine(settings.database_url, settings.sqlite_path()))
    return Container(
        settings=settings,
        engine=engine,
        uow=uow,
        runner=runner,
        notifiers=notifiers,
        extras=extras,
        inbox=inbox,
    )
