"""`stats` latency on a store with a million participation rows and 100,000 items.

    python -m benchmarks.stats_latency [--database-url URL] [--runs 50]

Builds the store with bulk Core inserts (participation rows in day order, as the bot writes
them: one row per person, community and day), then measures, in the same run:

- ``stats``: ``bot.services.stats.table`` through the real service path (unit of work, caller
  and permission checks, targets) for a coordinator, organisation scope and one community;
- ``compute_all``: the indicator computation alone, for the same period;
- the bare SQL: every statement ``compute_all`` issues, replayed on the driver connection.

SQLite by default (a file in a temporary directory). A PostgreSQL URL gets its own schema,
dropped at the end. The target is p95 under 200 ms (SPEC §8).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, event, insert, text

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

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 1, 1)
TZ = "Europe/Zurich"
BATCH = 20_000
TARGET_P95_MS = 200.0


def _chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Seeder:
    """Bulk Core inserts of a plausible organisation: units, communities, people, activity."""

    def __init__(self, engine: Engine, *, participation: int, items: int, seed: int) -> None:
        self.engine = engine
        self.participation = participation
        self.items = items
        self.rng = random.Random(seed)
        self.days = (NOW.date() - FIRST_DAY).days + 1
        self.n_communities = 200
        self.n_people = 5_000

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            for chunk in _chunks(rows):
                conn.execute(insert(table), chunk)

    def _moment(self, day_index: int) -> datetime:
        start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
        return start + timedelta(days=day_index, seconds=self.rng.randrange(86_400))

    def run(self) -> None:
        regions = ["Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe"]
        self._insert(
            m.Unit,
            [{"id": i + 1, "name": f"unit-{i + 1}", "region": regions[i % 5]} for i in range(20)],
        )
        t0 = datetime(2024, 12, 1, tzinfo=UTC)
        self._insert(
            m.Community,
            [
                {"id": c, "name": f"community-{c}", "unit_id": 1 + c % 20, "created_at": t0}
                for c in range(1, self.n_communities + 1)
            ],
        )
        self._insert(
            m.Person,
            [
                {"id": p, "display_name": f"person-{p}", "created_at": t0}
                for p in range(1, self.n_people + 1)
            ],
        )
        self._participation()
        self._items()

    def _participation(self) -> None:
        rng, per_day = self.rng, self.participation // self.days
        extra = self.participation - per_day * self.days
        rows: list[dict[str, Any]] = []
        for d in range(self.days):
            day = FIRST_DAY + timedelta(days=d)
            seen: set[tuple[int, int]] = set()
            want = per_day + (1 if d < extra else 0)
            while len(seen) < want:
                seen.add((rng.randint(1, self.n_communities), rng.randint(1, self.n_people)))
            rows.extend(
                {"community_id": c, "person_id": p, "day": day, "messages": rng.randint(1, 12)}
                for c, p in sorted(seen)
            )
            if len(rows) >= BATCH * 5:
                self._insert(m.Participation, rows)
                rows = []
        if rows:
            self._insert(m.Participation, rows)

    def _items(self) -> None:
        """Ideas 15%, requests 15%, offers 20%, feedback 20%, events 2%, attendances 20%,
        time logs 8% of ``items``; stage changes on top, as ideas move on."""
        rng, n = self.rng, self.items
        people, communities = self.n_people, self.n_communities

        def person() -> int:
            return rng.randint(1, people)

        def community() -> int | None:
            return None if rng.random() < 0.05 else rng.randint(1, communities)

        ideas, changes = [], []
        for i in range(1, int(n * 0.15) + 1):
            at = self._moment(rng.randrange(self.days))
            stage, moved = "proposed", at
            for nxt, chance in (("development", 0.3), ("pilot", 0.35), ("scaled", 0.3)):
                step = moved + timedelta(days=rng.randint(3, 90))
                if rng.random() >= chance or step >= NOW:
                    break
                changes.append({"idea_id": i, "from_stage": stage, "to_stage": nxt, "at": step})
                stage, moved = nxt, step
            ideas.append(
                {
                    "id": i, "title": f"idea {i}", "community_id": community(),
                    "author_id": person(), "champion_id": person(), "stage": stage,
                    "scaling": rng.choice(["unrated", "low", "medium", "high"]),
                    "themes": [], "created_at": at, "stage_changed_at": moved,
                }
            )  # fmt: skip
        self._insert(m.Idea, sorted(ideas, key=lambda r: r["created_at"]))
        self._insert(m.StageChange, sorted(changes, key=lambda r: r["at"]))

        requests: list[dict[str, Any]] = []
        offers: list[dict[str, Any]] = []
        n_requests = int(n * 0.15)
        for r in range(1, n_requests + 1):
            at = self._moment(rng.randrange(self.days))
            first = at + timedelta(hours=rng.uniform(0.2, 120)) if rng.random() < 0.8 else None
            status = "open" if first is None else rng.choice(["answered", "resolved", "resolved"])
            requests.append(
                {
                    "id": r, "question": "q", "community_id": community(),
                    "requester_id": person(), "status": status, "tags": [],
                    "created_at": at, "first_response_at": first,
                }
            )  # fmt: skip
        taken: set[tuple[int, int]] = set()
        by_id = {r["id"]: r for r in requests}
        while len(offers) < int(n * 0.20):
            r, p = rng.randint(1, n_requests), person()
            if (r, p) in taken:
                continue
            taken.add((r, p))
            start = by_id[r]["first_response_at"] or by_id[r]["created_at"]
            offers.append({"request_id": r, "person_id": p, "at": start})
        self._insert(m.HelpRequest, sorted(requests, key=lambda r: r["created_at"]))
        self._insert(m.HelpOffer, sorted(offers, key=lambda r: r["at"]))

        feedback = []
        for _ in range(int(n * 0.20)):
            anonymous = rng.random() < 0.2
            feedback.append(
                {
                    "community_id": community(), "target_kind": rng.choice(
                        ["idea", "request", "event", "community", "deliverable"]
                    ),
                    "rating": rng.choice([None, 1, 2, 3, 4, 5]), "anonymous": anonymous,
                    "source": rng.choice(["staff", "staff", "constituent", "partner"]),
                    "author_id": None if anonymous else person(),
                    "created_at": self._moment(rng.randrange(self.days)),
                }
            )  # fmt: skip
        self._insert(m.Feedback, sorted(feedback, key=lambda r: r["created_at"]))

        n_events = int(n * 0.02)
        events = [
            {
                "id": e, "title": f"event {e}", "community_id": community(),
                "day": FIRST_DAY + timedelta(days=rng.randrange(self.days)),
                "kind": rng.choice(["training", "workshop", "webinar", "meeting"]),
                "created_at": NOW,
            }
            for e in range(1, n_events + 1)
        ]  # fmt: skip
        self._insert(m.Event, events)
        seen: set[tuple[int, int]] = set()
        while len(seen) < int(n * 0.20):
            seen.add((rng.randint(1, n_events), person()))
        self._insert(
            m.Attendance, [{"event_id": e, "person_id": p, "at": NOW} for e, p in sorted(seen)]
        )
        logs = [
            {
                "person_id": person(), "community_id": community(),
                "idea_id": rng.randint(1, len(ideas)) if rng.random() < 0.5 else None,
                "hours": round(rng.uniform(0.25, 6), 2),
                "at": self._moment(rng.randrange(self.days)),
            }
            for _ in range(int(n * 0.08))
        ]  # fmt: skip
        self._insert(m.TimeLog, sorted(logs, key=lambda r: r["at"]))


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
    parser.add_argument("--participation", type=int, default=1_000_000)
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
    verdict = "meets" if worst < TARGET_P95_MS else "misses"
    print(f"stats p95 {worst:.1f} ms {verdict} the {TARGET_P95_MS:.0f} ms target")
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
