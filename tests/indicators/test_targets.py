"""Targets: setting them (baseline, owner, period, scope, units), progress in `stats`, and
`behind_target` for the focal-point digest."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.indicators import DEFINITIONS, Definition, Scope
from bot.indicators.targets import (
    Behind,
    attainment,
    behind_target,
    elapsed,
    scope_key,
    status,
)
from bot.periods import month_period, quarter_period
from storage.models import IndicatorTarget, Person
from tests.conftest import NOW, Say
from tests.indicators.conftest import place, play, row, utc

Q3, Q4 = quarter_period(2026, 3), quarter_period(2026, 4)
UTC_ZONE = ZoneInfo("UTC")


class Stored(NamedTuple):
    target: float
    baseline: float | None
    owner_id: int | None
    scope_id: int


def _targets(container: Container) -> dict[tuple[str, str, str], Stored]:
    with container.uow() as uow:
        rows = uow.session.scalars(select(IndicatorTarget)).all()
        return {
            (r.indicator, r.period, r.scope_kind): Stored(
                r.target, r.baseline, r.owner_id, r.scope_id
            )
            for r in rows
        }


@pytest.fixture
def busy(say: Say) -> None:
    """Two ideas in Q3; in Q4 three ideas and a request answered after five hours."""
    play(
        say,
        [("cora", "community create design-thinking"), ("ana", "idea A"), ("ana", "idea B")],
        start=utc(2026, 8, 3),
    )
    play(say, [("ana", "idea C"), ("bo", "idea D"), ("bo", "idea E")])
    say("bo", "ask Who knows Power BI?", now=NOW - timedelta(hours=5))
    say("ana", "offer R-1")


@pytest.mark.usefixtures("busy")
def test_a_target_takes_its_baseline_from_the_previous_period(
    say: Say, container: Container
) -> None:
    reply = say("cora", "target set ideas_submitted 4 2026-q4 scope=all")
    assert reply.text == (
        "Target for Ideas submitted in organisation, 2026-Q4: 4 (baseline 2, owner cora)."
    )
    stored = _targets(container)[("ideas_submitted", "2026-Q4", "org")]
    assert (stored.target, stored.baseline, stored.scope_id) == (4.0, 2.0, 0)
    # Day 49 of 92: 3 of 4 is 75%, ahead of the pace of 4 × 49/92 ≈ 2.1.
    assert row(say("cora", "stats all"), "Ideas submitted")[1:] == (
        "3",
        "2",
        "4 (cora)",
        "75% (on track)",
    )


@pytest.mark.usefixtures("busy")
def test_owner_baseline_and_shares_in_percent(say: Say, container: Container) -> None:
    reply = say("cora", "target set requests_resolved_share 80 @ana baseline=40 scope=all")
    assert "80% (baseline 40%, owner ana)" in reply.text
    with container.uow() as uow:
        ana = uow.session.scalar(select(Person.id).where(Person.display_name == "ana"))
    assert [n.recipient_person_id for n in reply.notices] == [ana]
    assert reply.notices[0].text.startswith("You own this target now.")
    stored = _targets(container)[("requests_resolved_share", "2026-Q4", "org")]
    assert (stored.target, stored.baseline) == (0.8, 0.4)
    # The request is answered, not resolved: 0 of 80%, behind whatever the date.
    assert row(say("cora", "stats all"), "Requests resolved")[3:] == ("80% (ana)", "0% (behind)")
    # Setting it again keeps the owner unless another is named.
    say("cora", "target set requests_resolved_share 70 scope=all")
    assert _targets(container)[("requests_resolved_share", "2026-Q4", "org")].owner_id == ana


@pytest.mark.usefixtures("busy")
def test_lower_is_better_and_reached(say: Say) -> None:
    say("cora", "target set time_to_first_response 2 scope=all")
    say("cora", "target set ideas_submitted 2 2026-Q3 scope=all")
    stats = say("cora", "stats all")
    assert row(stats, "Time to first response")[1] == "5\u00a0h"
    assert row(stats, "Time to first response")[3:] == ("2\u00a0h (cora)", "40% (behind)")
    q3 = say("cora", "stats all 2026-Q3")
    assert row(q3, "Ideas submitted")[3:] == ("2 (cora)", "100% (reached)")
    assert "1 of 1 targets behind" not in q3.text and "0 of 1 targets behind" in q3.text


@pytest.mark.usefixtures("busy")
def test_targets_per_scope_and_period(say: Say, container: Container) -> None:
    place(container, "design-thinking", "Policy", "Africa")
    say("cora", "target set ideas_submitted 9")  # in the bound channel: its community
    say("cora", "target set ideas_submitted 7 scope=region:africa 2026-11")
    say("cora", "target set ideas_submitted 5 scope=unit:Policy 2026")
    stored = _targets(container)
    assert stored[("ideas_submitted", "2026-Q4", "community")].target == 9
    region = stored[("ideas_submitted", "2026-11", "region")]
    assert region.scope_id == scope_key(Scope.region("Africa"))[1] != 0
    assert stored[("ideas_submitted", "2026", "unit")].target == 5
    assert row(say("cora", "stats"), "Ideas submitted")[3] == "9 (cora)"
    assert row(say("cora", "stats all"), "Ideas submitted")[3] == "–"
    assert row(say("cora", "stats region:Africa 2026-11"), "Ideas submitted")[3] == "7 (cora)"
    assert row(say("cora", "stats unit 2026"), "Ideas submitted")[3] == "5 (cora)"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("target set requests_resolved_share 150", "a percentage from 0 to 100"),
        ("target set pulse_score 7", "an average from 1 to 5"),
        ("target set pulse_score 4 baseline=0", "an average from 1 to 5"),
        ("target set ideas_submitted -1", "zero or more"),
        ("target set ideas_submitted 4 last-30d", "Targets are set for calendar periods"),
        ("target set happiness 4", 'Unknown indicator "happiness"'),
        ("target set ideas_submitted 4 @nobody", "I don't know anyone called @nobody"),
        ("target set ideas_submitted 4 scope=atlantis", 'No community called "atlantis"'),
        ("target set ideas_submitted 4 2026-Q5", 'Unknown period "2026-Q5"'),
    ],
)
def test_bad_targets_change_nothing(
    say: Say, container: Container, line: str, message: str
) -> None:
    say("cora", "community create design-thinking")
    reply = say("cora", line)
    assert reply.error and message in reply.text
    assert _targets(container) == {}


# --- the rules, and behind_target for the focal-point digest ------------------------------


def test_attainment_and_status_rules() -> None:
    count, wait = DEFINITIONS["ideas_submitted"], DEFINITIONS["time_to_first_response"]
    share = DEFINITIONS["requests_resolved_share"]
    assert wait.lower_is_better and not count.lower_is_better and count.cumulative
    assert not share.cumulative and not wait.cumulative
    assert attainment(count, 3, 4) == 0.75 and attainment(count, 0, 0) == 1.0
    assert attainment(count, 50, 1) == 9.99 and attainment(count, None, 4) is None
    assert attainment(wait, 5, 2) == 0.4 and attainment(wait, 1, 2) == 1.0
    assert attainment(wait, 0, 0) == 1.0
    assert status(count, 2, 4, share_elapsed=0.5) == "on track"
    assert status(count, 1.9, 4, share_elapsed=0.5) == "behind"
    assert status(count, 4, 4, share_elapsed=0.1) == "reached"
    assert status(share, 0.3, 0.5, share_elapsed=0.1) == "behind"  # rates are not pro-rated
    assert status(wait, 2, 2, share_elapsed=1) == "reached"
    assert status(wait, None, 2, share_elapsed=1) is None
    october = month_period(2026, 10)
    assert elapsed(october, None) == 1.0
    assert elapsed(october, date(2026, 10, 1)) == 1 / 31
    assert elapsed(october, date(2026, 9, 30)) == 0.0
    assert elapsed(october, date(2026, 11, 1)) == 1.0
    # Definitions built the old way still work: the flags default to off.
    old = Definition("k", "K", "a", "count", "text")
    assert not old.lower_is_better and not old.cumulative


@pytest.mark.usefixtures("busy")
def test_behind_target_lists_what_is_behind(say: Say, container: Container) -> None:
    say("cora", "target set ideas_submitted 4 scope=all")  # 3: on pace, not reached
    say("cora", "target set time_to_first_response 2 scope=all")  # 5 h: behind
    say("cora", "target set requests_opened 1 scope=all")  # 1: reached
    say("cora", "target set pulse_score 4 scope=all")  # no answers: undefined, not listed
    say("cora", "target set ideas_submitted 1 scope=design-thinking")  # another scope
    with container.uow() as uow:
        final = behind_target(
            uow.session, scope=Scope.org(), period=Q4, tz=UTC_ZONE, active_threshold=3
        )
        paced = behind_target(
            uow.session,
            scope=Scope.org(),
            period=Q4,
            tz=UTC_ZONE,
            active_threshold=3,
            today=NOW.date(),
        )
        mine = behind_target(
            uow.session, scope=Scope.community(1), period=Q4, tz=UTC_ZONE, active_threshold=3
        )
        none = behind_target(
            uow.session, scope=Scope.org(), period=Q3, tz=UTC_ZONE, active_threshold=3
        )
    assert final == [
        Behind("ideas_submitted", 3.0, 4.0),
        Behind("time_to_first_response", 5.0, 2.0),
    ]
    key, value, target = final[0]  # plain tuples for the digest
    assert (key, value, target) == ("ideas_submitted", 3.0, 4.0)
    assert paced == [Behind("time_to_first_response", 5.0, 2.0)]
    assert mine == [] and none == []
