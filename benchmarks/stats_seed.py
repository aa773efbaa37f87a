"""The store the stats benchmark reads: a plausible organisation, built with bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from benchmarks.bulk import ParticipationLoad, Row
from storage import models as m

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 1, 1)
BATCH = 20_000
LOAD_ROWS = 1_000_000  # participation rows written (and held) at a time


def _chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Seeder:
    """Bulk Core inserts of a plausible organisation: units, communities, people, activity."""

    def __init__(self, engine: Engine, *, participation: int, items: int, seed: int) -> None:
        self.engine = engine
        self.participation = participation
        self.items = items
        self.rng = random.Random(seed)
        self.days = (NOW.date() - FIRST_DAY).days + 1
        self.n_communities = 200
        self.n_people = max(5_000, participation // 200)

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            for chunk in _chunks(rows):
                conn.execute(insert(table), chunk)

    def _moment(self, day_index: int) -> datetime:
        start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=UTC)
        return start + timedelta(days=day_index, seconds=self.rng.randrange(86_400))

    def run(self) -> None:
        regions = ["Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe"]
        self._insert(
            m.Unit,
            [{"id": i + 1, "name": f"unit-{i + 1}", "region": regions[i % 5]} for i in range(20)],
        )
        t0 = datetime(2024, 12, 1, tzinfo=UTC)
        self._insert(
            m.Community,
            [
                {"id": c, "name": f"community-{c}", "unit_id": 1 + c % 20, "created_at": t0}
                for c in range(1, self.n_communities + 1)
            ],
        )
        self._insert(
            m.Person,
            [
                {"id": p, "display_name": f"person-{p}", "created_at": t0}
                for p in range(1, self.n_people + 1)
            ],
        )
        self._participation()
        self._items()

    def _participation(self) -> None:
        """Rows in day order, as the bot writes them, through a bulk load (benchmarks.bulk)."""
        rng, per_day = self.rng, self.participation // self.days
        extra = self.participation - per_day * self.days
        cells = self.n_communities * self.n_people
        rows: list[Row] = []
        with ParticipationLoad(self.engine) as load:
            for d in range(self.days):
                day = FIRST_DAY + timedelta(days=d)
                want = per_day + (1 if d < extra else 0)
                for cell in sorted(rng.sample(range(cells), want)):
                    community, person = divmod(cell, self.n_people)
                    rows.append((community + 1, person + 1, day, 1 + cell % 12))
                if len(rows) >= LOAD_ROWS:
                    load.add(rows)
                    rows = []
            load.add(rows)

    def _items(self) -> None:
        """Ideas 15%, requests 15%, offers 20%, feedback 20%, events 2%, attendances 20%,
        time logs 8% of ``items``; stage changes on top, as ideas move on."""
        rng, n = self.rng, self.items
        people, communities = self.n_people, self.n_communities

        def person() -> int:
            return rng.randint(1, people)

        def community() -> int | None:
            return None if rng.random() < 0.05 else rng.randint(1, communities)

        ideas, changes = [], []
        for i in range(1, int(n * 0.15) + 1):
            at = self._moment(rng.randrange(self.days))
            stage, moved = "proposed", at
            for nxt, chance in (("development", 0.3), ("pilot", 0.35), ("scaled", 0.3)):
                step = moved + timedelta(days=rng.randint(3, 90))
                if rng.random() >= chance or step >= NOW:
                    break
                changes.append({"idea_id": i, "from_stage": stage, "to_stage": nxt, "at": step})
                stage, moved = nxt, step
            ideas.append(
                {
                    "id": i, "title": f"idea {i}", "community_id": community(),
                    "author_id": person(), "champion_id": person(), "stage": stage,
                    "scaling": rng.choice(["unrated", "low", "medium", "high"]),
                    "themes": [], "created_at": at, "stage_changed_at": moved,
                }
            )  # fmt: skip
        self._insert(m.Idea, sorted(ideas, key=lambda r: r["created_at"]))
        self._insert(m.StageChange, sorted(changes, key=lambda r: r["at"]))

        requests: list[dict[str, Any]] = []
        offers: list[dict[str, Any]] = []
        n_requests = int(n * 0.15)
        for r in range(1, n_requests + 1):
            at = self._moment(rng.randrange(self.days))
            first = at + timedelta(hours=rng.uniform(0.2, 120)) if rng.random() < 0.8 else None
            status = "open" if first is None else rng.choice(["answered", "resolved", "resolved"])
            requests.append(
                {
                    "id": r, "question": "q", "community_id": community(),
                    "requester_id": person(), "status": status, "tags": [],
                    "created_at": at, "first_response_at": first,
                }
            )  # fmt: skip
        taken: set[tuple[int, int]] = set()
        by_id = {r["id"]: r for r in requests}
        while len(offers) < int(n * 0.20):
            r, p = rng.randint(1, n_requests), person()
            if (r, p) in taken:
                continue
            taken.add((r, p))
            start = by_id[r]["first_response_at"] or by_id[r]["created_at"]
            offers.append({"request_id": r, "person_id": p, "at": start})
        self._insert(m.HelpRequest, sorted(requests, key=lambda r: r["created_at"]))
        self._insert(m.HelpOffer, sorted(offers, key=lambda r: r["at"]))

        feedback = []
        for _ in range(int(n * 0.20)):
            anonymous = rng.random() < 0.2
            feedback.append(
                {
                    "community_id": community(), "target_kind": rng.choice(
                        ["idea", "request", "event", "community", "deliverable"]
                    ),
                    "rating": rng.choice([None, 1, 2, 3, 4, 5]), "anonymous": anonymous,
                    "source": rng.choice(["staff", "staff", "constituent", "partner"]),
                    "author_id": None if anonymous else person(),
                    "created_at": self._moment(rng.randrange(self.days)),
                }
            )  # fmt: skip
        self._insert(m.Feedback, sorted(feedback, key=lambda r: r["created_at"]))

        n_events = int(n * 0.02)
        events = [
            {
                "id": e, "title": f"event {e}", "community_id": community(),
                "day": FIRST_DAY + timedelta(days=rng.randrange(self.days)),
                "kind": rng.choice(["training", "workshop", "webinar", "meeting"]),
                "created_at": NOW,
            }
            for e in range(1, n_events + 1)
        ]  # fmt: skip
        self._insert(m.Event, events)
        seen: set[tuple[int, int]] = set()
        while len(seen) < int(n * 0.20):
            seen.add((rng.randint(1, n_events), person()))
        self._insert(
            m.Attendance, [{"event_id": e, "person_id": p, "at": NOW} for e, p in sorted(seen)]
        )
        logs = [
            {
                "person_id": person(), "community_id": community(),
                "idea_id": rng.randint(1, len(ideas)) if rng.random() < 0.5 else None,
                "hours": round(rng.uniform(0.25, 6), 2),
                "at": self._moment(rng.randrange(self.days)),
            }
            for _ in range(int(n * 0.08))
        ]  # fmt: skip
        self._insert(m.TimeLog, sorted(logs, key=lambda r: r["at"]))
