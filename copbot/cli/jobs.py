"""One-off runs of the scheduled jobs from the command line.

``copbot digest run [--community NAME] [--now 2026-11-23T09:00] [--dry-run]``, and the same
for ``focal-digest``, ``nudges``, ``pulse``, ``tally`` and ``retention``; ``copbot outbox
flush`` sends what is due and ``copbot outbox status`` counts what is queued. A run queues
messages in the outbox (the worker sends them, or ``outbox flush``); ``--dry-run`` prints
what would be sent to whom, as text, and writes nothing. A ``--now`` without a zone is read
in COPBOT_TIMEZONE.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any, TextIO

from bot.container import Container
from bot.ports import Address
from bot.settings import Settings
from digests.localtime import zone
from digests.report import JobReport
from handlers.console.render import render_text

JOB_COMMANDS: dict[str, tuple[str, str]] = {
    "digest": ("community-digest", "the weekly community digests that are due"),
    "focal-digest": ("focal-digest", "the weekly focal-point digests that are due"),
    "nudges": ("nudges", "nudges for waiting requests and ideas (inside working hours)"),
    "pulse": ("pulse", "the monthly pulse question"),
    "tally": ("tally", "the nightly indicator snapshot"),
    "retention": ("retention", "the retention clean-up (COPBOT_RETENTION_DAYS)"),
}


def parse_now(text: str | None, settings: Settings) -> datetime:
    from bot.clock import utcnow

    if not text:
        return utcnow()
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(settings.copbot_timezone))
    return moment


def _now_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        metavar="WHEN",
        help="run as if it were this instant, e.g. 2026-11-23T09:00 (COPBOT_TIMEZONE if no zone)",
    )


def describe(address: Address) -> str:
    where = f"channel {address.channel}" if address.channel else f"user {address.user}"
    return f"{address.platform} {where} (workspace {address.workspace})"


def write(report: JobReport, out: TextIO, *, command: str = "/cop") -> None:
    """The report as text; a dry run shows every message as the console would render it."""
    if report.dry_run:
        for message in report.outgoing:
            when = (
                f", not before {message.not_before:%Y-%m-%d %H:%M} UTC"
                if message.not_before
                else ""
            )
            out.write(f"=== To {describe(message.address)}{when}\n")
            out.write(f"    key {message.key}\n")
            out.write(render_text(message.reply, command=command) + "\n\n")
    out.write(report.summary() + "\n")


def _run_job(args: argparse.Namespace, settings: Settings) -> int:
    from copbot.bootstrap import bootstrap, connect_platforms
    from digests.jobs import JOBS

    try:
        now = parse_now(args.now, settings)
    except ValueError as error:
        print(f"copbot: --now: {error}", file=sys.stderr)
        return 2
    container = bootstrap(settings)
    connect_platforms(container)
    try:
        options: dict[str, Any] = {"now": now, "dry_run": args.dry_run}
        if getattr(args, "community", None):
            from bot.services.places import slugify

            options["community"] = slugify(args.community)
        report = JOBS[args.job](container, **options)
        write(report, sys.stdout, command=settings.copbot_slash_command)
        if report.queued:
            print("The worker sends them shortly, or run `copbot outbox flush`.")
        return 0
    finally:
        container.close()


def _outbox(args: argparse.Namespace, settings: Settings) -> int:
    from copbot.bootstrap import bootstrap, connect_platforms
    from digests.jobs import flush
    from digests.outbox import status_counts

    container = bootstrap(settings)
    connect_platforms(container)
    try:
        if args.action == "status":
            counts = status_counts(container.uow())
            if not counts:
                print("The outbox is empty.")
            for (platform, status), n in sorted(counts.items()):
                print(f"{platform:<8} {status:<8} {n}")
            return 0
        try:
            now = parse_now(args.now, settings)
        except ValueError as error:
            print(f"copbot: --now: {error}", file=sys.stderr)
            return 2
        print(f"outbox: {flush(container, now=now)}")
        _console_note(container)
        return 0
    finally:
        container.close()


def _console_note(container: Container) -> None:
    """Say where messages for console people went (a running `copbot chat` shows them)."""
    from handlers.console.notifier import ConsoleNotifier

    notifier = container.notifiers.get("console")
    if isinstance(notifier, ConsoleNotifier) and notifier.sent:
        print(
            f"{notifier.sent} message(s) for console people written to "
            f"{notifier.mailbox.path}; `copbot chat` shows them."
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for command, (job, text) in JOB_COMMANDS.items():
        parser = sub.add_parser(command, help=f"run {text} once")
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help=f"run {text} now")
        _now_arg(run)
        run.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; change nothing"
        )
        if command == "digest":
            run.add_argument("--community", metavar="NAME", help="only this community")
        run.set_defaults(func=_run_job, job=job)

    outbox = sub.add_parser("outbox", help="the queue of scheduled messages")
    outbox_actions = outbox.add_subparsers(dest="action", required=True)
    flush = outbox_actions.add_parser("flush", help="send every due message now")
    _now_arg(flush)
    flush.set_defaults(func=_outbox)
    outbox_actions.add_parser("status", help="count queued, sent and failed messages").set_defaults(
        func=_outbox
    )
