"""The dashboard's pages over HTTP: who sees what, refusals, charts, downloads, headers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from bot.container import Container
from bot.errors import NotAllowed
from bot.indicators import Scope, compute
from bot.indicators import export as exports
from bot.messages import Actor, Platform
from bot.periods import parse_period
from bot.reads.community_activity import activity
from bot.services import dashboard, dashboard_links, stats
from bot.services.context import Context
from bot.settings import Settings
from tests.conftest import NOW, Say
from tests.dashboard.conftest import link_of
from tests.indicators.conftest import png_size


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def page(link: str, name: str = "", **params: str) -> str:
    """``link``'s token on page ``name`` with ``params``."""
    base = path_of(link).replace("/dashboard/?", f"/dashboard/{name}?")
    return base + "".join(f"&{k}={quote(v)}" for k, v in params.items())


async def test_every_page_opens_for_a_coordinator(
    client: Any, say: Say, organisation: None
) -> None:
    link = link_of(say("cora", "dashboard", now=NOW - timedelta(minutes=20)))
    for name in ("", "pipeline", "communities", "downloads"):
        response = await client.get(page(link, name))
        assert response.status == 200, (name, await response.text())
        html = await response.text()
        assert '<html lang="en">' in html and 'href="#main"' in html
        assert "This personal link expires at 10:40 UTC." in html
        headers = response.headers
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        assert (
            "frame-ancestors 'self' https://teams.microsoft.com"
            in headers["Content-Security-Policy"]
        )
    indicators = await (await client.get(page(link))).text()
    assert "Indicators for organisation, 2026-Q4" in indicators
    assert indicators.count('class="trend"') == 18
    assert "1 of 1 targets behind." not in indicators  # 4 ideas of 6 by mid-quarter: on track


async def test_a_focal_point_sees_only_their_community(
    client: Any, say: Say, organisation: None
) -> None:
    link = link_of(say("fran", "dashboard"))

    own = await client.get(page(link))
    assert own.status == 200
    html = await own.text()
    assert "Indicators for design-thinking, 2026-Q4" in html
    assert 'value="community:data-science"' not in html  # not offered
    for scope in ("community:data-science", "all", "region:Africa", "unit:Statistics Unit"):
        for name in ("", "pipeline", "communities"):
            refused = await client.get(page(link, name, scope=scope))
            assert refused.status == 403, (scope, name)
            assert "data-science" not in await refused.text() or scope.endswith("data-science")
        chart = await client.get(page(link, "chart/contributions.png", scope=scope))
        assert chart.status == 403
    # A focal point of every community of a unit sees the unit.
    assert (await client.get(page(link, scope="unit:Innovation Unit"))).status == 200


async def test_a_role_taken_away_closes_the_dashboard(
    client: Any, say: Say, organisation: None
) -> None:
    link = link_of(say("fran", "dashboard"))
    assert not say("cora", "focal remove @fran design-thinking").error

    refused = await client.get(page(link))

    assert refused.status == 403
    assert "focal points and coordinators" in await refused.text()


async def test_refused_links_say_why(
    client: Any, say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    old = link_of(say("cora", "dashboard", now=NOW - timedelta(hours=2)))
    expired = await client.get(page(old))
    assert expired.status == 403
    assert "The link has expired." in await expired.text()

    missing = await client.get("/dashboard/")
    assert missing.status == 401

    link = link_of(say("cora", "dashboard"))
    tampered = await client.get(page(link).replace("t=", "t=x"))
    assert tampered.status == 403
    assert "not valid" in await tampered.text()

    bad_period = await client.get(page(link, period="2026-Q9"))
    assert bad_period.status == 400


async def test_charts_are_the_png_of_stats_chart(client: Any, say: Say, organisation: None) -> None:
    link = link_of(say("fran", "dashboard"))
    html = await (await client.get(page(link))).text()
    assert 'alt="Ideas submitted for design-thinking, 2025-Q1 to 2026-Q4: ' in html

    response = await client.get(
        page(link, "chart/ideas_submitted.png", scope="community:design-thinking")
    )
    assert response.status == 200
    assert response.content_type == "image/png"
    assert png_size(await response.read()) == (1200, 675)
    assert (await client.get(page(link, "chart/nothing.png"))).status == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_downloads_are_the_export_of_chat(
    client: Any, say: Say, organisation: None, container: Container, fmt: str
) -> None:
    link = link_of(say("fran", "dashboard"))
    response = await client.get(page(link, f"export.{fmt}", period="2026-Q4"))
    assert response.status == 200
    assert f'filename="indicators-2026-Q4.{fmt}"' in response.headers["Content-Disposition"]
    body = await response.read()
    if fmt == "csv":
        ctx = Context(Actor(Platform.CONSOLE, "local", "fran"), "x", NOW, container.settings)
        expected = stats.export(container.uow(), ctx, period="2026-Q4")
        assert body == exports.to_csv(expected.rows)
        assert b"data-science" not in body  # only the scopes fran looks after
    else:
        assert body[:2] == b"PK"


async def test_the_teams_tab_opens_the_dashboard_from_a_deep_link(
    client: Any, say: Say, organisation: None
) -> None:
    link = link_of(say("cora", "dashboard"))
    token = urlsplit(link).query.removeprefix("t=")
    redirected = await client.get(f"/dashboard/tab?t={token}", allow_redirects=False)
    assert redirected.status == 303
    assert redirected.headers["Location"] == f"/dashboard/?t={token}"
    plain = await client.get("/dashboard/tab?t={subEntityId}")
    assert plain.status == 200
    assert "Type dashboard" in await plain.text()


def test_community_activity_follows_the_indicator_definitions(
    say: Say, organisation: None, container: Container
) -> None:
    tz = ZoneInfo("UTC")
    period = parse_period("2026-Q4", today=NOW.date())
    with container.uow() as uow:
        session = uow.session
        rows = activity(session, scope=Scope.org(), period=period, tz=tz, now=NOW)
        assert [r.name for r in rows] == ["design-thinking", "data-science"]
        from storage.models import Community

        for row in rows:
            community = session.query(Community).filter_by(name=row.name).one()
            scope = Scope.community(community.id, community.name)

            def value(key: str, scope: Scope = scope) -> float | None:
                return compute(session, key, period=period, scope=scope, tz=tz).value

            assert row.messages == value("community_messages")
            assert row.ideas == value("ideas_submitted")
            assert row.requests == value("requests_opened")
            assert row.median_first_response_hours == value("time_to_first_response")
    design, data = rows
    assert (design.open_requests, design.unanswered, design.silent) == (1, 0, False)
    assert data.median_first_response_hours == pytest.approx(5.0, abs=0.01)
    assert (data.unit, design.unit) == ("Statistics Unit", "Innovation Unit")


def test_the_viewer_context_is_never_a_bound_channel(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    link = link_of(say("fran", "dashboard"))
    token = urlsplit(link).query.removeprefix("t=")
    ctx = dashboard_links.viewer(container.uow(), settings, token, now=NOW).ctx
    assert ctx.channel == dashboard_links.VIEWER_CHANNEL and not ctx.auto_bind


def test_figures_are_reused_for_a_minute_and_never_across_permissions(
    say: Say, organisation: None, container: Container
) -> None:
    cache = dashboard.FiguresCache(timedelta(seconds=60))

    def ideas(user: str, scope: str, at: datetime) -> float | None:
        ctx = Context(Actor(Platform.CONSOLE, "local", user), "x", at, container.settings)
        page = dashboard.indicators(
            container.uow(), ctx, scope=scope, period="2026-Q4", cache=cache
        )
        return next(r.current.value for r in page.table.rows if r.key == "ideas_submitted")

    assert ideas("cora", "all", NOW) == 5
    assert not say("ana", "idea One more", now=NOW + timedelta(seconds=5)).error
    assert ideas("cora", "all", NOW + timedelta(seconds=30)) == 5  # from the cache
    assert ideas("cora", "all", NOW + timedelta(seconds=61)) == 6
    assert ideas("cora", "community:data-science", NOW) == 2
    with pytest.raises(NotAllowed):
        ideas("fran", "community:data-science", NOW + timedelta(seconds=1))
