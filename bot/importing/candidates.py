"""Past messages that read like ideas or help requests, listed for review.

The detector is suggested capture's, in its fast mode (:mod:`bot.services.suggest_fast`:
words and word pairs, trained on the same data): the sentence model it uses on live messages
costs milliseconds a message, hours for an export of a million.
What is stored is only where each message is and who wrote it; its text goes to the CSV
the person running the import asked for, and is read again from Slack when a focal point
reviews it. Nothing becomes an idea or a request until someone clicks.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.importing.bulk import table_of
from bot.importing.people import People
from bot.importing.places import PLATFORM
from bot.importing.rules import plain
from bot.services.suggest_fast import classify
from storage.models import ImportCandidate

CSV_COLUMNS = (
    "community",
    "channel",
    "channel_id",
    "ts",
    "posted_at_utc",
    "author",
    "author_id",
    "kind",
    "cue",
    "permalink",
    "text",
)


@dataclass(frozen=True, slots=True)
class Found:
    community_id: int
    community: str
    channel_id: str
    channel: str
    ts: str
    user: str
    author: str
    kind: str
    cue: str
    posted_at: datetime
    permalink: str | None
    text: str


def permalink(domain: str | None, channel_id: str, ts: str) -> str | None:
    if not domain:
        return None
    host = domain if "." in domain else f"{domain}.slack.com"
    return f"https://{host}/archives/{channel_id}/p{ts.replace('.', '')}"


def detect(
    message: Mapping[str, Any],
    *,
    user: str,
    seconds: float,
    community_id: int,
    community: str,
    channel_id: str,
    channel: str,
    names: Mapping[str, str],
    domain: str | None,
) -> Found | None:
    raw = message.get("text")
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = plain(raw, names)
    suggestion = classify(text)
    if suggestion is None:
        return None
    ts = str(message["ts"])
    return Found(
        community_id=community_id,
        community=community,
        channel_id=channel_id,
        channel=channel,
        ts=ts,
        user=user,
        author=names.get(user, user),
        kind=suggestion.kind,
        cue=suggestion.cue,
        posted_at=datetime.fromtimestamp(seconds, UTC),
        permalink=permalink(domain, channel_id, ts),
        text=text,
    )


def store(
    session: Session, found: list[Found], *, workspace: str, people: People, now: datetime
) -> int:
    """List the candidates not listed before; returns how many are new."""
    if not found:
        return 0
    listed = set(
        session.scalars(
            select(ImportCandidate.ts).where(
                ImportCandidate.platform == PLATFORM,
                ImportCandidate.workspace == workspace,
                ImportCandidate.channel_id == found[0].channel_id,
            )
        )
    )
    rows = [
        {
            "community_id": f.community_id,
            "author_id": people.person_id(session, f.user, now=now),
            "platform": PLATFORM,
            "workspace": workspace,
            "channel_id": f.channel_id,
            "ts": f.ts,
            "kind": f.kind,
            "posted_at": f.posted_at,
            "permalink": f.permalink,
            "status": "pending",
            "created_at": now,
        }
        for f in found
        if f.ts not in listed
    ]
    if rows:
        session.execute(insert(table_of(ImportCandidate)), rows)
    return len(rows)


class CsvWriter:
    """The review list as CSV, one row per candidate, text included (it is the caller's file)."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream)
        self._writer.writerow(CSV_COLUMNS)
        self.rows = 0

    def write(self, f: Found) -> None:
        self._writer.writerow(
            (
                f.community,
                f.channel,
                f.channel_id,
                f.ts,
                f.posted_at.strftime("%Y-%m-%d %H:%M:%S"),
                f.author,
                f.user,
                f.kind,
                f.cue,
                f.permalink or "",
                f.text,
            )
        )
        self.rows += 1
