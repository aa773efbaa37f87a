"""Benchmark: the weekly digest run as the organisation grows, 1,000 and 10,000 communities.

    python -m benchmarks.digest_run                                 # 1,000 communities
    python -m benchmarks.digest_run --communities 1000 10000        # both sizes
    python -m benchmarks.digest_run --database-url postgresql://… --communities 1000 10000

For each size a new store (:mod:`benchmarks.digest_store`: communities in five time zones,
20 members each, a year of items, a million participation rows) in a temporary SQLite file
or a private PostgreSQL schema, dropped afterwards (``--keep`` keeps it). Each phase runs in
a process of its own, so that each measures only itself:

1. the store is built;
2. a dry run under ``tracemalloc``: peak Python allocations while every digest is read and
   built;
3. the run itself, which reads, builds and queues every digest in the outbox: wall and CPU
   time, and the process's peak RSS beside its RSS before the run.

Target (SPEC §8, issue 10): under 10 s at 10,000 communities. The load average (as
``uptime`` says it) is printed beside each figure: on a busy machine wall time measures the
wait for a core as much as the work.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from benchmarks.digest_store import NOW, build
from bot.container import Container
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests import community_digest
from storage.migrate import upgrade

TARGET_S = 10.0


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _isolated(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(*args)`` in a new process (nothing inherited, its own peak RSS)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def store(url: str, communities: int, participation: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    upgrade(url)
    counts = build(url, communities=communities, participation=participation, seed=seed)
    with create_engine(url).begin() as conn:
        conn.execute(text("ANALYZE"))
    return {"counts": counts, "seconds": time.perf_counter() - started}


def _container(url: str) -> Container:
    return bootstrap(
        Settings(_env_file=None, database_url=url, copbot_timezone="UTC"), migrate=False
    )


def traced_dry_run(url: str) -> dict[str, Any]:
    container = _container(url)
    try:
        tracemalloc.start()
        dry = community_digest.run(container, now=NOW, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        container.close()
    return {"digests": len(dry.outgoing), "notes": dry.notes, "peak": peak / 2**20}


def timed_run(url: str) -> dict[str, Any]:
    container = _container(url)
    try:
        before = _rss_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        report = community_digest.run(container, now=NOW)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        container.close()
    return {
        "wall": wall,
        "cpu": cpu,
        "queued": report.queued,
        "rss_before": before,
        "rss_peak": _rss_mb(),
        "load": load(),
    }


def measure(url: str, communities: int, args: argparse.Namespace) -> str:
    print(f"--- {communities:,} communities ({load()})", flush=True)
    built = _isolated(store, url, communities, args.participation, args.seed)
    print("store: " + ", ".join(f"{n:,} {what}" for what, n in built["counts"].items()))
    print(f"  built in {built['seconds']:.1f} s", flush=True)
    dry = _isolated(traced_dry_run, url)
    print(f"digests built: {dry['digests']:,} (notes: {'; '.join(dry['notes']) or 'none'})")
    run = _isolated(timed_run, url)
    verdict = "meets" if run["wall"] < TARGET_S else "misses"
    print(f"digest run (read, build and queue {run['queued']:,} outbox rows):")
    print(f"  wall time     {run['wall']:6.2f} s   ({verdict} < {TARGET_S:.0f} s; {run['load']})")
    print(f"  CPU time      {run['cpu']:6.2f} s")
    print(f"  peak Python   {dry['peak']:6.1f} MiB (tracemalloc, dry run)")
    print(
        f"  peak RSS      {run['rss_peak']:6.1f} MiB "
        f"(whole process; {run['rss_before']:.1f} MiB before the run)",
        flush=True,
    )
    return (
        f"{communities:>7,} communities: wall {run['wall']:.2f} s ({verdict} < {TARGET_S:.0f} s), "
        f"CPU {run['cpu']:.2f} s, peak Python {dry['peak']:.0f} MiB, "
        f"peak RSS {run['rss_peak']:.0f} MiB; {run['load']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--communities", type=int, nargs="+", default=[1_000])
    parser.add_argument("--participation", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args()
    summary: list[str] = []
    for communities in args.communities:
        tmp = Path(tempfile.mkdtemp(prefix="copbot-bench-"))
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        base = schema = None
        if args.database_url:
            base = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            schema = f"copbot_bench_{os.getpid()}_{communities}"
            with create_engine(base).begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        try:
            summary.append(measure(url, communities, args))
        finally:
            if base and schema and not args.keep:
                with create_engine(base).begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            if args.keep:
                print(f"kept: {url}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(["", "summary:", *summary]))
    return 0 if all("meets" in line for line in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
