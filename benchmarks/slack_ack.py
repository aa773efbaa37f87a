"""Slack acknowledgement latency and throughput: cop-bot beside a bare Bolt app.

    python -m benchmarks.slack_ack [--seconds 10] [--rate 100]

Starts, each in its own process on 127.0.0.1: the fake Slack Web API (tests/fakes), cop-bot's
real web server (``/slack/events``, a temporary SQLite database, one community bound to the
channel with participation counting on), and a bare Bolt ``AsyncApp`` that only acknowledges.
Then drives each server at ``--rate`` requests per second for ``--seconds`` seconds with signed
slash commands (``/cop idea …``, which create ideas after the ack) and with message events
(counted after the ack), and prints p50/p99 acknowledgement latency and throughput for both,
their ratio, and how long cop-bot took to finish the work behind the acks.

Targets (issue 3, SPEC §8): p99 under 100 ms, throughput at least 70% of the bare app's.
A script, not a test: it takes about ``4 × seconds`` plus start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import socket
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event as MpEvent
from pathlib import Path
from typing import Any

import aiohttp

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-T111-bench"
TEAM = "T111"
CHANNEL = "CBENCH"
USERS = 20
TIMEOUT = 10.0
MAX_IN_FLIGHT = 1000


# --------------------------------------------------------------------------- processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_fake(queue: Any, stop: MpEvent) -> None:
    from tests.fakes.slack_api import FakeSlackAPI

    with FakeSlackAPI(team_id=TEAM) as fake:
        queue.put(fake.api_url)
        stop.wait()


def _run_copbot(db: str, api_url: str, port: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    from aiohttp import web

    from bot.clock import utcnow
    from bot.messages import Actor, Inbound, Platform
    from bot.settings import Settings
    from copbot.bootstrap import bootstrap
    from copbot.web import build_app
    from handlers.slack.mount import mounts

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{db}",
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        copbot_coordinators=["bench-coordinator"],
    )
    container = bootstrap(settings)
    actor = Actor(Platform.SLACK, TEAM, "UCOORD", display_name="bench-coordinator")
    for line in (
        "community create bench",
        "community bind bench",
        "community settings counting=on",
    ):
        reply = container.runner.handle(Inbound(actor, CHANNEL, line, "bench"), now=utcnow())
        assert not reply.error, reply.text
    app = build_app(container, mounts(container))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _run_bare(api_url: str, port: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @bolt.command("/cop")
    async def command(ack: Any) -> None:
        await ack()

    @bolt.event("message")
    async def message() -> None:
        return None

    async def dispatch(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", dispatch)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# --------------------------------------------------------------------------- requests


def _command(i: int) -> tuple[bytes, str]:
    from tests.fakes.slack_signing import slash_command_body

    body = slash_command_body(
        text=f"idea Benchmark idea number {i}",
        user_id=f"UB{i % USERS:04d}",
        channel_id=CHANNEL,
        team_id=TEAM,
        response_url="http://127.0.0.1:9/unused",
        trigger_id=f"{i}.bench",
        enterprise_id="",
    )
    return body.encode(), "application/x-www-form-urlencoded"


def _event(i: int) -> tuple[bytes, str]:
    ts = f"{int(time.time())}.{i:06d}"
    payload = {
        "token": "x",
        "team_id": TEAM,
        "api_app_id": "A0COPBOT1",
        "type": "event_callback",
        "event_id": f"EvBench{i:08d}",
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "text": f"message {i}",
            "user": f"UB{i % USERS:04d}",
            "ts": ts,
            "channel": CHANNEL,
            "event_ts": ts,
            "channel_type": "channel",
        },
    }
    return json.dumps(payload).encode(), "application/json"


@dataclass
class Result:
    target: str
    workload: str
    sent: int
    ok: int
    latencies: list[float]
    elapsed: float

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


async def _drive(
    url: str, bodies: list[tuple[bytes, str]], rate: float
) -> tuple[int, list[float], float]:
    from tests.fakes.slack_signing import sign

    latencies: list[float] = []
    ok = 0
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    connector = aiohttp.TCPConnector(limit=MAX_IN_FLIGHT)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def one(body: bytes, content_type: str) -> None:
            nonlocal ok
            headers = {"Content-Type": content_type, **sign(body, SECRET)}
            async with gate:
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        if response.status == 200:
                            ok += 1
                            latencies.append(time.perf_counter() - started)
                except (TimeoutError, aiohttp.ClientError):
                    pass

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for i, (body, content_type) in enumerate(bodies):
            delay = start + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body, content_type)))
        await asyncio.gather(*tasks)
        elapsed = loop.time() - start
    return ok, latencies, elapsed


async def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{base} did not start")


def _backlog(db: str, query: str, want: int, timeout: float = 120.0) -> float | None:
    """Seconds until ``query`` on the bot's database reaches ``want`` (None on timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with sqlite3.connect(db, timeout=5) as conn:
            if (conn.execute(query).fetchone() or [0])[0] >= want:
                return time.monotonic() - started
        time.sleep(0.1)
    return None


async def _phase(
    target: str, base: str, workload: str, first: int, count: int, rate: float
) -> Result:
    make = _command if workload == "slash command" else _event
    await _drive(f"{base}/slack/events", [make(first - 1 - n) for n in range(20)], rate)  # warm up
    bodies = [make(first + n) for n in range(count)]
    ok, latencies, elapsed = await _drive(f"{base}/slack/events", bodies, rate)
    return Result(target, workload, count, ok, latencies, elapsed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per workload (default 10)")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second (100)")
    args = parser.parse_args(argv)
    count = int(args.seconds * args.rate)
    ctx = mp.get_context("spawn")
    workdir = Path(tempfile.mkdtemp(prefix="copbot-bench-"))
    db = str(workdir / "bench.sqlite3")
    queue = ctx.Queue()
    stop = ctx.Event()
    fake = ctx.Process(target=_run_fake, args=(queue, stop), daemon=True)
    fake.start()
    api_url = queue.get(timeout=30)
    bot_port, bare_port = _free_port(), _free_port()
    bot = ctx.Process(target=_run_copbot, args=(db, api_url, bot_port), daemon=True)
    bare = ctx.Process(target=_run_bare, args=(api_url, bare_port), daemon=True)
    bot.start()
    bare.start()
    bot_url, bare_url = f"http://127.0.0.1:{bot_port}", f"http://127.0.0.1:{bare_port}"
    results: list[Result] = []
    drained: dict[str, float | None] = {}
    try:
        asyncio.run(_wait_healthy(bot_url))
        asyncio.run(_wait_healthy(bare_url))
        print(f"{count} requests per run at {args.rate:g}/s over loopback; SQLite at {db}")
        for workload in ("slash command", "message event"):
            results.append(
                asyncio.run(_phase("bare Bolt", bare_url, workload, 100_000, count, args.rate))
            )
            results.append(
                asyncio.run(_phase("cop-bot", bot_url, workload, 200_000, count, args.rate))
            )
            if workload == "slash command":
                drained[workload] = _backlog(db, "SELECT count(*) FROM ideas", count + 20)
            else:
                drained[workload] = _backlog(
                    db, "SELECT coalesce(sum(messages), 0) FROM participation", count + 20
                )
    finally:
        for process in (bot, bare):
            process.terminate()
        stop.set()
        for process in (bot, bare, fake):
            process.join(timeout=10)
    _report(results, drained)
    return 0 if _passed(results) else 1


def _passed(results: list[Result]) -> bool:
    by = {(r.target, r.workload): r for r in results}
    for workload in ("slash command", "message event"):
        mine, bare = by[("cop-bot", workload)], by[("bare Bolt", workload)]
        if mine.percentile(99) >= 100 or mine.throughput < 0.7 * bare.throughput:
            return False
    return True


def _report(results: list[Result], drained: dict[str, float | None]) -> None:
    print(
        f"\n{'workload':<15} {'server':<10} {'ok/sent':>11} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'req/s':>7}"
    )
    for r in results:
        print(
            f"{r.workload:<15} {r.target:<10} {f'{r.ok}/{r.sent}':>11} {r.percentile(50):>8.1f} "
            f"{r.percentile(99):>8.1f} {r.percentile(100):>8.1f} {r.throughput:>7.1f}"
        )
    by = {(r.target, r.workload): r for r in results}
    print()
    for workload in ("slash command", "message event"):
        mine, bare = by[("cop-bot", workload)], by[("bare Bolt", workload)]
        ratio = mine.throughput / bare.throughput if bare.throughput else float("nan")
        p99_ok = "ok" if mine.percentile(99) < 100 else "MISSED"
        ratio_ok = "ok" if ratio >= 0.7 else "MISSED"
        done = drained.get(workload)
        after = f"{done:.1f} s" if done is not None else "not within 120 s"
        print(
            f"{workload}: cop-bot p99 {mine.percentile(99):.1f} ms (target < 100: {p99_ok}); "
            f"throughput {ratio:.0%} of bare (target >= 70%: {ratio_ok}); "
            f"work behind the acks finished {after} after the last ack"
        )
    print("\nAll targets met." if _passed(results) else "\nSome targets were missed.")


if __name__ == "__main__":
    sys.exit(main())
