"""Slack acknowledgement latency under a realistic load: cop-bot beside a bare Bolt app.

    python -m benchmarks.slack_ack [--rates 50,100,200,400] [--runs 3] [--seconds 5] [--quick]
                                   [--database-url postgresql://…] [--web 1,2]

Starts, each in its own process on 127.0.0.1: a light stand-in for the Slack Web API
(``benchmarks.slack_standin``), the real ``copbot serve`` (web process and its inbox workers)
on a store of 100,000 ideas with their search documents and vectors (``load_mix.seed``), and
a bare Bolt app that only acknowledges. Every person of the mix talks to the bot once
first (first contact is not the steady state), then at each rate, ``--runs`` runs of the
same mix (40% ``idea …`` captures, 15% ``ideas`` listings, 10% vote buttons, 35% message
events in a bound channel with counting on; 200 distinct people) go to the bare app and
then to cop-bot. Printed per rate: p50/p99 acknowledgement latency of both, requests
answered late, the time for the work behind the acks to drain after the last request,
whether everything acknowledged was stored (every capture, every message counted, no
request failed), the server CPU per request (web process; inbox workers) and the load
average; then the highest rate where cop-bot's p99 stays under 100 ms and within 2x the
bare app's with everything stored.

On PostgreSQL (``--database-url``) a private schema is used and dropped; ``--web 1,2`` runs
the rates with one web process, then with two (the requests spread over both, as a load
balancer would; two inbox workers in all either way) and prints the ratio of the highest
rates each serves at the same p99. ``--quick``: one 3 s run per rate. A script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import load_mix
from benchmarks.load_mix import Mix
from benchmarks.load_run import Run, Store, cpu_seconds, drive, start_copbot, wait_up

TARGET_P99 = 100.0  # ms
WORKERS = 2  # inbox workers in all, as `copbot serve` starts by default

Results = dict[float, tuple[list[Run], list[Run]]]


def warm_up(store: Store, urls: list[str], base: str) -> None:
    """One listing from every person (their first contact), then wait until worked through."""
    from tests.fakes.slack_signing import sign

    mix = Mix("warm", base)

    async def send() -> None:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            for n, user in enumerate(load_mix.people()):
                _kind, body, content_type = mix.make("listing", user)
                headers = {"Content-Type": content_type, **sign(body, load_mix.SECRET)}
                async with session.post(urls[n % len(urls)], data=body, headers=headers) as r:
                    await r.read()
                await asyncio.sleep(0.02)

    asyncio.run(send())
    deadline = time.monotonic() + 300
    while store.pending() and time.monotonic() < deadline:
        time.sleep(0.2)


def run_rates(
    store: Store,
    *,
    web: int,
    api_url: str,
    bare_urls: list[str],
    rates: list[float],
    runs: int,
    seconds: float,
    workdir: Path,
) -> Results:
    """Start cop-bot with ``web`` web processes, warm it up, run every rate; stop it."""
    base = api_url.rstrip("/").removesuffix("/api")
    ports = [load_mix.free_port() for _ in range(web)]
    per_web = max(1, WORKERS // web)
    bots = [start_copbot(store, api_url, p, per_web, workdir / f"web{p}.log") for p in ports]
    bot_urls = [f"http://127.0.0.1:{p}/slack/events" for p in ports]
    results: Results = {}
    try:
        for p in ports:
            asyncio.run(wait_up(f"http://127.0.0.1:{p}/healthz"))
        warm_up(store, bot_urls, base)
        for rate in rates:
            bare_runs, bot_runs = [], []
            for n in range(runs):
                label = f"w{web}r{rate:g}n{n}"
                bare_runs.append(
                    asyncio.run(drive(bare_urls, Mix(f"bare-{label}", base), rate, seconds))
                )
                mix = Mix(label, base)
                messages, load, cpu = store.messages(), os.getloadavg()[0], cpu_seconds(bots)
                run = asyncio.run(drive(bot_urls, mix, rate, seconds))
                store.drained(run, mix, messages, time.monotonic())
                after = cpu_seconds(bots)
                run.load = max(load, os.getloadavg()[0])
                if run.sent:
                    run.cpu_ms = tuple(  # type: ignore[assignment]
                        (b - a) * 1000 / run.sent for a, b in zip(cpu, after, strict=True)
                    )
                bot_runs.append(run)
                print(line(rate, n, bare_runs[-1], run), flush=True)
            results[rate] = (bare_runs, bot_runs)
    finally:
        for bot in bots:
            os.killpg(bot.pid, 15)
            bot.wait(timeout=30)
    return results


def line(rate: float, n: int, bare: Run, run: Run) -> str:
    drained = "never" if run.drain is None else f"{run.drain:.1f} s"
    cpu = (
        ""
        if run.cpu_ms is None
        else f", CPU/request web {run.cpu_ms[0]:.1f} ms + workers {run.cpu_ms[1]:.1f} ms"
    )
    stored = "all stored" if run.stored else f"NOT ALL STORED ({run.missing})"
    return (
        f"  {rate:g}/s run {n + 1}: bare p99 {bare.pct(99):.0f} ms, cop-bot p50 {run.pct(50):.0f} "
        f"p99 {run.pct(99):.0f} ms, late {run.late}, drained {drained}, {stored}{cpu}, "
        f"load {run.load:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--web", default="1", help="web processes, e.g. 1,2 (PostgreSQL)")
    parser.add_argument("--quick", action="store_true", help="one 3 s run per rate")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]
    webs = [int(w) for w in args.web.split(",")]
    if args.database_url is None and webs != [1]:
        parser.error("more than one web process needs PostgreSQL (--database-url)")
    runs, seconds = (1, 3.0) if args.quick else (args.runs, args.seconds)
    workdir = Path(tempfile.mkdtemp(prefix="copbot-load-"))
    store = Store(args.database_url, workdir)
    started = time.monotonic()
    load_mix.seed(store.url)
    print(
        f"seeded {load_mix.SEEDED_IDEAS:,} ideas in {time.monotonic() - started:.0f} s; "
        f"{store.label}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    ctx = mp.get_context("spawn")
    api_port, bare_port = load_mix.free_port(), load_mix.free_port()
    standin = ctx.Process(target=load_mix.run_standin, args=(api_port,), daemon=True)
    standin.start()
    api_url = f"http://127.0.0.1:{api_port}/api/"
    bare = ctx.Process(target=load_mix.run_bare, args=(api_url, bare_port), daemon=True)
    bare.start()
    bare_urls = [f"http://127.0.0.1:{bare_port}/slack/events"]
    found: dict[int, Results] = {}
    try:
        asyncio.run(wait_up(f"http://127.0.0.1:{api_port}/stats"))
        asyncio.run(wait_up(f"http://127.0.0.1:{bare_port}/healthz"))
        for web in webs:
            print(f"{store.label}, {web} web process(es), {WORKERS} inbox workers:", flush=True)
            found[web] = run_rates(
                store,
                web=web,
                api_url=api_url,
                bare_urls=bare_urls,
                rates=rates,
                runs=runs,
                seconds=seconds,
                workdir=workdir,
            )
    finally:
        bare.terminate()
        standin.terminate()
        store.close()
    best = {
        web: report(results, f"{store.label}, {web} web process(es)")
        for web, results in found.items()
    }
    if len(best) > 1:
        one, two = best.get(1), best.get(2)
        ratio = "n/a" if not one or not two else f"{two / one:.2f}x"
        print(
            "\nTwo web processes against one, highest rate meeting the target: "
            f"{ratio} (target >= 1.8x)"
        )
    return 0


def _span(values: list[float]) -> str:
    values = [v for v in values if v == v]  # without NaN
    if not values:
        return "-"
    return f"{min(values):.0f}-{max(values):.0f}" if len(values) > 1 else f"{values[0]:.0f}"


def meets(bare: list[Run], bot: list[Run]) -> bool:
    worst_bot = max(r.pct(99) for r in bot)
    worst_bare = max(r.pct(99) for r in bare)
    return (
        worst_bot < TARGET_P99
        and worst_bot <= 2 * max(worst_bare, 1.0)
        and all(r.stored for r in bot)
    )


def report(results: Results, title: str) -> float | None:
    """The table for one configuration; the highest rate meeting the target."""
    print(
        f"\n{title}\n{'rate':>6} {'bare p50':>9} {'bare p99':>9} {'cop p50':>9} {'cop p99':>9} "
        f"{'late':>5} {'drain s':>9} {'stored':>7} {'CPU ms web+workers':>19} {'load':>9}"
    )
    best = None
    for rate, (bare, bot) in results.items():
        drains = [r.drain for r in bot if r.drain is not None]
        cpu = [r.cpu_ms for r in bot if r.cpu_ms is not None]
        cpu_text = f"{_span([c[0] for c in cpu])}+{_span([c[1] for c in cpu])}" if cpu else "-"
        drained = _span(drains) if len(drains) == len(bot) else "never"
        print(
            f"{rate:>6g} {_span([r.pct(50) for r in bare]):>9}"
            f" {_span([r.pct(99) for r in bare]):>9}"
            f" {_span([r.pct(50) for r in bot]):>9} {_span([r.pct(99) for r in bot]):>9}"
            f" {sum(r.late for r in bot):>5} {drained:>9}"
            f" {'yes' if all(r.stored for r in bot) else 'NO':>7} {cpu_text:>19}"
            f" {_span([r.load for r in bot]):>9}"
        )
        if meets(bare, bot):
            best = rate
    print(
        f"Highest rate with p99 < {TARGET_P99:.0f} ms, within 2x bare Bolt and everything "
        f"stored: {'none' if best is None else f'{best:g}/s'} (ms; ranges over the runs; "
        "'late' = answered after Slack's 3 s or not at all)"
    )
    return best


if __name__ == "__main__":
    sys.exit(main())
