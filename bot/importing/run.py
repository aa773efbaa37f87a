"""``import slack-export``: communities, people, participation and review candidates from a
Slack workspace export, in one run that is safe to repeat.

One transaction makes the communities, bindings and people; then one transaction per
channel adds its counts (through the ledger, so nothing is counted twice) and lists its
candidates. A crash halfway leaves whole channels imported, and running again finishes the
rest. ``dry_run`` does all of it in one transaction that is rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.importing import candidates as cands
from bot.importing.export import Listing, Problem, SlackExport
from bot.importing.ledger import AuthorDay, add_counts, source_of
from bot.importing.people import People
from bot.importing.places import PLATFORM, Place, place_channels
from bot.importing.scan import ChunkResult, Scanner, Target, chunks, scan_all, workers_for
from bot.settings import Settings
from storage.uow import UnitOfWork, UnitOfWorkFactory


class ImportRefused(Exception):
    """The export cannot be imported at all (no workspace id, nothing selected)."""


@dataclass(frozen=True, slots=True)
class Options:
    mapping: Mapping[str, str] = field(default_factory=dict)  # channel name or id → community
    only: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    dry_run: bool = False
    workspace: str | None = None
    team_domain: str | None = None
    workers: int | None = None  # processes reading day files; None: decided by size


@dataclass
class ChannelResult:
    channel: str
    community: str
    created: bool
    day_files: int = 0
    counted: int = 0  # people's own messages read
    added: int = 0  # messages added to participation by this run
    already_live: int = 0  # posted after the bot started counting the channel itself
    candidates: int = 0
    new_candidates: int = 0
    per_day: dict[date, int] = field(default_factory=dict)


@dataclass
class Summary:
    workspace: str = ""
    dry_run: bool = False
    communities_created: int = 0
    channels_bound: int = 0
    people_created: int = 0
    people_linked_by_email: int = 0
    people_known: int = 0
    people_forgotten: int = 0
    workers: int = 0  # processes that read day files (0: this one)
    messages_read: int = 0
    channels: list[ChannelResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return sum(c.counted for c in self.channels)

    @property
    def added(self) -> int:
        return sum(c.added for c in self.channels)

    @property
    def candidates(self) -> int:
        return sum(c.candidates for c in self.channels)

    @property
    def new_candidates(self) -> int:
        return sum(c.new_candidates for c in self.channels)


class Hooks:
    """What the caller sees while it runs: the number of day files, then each one done."""

    def start(self, day_files: int) -> None:
        """Called once, before the first day file."""

    def day_file(self, path: str, messages: int) -> None:
        """Called after each day file."""

    def candidate(self, row: cands.Found) -> None:
        """Called for every message that reads like an idea or a request."""


def _selected(listing: Listing, options: Options, problems: list[Problem]) -> set[str]:
    names = {c.name for c in listing.channels} | {c.id for c in listing.channels}
    for flag, given in (("--only", options.only), ("--skip", options.skip)):
        for name in sorted(given - names):
            problems.append(Problem(flag, None, f"no channel called {name!r} in the export"))
    for name in sorted(set(options.mapping) - names):
        problems.append(Problem("--map", None, f"no channel called {name!r} in the export"))
    chosen = set()
    for channel in listing.channels:
        keys = {channel.name, channel.id}
        if options.only and not keys & options.only:
            continue
        if keys & options.skip:
            continue
        chosen.add(channel.id)
    return chosen


class _Transactions:
    """One transaction per step, or a single one never committed (dry run)."""

    def __init__(self, uow_factory: UnitOfWorkFactory, *, dry_run: bool) -> None:
        self._factory = uow_factory
        self._dry = dry_run
        self._shared: UnitOfWork | None = None

    @contextmanager
    def step(self) -> Iterator[Session]:
        if self._dry:
            if self._shared is None:
                self._shared = self._factory()
                self._shared.__enter__()
            yield self._shared.session
            self._shared.flush()
            return
        uow = self._factory()
        with uow:
            yield uow.session
            uow.commit()

    def close(self) -> None:
        if self._shared is not None:
            self._shared.__exit__(None, None, None)  # rolls back
            self._shared = None


def _merge(
    result: ChannelResult,
    part: ChunkResult,
    counts: dict[tuple[str, date], int],
    found: dict[str, cands.Found],
) -> None:
    result.day_files += len(part.chunk.files)
    result.counted += part.counted
    result.already_live += part.already_live
    for day, n in part.per_day.items():
        result.per_day[day] = result.per_day.get(day, 0) + n
    for key, n in part.counts.items():
        counts[key] = counts.get(key, 0) + n
    for hit in part.found:
        found[hit.ts] = hit
    result.candidates = len(found)


def _write_channel(
    session: Session,
    place: Place,
    counts: dict[tuple[str, date], int],
    found: dict[str, cands.Found],
    people: People,
    *,
    workspace: str,
    now: datetime,
) -> tuple[int, int]:
    """Add one channel's counts through the ledger and list its candidates: (added, new).
    People who asked to be forgotten after an earlier import are left out."""
    by_author: dict[AuthorDay, int] = {}
    person_of: dict[str, int] = {}
    for (user, day), n in counts.items():
        if people.forgotten(user):
            continue
        author = people.author(user)
        if author not in person_of:
            person_of[author] = people.person_id(session, user, now=now)
        by_author[(author, day)] = n
    added = add_counts(
        session,
        community_id=place.community_id,
        source=source_of(PLATFORM, workspace, place.channel.id),
        counts=by_author,
        person_of=person_of,
        now=now,
    )
    listed = [f for f in found.values() if not people.forgotten(f.user)]
    new = cands.store(session, listed, workspace=workspace, people=people, now=now)
    return added, new


def run_import(
    uow_factory: UnitOfWorkFactory,
    settings: Settings,
    export: SlackExport,
    options: Options,
    *,
    now: datetime,
    hooks: Hooks | None = None,
    listing: Listing | None = None,
) -> Summary:
    """Import ``export``; returns what was (or, in a dry run, would be) created."""
    hooks = hooks or Hooks()
    listing = listing or export.listing()
    summary = Summary(dry_run=options.dry_run, problems=list(listing.problems))
    workspace = options.workspace or listing.workspace
    if not workspace:
        raise ImportRefused(
            "users.json names no workspace (team_id); give it with --workspace T0123456"
        )
    summary.workspace = workspace
    chosen = _selected(listing, options, summary.problems)
    channels = [c for c in listing.channels if c.id in chosen]
    if not channels:
        raise ImportRefused("no channel left to import (check --only and --skip)")
    people = People(workspace, listing.users, accept_unknown=not listing.users_known)
    domain = options.team_domain
    tx = _Transactions(uow_factory, dry_run=options.dry_run)
    try:
        with tx.step() as session:
            people.preload(session)
            people.make_all(session, now=now)
            places = place_channels(
                session,
                channels,
                workspace=workspace,
                mapping=options.mapping,
                settings=settings,
                now=now,
                problems=summary.problems,
            )
        summary.communities_created = sum(p.created for p in places)
        summary.channels_bound = sum(p.bound for p in places)
        by_channel = {p.channel.id: p for p in places}
        targets = {
            p.channel.id: Target(
                p.channel.id, p.channel.name, p.community_id, p.community, p.live_since
            )
            for p in places
        }
        files = [f for f in listing.day_files if f.channel.id in by_channel]
        hooks.start(len(files))
        scanner = Scanner(
            export, listing.users, accept_unknown=not listing.users_known, domain=domain
        )
        workers = summary.workers = workers_for(len(files), options.workers)
        results: dict[str, ChannelResult] = {}
        counts: dict[str, dict[tuple[str, date], int]] = {}
        found: dict[str, dict[str, cands.Found]] = {}
        for part in scan_all(scanner, chunks(targets, files), workers=workers):
            channel_id = part.chunk.target.channel_id
            place = by_channel[channel_id]
            result = results.get(channel_id)
            if result is None:
                result = results[channel_id] = ChannelResult(
                    place.channel.name, place.community, place.created
                )
                summary.channels.append(result)
            _merge(
                result, part, counts.setdefault(channel_id, {}), found.setdefault(channel_id, {})
            )
            summary.messages_read += part.read
            summary.problems += part.problems
            for path, n in part.file_messages:
                hooks.day_file(path, n)
            for hit in part.found:
                hooks.candidate(hit)
            if not part.chunk.last:
                continue
            with tx.step() as session:
                result.added, result.new_candidates = _write_channel(
                    session,
                    place,
                    counts.pop(channel_id),
                    found.pop(channel_id),
                    people,
                    workspace=workspace,
                    now=now,
                )
        with_files = {f.channel.id for f in files}
        for place in places:
            if place.channel.id not in with_files:
                summary.channels.append(
                    ChannelResult(place.channel.name, place.community, place.created)
                )
    finally:
        tx.close()
    summary.people_created = people.tally.created
    summary.people_linked_by_email = people.tally.linked_by_email
    summary.people_known = people.tally.known
    summary.people_forgotten = people.tally.forgotten
    return summary
