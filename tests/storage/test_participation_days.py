"""``participation_days`` always equals the sum of ``participation`` per community and day,
whatever writes participation: ORM inserts, Core updates, bulk inserts, deletes, cascades."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Community, Participation, ParticipationDay, Person

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
MON, TUE = date(2026, 11, 16), date(2026, 11, 17)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = make_engine(database_url)
    with Session(built) as session:
        session.add_all([Community(name=f"c{i}", created_at=NOW) for i in (1, 2)])
        session.add_all([Person(display_name=f"p{i}", created_at=NOW) for i in (1, 2, 3)])
        session.commit()
    yield built
    built.dispose()


def days(engine: Engine) -> dict[tuple[int, date], int]:
    with Session(engine) as session:
        rolled = {
            (c, d): n
            for d, c, n in session.execute(
                select(
                    ParticipationDay.day, ParticipationDay.community_id, ParticipationDay.messages
                )
            )
        }
        summed = {
            (c, d): int(n)
            for c, d, n in session.execute(
                select(
                    Participation.community_id, Participation.day, func.sum(Participation.messages)
                ).group_by(Participation.community_id, Participation.day)
            )
        }
    assert rolled == summed
    return rolled


def test_inserts_updates_and_deletes_keep_the_daily_totals(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Participation(community_id=1, person_id=1, day=MON, messages=2))
        session.add(Participation(community_id=1, person_id=2, day=MON, messages=3))
        session.commit()
    assert days(engine) == {(1, MON): 5}

    with engine.begin() as conn:  # the counting path: one more message
        conn.execute(
            update(Participation)
            .where(Participation.person_id == 1)
            .values(messages=Participation.messages + 1)
        )
        conn.execute(  # a bulk insert, as the import writes
            insert(Participation),
            [
                {"community_id": 2, "person_id": 3, "day": MON, "messages": 4},
                {"community_id": 1, "person_id": 3, "day": TUE, "messages": 1},
            ],
        )
    assert days(engine) == {(1, MON): 6, (2, MON): 4, (1, TUE): 1}

    with engine.begin() as conn:  # a row moved to another community and day
        conn.execute(
            update(Participation)
            .where(Participation.person_id == 2)
            .values(community_id=2, day=TUE)
        )
    assert days(engine) == {(1, MON): 3, (2, MON): 4, (1, TUE): 1, (2, TUE): 3}

    with engine.begin() as conn:  # retention: old days go, and with them their totals
        conn.execute(delete(Participation).where(Participation.day < TUE))
    assert days(engine) == {(1, TUE): 1, (2, TUE): 3}


def test_a_community_removed_takes_its_days_with_it(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Participation(community_id=1, person_id=1, day=MON, messages=2))
        session.add(Participation(community_id=2, person_id=1, day=MON, messages=5))
        session.commit()
    with engine.begin() as conn:
        conn.execute(delete(Community).where(Community.id == 1))
    assert days(engine) == {(2, MON): 5}


def test_the_migration_fills_the_totals_from_existing_participation(
    database_url: str, tmp_path: object
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the upgrade from 0009 is exercised on a SQLite file")
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    upgrade(url, "0009")
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Community(name="c", created_at=NOW))
        session.add_all([Person(display_name=f"p{i}", created_at=NOW) for i in (1, 2)])
        session.flush()
        session.add_all(
            [
                Participation(community_id=1, person_id=1, day=MON, messages=2),
                Participation(community_id=1, person_id=2, day=MON, messages=5),
                Participation(community_id=1, person_id=2, day=TUE, messages=1),
            ]
        )
        session.commit()
    upgrade(url)
    assert days(engine) == {(1, MON): 7, (1, TUE): 1}
    with engine.begin() as conn:  # and the triggers are there from then on
        conn.execute(update(Participation).values(messages=Participation.messages + 1))
    assert days(engine) == {(1, MON): 9, (1, TUE): 2}
    engine.dispose()
