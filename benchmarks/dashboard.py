"""Dashboard page time on the store of ``benchmarks.stats_latency`` (a million participation
rows, 100,000 items).

    python -m benchmarks.dashboard [--database-url URL] [--runs 30]

Serves the real web app (aiohttp, the dashboard mounted as in production) on a local port and
times GET requests with a personal link, from the request leaving to the last byte read: the
link checked, the page's reads in a worker thread, the template rendered. Measured:

- the indicators page of a coordinator (organisation) and of a focal point (one community),
  first without any snapshot (every one of the 8 trend periods computed), then once the
  nightly tally has recorded the final snapshots of the periods that are over, as it does in
  a running deployment: computed on every request, and as served again within the minute
  the figures are kept;
- the idea pipeline and the communities page of the coordinator, computed and within the
  minute;
- one trend chart image (drawn once, then served from the process's cache).

The target is p95 under 300 ms for the pages, with snapshots in place.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer

from benchmarks.stats_latency import TZ, _line, _p95, database, seed, store_arguments
from benchmarks.stats_seed import NOW
from bot.container import Container
from bot.indicators import Scope
from bot.indicators.history import record_snapshots
from bot.periods import parse_period, periods_back
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from copbot.dashboard import dashboard_mount
from copbot.web import build_app
from handlers.console.chat import inbound

TARGET_P95_MS = 300.0
SECRET = "benchmark-secret-key-32-characters"


def _link(container: Container, user: str) -> str:
    reply = container.runner.handle(inbound(user, "bench", "dashboard"), now=NOW)
    assert not reply.error, reply.text
    link = reply.sections[0].items[0].link or ""
    return link.removeprefix(container.settings.public_url)


def _tally(container: Container, settings: Settings, scopes: list[Scope]) -> None:
    """What the nightly tally leaves behind: final snapshots of the closed quarters."""
    tz = ZoneInfo(TZ)
    today: date = NOW.astimezone(tz).date()
    closed = [p for p in periods_back(parse_period(None, today=today), 8) if p.end <= today]
    with container.uow() as uow:
        for scope in scopes:
            for period in closed:
                record_snapshots(
                    uow.session,
                    period=period,
                    scope=scope,
                    tz=tz,
                    active_threshold=settings.copbot_active_threshold,
                    now=NOW,
                )
        uow.commit()


async def _timed(client: TestClient[Any, Any], path: str, runs: int) -> list[float]:
    out = []
    for i in range(runs + 1):
        start = time.perf_counter()
        response = await client.get(path)
        await response.read()
        assert response.status == 200, (path, response.status)
        if i:  # the first request warms caches, as a running bot's would be
            out.append((time.perf_counter() - start) * 1000)
    return out


async def _measure(container: Container, settings: Settings, runs: int) -> int:
    container.runner.handle(inbound("fran", "bench", "ideas"), now=NOW)
    reply = container.runner.handle(
        inbound("cora", "bench", "focal add @fran community-1"), now=NOW
    )
    assert not reply.error, reply.text
    cora, fran = _link(container, "cora"), _link(container, "fran")
    uncached = dashboard_mount(clock=lambda: NOW, figures_for=timedelta(0))
    client: TestClient[Any, Any] = TestClient(TestServer(build_app(container, [uncached])))
    cached = dashboard_mount(clock=lambda: NOW)
    warm: TestClient[Any, Any] = TestClient(TestServer(build_app(container, [cached])))
    await client.start_server()
    await warm.start_server()
    results: dict[str, list[float]] = {}
    try:
        community = f"&scope={quote('community:community-1')}"
        print(f"period 2026-Q4 and the 7 quarters before it, {runs} runs each, {TZ}")
        few = max(3, runs // 10)
        results["indicators, coordinator, no snapshots"] = await _timed(client, cora, few)
        results["indicators, focal point, no snapshots"] = await _timed(
            client, fran + community, few
        )
        started = time.perf_counter()
        _tally(container, settings, [Scope.org(), Scope.community(1, "community-1")])
        print(f"  (nightly tally of 6 closed quarters: {time.perf_counter() - started:.1f} s)")
        results["indicators, coordinator, computed"] = await _timed(client, cora, runs)
        results["indicators, focal point, computed"] = await _timed(client, fran + community, runs)
        results["indicators, coordinator, within a minute"] = await _timed(warm, cora, runs)
        pipeline = cora.replace("/dashboard/?", "/dashboard/pipeline?")
        results["idea pipeline, coordinator, computed"] = await _timed(client, pipeline, runs)
        results["idea pipeline, within a minute"] = await _timed(warm, pipeline, runs)
        communities = cora.replace("/dashboard/?", "/dashboard/communities?")
        results["communities (200), computed"] = await _timed(client, communities, runs)
        results["communities (200), within a minute"] = await _timed(warm, communities, runs)
        chart = cora.replace("/dashboard/?", "/dashboard/chart/community_messages.png?")
        results["chart image (cached after the first)"] = await _timed(
            client, chart + "&scope=all", few
        )
    finally:
        await client.close()
        await warm.close()
    for name, times in results.items():
        print(_line(name, times))
    pages = {n: t for n, t in results.items() if "snapshots" not in n and "chart" not in n}
    worst = max(_p95(t) for t in pages.values())
    verdict = "meets" if worst < TARGET_P95_MS else "misses"
    print(f"dashboard pages p95 {worst:.1f} ms {verdict} the {TARGET_P95_MS:.0f} ms target")
    return 0 if worst < TARGET_P95_MS else 1


def main(argv: list[str] | None = None) -> int:
    args = store_arguments(__doc__.split("\n\n")[0], 30).parse_args(argv)

    with database(args.database_url) as url:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url,
            copbot_coordinators=["cora"],
            copbot_timezone=TZ,
            copbot_dashboard=True,
            copbot_secret_key=SECRET,
        )
        container = bootstrap(settings, migrate=False)
        try:
            seed(container, args)
            return asyncio.run(_measure(container, settings, args.runs))
        finally:
            container.close()


if __name__ == "__main__":
    raise SystemExit(main())
