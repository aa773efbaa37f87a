"""The store the digest benchmark reads: communities across five time zones, each with
members, a year of ideas, requests, offers, feedback and events, and participation rows,
built with bulk inserts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, insert

from benchmarks.bulk import ParticipationLoad, Row
from storage.models import (
    Account,
    Attendance,
    ChannelBinding,
    Community,
    CreditedHelper,
    Event,
    Feedback,
    HelpOffer,
    HelpRequest,
    Idea,
    Membership,
    Person,
    StageChange,
    Unit,
)

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday: every zone's 09:00 has passed
ZONES = ("UTC", "Europe/Zurich", "America/New_York", "Asia/Bangkok", "Africa/Nairobi")
CHUNK = 20_000
LOAD_ROWS = 1_000_000  # participation rows held and written at a time


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _bulk(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(_table(model)), rows[i : i + CHUNK])


def _ago(rng: random.Random, days: float) -> datetime:
    return NOW - timedelta(seconds=rng.uniform(0, days * 86400))


def build(url: str, *, communities: int, participation: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    people = max(2_000, communities * 20)
    members_per = 20
    engine = create_engine(url)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        _bulk(
            conn, Unit, [{"id": u, "name": f"unit-{u}", "kind": "department"} for u in range(1, 21)]
        )
        _bulk(
            conn,
            Person,
            [
                {"id": p, "display_name": f"person {p}", "created_at": NOW, "nudges_opt_out": False}
                for p in range(1, people + 1)
            ],
        )
        _bulk(
            conn,
            Account,
            [
                {
                    "person_id": p,
                    "platform": "slack",
                    "workspace": "T1",
                    "user_id": f"U{p}",
                    "created_at": NOW,
                }
                for p in range(1, people + 1)
            ],
        )
        _bulk(
            conn,
            Community,
            [
                {
                    "id": c,
                    "name": f"community-{c}",
                    "unit_id": 1 + c % 20,
                    "timezone": ZONES[c % len(ZONES)],
                    "digest_day": "mon",
                    "digest_time": "09:00",
                    "digest_enabled": True,
                    "count_participation": True,
                    "suggest_capture": False,
                    "created_at": NOW - timedelta(days=400),
                }
                for c in range(1, communities + 1)
            ],
        )
        _bulk(
            conn,
            ChannelBinding,
            [
                {
                    "community_id": c,
                    "platform": "slack",
                    "workspace": "T1",
                    "channel_id": f"C{c}",
                    "created_at": NOW,
                }
                for c in range(1, communities + 1)
            ],
        )
        members = {
            c: rng.sample(range(1, people + 1), members_per) for c in range(1, communities + 1)
        }
        _bulk(
            conn,
            Membership,
            [
                {"community_id": c, "person_id": p, "joined_at": NOW - timedelta(days=400)}
                for c, ps in members.items()
                for p in ps
            ],
        )
    counts["participation"] = _participation(engine, rng, members, participation)
    with engine.begin() as conn:
        counts.update(_items(conn, rng, members))
    engine.dispose()
    counts["communities"] = communities
    counts["people"] = people
    return counts


def _participation(
    engine: Engine, rng: random.Random, members: dict[int, list[int]], total: int
) -> int:
    """``total`` distinct (community, person, day) counts over the last year, loaded in bulk
    (:mod:`benchmarks.bulk`)."""
    per = total // len(members)
    today = NOW.date()
    rows: list[Row] = []
    written = 0
    with ParticipationLoad(engine) as load:
        for c, ps in members.items():
            for cell in rng.sample(range(len(ps) * 365), per):
                person, back = divmod(cell, 365)
                rows.append((c, ps[person], today - timedelta(days=back), rng.randint(1, 12)))
            if len(rows) >= LOAD_ROWS:
                load.add(rows)
                written += len(rows)
                rows = []
        load.add(rows)
    return written + len(rows)


def _items(conn: Connection, rng: random.Random, members: dict[int, list[int]]) -> dict[str, int]:
    """A year of ideas, requests, offers, feedback and events; most communities active last
    week, some quiet."""
    ideas, changes, requests, offers, helpers, feedback, events, attendances = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    idea_id = request_id = event_id = 0
    for c, ps in members.items():
        lively = rng.random() < 0.85
        for n in range(24):
            idea_id += 1
            recent = lively and n < 3
            created = _ago(rng, 7) if recent else NOW - timedelta(days=8 + rng.uniform(0, 350))
            stage = rng.choice(("proposed", "proposed", "development", "pilot", "shelved"))
            ideas.append(
                {
                    "id": idea_id,
                    "community_id": c,
                    "title": f"Idea {idea_id}: try something new with partners",
                    "description": "A realistic description of the idea. " * 3,
                    "themes": [],
                    "author_id": rng.choice(ps),
                    "champion_id": rng.choice(ps),
                    "stage": stage,
                    "scaling": "unrated",
                    "lessons": "What we learned." if stage == "shelved" else None,
                    "votes": rng.randint(0, 12),
                    "permalink": f"https://t1.slack.com/archives/C{c}/p{idea_id}",
                    "created_at": created,
                    "stage_changed_at": created,
                }
            )
            changes.append(
                {"idea_id": idea_id, "from_stage": None, "to_stage": "proposed", "at": created}
            )
            if stage != "proposed":
                moved = created + (NOW - created) * rng.random()
                changes.append(
                    {"idea_id": idea_id, "from_stage": "proposed", "to_stage": stage, "at": moved}
                )
        for n in range(12):
            request_id += 1
            created = (
                _ago(rng, 5) if lively and n < 2 else NOW - timedelta(days=6 + rng.uniform(0, 350))
            )
            status = rng.choice(("open", "answered", "resolved", "resolved"))
            requester = rng.choice(ps)
            helper = rng.choice([p for p in ps if p != requester])
            responded = created + timedelta(hours=rng.uniform(1, 48)) if status != "open" else None
            requests.append(
                {
                    "id": request_id,
                    "community_id": c,
                    "question": f"Who knows how to run request {request_id} well?",
                    "tags": ["facilitation"],
                    "requester_id": requester,
                    "status": status,
                    "created_at": created,
                    "first_response_at": responded,
                    "resolved_at": responded + timedelta(days=1)
                    if status == "resolved" and responded
                    else None,
                }
            )
            if responded is not None:
                offers.append({"request_id": request_id, "person_id": helper, "at": responded})
            if status == "resolved":
                helpers.append({"request_id": request_id, "person_id": helper})
        for n in range(12):
            anonymous = rng.random() < 0.3
            feedback.append(
                {
                    "community_id": c,
                    "target_kind": rng.choice(("community", "deliverable", "idea")),
                    "target_id": None,
                    "rating": rng.randint(1, 5),
                    "text": "Useful session, thanks.",
                    "source": "staff",
                    "anonymous": anonymous,
                    "author_id": None if anonymous else rng.choice(ps),
                    "created_at": _ago(rng, 7) if lively and n < 2 else _ago(rng, 360),
                }
            )
        for _ in range(6):
            event_id += 1
            day = NOW.date() + timedelta(days=rng.randint(-300, 20))
            events.append(
                {
                    "id": event_id,
                    "community_id": c,
                    "title": f"Workshop {event_id}",
                    "day": day,
                    "kind": rng.choice(("workshop", "training", "webinar", "meeting")),
                    "created_at": NOW - timedelta(days=320),
                }
            )
            for p in rng.sample(ps, 5):
                at = datetime.combine(min(day, NOW.date()), datetime.min.time(), tzinfo=UTC)
                attendances.append({"event_id": event_id, "person_id": p, "at": at})
    for model, rows in (
        (Idea, ideas),
        (StageChange, changes),
        (HelpRequest, requests),
        (HelpOffer, offers),
        (CreditedHelper, helpers),
        (Feedback, feedback),
        (Event, events),
        (Attendance, attendances),
    ):
        _bulk(conn, model, rows)
    return {
        "ideas": len(ideas),
        "requests": len(requests),
        "offers": len(offers),
        "feedback": len(feedback),
        "events": len(events),
        "attendances": len(attendances),
    }
