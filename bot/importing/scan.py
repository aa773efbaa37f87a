"""Reading day files into counts and candidates, in this process or in worker processes.

The work is cut into chunks of one channel's day files. Each chunk gives back the people's
messages it counted per (user id, day), and the messages that read like ideas or requests;
nothing here touches the database, so chunks can be read on every core while the main
process writes the channels already read.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.importing import candidates as cands
from bot.importing.export import DayFile, Problem, SlackExport, User
from bot.importing.rules import author

CHUNK_FILES = 400
PARALLEL_FROM_FILES = 2_000  # smaller exports are read in this process


@dataclass(frozen=True, slots=True)
class Target:
    """Where a channel's messages go (what a chunk needs to know about its community)."""

    channel_id: str
    channel: str
    community_id: int
    community: str
    live_since: datetime | None


@dataclass(frozen=True, slots=True)
class Chunk:
    target: Target
    files: tuple[DayFile, ...]
    last: bool  # the channel's last chunk: its counts can be written


@dataclass
class ChunkResult:
    chunk: Chunk
    read: int = 0
    counted: int = 0
    already_live: int = 0
    counts: dict[tuple[str, date], int] = field(default_factory=dict)
    per_day: dict[date, int] = field(default_factory=dict)
    found: list[cands.Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_messages: list[tuple[str, int]] = field(default_factory=list)


def _seconds(ts: object) -> float | None:
    """A message's ``ts`` as seconds since the epoch, or None when it is not one."""
    try:
        seconds = float(ts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return seconds if 0 < seconds < 1e11 else None


class Scanner:
    """Reads chunks of one export, knowing its users (who is a person, their names)."""

    def __init__(
        self,
        export: SlackExport,
        users: dict[str, User],
        *,
        accept_unknown: bool,
        domain: str | None,
    ) -> None:
        self.export = export
        self.users = users
        self.accept_unknown = accept_unknown
        self.domain = domain
        self.names = {u.id: u.name for u in users.values()}

    def _who(self, user: str) -> str | None:
        """``"person"``, ``"unknown"`` (not in users.json) or None (a bot)."""
        known = self.users.get(user)
        if known is not None:
            return None if known.is_bot else "person"
        if self.accept_unknown:
            return "person" if user != "USLACKBOT" else None
        return "unknown"

    def scan(self, chunk: Chunk) -> ChunkResult:
        result = ChunkResult(chunk)
        target = chunk.target
        live_since = target.live_since.timestamp() if target.live_since is not None else None
        for day_file in chunk.files:
            read = self.export.read_day(day_file)
            result.problems += read.problems
            result.read += len(read.messages)
            result.file_messages.append((day_file.path, len(read.messages)))
            for index, message in read.messages:
                user = author(message)
                if user is None:
                    continue
                who = self._who(user)
                if who != "person":
                    if who == "unknown":
                        result.problems.append(
                            Problem(
                                day_file.path,
                                read.line(index),
                                f"unknown user id {user}; message skipped",
                            )
                        )
                    continue
                seconds = _seconds(message.get("ts"))
                if seconds is None:
                    result.problems.append(
                        Problem(day_file.path, read.line(index), "message without a valid ts")
                    )
                    continue
                result.counted += 1
                result.per_day[day_file.day] = result.per_day.get(day_file.day, 0) + 1
                if live_since is not None and seconds >= live_since:
                    result.already_live += 1
                    continue
                key = (user, day_file.day)
                result.counts[key] = result.counts.get(key, 0) + 1
                hit = cands.detect(
                    message,
                    user=user,
                    seconds=seconds,
                    community_id=target.community_id,
                    community=target.community,
                    channel_id=target.channel_id,
                    channel=target.channel,
                    names=self.names,
                    domain=self.domain,
                )
                if hit is not None:
                    result.found.append(hit)
        return result


def chunks(targets: dict[str, Target], files: list[DayFile]) -> list[Chunk]:
    """Day files cut into chunks, channel by channel, in the order of ``files``."""
    by_channel: dict[str, list[DayFile]] = {}
    for day_file in files:
        if day_file.channel.id in targets:
            by_channel.setdefault(day_file.channel.id, []).append(day_file)
    out: list[Chunk] = []
    for channel_id, mine in by_channel.items():
        for start in range(0, len(mine), CHUNK_FILES):
            part = tuple(mine[start : start + CHUNK_FILES])
            out.append(Chunk(targets[channel_id], part, start + CHUNK_FILES >= len(mine)))
    return out


# ----------------------------------------------------------------- worker processes

_WORKER: Scanner | None = None


def _start_worker(
    path: Path, users: dict[str, User], accept_unknown: bool, domain: str | None
) -> None:
    global _WORKER
    _WORKER = Scanner(SlackExport(path), users, accept_unknown=accept_unknown, domain=domain)


def _scan_in_worker(chunk: Chunk) -> ChunkResult:
    assert _WORKER is not None, "worker not started"
    return _WORKER.scan(chunk)


def workers_for(day_files: int, wanted: int | None) -> int:
    """How many processes read: ``wanted``, else every core for big exports, else none."""
    if wanted is not None:
        return max(0, wanted)
    if day_files < PARALLEL_FROM_FILES:
        return 0
    return min(4, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0


def scan_all(scanner: Scanner, work: list[Chunk], *, workers: int) -> Iterator[ChunkResult]:
    """Each chunk's result, in order; read by ``workers`` processes (0: this one)."""
    if workers <= 0:
        for chunk in work:
            yield scanner.scan(chunk)
        return
    with ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(scanner.export.path, scanner.users, scanner.accept_unknown, scanner.domain),
    ) as pool:
        # A few chunks ahead of the writer, never the whole export: memory stays bounded.
        ahead: deque[Future[ChunkResult]] = deque()
        queue = iter(work)
        for chunk in queue:
            ahead.append(pool.submit(_scan_in_worker, chunk))
            if len(ahead) >= workers * 2:
                break
        while ahead:
            done = ahead.popleft().result()
            nxt = next(queue, None)
            if nxt is not None:
                ahead.append(pool.submit(_scan_in_worker, nxt))
            yield done
