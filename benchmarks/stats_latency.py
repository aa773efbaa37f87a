"""`stats` latency as the store grows: a million, then ten million participation rows.

    python -m benchmarks.stats_latency                                   # 1,000,000 rows
    python -m benchmarks.stats_latency --rows 1000000 10000000 --runs 30 # both sizes
    python -m benchmarks.stats_latency --database-url postgresql://… --rows 1000000 10000000

For each size a new store (a file in a temporary directory, or a private PostgreSQL schema
dropped at the end) gets the participation rows in day order, as the bot writes them (one
row per person, community and day), and 100,000 items, through bulk loads
(``benchmarks.bulk``). Then, for each scope (the organisation, a region, a unit, a
community), in the same run:

- ``stats``: ``bot.services.stats.table`` through the real service path (unit of work,
  caller and permission checks, targets) for a coordinator: this quarter and the one before,
  both computed (no snapshot yet), p50 and p95;
- the bare SQL of the same command: every statement ``stats`` sends (the caller, the
  indicators for that scope and both periods, snapshots and targets), replayed on the
  driver connection, p50 and p95; and, for scale, the indicators' statements alone;
- the ratio of ``stats`` to the bare SQL of the command (p95 over p95): what the service
  adds to the database's own work.

The three take turns, one run of each at a time, so that a busy spell on a shared machine
weighs on all three alike rather than on whichever was being timed.

Then ``stats all`` once the nightly tally has left the previous quarter's final snapshot,
the trend chart's figures and the export. Targets: p95 under 200 ms (SPEC §8) at each size,
and at ten million rows at most twice the bare SQL's p95. The load average (as ``uptime``
says it) is printed beside each size: on a busy machine the times measure the wait for a
core as much as the work.
"""

from __future__ import annotations

import argparse
import os
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
from bot.services import stats, stats_targets
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
    return _timed_side_by_side([fn], runs)[0]


def _timed_side_by_side(fns: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Each of ``fns`` timed ``runs`` times, taking turns (one run of each, then again), so
    that a busy spell on a shared machine falls on all of them alike, not on one."""
    for fn in fns:
        fn()  # warm caches (statement cache, pages), as a running bot would be
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, times in zip(fns, out, strict=True):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
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


def store_arguments(description: str, runs: int, *, sizes: bool = False) -> argparse.ArgumentParser:
    """The command line of a benchmark on this store; with ``sizes``, ``--rows`` takes several
    sizes, measured one after the other."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument(
        "--rows", "--participation", dest="participation", type=int, default=1_000_000,
        nargs="+" if sizes else None,
        help="participation rows (one per person, community and day), e.g. 1000000 10000000",
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


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    args = store_arguments(__doc__.split("\n\n")[0], 50, sizes=True).parse_args(argv)
    sizes: list[int] = args.participation
    summary: list[str] = []
    ok = True
    for size in sizes:
        args.participation = size
        with database(args.database_url) as url:
            settings = Settings(
                _env_file=None, database_url=url, copbot_coordinators=["cora"], copbot_timezone=TZ
            )
            container = bootstrap(settings, migrate=False)
            try:
                print(f"--- {size:,} participation rows ({load()})", flush=True)
                seed(container, args)
                met, line = _measure(container, settings, args.runs, final=size == max(sizes))
            finally:
                container.close()
        ok = ok and met
        summary.append(f"{size:>12,} rows: {line}")
    print("\n".join(["", "summary:", *summary]))
    return 0 if ok else 1


SCOPES = (  # (what stats is asked for, the scope the indicators are computed over)
    ("all", Scope.org()),
    ("region:Europe", Scope.region("Europe")),
    ("unit:unit-1", Scope.unit(1, "unit-1")),
    ("community-1", Scope.community(1, "community-1")),
)


def _bare(engine: Engine, work: Callable[[], object]) -> Callable[[], None]:
    """The statements ``work`` sends, replayed on the driver connection (fetching every row)."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    work()
    event.remove(engine, "before_cursor_execute", capture)

    def replay() -> None:
        with engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            for statement, params in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
            cursor.close()

    return replay


def _measure(container: Any, settings: Settings, runs: int, *, final: bool) -> tuple[bool, str]:
    tz = ZoneInfo(TZ)
    actor = Actor(platform=Platform.CONSOLE, workspace="local", user_id="cora", display_name="cora")
    ctx = Context(actor=actor, channel="bench", now=NOW, settings=settings)
    period = parse_period(None, today=NOW.astimezone(tz).date())
    engine: Engine = container.engine
    today = NOW.astimezone(tz).date()
    stats.table(container.uow(), ctx, scope="all")  # cora's first contact: her person row
    stats_targets.set_target(
        container.uow(), ctx, indicator="ideas_submitted", value=2000, scope="all"
    )

    def table(scope: str) -> Callable[[], object]:
        return lambda: stats.table(container.uow(), ctx, scope=scope)

    def aggregates(scope: Scope) -> Callable[[], object]:
        """What stats needs from the store: every indicator for the period and the one before."""

        def run() -> None:
            with container.uow() as uow:
                for p in (period, period.previous()):
                    compute_all(uow.session, period=p, scope=scope, tz=tz, today=today)

        return run

    print(f"period {period.label} (previous {period.previous().label}), {runs} runs each, {TZ}")
    worst, worst_ratio = 0.0, 0.0
    for name, scope in SCOPES:
        served, bare, indicators = _timed_side_by_side(
            [table(name), _bare(engine, table(name)), _bare(engine, aggregates(scope))], runs
        )
        ratio = _p95(served) / _p95(bare)
        worst, worst_ratio = max(worst, _p95(served)), max(worst_ratio, ratio)
        print(_line(f"stats {name}", served))
        print(_line("  bare SQL of the command", bare) + f"   stats/bare p95 {ratio:.2f}")
        print(_line("  bare SQL of its indicators alone", indicators))
    with container.uow() as uow:  # the nightly tally, once the previous quarter has ended
        record_snapshots(
            uow.session,
            period=period.previous(),
            scope=Scope.org(),
            tz=tz,
            active_threshold=settings.copbot_active_threshold,
            now=NOW,
        )
        uow.commit()
    print(_line("stats all, previous quarter from snapshots", _timed(table("all"), runs)))
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
    met = worst < TARGET_P95_MS and (not final or worst_ratio <= MAX_OVER_BARE)
    line = (
        f"worst stats p95 {worst:.1f} ms ({'meets' if worst < TARGET_P95_MS else 'misses'} "
        f"< {TARGET_P95_MS:.0f} ms); worst stats/bare p95 {worst_ratio:.2f}"
        + (f" ({'within' if worst_ratio <= MAX_OVER_BARE else 'over'} {MAX_OVER_BARE:g}x)")
        + f"; {load()}"
    )
    print(line, flush=True)
    return met, line


if __name__ == "__main__":
    raise SystemExit(main())
