"""`stats` latency on a store with a million participation rows and 100,000 items.

    python -m benchmarks.stats_latency [--rows 1000000] [--database-url URL] [--runs 50]
    python -m benchmarks.stats_latency --rows 10000000 --runs 20

Builds the store with bulk Core inserts (participation rows in day order, as the bot writes
them: one row per person, community and day), then measures, in the same run:

- ``stats``: ``bot.services.stats.table`` through the real service path (unit of work, caller
  and permission checks, targets) for a coordinator, organisation scope and one community;
- ``compute_all``: the indicator computation alone, for the same period;
- the bare SQL: every statement ``compute_all`` issues, replayed on the driver connection.

SQLite by default (a file in a temporary directory). A PostgreSQL URL gets its own schema,
dropped at the end. The targets: p95 under 200 ms (SPEC §8), and, at 10 million
participation rows, at most twice the p95 of the bare SQL.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, event, text

from benchmarks.stats_seed import NOW, Seeder
from bot.indicators import Scope, compute_all
from bot.indicators.history import record_snapshots
from bot.messages import Actor, Platform
from bot.periods import parse_period
from bot.services import stats
from bot.services.context import Context
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from storage import models as m
from storage.migrate import upgrade

TZ = "Europe/Zurich"
TARGET_P95_MS = 200.0
MAX_OVER_BARE = 2.0


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """A fresh, migrated database: a temporary SQLite file, or a new PostgreSQL schema."""
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.sqlite3"
            sqlite_url = url if url and url != "sqlite://" else f"sqlite:///{path}"
            upgrade(sqlite_url)
            yield sqlite_url
        return
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    schema = f"copbot_bench_{int(time.time())}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    try:
        upgrade(scoped)
        yield scoped
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _after_postgres_seed(engine: Engine) -> None:
    """Explicit ids leave the sequences behind: move them on; then refresh the statistics."""
    with engine.begin() as conn:
        for table in m.Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.autoincrement is not False:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
        conn.execute(text("ANALYZE"))


def _timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm caches (statement cache, pages), as a running bot would be
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"  {name:<44} p50 {statistics.median(ordered):7.1f} ms   "
        f"p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"
    )


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def store_arguments(description: str, runs: int) -> argparse.ArgumentParser:
    """The command line of a benchmark on this store."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument(
        "--rows", "--participation", dest="participation", type=int, default=1_000_000,
        help="participation rows (one per person, community and day); 1000000 or 10000000",
    )  # fmt: skip
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    return parser


def seed(container: Any, args: argparse.Namespace) -> None:
    """Fill the store as ``args`` say, and print how long it took."""
    started = time.perf_counter()
    Seeder(
        container.engine, participation=args.participation, items=args.items, seed=args.seed
    ).run()
    if container.engine.dialect.name == "postgresql":
        _after_postgres_seed(container.engine)
    print(
        f"{container.engine.dialect.name}: seeded {args.participation:,} participation "
        f"rows and {args.items:,} items in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = store_arguments(__doc__.split("\n\n")[0], 50).parse_args(argv)

    with database(args.database_url) as url:
        settings = Settings(
            _env_file=None, database_url=url, copbot_coordinators=["cora"], copbot_timezone=TZ
        )
        container = bootstrap(settings, migrate=False)
        try:
            seed(container, args)
            return _measure(container, settings, args.runs)
        finally:
            container.close()


def _measure(container: Any, settings: Settings, runs: int) -> int:
    tz = ZoneInfo(TZ)
    actor = Actor(platform=Platform.CONSOLE, workspace="local", user_id="cora", display_name="cora")
    ctx = Context(actor=actor, channel="bench", now=NOW, settings=settings)
    period = parse_period(None, today=NOW.astimezone(tz).date())
    engine: Engine = container.engine
    org = Scope.org()
    stats.table(container.uow(), ctx, scope="all")  # cora's first contact: her person row
    stats.set_target(container.uow(), ctx, indicator="ideas_submitted", value=2000, scope="all")

    def table(scope: str) -> Callable[[], object]:
        return lambda: stats.table(container.uow(), ctx, scope=scope)

    def aggregates() -> None:
        """What stats needs from the store: every indicator for the period and the one before."""
        with container.uow() as uow:
            for p in (period, period.previous()):
                compute_all(uow.session, period=p, scope=org, tz=tz)

    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    aggregates()
    event.remove(engine, "before_cursor_execute", capture)

    def bare() -> None:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            cursor = raw.cursor()  # type: ignore[union-attr]
            for statement, params in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
            cursor.close()

    print(f"period {period.label} (previous {period.previous().label}), {runs} runs each, {TZ}")
    results = {
        "stats all (service path, coordinator)": _timed(table("all"), runs),
        "stats community-1 (service path)": _timed(table("community-1"), runs),
        "compute_all, org, both periods": _timed(aggregates, runs),
        f"bare SQL of those ({len(statements)} statements)": _timed(bare, runs),
    }
    with container.uow() as uow:  # the nightly tally, once the previous quarter has ended
        record_snapshots(
            uow.session,
            period=period.previous(),
            scope=org,
            tz=tz,
            active_threshold=settings.copbot_active_threshold,
            now=NOW,
        )
        uow.commit()
    results["stats all, previous quarter from snapshots"] = _timed(table("all"), runs)
    for name, times in results.items():
        print(_line(name, times))
    chart = _timed(
        lambda: stats.chart(container.uow(), ctx, indicator="community_messages", scope="all"), 5
    )
    print(_line("stats chart figures, 8 quarters (5 runs)", chart))
    started = time.perf_counter()
    exported = stats.export(container.uow(), ctx)
    print(
        f"  export, every scope ({exported.scopes} scopes, {len(exported.rows)} rows), once: "
        f"{time.perf_counter() - started:.1f} s"
    )
    worst = max(_p95(t) for name, t in results.items() if name.startswith("stats"))
    bare_p95 = _p95(next(t for name, t in results.items() if name.startswith("bare")))
    verdict = "meets" if worst < TARGET_P95_MS else "misses"
    print(f"stats p95 {worst:.1f} ms {verdict} the {TARGET_P95_MS:.0f} ms target")
    ratio = worst / bare_p95 if bare_p95 else float("inf")
    print(
        f"stats p95 / bare SQL p95 = {ratio:.2f} "
        f"({'within' if ratio <= MAX_OVER_BARE else 'over'} {MAX_OVER_BARE:g}x)"
    )
    return 0 if worst < TARGET_P95_MS and ratio <= MAX_OVER_BARE else 1


if __name__ == "__main__":
    raise SystemExit(main())
