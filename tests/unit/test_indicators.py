from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.indicators import DEFINITIONS, Scope, compute
from bot.periods import month_period
from tests.unit import indicator_store as base
from tests.unit.indicator_store import GENEVA, JAN, ORG, Q1, ZULU, Store, expect, utc, values

engine, session, store = base.engine, base.session, base.store  # its fixtures, both databases


def test_definitions_cover_the_spec_in_order() -> None:
    assert list(DEFINITIONS) == [
        "active_communities", "active_members", "contributions", "community_messages",
        "deliverable_feedback", "ideas_submitted", "ideas_past_brainstorming", "pilots_running",
        "ideas_scaled", "brainstorm_conversion", "events_held", "constituent_satisfaction",
        "training_participation", "pulse_score", "innovation_hours", "requests_opened",
        "time_to_first_response", "requests_resolved_share",
    ]  # fmt: skip
    assert {d.strategy for d in DEFINITIONS.values()} == {"a", "b", "c", "d", "peer"}
    assert DEFINITIONS["brainstorm_conversion"].unit == "share"
    assert all(d.text and d.label for d in DEFINITIONS.values())


def test_scope_is_validated() -> None:
    with pytest.raises(ValueError):
        Scope("planet")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Scope.region("")
    assert Scope.region("Africa") == Scope("region", 0, "Africa")


@pytest.mark.parametrize(
    "scope", [ORG, Scope.community(1), Scope.unit(1), Scope.region("Africa")], ids=str
)
def test_empty_store_gives_zeros_and_nones(session: Session, scope: Scope) -> None:
    got = {k: v.value for k, v in values(session, scope=scope).items()}
    undefined = {
        "brainstorm_conversion", "constituent_satisfaction", "pulse_score",
        "time_to_first_response", "requests_resolved_share",
    }  # fmt: skip
    assert got == {k: None if k in undefined else 0.0 for k in DEFINITIONS}


def test_period_edges_follow_the_local_time_zone(session: Session, store: Store) -> None:
    for at in (
        utc(2025, 12, 31, 22, 59, 59),  # Geneva 23:59:59 on 31 Dec: out everywhere
        utc(2025, 12, 31, 23),  # Geneva 00:00 on 1 Jan: in for Geneva only
        utc(2026, 1, 1),  # in everywhere
        utc(2026, 1, 31, 23),  # Geneva 00:00 on 1 Feb: in for UTC only
        utc(2026, 1, 31, 23, 30),  # in for UTC only
        utc(2026, 2, 1),  # out everywhere
    ):
        store.idea(at)
        store.request(at)
    c, p = store.community(), store.person()
    for day, n in ((date(2025, 12, 31), 1000), (date(2026, 1, 1), 5), (date(2026, 1, 31), 7)):
        store.messages(c, p, day, n)
    store.messages(c, p, date(2026, 2, 1), 100)
    store.event(date(2026, 1, 31), kind="webinar")

    geneva, zulu = values(session, tz=GENEVA), values(session, tz=ZULU)
    assert geneva["ideas_submitted"].value == 2 and zulu["ideas_submitted"].value == 3
    assert geneva["requests_opened"].value == 2 and zulu["requests_opened"].value == 3
    assert geneva["contributions"].value == 4 and zulu["contributions"].value == 6
    for got in (geneva, zulu):  # days are local dates already
        assert got["community_messages"].value == 12
        assert got["events_held"].value == 1


def test_summer_time_moves_the_end_of_march(session: Session, store: Store) -> None:
    store.idea(utc(2026, 3, 31, 22, 30))  # 00:30 on 1 April in Geneva (UTC+2)
    store.idea(utc(2026, 3, 1, 0, 30))  # 01:30 on 1 March in Geneva (UTC+1)
    march = month_period(2026, 3)
    assert values(session, march, tz=GENEVA)["ideas_submitted"].value == 1
    assert values(session, march, tz=ZULU)["ideas_submitted"].value == 2


def test_contributions_people_and_active_communities(session: Session, store: Store) -> None:
    p1, p2, p4, p5, p6 = (store.person() for _ in range(5))
    p3 = store.person(forgotten=True)
    c1, c2 = store.community(), store.community()
    jan = utc(2026, 1, 15)
    store.idea(jan, community_id=c1, author_id=p1)
    store.idea(jan, community_id=c1)  # no author: a contribution, no person
    store.idea(utc(2026, 2, 1), community_id=c1, author_id=p2)  # out
    r1 = store.request(jan, community_id=c1, requester_id=p2)
    store.request(utc(2025, 12, 1), community_id=c1, requester_id=p5)  # out
    old = store.request(utc(2025, 12, 20), community_id=c1, requester_id=p5)  # out
    store.offer(r1, p3, jan)  # forgotten person, still the same person id
    store.offer(old, p4, jan)  # the offer is in the period even if the request is not
    store.feedback(jan, community_id=c1, anonymous=True, rating=5, target_kind="deliverable")
    store.feedback(jan, community_id=c1, author_id=p6, anonymous=True)
    store.feedback(jan, community_id=c1, author_id=p1, rating=3, target_kind="deliverable")
    store.event(date(2026, 1, 15), community_id=c1, attendees=[p3, p4])
    store.event(date(2026, 1, 20), kind="meeting", community_id=c1, attendees=[p1])
    store.event(date(2026, 2, 1), community_id=c1, attendees=[p5])  # out
    store.idea(jan, community_id=c2, author_id=p5)
    store.feedback(jan, community_id=c2, author_id=p4)

    got = values(session)
    # ideas 2 + request 1 + offers 2 + feedback 3 + attendances 3, then 2 in c2
    assert got["contributions"].value == 11 + 2
    assert got["active_members"].value == 5  # p1, p2, p3 (forgotten, once), p4, p5
    assert got["active_communities"].value == 1  # c1: p1, p2, p3, p4; c2: p5, p4
    assert got["active_communities"].details["threshold"] == 3
    assert values(session, threshold=2)["active_communities"].value == 2
    expect(got, "deliverable_feedback", 2.0, average_rating=4.0)
    c2_only = values(session, scope=Scope.community(c2))
    assert (c2_only["contributions"].value, c2_only["active_members"].value) == (2, 2)
    assert values(session, scope=Scope.community(c2), threshold=2)["active_communities"].value == 1


def test_scopes_community_unit_region_and_org(session: Session, store: Store) -> None:
    u1, u2 = store.unit("u1", "Africa"), store.unit("u2", "Africa")
    u3 = store.unit("u3", "Europe")
    c1, c2, c3 = (store.community(unit) for unit in (u1, u2, u3))
    c4 = store.community()
    p = store.person()
    jan = utc(2026, 1, 10)
    weights = {c1: 1, c2: 2, c3: 4, c4: 8, None: 16}
    for community, n in weights.items():
        for _ in range(n):
            store.idea(jan, community_id=community)
            store.request(jan, community_id=community)
        if community is not None:
            store.messages(community, p, date(2026, 1, 10), 10 * n)
    idea_in_c1 = store.idea(utc(2025, 6, 1), community_id=c1)
    store.hours(p, jan, 2.0, idea_id=idea_in_c1)  # no community of its own: counts for c1
    store.hours(p, jan, 3.0, community_id=c3)
    store.hours(p, jan, 5.0)

    def count(scope: Scope, key: str = "ideas_submitted") -> float | None:
        return values(session, scope=scope)[key].value

    assert count(Scope.community(c1)) == 1
    assert count(Scope.unit(u2)) == 2
    assert count(Scope.region("Africa")) == 3
    assert count(Scope.region("Europe")) == 4
    assert count(Scope.region("Asia")) == 0
    assert count(ORG) == 31
    assert count(Scope.region("Africa"), "requests_opened") == 3
    assert count(Scope.region("Africa"), "community_messages") == 30
    assert count(ORG, "community_messages") == 150
    assert count(Scope.unit(u1), "innovation_hours") == 2.0
    assert count(Scope.region("Europe"), "innovation_hours") == 3.0
    assert count(ORG, "innovation_hours") == 10.0


def test_idea_stages(session: Session, store: Store) -> None:
    walk = store.walk
    walk("2025-11-01 proposed, 2026-01-10 development, 2026-02-01 pilot, 2026-05-01 scaled", "high")
    walk(
        "2026-01-05 proposed, 2026-01-20 development, 2026-03-01 pilot, 2026-03-20 scaled", "medium"
    )
    walk("2026-02-01 proposed")
    walk("2026-02-02 proposed, 2026-06-01 development")  # developed after Q1
    walk("2026-02-03 proposed, 2026-02-10 shelved")
    walk("2025-06-01 proposed, 2025-07-01 development, 2025-09-01 pilot", "low")
    walk("2026-03-31T23:59 pilot")  # created in pilot, no history
    walk("2025-12-01 pilot, 2026-04-15 scaled", "high")  # created in pilot, scaled after Q1
    walk("2026-04-02 pilot")  # created after Q1
    walk(
        "2025-01-01 proposed, 2025-02-01 development, 2025-03-01 pilot, 2026-02-15 shelved",
        "medium",
    )
    walk("2026-03-01 proposed, 2026-03-05T10 development, 2026-03-05T10 pilot")  # same instant
    walk("2025-12-15 proposed, 2026-03-31T23:59:59 pilot", "medium")
    walk("2025-10-01 proposed, 2026-04-01 development")  # at the very end of Q1: out

    got = values(session, Q1)
    assert got["ideas_submitted"].value == 6
    expect(got, "brainstorm_conversion", 4 / 6, ideas=6, converted=4)
    assert got["ideas_past_brainstorming"].value == 4
    assert got["ideas_scaled"].value == 1
    expect(got, "pilots_running", 6.0, low=1, medium=1, high=2, unrated=2)
    before = values(session, Q1.previous())  # 2025-Q4
    expect(before, "pilots_running", 3.0, low=1, medium=1, high=1, unrated=0)


def test_events_and_training(session: Session, store: Store) -> None:
    p1, p2, p3, p4 = (store.person() for _ in range(4))
    store.event(date(2026, 1, 5), attendees=[p1, p2])
    store.event(date(2026, 1, 31), attendees=[p2, p3])
    store.event(date(2026, 1, 10), kind="workshop", attendees=[p1])
    store.event(date(2026, 1, 12), kind="webinar")
    store.event(date(2026, 1, 15), kind="meeting", attendees=[p4])
    store.event(date(2026, 2, 1), attendees=[p1])
    store.event(date(2025, 12, 31), attendees=[p4])

    got = values(session)
    expect(got, "events_held", 4.0, training=2, workshop=1, webinar=1)
    expect(got, "training_participation", 4.0, people=3)


def test_feedback_indicators(session: Session, store: Store) -> None:
    jan = utc(2026, 1, 9)
    store.feedback(jan, source="constituent", rating=4)
    store.feedback(jan, source="partner", rating=2, target_kind="event")
    store.feedback(jan, source="partner", target_kind="community")
    store.feedback(jan, rating=5, target_kind="deliverable")
    store.feedback(utc(2026, 2, 1), source="constituent", rating=1)
    store.feedback(jan, rating=3, target_kind="deliverable", anonymous=True)

    got = values(session)
    expect(got, "constituent_satisfaction", 3.0, count=3, rated=2)
    expect(got, "deliverable_feedback", 3.0, average_rating=4.0)


def test_pulse_and_hours(session: Session, store: Store) -> None:
    store.pulse(utc(2026, 1, 3), 10, [4, 5, 3])
    store.pulse(utc(2026, 1, 20), 5, [2])
    store.pulse(utc(2026, 2, 2), 10, [1])
    p1, p2, p3 = (store.person() for _ in range(3))
    store.hours(p1, utc(2026, 1, 3), 2.5)
    store.hours(p1, utc(2026, 1, 4), 1.5)
    store.hours(p2, utc(2026, 1, 31, 23), 3.0)
    store.hours(p3, utc(2026, 2, 1), 4.0)

    got = values(session)
    expect(got, "pulse_score", 3.5, responses=4, response_rate=4 / 15)
    expect(got, "innovation_hours", 7.0, people=2)


def test_requests(session: Session, store: Store) -> None:
    store.request(utc(2026, 1, 2), status="resolved", wait=2)
    store.request(utc(2026, 1, 10), status="answered", wait=10)
    store.request(utc(2026, 1, 20), status="resolved", wait=5)
    store.request(utc(2026, 1, 25))
    store.request(utc(2025, 12, 30), status="resolved", wait=60)
    store.request(utc(2026, 1, 28), status="closed", wait=1)

    got = values(session)
    assert got["requests_opened"].value == 5
    expect(got, "time_to_first_response", 3.5, responded=4)
    expect(got, "requests_resolved_share", 0.4, opened=5, resolved=2)


def test_compute_one_matches_compute_all(session: Session, store: Store) -> None:
    p = store.person()
    c = store.community()
    store.idea(utc(2026, 1, 3), community_id=c, author_id=p)
    store.request(utc(2026, 1, 4), community_id=c, requester_id=p, wait=3)
    store.feedback(utc(2026, 1, 5), community_id=c, rating=4, target_kind="deliverable")
    everything = values(session, scope=Scope.community(c), tz=GENEVA)
    for key, value in everything.items():
        one = compute(session, key, period=JAN, scope=Scope.community(c), tz=GENEVA)
        assert one == value
    with pytest.raises(InvalidInput, match="Unknown indicator"):
        compute(session, "happiness", period=JAN, scope=ORG, tz=GENEVA)
