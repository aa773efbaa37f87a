"""A bare database for the indicator tests, on SQLite and (when COPBOT_TEST_DATABASE_URL is
set) on PostgreSQL in a private schema: the ``engine``, ``session`` and ``store`` fixtures,
:class:`Store`, which writes the rows the figures count (people, communities, ideas and
their stage moves, events, feedback, pulse answers, hours, requests), and ``values`` and
``expect`` to read the figures back. Test modules take the fixtures by assignment
(``engine, session, store = base.engine, base.session, base.store``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from bot.indicators import DEFINITIONS, IndicatorValue, Scope, compute_all
from bot.periods import Period, month_period, quarter_period
from storage import models as m
from storage.db import make_engine
from tests.conftest import empty_schema, postgres_url

GENEVA = ZoneInfo("Europe/Zurich")  # Geneva keeps Zurich time; there is no Europe/Geneva
ZULU = ZoneInfo("UTC")
ORG = Scope.org()
JAN = month_period(2026, 1)
Q1 = quarter_period(2026, 1)
T0 = datetime(2025, 1, 1, tzinfo=UTC)
Move = tuple[str | None, str, datetime]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "sqlite":
        built = make_engine("sqlite://")
        m.Base.metadata.create_all(built)
        yield built
        built.dispose()
        return
    url = postgres_url()
    if not url:
        pytest.skip("COPBOT_TEST_DATABASE_URL is not set")
    with empty_schema(url) as scoped:  # a private schema, dropped afterwards: never public
        built = create_engine(scoped)
        m.Base.metadata.create_all(built)
        yield built
        built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
            yield s
        outer.rollback()


class Store:
    """Inserts rows directly (keyword arguments are column values); returns the new ids."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self._n = 0

    def _add(self, row: Any) -> int:
        self.s.add(row)
        self.s.flush()
        return int(row.id)

    def person(self, *, forgotten: bool = False) -> int:
        return self._add(m.Person(created_at=T0, forgotten_at=T0 if forgotten else None))

    def unit(self, name: str, region: str) -> int:
        return self._add(m.Unit(name=name, region=region))

    def community(self, unit: int | None = None) -> int:
        self._n += 1
        return self._add(m.Community(name=f"c{self._n}", unit_id=unit, created_at=T0))

    def idea(self, at: datetime, *, history: Sequence[Move] = (), **kw: Any) -> int:
        idea_id = self._add(m.Idea(title="t", created_at=at, stage_changed_at=at, **kw))
        for old, new, when in history:
            self._add(m.StageChange(idea_id=idea_id, from_stage=old, to_stage=new, at=when))
        return idea_id

    def walk(self, stages: str, scaling: str = "unrated") -> int:
        """An idea from "<UTC instant> <stage>, …": created at the first, changed at each next."""
        (created, stage), *steps = (part.split() for part in stages.split(","))
        history: list[Move] = []
        for when, new in steps:
            history.append((stage, new, datetime.fromisoformat(when).replace(tzinfo=UTC)))
            stage = new
        at = datetime.fromisoformat(created).replace(tzinfo=UTC)
        return self.idea(at, stage=stage, scaling=scaling, history=history)

    def request(self, at: datetime, *, wait: float | None = None, **kw: Any) -> int:
        first = None if wait is None else at + timedelta(hours=wait)
        return self._add(m.HelpRequest(question="q", created_at=at, first_response_at=first, **kw))

    def offer(self, request: int, person: int, at: datetime) -> int:
        return self._add(m.HelpOffer(request_id=request, person_id=person, at=at))

    def feedback(self, at: datetime, **kw: Any) -> int:
        kw.setdefault("target_kind", "idea")
        return self._add(m.Feedback(created_at=at, **kw))

    def event(
        self, day: date, *, kind: str = "training", attendees: Sequence[int] = (), **kw: Any
    ) -> int:
        event_id = self._add(m.Event(title="e", day=day, kind=kind, created_at=T0, **kw))
        for person in attendees:
            self._add(m.Attendance(event_id=event_id, person_id=person, at=T0))
        return event_id

    def messages(self, community: int, person: int, day: date, n: int) -> int:
        return self._add(
            m.Participation(community_id=community, person_id=person, day=day, messages=n)
        )

    def hours(self, person: int, at: datetime, hours: float, **kw: Any) -> int:
        return self._add(m.TimeLog(person_id=person, at=at, hours=hours, **kw))

    def pulse(self, sent_at: datetime, recipients: int, scores: Sequence[int]) -> int:
        self._n += 1
        question = self._add(
            m.PulseQuestion(
                period=f"p{self._n}", question="?", recipients=recipients, sent_at=sent_at
            )
        )
        for score in scores:
            person = self.person()
            self._add(
                m.PulseResponse(question_id=question, person_id=person, score=score, at=sent_at)
            )
        return question


def expect(got: dict[str, IndicatorValue], key: str, value: float | None, **details: Any) -> None:
    assert got[key] == IndicatorValue(key, value, details)


@pytest.fixture
def store(session: Session) -> Store:
    return Store(session)


def values(
    session: Session,
    period: Period = JAN,
    scope: Scope = ORG,
    tz: ZoneInfo = ZULU,
    threshold: int = 3,
) -> dict[str, IndicatorValue]:
    result = compute_all(session, period=period, scope=scope, tz=tz, active_threshold=threshold)
    assert [v.key for v in result] == list(DEFINITIONS)
    return {v.key: v for v in result}
