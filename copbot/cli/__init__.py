"""The ``copbot`` command line: run, serve, worker, chat, db, and one-off jobs."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("copbot")

SubCommand = Callable[[argparse.Namespace, Settings], int]
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.ports import Notifiers
    from copbot.bootstrap import bootstrap, connect_console
    from digests.dispatcher import Dispatcher
    from handlers.console.chat import Outputs, chat

    container = bootstrap(settings)
    folder = Path(args.files)
    notifier = connect_console(container, folder)
    console_only = Notifiers()
    console_only.register("console", notifier)
    dispatcher = Dispatcher(container.uow, console_only)
    outputs = Outputs(
        files=folder, mailbox=notifier.mailbox, deliver=lambda now: dispatcher.run_once(now=now)
    )
    try:
        return chat(
            container.runner, user=args.user, channel=args.channel.lstrip("#"), outputs=outputs
        )
    finally:
        container.close()


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import current, head, upgrade

    if args.action == "upgrade":
        upgrade(settings.database_url)
        print(f"Database is at revision {current(settings.database_url)}.")
    else:
        print(f"Database revision: {current(settings.database_url) or 'none'}; code: {head()}.")
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from copbot.server import serve

    return serve(settings, web=True, scheduler=args.command != "serve")


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from copbot.server import serve

    return serve(settings, web=False, scheduler=True)


def _inbox_worker(args: argparse.Namespace, settings: Settings) -> int:
    from copbot.inbox_workers import run_worker

    return run_worker(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copbot", description="cop-bot: communities of practice on Slack and Teams."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="web and scheduler in one process (one machine)").set_defaults(
        func=_run
    )
    sub.add_parser("serve", help="web only: Slack, Teams and /healthz").set_defaults(func=_run)
    sub.add_parser("worker", help="the scheduler only").set_defaults(func=_worker)

    sub.add_parser(
        "inbox-worker", help="work through acknowledged Slack requests (serve starts these)"
    ).set_defaults(func=_inbox_worker)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (or from a pipe)")
    chat.add_argument("--user", required=True, help="who you are, e.g. ana")
    chat.add_argument("--channel", default="general", help="the channel you speak in")
    chat.add_argument(
        "--files",
        default="copbot-files",
        help="folder for files and messages the bot sends (default: ./copbot-files)",
    )
    chat.set_defaults(func=_chat)

    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(func=_db)

    for add in EXTRA_COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _load_extra_commands()
    args = build_parser().parse_args(argv)
    quiet = args.command == "chat" and not args.verbose
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"copbot: configuration error: {error}", file=sys.stderr)
        return 2
    from copbot.bootstrap import SchemaOutOfDate
    from copbot.cli.failures import EXIT_OPERATOR, explain

    try:
        result: int = args.func(args, settings)
    except SchemaOutOfDate as error:
        print(f"copbot: {error}", file=sys.stderr)
        return EXIT_OPERATOR
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # an operator mistake gets one line; a bug keeps its traceback
        line = explain(error, settings)
        if line is None:
            raise
        log.debug("operator error", exc_info=True)
        print(f"copbot: {line}", file=sys.stderr)
        return EXIT_OPERATOR
    return result


def _load_extra_commands() -> None:
    """Subcommands contributed by the jobs, the indicators and the Teams packaging."""
    from copbot.cli.importing import register as importing
    from copbot.cli.indicators import register as indicators
    from copbot.cli.jobs import register as jobs
    from handlers.teams.cli import register as teams

    for register in (jobs, indicators, importing, teams):
        if register not in EXTRA_COMMANDS:
            EXTRA_COMMANDS.append(register)
