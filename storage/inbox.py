"""The inbox store: what the web process writes before acknowledging, and what the inbox
workers claim, finish, retry or give up on.

On PostgreSQL it is the ``inbox`` table of the main database, on its own small connection
pool. On SQLite it is a separate journal file next to the database
(``copbot.sqlite3`` → ``copbot.inbox.sqlite3``): a write lock held on the main file cannot
delay an acknowledgement. Claims carry a lease and are fenced by the attempt number, so a
worker whose lease ran out cannot finish a row another worker has taken over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from storage.models.inbox import CLAIM_INDEX, OLD_CLAIM_INDEX, InboxEntry

TABLE: Table = InboxEntry.__table__  # type: ignore[assignment]
PENDING, DONE, FAILED = "pending", "done", "failed"
MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class Entry:
    """A claimed inbox row."""

    id: int
    platform: str
    key: str
    body: str
    headers: dict[str, str]
    received_at: datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class Incoming:
    """A verified request to store."""

    platform: str
    key: str
    body: str
    headers: dict[str, str]
    now: datetime


def journal_path(database: Path) -> Path:
    """Where the SQLite inbox journal of ``database`` lives."""
    return database.with_name(f"{database.stem}.inbox{database.suffix or '.sqlite3'}")


def _journal_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=2000")
    cursor.close()


def _claim_index(engine: Engine) -> None:
    """A journal file made before migration 0011 gets the claims' index of today's table
    (``TABLE.create`` leaves an existing table as it is). Looked at first: every process
    opens the journal at start, and a journal already up to date takes no write lock."""
    with engine.connect() as conn:
        names = set(
            conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inbox'")
            ).scalars()
        )
    if CLAIM_INDEX in names and OLD_CLAIM_INDEX not in names:
        return
    with engine.begin() as conn:
        conn.execute(text(f"DROP INDEX IF EXISTS {OLD_CLAIM_INDEX}"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {CLAIM_INDEX} ON inbox (status, id)"))


def make_inbox_engine(database_url: str, sqlite_path: Path | None) -> Engine:
    """The inbox's own engine: a journal file beside a SQLite database (in memory for an
    in-memory database), or a small pool on the PostgreSQL database."""
    if database_url.startswith("sqlite"):
        if sqlite_path is None:
            engine = create_engine(
                "sqlite://",
                connect_args={"check_same_thread": False},
                poolclass=StaticPool,
            )
        else:
            url = f"sqlite:///{journal_path(sqlite_path)}"
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 2})
        event.listen(engine, "connect", _journal_pragmas)
        TABLE.create(engine, checkfirst=True)
        _claim_index(engine)
        return engine
    return create_engine(
        database_url, pool_pre_ping=True, pool_size=4, max_overflow=8, pool_timeout=2
    )


# A finished row keeps its key (so a retry or replay is recognised) but not the request:
# message text is stored only when a person captures it.
_DONE_COLUMNS = ("body", "claimed_until", "finished_at", "headers", "status")


def _done_params(entry: Entry, at: datetime) -> dict[str, Any]:
    return {
        "row_id": entry.id,
        "row_attempts": entry.attempts,
        "new_body": "",
        "new_claimed_until": None,
        "new_finished_at": at,
        "new_headers": "{}",
        "new_status": DONE,
    }


class InboxStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._claims: dict[int, Any] = {}
        self._due: Any = None
        # Built once (each acknowledgement runs it); one execution per request, so that
        # each knows whether it was new or a retry of one already stored.
        self._put = self._insert(TABLE).on_conflict_do_nothing(index_elements=["platform", "key"])
        self._finishes: dict[tuple[str, ...], Any] = {}

    def put(
        self, *, platform: str, key: str, body: str, headers: dict[str, str], now: datetime
    ) -> bool:
        """Store a request; False when its key is there already (a retry or a replay)."""
        return self.put_many([Incoming(platform, key, body, headers, now)])[0]

    def put_many(self, requests: list[Incoming]) -> list[bool]:
        """Store several requests in one transaction (one commit for a burst of acks)."""
        done: list[bool] = []
        with self.engine.begin() as conn:
            for request in requests:
                values = {
                    "platform": request.platform,
                    "key": request.key[:200],
                    "body": request.body,
                    "headers": json.dumps(request.headers),
                    "status": PENDING,
                    "attempts": 0,
                    "received_at": request.now,
                    "next_attempt_at": request.now,
                }
                done.append(conn.execute(self._put, values).rowcount == 1)
        return done

    def _claim_statement(self, limit: int) -> Any:
        """Built once per ``limit``: a worker claims every few milliseconds under load."""
        statement = self._claims.get(limit)
        if statement is None:
            c = TABLE.c
            now = bindparam("now", type_=c.next_attempt_at.type)
            due = and_(
                c.status == PENDING,
                c.next_attempt_at <= now,
                or_(c.claimed_until.is_(None), c.claimed_until < now),
            )
            pick = select(c.id).where(due).order_by(c.id).limit(limit)
            if self.engine.dialect.name == "postgresql":
                # A CTE runs once; PostgreSQL may run an IN (… LIMIT) subquery more than once
                # and so claim more than ``limit`` rows.
                picked = pick.with_for_update(skip_locked=True).cte("picked")
                chosen = c.id == picked.c.id
            else:
                chosen = c.id.in_(pick.scalar_subquery())
            statement = (
                update(TABLE)
                .where(chosen, due)
                .values(
                    claimed_until=bindparam("until", type_=c.claimed_until.type),
                    attempts=c.attempts + 1,
                )
                .returning(c.id, c.platform, c.key, c.body, c.headers, c.received_at, c.attempts)
            )
            self._claims[limit] = statement
        return statement

    def claim(self, *, now: datetime, lease: timedelta, limit: int = 1) -> list[Entry]:
        """Take up to ``limit`` rows that are due and not held by a live claim."""
        return self.settle([], now=now, lease=lease, limit=limit, look_first=False)

    def settle(
        self,
        finished: list[tuple[Entry, datetime]],
        *,
        now: datetime,
        lease: timedelta,
        limit: int,
        look_first: bool = True,
    ) -> list[Entry]:
        """Mark ``finished`` rows done (each with when it finished) and claim up to ``limit``
        due rows, in one transaction: a busy worker takes the write lock once per round
        instead of twice per request, and the acknowledgements, which write to the same
        store, wait less for it. With nothing to mark, ``look_first`` looks for a due row
        before writing: an idle worker's polls then take no write lock at all."""
        with self.engine.begin() as conn:
            for entry, at in finished:
                conn.execute(self._finish_statement(_DONE_COLUMNS), _done_params(entry, at))
            if limit <= 0:
                return []
            nothing_due = look_first and not finished
            if nothing_due and conn.execute(self._due_statement(), {"now": now}).first() is None:
                return []
            rows = conn.execute(
                self._claim_statement(limit), {"now": now, "until": now + lease}
            ).all()
        return sorted(
            (
                Entry(
                    id=row.id,
                    platform=row.platform,
                    key=row.key,
                    body=row.body,
                    headers=json.loads(row.headers),
                    received_at=row.received_at,
                    attempts=row.attempts,
                )
                for row in rows
            ),
            key=lambda entry: entry.id,
        )

    def _due_statement(self) -> Any:
        if self._due is None:
            c = TABLE.c
            now = bindparam("now", type_=c.next_attempt_at.type)
            self._due = (
                select(c.id)
                .where(
                    c.status == PENDING,
                    c.next_attempt_at <= now,
                    or_(c.claimed_until.is_(None), c.claimed_until < now),
                )
                .limit(1)
            )
        return self._due

    def _finish_statement(self, names: tuple[str, ...]) -> Any:
        statement = self._finishes.get(names)
        if statement is None:
            c = TABLE.c
            statement = (
                update(TABLE)
                .where(
                    c.id == bindparam("row_id"),
                    c.attempts == bindparam("row_attempts"),
                    c.status == PENDING,
                )
                .values({name: bindparam(f"new_{name}", type_=c[name].type) for name in names})
            )
            self._finishes[names] = statement
        return statement

    def _finish(self, entry: Entry, **values: Any) -> bool:
        statement = self._finish_statement(tuple(sorted(values)))
        params = {f"new_{name}": value for name, value in values.items()}
        with self.engine.begin() as conn:
            done = conn.execute(
                statement, {"row_id": entry.id, "row_attempts": entry.attempts, **params}
            )
            return done.rowcount == 1

    def done(self, entry: Entry, *, now: datetime) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(self._finish_statement(_DONE_COLUMNS), _done_params(entry, now))
            return done.rowcount == 1

    def retry(self, entry: Entry, *, at: datetime, error: str) -> bool:
        return self._finish(
            entry, next_attempt_at=at, claimed_until=None, last_error=error[:MAX_ERROR]
        )

    def fail(self, entry: Entry, *, now: datetime, error: str) -> bool:
        return self._finish(
            entry,
            status=FAILED,
            finished_at=now,
            claimed_until=None,
            last_error=error[:MAX_ERROR],
            body="",
            headers="{}",
        )

    def release_claims(self) -> int:
        """Let go of every claim (at start, when no worker of this store can be running)."""
        c = TABLE.c
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    update(TABLE).where(c.status == PENDING).values(claimed_until=None)
                ).rowcount
            )

    def waiting(self) -> tuple[int, datetime | None]:
        """How many requests are not finished, and when the oldest of them arrived."""
        c = TABLE.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), func.min(c.received_at)).where(c.status == PENDING)
            ).one()
        oldest = row[1]
        if oldest is not None and not isinstance(oldest, datetime):
            oldest = datetime.fromisoformat(str(oldest))
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return int(row[0]), oldest

    def counts(self) -> dict[str, int]:
        c = TABLE.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.status, func.count()).group_by(c.status)).all()
        return {str(status): int(n) for status, n in rows}

    def purge(self, *, before: datetime) -> int:
        """Forget finished rows received before ``before``."""
        c = TABLE.c
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    delete(TABLE).where(c.status != PENDING, c.received_at < before)
                ).rowcount
            )

    def close(self) -> None:
        self.engine.dispose()
