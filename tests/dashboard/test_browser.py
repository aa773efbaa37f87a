"""The dashboard in a real headless browser: Playwright driving Debian's Chromium.

The numbers on the page are those of ``copbot indicators`` for the same period and scope; a
focal point cannot reach another community by editing the address; an expired link is
refused; every chart image loads; the pages work with the keyboard and on a phone-sized
screen. Screenshots go to ``test-artifacts/screenshots/`` (kept by CI).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.indicators import DEFINITIONS, IndicatorValue
from bot.indicators.format import describe, format_value
from bot.settings import Settings
from copbot.cli import main
from tests.conftest import NOW, Say
from tests.dashboard.conftest import Served, link_of

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)",
)

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, sync_playwright
    from playwright.sync_api import Error as PlaywrightError


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    opened = context.new_page()
    yield opened
    context.close()


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot as a CI artifact. A screenshot is a record, not a check: when a
    loaded machine makes Chromium fail to capture one, the test goes on and says so."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    except PlaywrightError as error:
        warnings.warn(f"screenshot {name} not taken: {error.message}", stacklevel=2)


def cli_indicators(
    settings: Settings,
    scope: str,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("COPBOT_TIMEZONE", settings.copbot_timezone)
    capsys.readouterr()
    assert main(["indicators", "--period", "2026-Q4", "--scope", scope, "--format", fmt]) == 0
    return capsys.readouterr().out


def table_values(out: str) -> dict[str, tuple[str, str]]:
    """``copbot indicators --format table``: indicator label → (value, target)."""
    found = {}
    for line in out.splitlines()[2:]:
        cells = re.split(r" {2,}", line.strip())
        found[cells[1]] = (cells[2], cells[3] if len(cells) > 3 else "–")
    return found


@pytest.mark.parametrize(
    ("who", "scope", "cli_scope"),
    [
        ("fran", "community:design-thinking", "community:design-thinking"),
        ("cora", "all", "org"),
        ("cora", "unit:Statistics Unit", "unit:Statistics Unit"),
    ],
)
def test_the_numbers_are_those_of_copbot_indicators(
    page: Page,
    served: Served,
    say: Say,
    organisation: None,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    who: str,
    scope: str,
    cli_scope: str,
) -> None:
    link = link_of(say(who, "dashboard"))
    assert link.startswith(served.base)
    response = page.goto(f"{link}&scope={quote(scope)}&period=2026-Q4")
    assert response is not None and response.status == 200
    shoot(page, f"indicators-{who}-{scope.replace(':', '-').replace(' ', '-')}")

    rows = json.loads(cli_indicators(settings, cli_scope, "json", monkeypatch, capsys))["rows"]
    table = table_values(cli_indicators(settings, cli_scope, "table", monkeypatch, capsys))
    assert len(rows) == len(DEFINITIONS)
    for row in rows:
        cells = page.locator(f'#indicators tr[data-indicator="{row["indicator"]}"] td')
        value, target = cells.nth(0), cells.nth(2)
        shown = value.inner_text()
        expected = describe(IndicatorValue(row["indicator"], row["value"], row["details"]))
        assert shown == expected == table[row["label"]][0], row["indicator"]
        raw = value.get_attribute("data-value")
        assert (float(raw) if raw else None) == row["value"], row["indicator"]
        assert (
            target.inner_text() == format_value(row["indicator"], row["target"])
            if row["target"] is not None
            else target.inner_text() == "–"
        )
    # The last point of each trend is the period's value too.
    for key in DEFINITIONS:
        last = page.locator(f'table.trend-data[data-indicator="{key}"] tbody tr').last
        assert last.locator("td").first.inner_text() == format_value(
            key, next(r["value"] for r in rows if r["indicator"] == key)
        )


def test_a_focal_point_cannot_reach_another_community_by_editing_the_address(
    page: Page, served: Served, say: Say, organisation: None
) -> None:
    link = link_of(say("fran", "dashboard"))
    page.goto(link)
    offered = page.locator("#scope option").evaluate_all("els => els.map(e => e.value)")
    assert offered == ["community:design-thinking", "unit:Innovation Unit"]

    for address in (
        f"{link}&scope=community:data-science",
        f"{link}&scope=all",
        f"{served.base}/dashboard/pipeline?{link.split('?')[1]}&scope=community:data-science",
        f"{served.base}/dashboard/communities?{link.split('?')[1]}&scope=region:Africa",
    ):
        response = page.goto(address)
        assert response is not None and response.status == 403, address
        assert "Not available to you" in page.locator("h1").inner_text()
        assert "Open data catalogue" not in page.content()
    shoot(page, "refused-other-community")


def test_an_expired_link_is_refused(
    page: Page, served: Served, say: Say, organisation: None
) -> None:
    old = link_of(say("cora", "dashboard", now=NOW - timedelta(minutes=61)))
    response = page.goto(old)
    assert response is not None and response.status == 403
    assert "The link has expired." in page.locator("[role=alert]").inner_text()
    shoot(page, "refused-expired")


def test_every_chart_image_loads(page: Page, served: Served, say: Say, organisation: None) -> None:
    page.goto(link_of(say("cora", "dashboard")))
    images = page.locator("main img")
    assert images.count() == len(DEFINITIONS)
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert image.evaluate("img => img.naturalWidth") == 1200
        assert image.get_attribute("alt")
    shoot(page, "indicators-all-charts")


def test_the_pages_work_with_the_keyboard(
    page: Page, served: Served, say: Say, organisation: None
) -> None:
    page.goto(link_of(say("cora", "dashboard")))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.focus("#scope")
    page.keyboard.press("End")  # the last scope offered: a region
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "period"
    page.keyboard.press("Control+A")
    page.keyboard.type("2026-Q3")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Indicators for region Europe, 2026-Q3" in page.locator("h1").inner_text()

    pipeline = page.get_by_role("link", name="Idea pipeline")
    pipeline.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Idea pipeline, region Europe"
    assert page.get_by_role("link", name="Idea pipeline").get_attribute("aria-current") == "page"
    shoot(page, "pipeline-keyboard")


def test_the_pages_fit_a_phone(
    browser: Browser, served: Served, say: Say, organisation: None
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        link = link_of(say("cora", "dashboard"))
        for name in ("", "pipeline", "communities", "downloads"):
            phone.goto(link.replace("/dashboard/?", f"/dashboard/{name}?"))
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, name
            shoot(phone, f"phone-{name or 'indicators'}")
        phone.goto(link.replace("/dashboard/?", "/dashboard/pipeline?"))
        funnel = phone.locator('#funnel tr[data-stage="development"] td').first
        assert funnel.inner_text() == "1"
    finally:
        context.close()
