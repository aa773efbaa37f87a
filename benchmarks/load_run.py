"""What ``benchmarks.slack_ack`` runs and measures: the store and what it holds, the cop-bot
processes and their CPU, one timed run of the mix."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import Engine, create_engine, text

from benchmarks.load_mix import CHANNEL, SECRET, TEAM, TOKEN, Mix

SLACK_TIMEOUT = 3.0  # Slack shows the person an error after this
ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    late: int = 0  # answered after Slack's 3 s, or not at all
    acked: dict[str, int] = field(default_factory=dict)  # by kind
    drain: float | None = None
    stored: bool | None = None
    missing: str = ""
    cpu_ms: tuple[float, float] | None = None  # web, inbox workers: per request
    load: float = 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


async def drive(urls: list[str], mix: Mix, rate: float, seconds: float) -> Run:
    """Send ``rate × seconds`` requests of the mix at a steady rate (bodies made and signed
    beforehand, so the sender spends little CPU while it sends)."""
    from tests.fakes.slack_signing import sign

    run = Run()
    requests = [mix.next() for _ in range(int(rate * seconds))]
    signed = [
        (kind, body, {"Content-Type": ct, **sign(body, SECRET)}) for kind, body, ct in requests
    ]
    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(limit=2000)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def one(i: int, kind: str, body: bytes, headers: dict[str, str]) -> None:
            started = time.perf_counter()
            try:
                async with session.post(urls[i % len(urls)], data=body, headers=headers) as r:
                    await r.read()
                    took = time.perf_counter() - started
                    if r.status == 200 and took <= SLACK_TIMEOUT:
                        run.latencies.append(took)
                        run.acked[kind] = run.acked.get(kind, 0) + 1
                        return
            except (TimeoutError, aiohttp.ClientError):
                pass
            run.late += 1

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for i, (kind, body, headers) in enumerate(signed):
            delay = start + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, kind, body, headers)))
        run.sent = len(tasks)
        await asyncio.gather(*tasks)
    return run


class Store:
    """The database: a SQLite file (its inbox journal beside it) or a private schema."""

    def __init__(self, url: str | None, workdir: Path) -> None:
        self.schema: str | None = None
        self.base: str | None = None
        if url is None:
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            self.inbox_url = f"sqlite:///{workdir / 'bench.inbox.sqlite3'}"
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
        self._engines: dict[str, Engine] = {}

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.schema else "SQLite"

    def count(self, sql: str, url: str | None = None, **params: object) -> int:
        url = url or self.url
        if url not in self._engines:
            self._engines[url] = create_engine(url)
        with self._engines[url].connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)

    def pending(self) -> int:
        return self.count("SELECT count(*) FROM inbox WHERE status = 'pending'", self.inbox_url)

    def failed(self) -> int:
        return self.count("SELECT count(*) FROM inbox WHERE status = 'failed'", self.inbox_url)

    def captured(self, mix: Mix) -> int:
        return self.count("SELECT count(*) FROM ideas WHERE title LIKE :p", p=mix.marked)

    def messages(self) -> int:
        """Messages counted in the benchmark channel's community, all days."""
        return self.count(
            "SELECT coalesce(sum(messages), 0) FROM participation p "
            "JOIN channel_bindings b ON b.community_id = p.community_id "
            "WHERE b.channel_id = :channel AND b.workspace = :team",
            channel=CHANNEL,
            team=TEAM,
        )

    def drained(self, run: Run, mix: Mix, messages_before: int, since: float) -> None:
        """Wait until nothing is pending and everything acknowledged is stored: the captures
        (by their titles) and the message counts. More stored than acknowledged is fine: a
        request answered after the client gave up was stored all the same."""
        limit = 180.0
        while time.monotonic() - since < limit:
            if self.pending() == 0:
                captured = self.captured(mix) >= run.acked.get("capture", 0)
                counted = self.messages() - messages_before >= run.acked.get("message", 0)
                if captured and counted and self.failed() == 0:
                    run.drain, run.stored = time.monotonic() - since, True
                    return
                run.missing = (
                    f"{self.captured(mix)}/{run.acked.get('capture', 0)} captures, "
                    f"{self.messages() - messages_before}/{run.acked.get('message', 0)} "
                    f"messages, {self.failed()} failed"
                )
                break
            time.sleep(0.1)
        run.stored = False

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
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
        for _ in range(600):
            try:
                async with session.get(url) as response:
                    if response.status in (200, 503):
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) of process ``pid`` (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in listed]


def cpu_seconds(bots: list[subprocess.Popen[bytes]]) -> tuple[float, float]:
    """CPU so far of the web processes and of their inbox workers (Linux; zeros elsewhere)."""
    web = sum(_cpu(bot.pid) for bot in bots)
    workers = sum(_cpu(child) for bot in bots for child in _children(bot.pid))
    return web, workers
