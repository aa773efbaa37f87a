"""CPU per request in an inbox worker, by kind, through the whole path a stored Slack request
takes: claimed from the inbox, replayed through the Bolt listeners, run by the core, the reply
sent to the Slack Web API stand-in, the row marked done.

    python -m benchmarks.worker_cost [--requests 300] [--database-url URL] [--profile]

The store is the load benchmark's (``benchmarks.load_mix.seed``: 100,000 ideas with their
search documents and vectors, 200 communities). Requests of one kind at a time (the load
mix's captures, ``ideas`` listings, vote clicks and message events, from 200 people) are put
in the inbox and worked through by one worker in this process, as ``copbot inbox-worker``
does; ``time.process_time`` over the batch, divided by its size, is the CPU per request
(database driver included on SQLite; the stand-in runs in its own process and is not
counted). ``--profile`` prints where the CPU goes for each kind, over every thread (it needs
yappi, a development tool: ``pip install yappi``).

The mix-weighted mean is what sets how fast a backlog drains: at 200 requests/s a 2-core
machine has at most 10 ms of CPU per request for everything (acknowledgement, work, and the
load generator itself).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import shutil
import tempfile
import time
from pathlib import Path

import aiohttp

from benchmarks import load_mix
from benchmarks.load_mix import MIX, SECRET, TOKEN, Mix
from bot.clock import utcnow
from bot.container import Container
from bot.settings import Settings
from copbot.bootstrap import bootstrap, connect_platforms
from handlers.slack.inbox_worker import InboxWorker
from storage.inbox import Incoming

KINDS = [kind for kind, _ in MIX]


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} did not start")


async def standin_calls(url: str) -> dict[str, int]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        found: dict[str, int] = (await response.json())["calls"]
        return found


def incoming(mix: Mix, kind: str, count: int, users: list[str] | None = None) -> list[Incoming]:
    from handlers.slack.inbox import kept_headers, key_of
    from handlers.slack.ingress import parse

    found = []
    for n in range(count):
        _kind, body, content_type = mix.make(kind, users[n] if users else None)
        verified = parse(body, content_type)
        headers = kept_headers({"content-type": content_type})
        found.append(Incoming("slack", key_of(verified), verified.text, headers, utcnow()))
    return found


async def work(container: Container, batches: dict[str, list[Incoming]], profile: bool) -> None:
    from handlers.slack.app import build_bolt_app
    from handlers.slack.surface import SlackSurface

    assert container.inbox is not None
    surface = SlackSurface(container)
    bolt = build_bolt_app(container, surface, process_before_response=True)
    worker = InboxWorker(store=container.inbox, bolt=bolt, give_up=900)
    async with aiohttp.ClientSession() as session:
        bolt.client.session = session
        task = asyncio.get_running_loop().create_task(worker.run())
        for kind, requests in batches.items():
            profiling = profile and kind != "warm-up"
            started = time.process_time()
            if profiling:
                start_profile()
            container.inbox.put_many(requests)
            worker.wake.set()
            await worked_through(container, worker)
            await surface.drain()
            if profiling:
                stop_profile(kind)
            spent = time.process_time() - started
            if kind != "warm-up":
                RESULTS[kind] = spent * 1000 / len(requests)
        await worker.stop()
        await task


RESULTS: dict[str, float] = {}


async def worked_through(container: Container, worker: InboxWorker) -> None:
    """Wait until the inbox holds nothing unfinished, looking five times a second (a
    tighter poll would add its own CPU to what is measured)."""
    assert container.inbox is not None
    while True:
        count, _oldest = container.inbox.waiting()
        if count == 0 and not worker.busy:
            return
        await asyncio.sleep(0.2)


def start_profile() -> None:
    import yappi

    yappi.clear_stats()
    yappi.set_clock_type("cpu")
    yappi.start()


def stop_profile(kind: str) -> None:
    """CPU per function over every thread (the core runs in worker threads): the 45 with
    the most time inside them, then the 30 with the most time of their own."""
    import yappi

    yappi.stop()
    print(f"\n--- {kind}: where the CPU goes (yappi, all threads)")
    columns = {0: ("name", 110), 1: ("ncall", 8), 2: ("tsub", 8), 3: ("ttot", 8)}
    stats = yappi.get_func_stats()
    stats.sort("ttot", "desc").print_all(columns=columns, limit=45)
    stats.sort("tsub", "desc").print_all(columns=columns, limit=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per kind")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="of " + ", ".join(KINDS))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--reuse", type=Path, help="a SQLite file seeded by an earlier run (made when missing)"
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="copbot-worker-"))
    path = workdir / "bench.sqlite3"
    url = args.database_url or f"sqlite:///{path}"
    started = time.monotonic()
    if args.reuse is not None and args.reuse.exists() and args.database_url is None:
        shutil.copyfile(args.reuse, path)
    else:
        load_mix.seed(url)
        if args.reuse is not None and args.database_url is None:
            shutil.copyfile(path, args.reuse)
    print(f"seeded {load_mix.SEEDED_IDEAS:,} ideas in {time.monotonic() - started:.0f} s")
    port = load_mix.free_port()
    standin = mp.get_context("spawn").Process(
        target=load_mix.run_standin, args=(port,), daemon=True
    )
    standin.start()
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_up(f"{base}/stats"))
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=f"{base}/api/",
            copbot_coordinators=["UCOORD"],
        )
        container = bootstrap(settings, migrate=False)
        connect_platforms(container)
        mix = Mix("worker", base)
        # First contact for every person, the model and the vector index: not steady state.
        kinds = [kind for kind in KINDS if kind in args.kinds.split(",")]
        warm = incoming(mix, "listing", load_mix.USERS, load_mix.people())
        warm += [r for kind in kinds for r in incoming(mix, kind, 60)]
        batches = {"warm-up": warm}
        batches.update({kind: incoming(mix, kind, args.requests) for kind in kinds})
        asyncio.run(work(container, batches, args.profile))
        container.close()
        calls = asyncio.run(standin_calls(f"{base}/stats"))
    finally:
        standin.terminate()
    print(f"\nCPU per request in the inbox worker, mean of {args.requests} per kind:")
    for kind, share in MIX:
        if kind in RESULTS:
            print(f"  {kind:<8} {RESULTS[kind]:6.2f} ms   ({share:.0%} of the mix)")
    print(f"  Slack Web API calls in all: {dict(sorted(calls.items()))}")
    if len(RESULTS) == len(MIX):
        mean = sum(RESULTS[kind] * share for kind, share in MIX)
        print(f"  mix-weighted mean {mean:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
