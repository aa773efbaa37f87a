"""`stats chart`: a PNG of the expected size, 8 periods, targets, snapshots for closed periods."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.container import Container
from bot.indicators import DEFINITIONS, Scope
from bot.indicators.chart import DPI, HEIGHT_PX, WIDTH_PX, ChartPoint, filename, render
from bot.indicators.history import final_snapshots, record_snapshots, series
from bot.periods import last_days, quarter_period
from bot.services import stats
from bot.services.context import Context
from handlers.console.chat import inbound
from storage.models import IndicatorSnapshot
from tests.conftest import NOW, Say
from tests.indicators.conftest import play, png_size, row, utc

UTC_ZONE = ZoneInfo("UTC")


def _ctx(container: Container, user: str = "cora", now: datetime = NOW) -> Context:
    return Context(
        actor=inbound(user, "elsewhere", "").actor,
        channel="elsewhere",
        now=now,
        settings=container.settings,
    )


def test_stats_chart_answers_with_a_png_of_chat_size(say: Say) -> None:
    play(say, [("cora", "community create design-thinking"), ("ana", "idea One")])
    say("cora", "target set ideas_submitted 3 scope=all")
    reply = say("cora", "stats chart ideas_submitted all")
    assert not reply.error, reply.text
    assert reply.text == (
        "Ideas submitted for organisation: the last 8 periods to 2026-Q4 with the targets."
    )
    [chart] = reply.attachments
    assert chart.filename == "ideas_submitted-2026-Q4.png"
    assert chart.mimetype == "image/png"
    assert chart.title == "Ideas submitted, organisation, 2025-Q1 to 2026-Q4"
    assert png_size(chart.content) == (WIDTH_PX, HEIGHT_PX) == (1200, 675)
    assert DPI == 150
    assert b"Ideas submitted" in chart.content  # the title travels in the PNG metadata


@pytest.mark.parametrize("key", list(DEFINITIONS))
def test_every_indicator_charts(key: str) -> None:
    points = [
        ChartPoint(f"2026-{m:02d}", None if m == 3 else m / 10, 0.5, m == 8) for m in range(1, 9)
    ]
    png = render(DEFINITIONS[key], scope_label="design-thinking", kind="month", points=points)
    assert png_size(png) == (1200, 675)


def test_charts_render_in_parallel_threads_without_shared_state() -> None:
    d = DEFINITIONS["requests_resolved_share"]
    points = [
        ChartPoint(f"2026-W{w}", w / 60, 0.7 if w > 44 else None, w == 47) for w in range(40, 48)
    ]
    alone = render(d, scope_label="organisation", kind="week", points=points)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(
            pool.map(
                lambda _: render(d, scope_label="organisation", kind="week", points=points),
                range(8),
            )
        )
    assert all(png == alone for png in together)
    small = render(
        d, scope_label="x", kind="week", points=points, width_px=800, height_px=450, dpi=100
    )
    assert png_size(small) == (800, 450)


def test_the_chart_holds_eight_periods_with_targets_and_the_running_one(
    say: Say, container: Container
) -> None:
    play(say, [("cora", "community create design-thinking"), ("ana", "idea Now")])
    say("ana", "idea In Q2", now=utc(2026, 5, 5))
    say("cora", "target set ideas_submitted 4 scope=all")
    say("cora", "target set ideas_submitted 2 2026-Q2 scope=all")
    say("cora", "target set ideas_submitted 9 2024-Q4 scope=all")  # outside the 8 quarters
    result = stats.chart(container.uow(), _ctx(container), indicator="ideas_submitted", scope="all")
    assert [p.label for p in result.points] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
    ]  # fmt: skip
    assert [p.value for p in result.points] == [0, 0, 0, 0, 0, 1, 0, 1]
    assert [p.target for p in result.points] == [None] * 5 + [2, None, 4]
    assert [p.partial for p in result.points] == [False] * 7 + [True]
    rolling = stats.chart(
        container.uow(),
        _ctx(container),
        indicator="ideas_submitted",
        scope="all",
        period="last-30d",
    )
    assert [p.label for p in rolling.points][-2:] == ["19 Oct", "18 Nov"]
    assert rolling.points[-1].value == 1 and rolling.points[-1].partial


def test_closed_periods_come_from_final_snapshots(say: Say, container: Container) -> None:
    play(say, [("cora", "community create design-thinking"), ("ana", "idea Now")])
    q2, q3 = quarter_period(2026, 2), quarter_period(2026, 3)
    with container.uow() as uow:
        s = uow.session
        for period, value, taken in (
            (q2, 42.0, utc(2026, 7, 1, 2)),  # taken after Q2 ended: final
            (q3, 17.0, utc(2026, 9, 30, 2)),  # taken on Q3's last night: not final
        ):
            s.add(
                IndicatorSnapshot(
                    indicator="ideas_submitted", period=period.label, scope_kind="org",
                    scope_id=0, value=value, details={}, computed_at=taken,
                )
            )  # fmt: skip
        uow.commit()
    result = stats.chart(container.uow(), _ctx(container), indicator="ideas_submitted", scope="all")
    by_label = {p.label: p.value for p in result.points}
    assert by_label["2026-Q2"] == 42.0 and by_label["2026-Q3"] == 0.0 and by_label["2026-Q4"] == 1


def test_record_snapshots_then_read_them_back(say: Say, container: Container) -> None:
    play(
        say,
        [("cora", "community create design-thinking"), ("ana", "idea Q3")],
        start=utc(2026, 8, 1),
    )
    q3 = quarter_period(2026, 3)
    scope = Scope.community(1, "design-thinking")
    options: dict[str, Any] = {"scope": scope, "tz": UTC_ZONE}
    with container.uow() as uow:
        for taken in (utc(2026, 9, 15), utc(2026, 10, 1)):
            record_snapshots(uow.session, period=q3, active_threshold=3, now=taken, **options)
        uow.commit()
    with container.uow() as uow:
        s = uow.session
        assert s.query(IndicatorSnapshot).count() == len(DEFINITIONS)  # refreshed in place
        snaps = final_snapshots(s, periods=[q3], active_threshold=3, **options)["2026-Q3"]
        assert snaps["ideas_submitted"].value == 1 and snaps.keys() == set(DEFINITIONS)
        other = final_snapshots(s, periods=[q3], active_threshold=2, **options)["2026-Q3"]
        assert "active_communities" not in other  # taken with another activity threshold
        one = series(
            s, "ideas_submitted", periods=[q3], active_threshold=3, today=NOW.date(), **options
        )
        assert one[0].value == 1
        rolling = last_days(30, today=NOW.date())
        with pytest.raises(ValueError, match="rolling"):
            record_snapshots(s, period=rolling, active_threshold=3, now=NOW, **options)


def test_a_full_previous_period_snapshot_feeds_the_stats_table(
    say: Say, container: Container
) -> None:
    play(
        say,
        [("cora", "community create design-thinking"), ("ana", "idea Q3")],
        start=utc(2026, 8, 1),
    )
    q3 = quarter_period(2026, 3)
    with container.uow() as uow:
        record_snapshots(
            uow.session,
            period=q3,
            scope=Scope.org(),
            tz=UTC_ZONE,
            active_threshold=3,
            now=utc(2026, 10, 1, 1),
        )
        uow.session.query(IndicatorSnapshot).filter_by(indicator="ideas_submitted").update(
            {"value": 99.0}
        )
        uow.commit()
    assert row(say("cora", "stats all"), "Ideas submitted")[1:3] == ("0", "99")


def test_chart_errors_are_clean(say: Say) -> None:
    say("cora", "community create design-thinking")
    unknown = say("cora", "stats chart happiness all")
    assert unknown.error and 'Unknown indicator "happiness"' in unknown.text
    assert say("cora", "stats chart ideas_submitted all 2026-Q5").error
    assert (
        filename("pulse_score", "2026-01-01..2026-01-30")
        == "pulse_score-2026-01-01__2026-01-30.png"
    )
