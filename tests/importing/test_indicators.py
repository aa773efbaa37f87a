"""After an import the indicators see the past: ``stats`` for 2015 shows the imported
messages, and ``target set … baseline=from:2015`` takes that value as the baseline."""

from __future__ import annotations

from sqlalchemy import select

from bot.container import Container
from storage.models import IndicatorTarget
from tests.conftest import Say
from tests.importing.conftest import FIXTURE, Import, independent_counts


def _in_2015() -> int:
    return sum(n for (_, day), n in independent_counts(FIXTURE).items() if day.year == 2015)


def test_stats_for_a_past_period_show_the_imported_messages(run: Import, say: Say) -> None:
    run()

    reply = say("cora", "stats all 2015")

    assert not reply.error, reply.text
    assert reply.table is not None
    [row] = [r for r in reply.table.rows if r[0].startswith("Community messages")]
    assert f"{_in_2015():,}" in row or str(_in_2015()) in row


def test_a_target_takes_its_baseline_from_an_imported_period(
    run: Import, say: Say, container: Container
) -> None:
    run()

    reply = say("cora", "target set community_messages 500 2026 baseline=from:2015 scope=all")

    assert not reply.error, reply.text
    assert f"baseline {_in_2015()} from 2015" in reply.text.replace(",", "")
    with container.uow() as uow:
        target = uow.session.scalar(select(IndicatorTarget))
        assert target is not None
        assert (target.period, target.baseline, target.target) == ("2026", _in_2015(), 500)


def test_a_baseline_period_must_be_a_past_calendar_period(run: Import, say: Say) -> None:
    bad = say("cora", "target set community_messages 500 2026 baseline=from:soon scope=all")
    assert bad.error and "baseline=from:2015" in bad.text
    later = say("cora", "target set community_messages 500 2015 baseline=from:2026 scope=all")
    assert later.error and "before 2015" in later.text
    both = say("cora", "target set community_messages 500 2026 baseline=3 baseline=from:2015")
    assert both.error
