"""``copbot import slack-export PATH``: history from Slack's standard workspace export.

    copbot import slack-export export.zip --map general=design-thinking --skip random \\
        --csv review.csv

Each channel becomes a community bound to it (or feeds the one ``--map channel=community``
names); people come from ``users.json``, linked to the people the bot already knows by
Slack id or e-mail; people's own messages are added to the daily participation counts;
messages that read like ideas or requests are listed for review (``--csv`` writes them with
their text; focal points see them in App Home). Running it again, or on an overlapping
later export, changes nothing that is already there. ``--dry-run`` says what it would do.
On a terminal a progress bar shows the day files read; otherwise only the summary prints.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.importing.candidates import CsvWriter, Found
from bot.importing.export import ExportError, SlackExport
from bot.importing.run import Hooks, ImportRefused, Options, Summary, run_import
from bot.settings import Settings

MAX_PROBLEMS_SHOWN = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("import", help="import history (a Slack workspace export)")
    kinds = parser.add_subparsers(dest="kind", required=True)
    slack = kinds.add_parser(
        "slack-export",
        help="communities, people, participation and review candidates from a Slack export",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    slack.add_argument("path", type=Path, help="the export: a folder or the .zip Slack produces")
    slack.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CHANNEL=COMMUNITY",
        help="feed an existing community from this channel (repeatable)",
    )
    slack.add_argument(
        "--only", action="append", default=[], metavar="CHANNEL", help="import only these"
    )
    slack.add_argument(
        "--skip", action="append", default=[], metavar="CHANNEL", help="leave these out"
    )
    slack.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing"
    )
    slack.add_argument("--csv", type=Path, metavar="FILE", help="write the review list here")
    slack.add_argument(
        "--workspace", metavar="TEAM_ID", help="the Slack team id, if users.json does not say"
    )
    slack.add_argument(
        "--team-domain",
        metavar="NAME",
        help="the workspace's address (NAME.slack.com), for permalinks in the review list",
    )
    slack.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes reading day files (default: every core for big exports, 0: none)",
    )
    slack.set_defaults(func=run)


def _names(values: Sequence[str]) -> frozenset[str]:
    return frozenset(
        part.strip().lstrip("#") for value in values for part in value.split(",") if part.strip()
    )


def parse_map(values: Sequence[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        channel, sep, community = value.partition("=")
        if not sep or not channel.strip() or not community.strip():
            raise ValueError(f"--map {value!r}: write CHANNEL=COMMUNITY, e.g. general=design")
        mapping[channel.strip().lstrip("#")] = community.strip()
    return mapping


class _Progress(Hooks):
    """A tqdm bar over the day files (on a terminal), and the CSV rows as they are found."""

    def __init__(self, csv: CsvWriter | None, *, bar: bool, out: TextIO) -> None:
        self._csv = csv
        self._want_bar = bar
        self._out = out
        self._bar: Any = None
        self._messages = 0

    def start(self, day_files: int) -> None:
        if self._want_bar:
            from tqdm import tqdm

            # A terminal that reports no size (a bare pty) gets 80x24 rather than no bar.
            sized = shutil.get_terminal_size((0, 0)).columns > 0
            self._bar = tqdm(
                total=day_files,
                unit="file",
                desc="Importing",
                file=self._out,
                dynamic_ncols=sized,
                ncols=None if sized else 80,
                nrows=None if sized else 24,
            )

    def day_file(self, path: str, messages: int) -> None:
        self._messages += messages
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(f"{self._messages:,} messages", refresh=False)

    def candidate(self, row: Found) -> None:
        if self._csv is not None:
            self._csv.write(row)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def write_summary(summary: Summary, out: TextIO) -> None:
    lead = "Dry run, nothing written. " if summary.dry_run else ""
    out.write(f"{lead}Slack workspace {summary.workspace}:\n")
    out.write(
        f"  communities: {summary.communities_created} new, "
        f"{len(summary.channels) - summary.communities_created} existing; "
        f"{summary.channels_bound} channel(s) newly bound\n"
    )
    out.write(
        f"  people: {summary.people_created} new, {summary.people_known} already known, "
        f"{summary.people_linked_by_email} linked by e-mail"
        + (
            f", {summary.people_forgotten} left out (they asked to be forgotten)"
            if summary.people_forgotten
            else ""
        )
        + "\n"
    )
    out.write(
        f"  messages: {summary.messages_read:,} read, {summary.counted:,} by people; "
        f"{summary.added:,} added to participation\n"
    )
    out.write(
        f"  review list: {summary.candidates:,} message(s) read like ideas or requests, "
        f"{summary.new_candidates:,} new\n"
    )
    width = max((len(c.channel) for c in summary.channels), default=7)
    out.write(
        f"\n  {'channel':<{width}}  {'community':<24} {'days':>6} {'messages':>9} {'added':>9}\n"
    )
    for c in sorted(summary.channels, key=lambda c: c.channel):
        live = f"  ({c.already_live:,} counted live before)" if c.already_live else ""
        mark = " (new)" if c.created else ""
        out.write(
            f"  {c.channel:<{width}}  {(c.community + mark):<24} {c.day_files:>6} "
            f"{c.counted:>9,} {c.added:>9,}{live}\n"
        )
    if summary.problems:
        out.write(f"\n{len(summary.problems)} problem(s); the rest was imported:\n")
        for problem in summary.problems[:MAX_PROBLEMS_SHOWN]:
            out.write(f"  {problem}\n")
        if len(summary.problems) > MAX_PROBLEMS_SHOWN:
            out.write(f"  … and {len(summary.problems) - MAX_PROBLEMS_SHOWN} more\n")
    if not summary.dry_run and summary.added == 0 and summary.new_candidates == 0:
        out.write("\nNothing new: this export was already imported.\n")


def _cpu() -> tuple[float, float]:
    """CPU seconds so far: this process, and its finished children (the readers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import utcnow
    from copbot.bootstrap import bootstrap

    try:
        options = Options(
            mapping=parse_map(args.map),
            only=_names(args.only),
            skip=_names(args.skip),
            dry_run=args.dry_run,
            workspace=args.workspace,
            team_domain=args.team_domain,
            workers=args.workers,
        )
    except ValueError as error:
        print(f"copbot: {error}", file=sys.stderr)
        return 2
    started, cpu = time.perf_counter(), _cpu()
    container = bootstrap(settings)
    csv_file = args.csv.open("w", encoding="utf-8", newline="") if args.csv else None
    hooks = _Progress(
        CsvWriter(csv_file) if csv_file else None, bar=sys.stderr.isatty(), out=sys.stderr
    )
    try:
        with SlackExport(args.path) as export:
            summary = run_import(
                container.uow, settings, export, options, now=utcnow(), hooks=hooks
            )
    except (ExportError, ImportRefused) as error:
        print(f"copbot: {error}", file=sys.stderr)
        return 2
    finally:
        hooks.close()
        if csv_file is not None:
            csv_file.close()
        container.close()
    write_summary(summary, sys.stdout)
    here, readers = (a - b for a, b in zip(_cpu(), cpu, strict=True))
    print(
        f"\nTook {time.perf_counter() - started:.1f} s: {here:.1f} s CPU in this process"
        + (f", {readers:.1f} s in {summary.workers} reader processes" if summary.workers else "")
        + "."
    )
    if args.csv:
        print(f"\nReview list written to {args.csv}.")
    return 0
