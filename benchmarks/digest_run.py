"""Benchmark: one weekly digest run for 1,000 communities on a store with 1M participation rows.

    python -m benchmarks.digest_run                       # SQLite file in a temp dir
    python -m benchmarks.digest_run --database-url postgresql://user@host/db

Builds the store with bulk inserts (a year of realistic activity across five time zones),
then times ``digests.community_digest.run`` for every community: compute time (wall and CPU)
and peak memory (Python allocations via tracemalloc on a dry run, and the process's peak
RSS). Target (SPEC §8): under 10 s of compute. On PostgreSQL the data goes into a scratch
schema that is dropped afterwards (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, insert, text

from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests import community_digest
from storage.migrate import upgrade
from storage.models import (
    Account,
    Attendance,
    ChannelBinding,
    Community,
    CreditedHelper,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    Membership,
    Participation,
    Person,
    StageChange,
    Unit,
)

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday: every zone's 09:00 has passed
ZONES = ("UTC", "Europe/Zurich", "America/New_York", "Asia/Bangkok", "Africa/Nairobi")
CHUNK = 20_000


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _bulk(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(_table(model)), rows[i : i + CHUNK])


def _ago(rng: random.Random, days: float) -> datetime:
    return NOW - timedelta(seconds=rng.uniform(0, days * 86400))


def build(url: str, *, communities: int, participation: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    people = max(2_000, communities * 20)
    members_per = 20
    engine = create_engine(url)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        _bulk(
            conn, Unit, [{"id": u, "name": f"unit-{u}", "kind": "department"} for u in range(1, 21)]
        )
        _bulk(
            conn,
            Person,
            [
                {"id": p, "display_name": f"person {p}", "created_at": NOW, "nudges_opt_out": False}
                for p in range(1, people + 1)
            ],
        )
        _bulk(
            conn,
            Account,
            [
                {
                    "person_id": p,
                    "platform": "slack",
                    "workspace": "T1",
                    "user_id": f"U{p}",
                    "created_at": NOW,
                }
                for p in range(1, people + 1)
            ],
        )
        _bulk(
            conn,
            Community,
            [
                {
                    "id": c,
                    "name": f"community-{c}",
                    "unit_id": 1 + c % 20,
                    "timezone": ZONES[c % len(ZONES)],
                    "digest_day": "mon",
                    "digest_time": "09:00",
                    "digest_enabled": True,
                    "count_participation": True,
                    "suggest_capture": False,
                    "created_at": NOW - timedelta(days=400),
                }
                for c in range(1, communities + 1)
            ],
        )
        _bulk(
            conn,
            ChannelBinding,
            [
                {
                    "community_id": c,
                    "platform": "slack",
                    "workspace": "T1",
                    "channel_id": f"C{c}",
                    "created_at": NOW,
                }
                for c in range(1, communities + 1)
            ],
        )
        members = {
            c: rng.sample(range(1, people + 1), members_per) for c in range(1, communities + 1)
        }
        _bulk(
            conn,
            Membership,
            [
                {"community_id": c, "person_id": p, "joined_at": NOW - timedelta(days=400)}
                for c, ps in members.items()
                for p in ps
            ],
        )
        counts["participation"] = _participation(conn, rng, members, participation)
        counts.update(_items(conn, rng, members))
    engine.dispose()
    counts["communities"] = communities
    counts["people"] = people
    return counts


def _participation(
    conn: Connection, rng: random.Random, members: dict[int, list[int]], total: int
) -> int:
    """``total`` distinct (community, person, day) counts over the last year."""
    per = total // len(members)
    today = NOW.date()

    def rows() -> Iterator[dict[str, Any]]:
        for c, ps in members.items():
            for cell in rng.sample(range(len(ps) * 365), per):
                person, back = divmod(cell, 365)
                yield {
                    "community_id": c,
                    "person_id": ps[person],
                    "day": today - timedelta(days=back),
                    "messages": rng.randint(1, 12),
                }

    batch: list[dict[str, Any]] = []
    written = 0
    for row in rows():
        batch.append(row)
        if len(batch) == CHUNK:
            conn.execute(insert(_table(Participation)), batch)
            written += len(batch)
            batch = []
    if batch:
        conn.execute(insert(_table(Participation)), batch)
        written += len(batch)
    return written


def _items(conn: Connection, rng: random.Random, members: dict[int, list[int]]) -> dict[str, int]:
    """A year of ideas, requests, offers, feedback and events; most communities active last
    week, some quiet."""
    ideas, changes, requests, offers, helpers, feedback, events, attendances = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    idea_id = request_id = event_id = 0
    for c, ps in members.items():
        lively = rng.random() < 0.85
        for n in range(24):
            idea_id += 1
            recent = lively and n < 3
            created = _ago(rng, 7) if recent else NOW - timedelta(days=8 + rng.uniform(0, 350))
            stage = rng.choice(("proposed", "proposed", "development", "pilot", "shelved"))
            ideas.append(
                {
                    "id": idea_id,
                    "community_id": c,
                    "title": f"Idea {idea_id}: try something new with partners",
                    "description": "A realistic description of the idea. " * 3,
                    "themes": [],
                    "author_id": rng.choice(ps),
                    "champion_id": rng.choice(ps),
                    "stage": stage,
                    "scaling": "unrated",
                    "lessons": "What we learned." if stage == "shelved" else None,
                    "votes": rng.randint(0, 12),
                    "permalink": f"https://t1.slack.com/archives/C{c}/p{idea_id}",
                    "created_at": created,
                    "stage_changed_at": created,
                }
            )
            changes.append(
                {"idea_id": idea_id, "from_stage": None, "to_stage": "proposed", "at": created}
            )
            if stage != "proposed":
                moved = created + (NOW - created) * rng.random()
                changes.append(
                    {"idea_id": idea_id, "from_stage": "proposed", "to_stage": stage, "at": moved}
                )
        for n in range(12):
            request_id += 1
            created = (
                _ago(rng, 5) if lively and n < 2 else NOW - timedelta(days=6 + rng.uniform(0, 350))
            )
            status = rng.choice(("open", "answered", "resolved", "resolved"))
            requester = rng.choice(ps)
            helper = rng.choice([p for p in ps if p != requester])
            responded = created + timedelta(hours=rng.uniform(1, 48)) if status != "open" else None
            requests.append(
                {
                    "id": request_id,
                    "community_id": c,
                    "question": f"Who knows how to run request {request_id} well?",
                    "tags": ["facilitation"],
                    "requester_id": requester,
                    "status": status,
                    "created_at": created,
                    "first_response_at": responded,
                    "resolved_at": responded + timedelta(days=1)
                    if status == "resolved" and responded
                    else None,
                }
            )
            if responded is not None:
                offers.append({"request_id": request_id, "person_id": helper, "at": responded})
            if status == "resolved":
                helpers.append({"request_id": request_id, "person_id": helper})
        for n in range(12):
            anonymous = rng.random() < 0.3
            feedback.append(
                {
                    "community_id": c,
                    "target_kind": rng.choice(("community", "deliverable", "idea")),
                    "target_id": None,
                    "rating": rng.randint(1, 5),
                    "text": "Useful session, thanks.",
                    "source": "staff",
                    "anonymous": anonymous,
                    "author_id": None if anonymous else rng.choice(ps),
                    "created_at": _ago(rng, 7) if lively and n < 2 else _ago(rng, 360),
                }
            )
        for _ in range(6):
            event_id += 1
            day = NOW.date() + timedelta(days=rng.randint(-300, 20))
            events.append(
                {
                    "id": event_id,
                    "community_id": c,
                    "title": f"Workshop {event_id}",
                    "day": day,
                    "kind": rng.choice(("workshop", "training", "webinar", "meeting")),
                    "created_at": NOW - timedelta(days=320),
                }
            )
            for p in rng.sample(ps, 5):
                at = datetime.combine(min(day, NOW.date()), datetime.min.time(), tzinfo=UTC)
                attendances.append({"event_id": event_id, "person_id": p, "at": at})
    for model, rows in (
        (Idea, ideas),
        (StageChange, changes),
        (HelpRequest, requests),
        (HelpOffer, offers),
        (CreditedHelper, helpers),
        (Feedback, feedback),
        (Event, events),
        (Attendance, attendances),
    ):
        _bulk(conn, model, rows)
    return {
        "ideas": len(ideas),
        "requests": len(requests),
        "offers": len(offers),
        "feedback": len(feedback),
        "events": len(events),
        "attendances": len(attendances),
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(url: str) -> None:
    settings = Settings(_env_file=None, database_url=url, copbot_timezone="UTC")
    container = bootstrap(settings, migrate=False)
    try:
        tracemalloc.start()
        dry = community_digest.run(container, now=NOW, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_before = _rss_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        report = community_digest.run(container, now=NOW)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        container.close()
    print(f"digests built: {len(dry.outgoing)} (quiet communities skipped: {dry.notes})")
    print(f"digest run (build + queue {report.queued} outbox rows):")
    print(f"  wall time       {wall:6.2f} s   (target < 10 s)")
    print(f"  CPU time        {cpu:6.2f} s")
    print(f"  peak Python     {peak / 2**20:6.1f} MiB (tracemalloc, dry run)")
    print(f"  peak RSS        {max(rss_before, _rss_mb()):6.1f} MiB (whole process, incl. build)")
    print("PASS" if wall < 10 else "SLOWER THAN TARGET")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--communities", type=int, default=1_000)
    parser.add_argument("--participation", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="copbot-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    schema = None
    if args.database_url:
        base = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"copbot_bench_{os.getpid()}"
        with create_engine(base).begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        started = time.perf_counter()
        upgrade(url)
        counts = build(
            url, communities=args.communities, participation=args.participation, seed=args.seed
        )
        print(f"store: {'PostgreSQL' if schema else url}")
        print("  " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        print(f"  built in {time.perf_counter() - started:.1f} s")
        if url.startswith("sqlite"):
            with create_engine(url).begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with create_engine(url).begin() as conn:
                conn.execute(text("ANALYZE"))
        measure(url)
    finally:
        if schema and not args.keep and args.database_url:
            base = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            with create_engine(base).begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        if args.keep:
            print(f"kept: {url}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
