"""``copbot indicators``: every indicator for a period, as a table, CSV, JSON or XLSX.

    copbot indicators --period 2026-Q4 --scope all --format csv --out q4.csv

``--scope`` is ``all`` (the organisation, every community, unit and region: the same rows as
the chat ``export``), ``org``, ``community:<name>``, ``unit:<name>`` or ``region:<name>``.
Periods as in chat (default: the current quarter in COPBOT_TIMEZONE). XLSX is always written
to a file: ``--out``, or ``indicators-<period>.xlsx`` in the current directory. The command
line reads the database directly: whoever can run it is trusted like a coordinator.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.indicators.definitions import Scope
from bot.settings import Settings

FORMATS = ("table", "csv", "json", "xlsx")
SCOPE_HELP = "all | org | community:<name> | unit:<name> | region:<name> (default: all)"


class ScopeError(Exception):
    """A --scope that names nothing known."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "indicators",
        help="every indicator for a period, by scope (table, csv, json, xlsx)",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--period", help="e.g. 2026-Q4, 2026-11, 2026-W47, 2026, 2026-27, last-30d")
    parser.add_argument("--scope", default="all", help=SCOPE_HELP)
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--out", type=Path, help="write to this file instead of the terminal")
    parser.set_defaults(func=run)


def scopes_named(session: Session, text: str) -> list[Scope]:
    """The scopes ``--scope`` names; ``ScopeError`` when it names nothing known."""
    from bot.indicators.export import all_scopes
    from bot.services.places import slugify
    from storage.models import Community, Unit

    kind, _, name = text.strip().partition(":")
    kind, name = kind.lower(), name.strip()
    if kind == "all" and not name:
        return all_scopes(session)
    if kind in ("org", "organisation", "organization") and not name:
        return [Scope.org()]
    if kind == "community" and name:
        community = session.scalar(select(Community).where(Community.name == slugify(name)))
        if community is not None:
            return [Scope.community(community.id, community.name)]
    elif kind == "unit" and name:
        unit = session.scalar(select(Unit).where(func.lower(Unit.name) == name.lower()))
        if unit is not None:
            return [Scope.unit(unit.id, unit.name)]
    elif kind == "region" and name:
        regions = session.scalars(select(Unit.region).where(Unit.region.is_not(None)).distinct())
        match = next((r for r in regions if r and r.lower() == name.lower()), None)
        if match is not None:
            return [Scope.region(match)]
    else:
        raise ScopeError(f'unknown scope "{text}"; use {SCOPE_HELP}')
    raise ScopeError(f'no {kind} called "{name}"')


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import local_date, utcnow
    from bot.errors import InvalidPeriod
    from bot.indicators import export
    from bot.periods import parse_period
    from copbot.bootstrap import bootstrap
    from copbot.cli.failures import check_out_folder

    tz = ZoneInfo(settings.copbot_timezone)
    today = local_date(utcnow(), tz)
    try:
        period = parse_period(args.period, today=today)
    except InvalidPeriod as error:
        print(f"copbot indicators: {error.message}", file=sys.stderr)
        return 2
    if args.out is not None:
        check_out_folder(args.out)
    container = bootstrap(settings)
    try:
        with container.uow() as uow:
            try:
                scopes = scopes_named(uow.session, args.scope)
            except ScopeError as error:
                print(f"copbot indicators: {error}", file=sys.stderr)
                return 2
            rows = export.collect(
                uow.session,
                period=period,
                scopes=scopes,
                tz=tz,
                active_threshold=settings.copbot_active_threshold,
                today=today,
            )
    finally:
        container.close()

    content: bytes
    if args.format == "xlsx":
        content = export.to_xlsx(rows)
    elif args.format == "csv":
        content = export.to_csv(rows)
    elif args.format == "json":
        content = export.to_json(rows, period=period, tz=tz)
    else:
        content = export.to_table(rows).encode("utf-8")
    out: Path | None = args.out
    if out is None and args.format == "xlsx":
        out = Path(f"indicators-{period.label}.xlsx")
    if out is None:
        text = content.decode("utf-8-sig")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    out.write_bytes(content)
    print(f"Wrote {out} ({len(rows)} rows, {len(scopes)} scope(s), {period.label}).")
    return 0
