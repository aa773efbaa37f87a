"""Adding imported counts to participation exactly once.

The ledger (:class:`ImportedCount`) holds, per community, person, day and source channel,
how many messages imports have already added. A later import adds only the difference
when it finds more (a day that an earlier export cut short) and nothing otherwise, so
importing the same export twice, or an overlapping later one, changes no count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.importing.bulk import insert_rows, table_of
from storage.models import ImportedCount, Participation

Key = tuple[int, date]  # (person id, day)


def author_of(platform: str, workspace: str, user_id: str) -> str:
    """The ledger's name for a platform account: a hash, not the id itself."""
    return hashlib.sha256(f"{platform}:{workspace}:{user_id}".encode()).hexdigest()[:32]


AuthorDay = tuple[str, date]  # (author hash, day)


def source_of(platform: str, workspace: str, channel_id: str) -> str:
    return f"{platform}:{workspace}:{channel_id}"


def add_counts(
    session: Session,
    *,
    community_id: int,
    source: str,
    counts: Mapping[AuthorDay, int],
    person_of: Mapping[str, int],
    now: datetime,
) -> int:
    """Add what ``counts`` (per author hash and day; ``person_of`` maps each author hash to
    their person) holds beyond the ledger; returns the messages added."""
    if not counts:
        return 0
    ledger = {
        (author, day): (row_id, messages)
        for row_id, author, day, messages in session.execute(
            select(
                ImportedCount.id,
                ImportedCount.author,
                ImportedCount.day,
                ImportedCount.messages,
            ).where(ImportedCount.community_id == community_id, ImportedCount.source == source)
        )
    }
    new_rows: list[tuple[str, date, int, int]] = []
    raised: list[dict[str, object]] = []
    deltas: dict[Key, int] = {}
    for (author, day), messages in sorted(counts.items()):  # in index order: faster inserts
        before = ledger.get((author, day))
        key = (person_of[author], day)
        if before is None:
            new_rows.append((author, day, key[0], messages))
            delta = messages
        elif messages > before[1]:
            raised.append({"row_id": before[0], "n": messages})
            delta = messages - before[1]
        else:
            continue
        deltas[key] = deltas.get(key, 0) + delta
    if not deltas:
        return 0
    # Core statements (plain executemany): an export of a million messages makes hundreds of
    # thousands of rows, and the ORM's per-row bookkeeping is not needed for them.
    ledger_table = table_of(ImportedCount)
    insert_rows(
        session,
        ledger_table,
        constants={"community_id": community_id, "source": source, "imported_at": now},
        columns=("author", "day", "person_id", "messages"),
        rows=new_rows,
    )
    if raised:
        session.execute(
            update(ledger_table)
            .where(ledger_table.c.id == bindparam("row_id"))
            .values(messages=bindparam("n"), imported_at=now),
            raised,
        )
    _add_to_participation(session, community_id, deltas)
    return sum(deltas.values())


def _add_to_participation(session: Session, community_id: int, deltas: Mapping[Key, int]) -> None:
    days = [day for _, day in deltas]
    existing = {
        (person_id, day): (row_id, messages)
        for row_id, person_id, day, messages in session.execute(
            select(
                Participation.id,
                Participation.person_id,
                Participation.day,
                Participation.messages,
            ).where(
                Participation.community_id == community_id,
                Participation.day >= min(days),
                Participation.day <= max(days),
            )
        )
    }
    new_rows: list[tuple[int, date, int]] = []
    bumped: list[dict[str, object]] = []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            new_rows.append((key[0], key[1], delta))
        else:
            bumped.append({"row_id": row[0], "n": row[1] + delta})
    table = table_of(Participation)
    insert_rows(
        session,
        table,
        constants={"community_id": community_id},
        columns=("person_id", "day", "messages"),
        rows=new_rows,
    )
    if bumped:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(messages=bindparam("n")),
            bumped,
        )
