"""Slack acknowledgement latency under a realistic load: cop-bot beside a bare Bolt app.

    python -m benchmarks.slack_ack [--rates 50,100,200,400] [--runs 3] [--seconds 5]
                                   [--database-url postgresql://…] [--web 2] [--quick]

Starts, each in its own process on 127.0.0.1: the stand-in Slack Web API (tests/fakes), the
real ``copbot serve`` (web process and its inbox workers) on a store of 100,000 ideas, and a
bare Bolt app that only acknowledges. At each rate, three runs each of the same mix
(40% ``idea …`` captures, 15% ``ideas`` listings, 10% vote buttons, 35% message events in a
bound channel with counting on; 200 distinct people) go to the bare app and then to
cop-bot. Prints p50/p99 acknowledgement latency per rate, the time for the work behind the
acks to drain after the last request, and whether every acknowledged capture was stored;
then the highest rate where cop-bot's p99 stays under 100 ms and within 2x the bare app's.

On PostgreSQL (``--database-url``) a private schema is used and dropped; ``--web 2`` runs
two web processes (one inbox worker each) and spreads the requests over both, as a load
balancer would. A script, not a test: about ``2 × runs × seconds`` per rate plus draining.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, text

from benchmarks import load_mix
from benchmarks.load_mix import SECRET, TOKEN, Mix

SLACK_TIMEOUT = 3.0  # Slack shows the person an error after this
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    late: int = 0  # answered after Slack's 3 s, or not at all
    drain: float | None = None
    stored: bool | None = None

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


async def drive(urls: list[str], mix: Mix, rate: float, seconds: float) -> tuple[Run, list[str]]:
    from tests.fakes.slack_signing import sign

    run = Run()
    acked: list[str] = []
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=2000)
    ) as session:

        async def one(i: int) -> None:
            kind, body, content_type = mix.next()
            title = mix.captures[-1] if kind == "capture" else None
            headers = {"Content-Type": content_type, **sign(body, SECRET)}
            started = time.perf_counter()
            try:
                async with session.post(urls[i % len(urls)], data=body, headers=headers) as r:
                    await r.read()
                    took = time.perf_counter() - started
                    if r.status == 200 and took <= SLACK_TIMEOUT:
                        run.latencies.append(took)
                        if title:
                            acked.append(title)
                        return
            except (TimeoutError, aiohttp.ClientError):
                pass
            run.late += 1

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for i in range(int(rate * seconds)):
            delay = start + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        run.sent = len(tasks)
        await asyncio.gather(*tasks)
    return run, acked


class Store:
    """The database: a SQLite file (its inbox journal beside it) or a private schema."""

    def __init__(self, url: str | None, workdir: Path) -> None:
        self.schema: str | None = None
        if url is None:
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            self.inbox_url = f"sqlite:///{workdir / 'bench.inbox.sqlite3'}"
            self.base = None
        else:
            self.base = url.replace("postgresql://", "postgresql+psycopg://", 1)
            self.schema = f"copbot_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            admin = create_engine(self.base)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {self.schema}"))
            admin.dispose()
            glue = "&" if "?" in self.base else "?"
            self.url = f"{self.base}{glue}options=-csearch_path%3D{self.schema}"
            self.inbox_url = self.url

    def count(self, sql: str, url: str | None = None, **params: object) -> int:
        engine = create_engine(url or self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(sql), params).scalar() or 0)
        finally:
            engine.dispose()

    def drained(self, label: str, acked: int, since: float, limit: float = 180) -> Run:
        run = Run()
        while time.monotonic() - since < limit:
            pending = self.count(
                "SELECT count(*) FROM inbox WHERE status = 'pending'", self.inbox_url
            )
            stored = self.count("SELECT count(*) FROM ideas WHERE title LIKE :p", p=f"{label}-%")
            if pending == 0 and stored >= acked:
                # More stored than acknowledged is fine: a request answered after the client
                # gave up was stored all the same (Slack's retry would find it).
                run.drain, run.stored = time.monotonic() - since, True
                return run
            time.sleep(0.25)
        run.stored = False
        return run

    def drop(self) -> None:
        if self.schema is not None and self.base is not None:
            admin = create_engine(self.base)
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            admin.dispose()


def start_copbot(
    store: Store, api_url: str, port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": store.url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "COPBOT_COORDINATORS": "UCOORD",
        "COPBOT_INBOX_WORKERS": str(workers),
        "PORT": str(port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "copbot", "serve"],
        env=env,
        cwd=log.parent,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status in (200, 503):
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--web", type=int, default=1, help="web processes (PostgreSQL)")
    parser.add_argument("--quick", action="store_true", help="one 3 s run per rate")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]
    runs, seconds = (1, 3.0) if args.quick else (args.runs, args.seconds)
    workdir = Path(tempfile.mkdtemp(prefix="copbot-load-"))
    store = Store(args.database_url, workdir)
    started = time.monotonic()
    load_mix.seed(store.url)
    print(
        f"seeded {load_mix.SEEDED_IDEAS:,} ideas in {time.monotonic() - started:.0f} s; "
        f"{'PostgreSQL' if store.schema else 'SQLite'}, {args.web} web process(es); "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    ctx = mp.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    fake = ctx.Process(target=load_mix.run_fake, args=(queue, stop), daemon=True)
    fake.start()
    api_url = queue.get(timeout=60)
    fake_base = api_url.rstrip("/").removesuffix("/api")
    bare_port = load_mix.free_port()
    bare = ctx.Process(target=load_mix.run_bare, args=(api_url, bare_port), daemon=True)
    bare.start()
    per_web = max(1, 2 // args.web)
    ports = [load_mix.free_port() for _ in range(args.web)]
    bots = [start_copbot(store, api_url, p, per_web, workdir / f"web{p}.log") for p in ports]
    bare_urls = [f"http://127.0.0.1:{bare_port}/slack/events"]
    bot_urls = [f"http://127.0.0.1:{p}/slack/events" for p in ports]
    results: dict[float, tuple[list[Run], list[Run]]] = {}
    try:
        asyncio.run(wait_up(f"http://127.0.0.1:{bare_port}"))
        for p in ports:
            asyncio.run(wait_up(f"http://127.0.0.1:{p}"))
        for rate in rates:
            bare_runs, bot_runs = [], []
            for n in range(runs):
                run, _ = asyncio.run(
                    drive(bare_urls, Mix(f"bare{rate:g}x{n}", fake_base), rate, seconds)
                )
                bare_runs.append(run)
                label = f"bench-cb{rate:g}x{n}"
                mix = Mix(label.removeprefix("bench-"), fake_base)
                run, acked = asyncio.run(drive(bot_urls, mix, rate, seconds))
                after = store.drained(label, len(acked), time.monotonic())
                run.drain, run.stored = after.drain, after.stored
                bot_runs.append(run)
                print(
                    f"  {rate:g}/s run {n + 1}: bare p99 {bare_runs[-1].pct(99):.0f} ms, "
                    f"cop-bot p99 {run.pct(99):.0f} ms, late {run.late}, drained "
                    f"{'-' if run.drain is None else f'{run.drain:.1f} s'}",
                    flush=True,
                )
            results[rate] = (bare_runs, bot_runs)
    finally:
        for bot in bots:
            os.killpg(bot.pid, 15)
            bot.wait(timeout=30)
        bare.terminate()
        stop.set()
        store.drop()
    report(results)
    return 0


def report(results: dict[float, tuple[list[Run], list[Run]]]) -> None:
    def span(values: list[float]) -> str:
        return f"{min(values):.0f}-{max(values):.0f}" if len(values) > 1 else f"{values[0]:.0f}"

    print(
        f"\n{'rate':>6} {'bare p50':>9} {'bare p99':>9} {'cop p50':>9} {'cop p99':>9} "
        f"{'late':>5} {'drain s':>9} {'all stored':>10}"
    )
    best = None
    for rate, (bare, bot) in results.items():
        drains = [r.drain for r in bot if r.drain is not None]
        stored = all(r.stored for r in bot)
        print(
            f"{rate:>6g} {span([r.pct(50) for r in bare]):>9} {span([r.pct(99) for r in bare]):>9}"
            f" {span([r.pct(50) for r in bot]):>9} {span([r.pct(99) for r in bot]):>9}"
            f" {sum(r.late for r in bot):>5} {span(drains) if drains else 'never':>9}"
            f" {'yes' if stored else 'NO':>10}"
        )
        worst_bot = max(r.pct(99) for r in bot)
        worst_bare = max(r.pct(99) for r in bare)
        if worst_bot < 100 and worst_bot <= 2 * max(worst_bare, 1.0) and stored:
            best = rate
    print(
        f"\nHighest rate with p99 < 100 ms, within 2x bare Bolt and everything stored: "
        f"{'none' if best is None else f'{best:g}/s'} (ms; ranges over the runs; 'late' = "
        f"answered after Slack's 3 s or not at all)"
    )


if __name__ == "__main__":
    sys.exit(main())
