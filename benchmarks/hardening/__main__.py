"""The hardening suite: every probe class of issue 9 against the real ``copbot serve``.

    python -m benchmarks.hardening [--db sqlite|postgresql|both] [--quick] [--pg-url URL]
                                   [--only outbox_two_workers]

Starts ``copbot serve`` (web process plus two inbox workers) against a stand-in Slack Web
API and a fresh database (a SQLite file in a temporary folder; on PostgreSQL a private
schema, dropped at the end), runs each probe class and prints one table: probes tried,
refused cleanly (or survived), captures acknowledged, stored, duplicates posted. The target
is every probe clean, 0 lost, 0 duplicated. ``--quick`` runs smaller loads and skips the
100 MB body (about two minutes per database).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable

from benchmarks.hardening import probes_load, probes_rights, probes_wire
from benchmarks.hardening.probes_wire import Outcome
from benchmarks.hardening.stack import Stack, stack

Probe = Callable[[Stack], Awaitable[Outcome]]


def probes(kind: str, quick: bool, only: str | None = None) -> list[Probe]:
    """The probes to run on ``kind``; with ``only``, those whose name contains it."""
    listed = _all(kind, quick)
    if only:
        wanted = only.split(",")
        listed = [p for p in listed if any(w in _name(p) for w in wanted)]
    return listed


def _name(probe: Probe) -> str:
    """A probe's function name, also for the ones wrapped in a lambda with their load."""
    code = getattr(probe, "__code__", None)
    names = code.co_names if code is not None and probe.__name__ == "<lambda>" else ()
    return " ".join([probe.__name__, *names])


def _all(kind: str, quick: bool) -> list[Probe]:
    listed: list[Probe] = [
        probes_wire.signatures_and_junk,
        lambda s: probes_wire.sizes(s, quick=quick),
        probes_wire.replays,
        probes_wire.teams_tokens,
        probes_wire.injection,
        probes_rights.forged_clicks,
        probes_rights.replayed_form,
        probes_rights.formula_injection,
        probes_load.slack_api_failing,
    ]
    if kind == "sqlite":
        listed += [
            lambda s: probes_load.locked_database(s, seconds=6 if quick else 15),
            probes_load.read_only_database,
        ]
    else:
        listed += [
            lambda s: probes_load.postgres_connections_killed(s, count=60 if quick else 150),
            probes_load.outbox_two_workers,
        ]
    listed += [
        lambda s: probes_load.kill_under_load(s, count=40 if quick else 100),
        probes_rights.coordinator_by_name,
        probes_rights.channel_takeover,
        probes_rights.limits,
        probes_rights.busy_port,
    ]
    return listed


def run(kind: str, *, quick: bool, pg_url: str | None, only: str | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with stack(kind, pg_url) as built:
        built.start()
        for probe in probes(kind, quick, only):
            started = time.monotonic()
            try:
                outcome = asyncio.run(probe(built))
            except Exception as error:  # a probe that breaks is reported, not hidden
                outcome = Outcome(getattr(probe, "__name__", "probe"), tried=1)
                outcome.notes.append(f"probe failed: {type(error).__name__}: {error}")
                if built.proc is None or built.proc.poll() is not None:
                    built.start()
            outcome.notes.append(f"{time.monotonic() - started:.0f} s")
            print(f"  {kind}: {outcome.name}: {'ok' if outcome.ok else 'NOT OK'}", flush=True)
            outcomes.append(outcome)
    return outcomes


def report(kind: str, outcomes: list[Outcome]) -> bool:
    print(f"\n{kind}")
    header = (
        f"{'probe class':<44} {'tried':>5} {'clean':>5} {'acked':>5} {'stored':>6} "
        f"{'lost':>4} {'dup':>4}  notes"
    )
    print(header)
    print("-" * len(header))
    for o in outcomes:
        print(
            f"{o.name[:44]:<44} {o.tried:>5} {o.clean:>5} {o.acked:>5} {o.stored:>6} "
            f"{o.lost:>4} {o.duplicates:>4}  {'; '.join(o.notes)[:90]}"
        )
        if not o.ok:  # the whole of what went wrong, not only the start of it
            for note in o.notes:
                print(f"    {note}")
    total = Outcome("total")
    for o in outcomes:
        total.tried += o.tried
        total.clean += o.clean
        total.acked += o.acked
        total.stored += o.stored
        total.duplicates += o.duplicates
    lost = sum(o.lost for o in outcomes)
    print("-" * len(header))
    print(
        f"{'total':<44} {total.tried:>5} {total.clean:>5} {total.acked:>5} {total.stored:>6} "
        f"{lost:>4} {total.duplicates:>4}"
    )
    failing = [o.name for o in outcomes if not o.ok]
    print(
        f"{kind}: {lost} lost, {total.duplicates} duplicated; "
        + (f"not clean: {', '.join(failing)}" if failing else "every probe clean")
    )
    return lost == 0 and total.duplicates == 0 and not failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="smaller loads, no 100 MB body")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("COPBOT_TEST_DATABASE_URL"),
        help="PostgreSQL server URL (a private schema is made and dropped)",
    )
    parser.add_argument(
        "--only",
        help="run only the probes whose function name contains one of these (comma-separated)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = {
        kind: run(kind, quick=args.quick, pg_url=args.pg_url, only=args.only) for kind in kinds
    }
    passed = [report(kind, outcomes) for kind, outcomes in results.items()]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
