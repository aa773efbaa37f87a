"""Every word the dashboard shows that is not a name or a number, in one place.

The defaults are English, marked for the catalogues; :func:`texts_for` returns them in a
language (the viewer's, see ``copbot/dashboard/web.py``). The templates only ever read
``t.<name>``. Indicator names and definitions come from ``bot.indicators.definitions`` and the
refusals of the services from the services, as in chat.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

from bot.i18n import N_, _, normalise, use_locale


@dataclass(frozen=True, slots=True)
class Texts:
    lang: str = "en"
    app: str = N_("cop-bot dashboard")
    skip: str = N_("Skip to the content")
    nav_label: str = N_("Dashboard pages")
    nav_indicators: str = N_("Indicators")
    nav_pipeline: str = N_("Idea pipeline")
    nav_communities: str = N_("Communities")
    nav_downloads: str = N_("Downloads")
    choose: str = N_("Choose what to show")
    scope: str = N_("Scope")
    period: str = N_("Period")
    period_hint: str = N_("2026-Q4, 2026-11, 2026-W47, 2026, 2026-27 or last-30d")
    show: str = N_("Show")
    scope_kinds: tuple[tuple[str, str], ...] = (
        ("org", N_("Organisation")),
        ("community", N_("Community")),
        ("unit", N_("Unit")),
        ("region", N_("Region")),
    )
    link_expires: str = N_("This personal link expires at {time} UTC. Ask the bot for a new one.")
    # indicators
    indicators_title: str = N_("Indicators for {scope}, {period}")
    indicators_intro: str = N_(
        "{start} to {end} ({tz}). Values beside the previous period, the target with its "
        "baseline and owner, and the trend over the last {n} periods."
    )
    so_far: str = N_("Day {day} of {days}: the period is still running.")
    as_of: str = N_("Figures as of {time} UTC.")
    behind_summary: str = N_("{behind} of {targets} targets behind.")
    no_targets: str = N_("No targets set for this period.")
    col_indicator: str = N_("Indicator")
    col_value: str = N_("Value")
    col_previous: str = N_("Previous ({period})")
    col_target: str = N_("Target")
    col_baseline: str = N_("Baseline")
    col_owner: str = N_("Owner")
    col_status: str = N_("Status")
    col_period: str = N_("Period")
    col_trend_value: str = N_("Value")
    col_trend_target: str = N_("Target")
    summary_caption: str = N_("Every indicator for the period")
    trends_heading: str = N_("Trends")
    trend_caption: str = N_("{label}: the last {n} periods (data of the chart)")
    chart_alt: str = N_("{label} for {scope}, {first} to {last}: {values}.")
    partial: str = N_("so far")
    status_names: tuple[tuple[str, str], ...] = (
        ("reached", N_("Reached")),
        ("on track", N_("On track")),
        ("behind", N_("Behind")),
    )
    strategy_headings: tuple[tuple[str, str], ...] = (
        ("a", N_("(a) Participation")),
        ("b", N_("(b) Innovation projects")),
        ("c", N_("(c) Constituent and partner satisfaction")),
        ("d", N_("(d) Staff behaviour change")),
        ("peer", N_("Peer learning")),
    )
    none: str = "–"
    # pipeline
    pipeline_title: str = N_("Idea pipeline, {scope}")
    pipeline_intro: str = N_("All {total} ideas captured so far in this scope.")
    funnel_caption: str = N_("How far ideas got")
    col_stage: str = N_("Stage")
    col_reached: str = N_("Reached it")
    col_now: str = N_("There now")
    col_share: str = N_("Share of all ideas")
    shelved_line: str = N_("{n} shelved, with their lessons kept.")
    by_community_caption: str = N_("Ideas by community and current stage")
    by_theme_caption: str = N_("Ideas by theme and current stage")
    col_community: str = N_("Community")
    col_theme: str = N_("Theme")
    col_total: str = N_("Total")
    no_community: str = N_("(no community)")
    times_caption: str = N_("Time spent in each stage, in days")
    col_median_done: str = N_("Median stay (ideas that moved on)")
    col_stays: str = N_("Stays")
    col_median_now: str = N_("Median so far (ideas there now)")
    col_current: str = N_("Ideas there now")
    lessons_heading: str = N_("Lessons from shelved ideas")
    no_lessons: str = N_("No idea has been shelved yet.")
    stage_names: tuple[tuple[str, str], ...] = (
        ("proposed", N_("Proposed (brainstorming)")),
        ("development", N_("Development")),
        ("pilot", N_("Pilot")),
        ("scaled", N_("Scaled")),
        ("shelved", N_("Shelved")),
    )
    source: str = N_("Source")
    # communities
    communities_title: str = N_("Communities, {scope}, {period}")
    communities_intro: str = N_(
        "Activity in {period}; open and unanswered requests as of now. Silent: no contribution "
        "and no message for 14 days. Unanswered: open for more than 48 hours without an offer."
    )
    communities_caption: str = N_("Communities of the scope, busiest first")
    col_unit: str = N_("Unit")
    col_messages: str = N_("Messages")
    col_ideas: str = N_("Ideas")
    col_requests: str = N_("Requests")
    col_first_response: str = N_("Median hours to first offer")
    col_open: str = N_("Open requests")
    col_unanswered: str = N_("Unanswered")
    col_silent: str = N_("Silent")
    yes: str = N_("Silent")
    no: str = N_("Active")
    silent_summary: str = N_("{n} of {total} communities silent.")
    no_communities: str = N_("No community in this scope yet.")
    # downloads
    downloads_title: str = N_("Downloads, {period}")
    downloads_intro: str = N_(
        "Every indicator for every scope you look after, with the definitions: the same files "
        "as the export command in chat."
    )
    download_csv: str = N_("CSV (Excel opens it; UTF-8)")
    download_xlsx: str = N_("Excel workbook (XLSX)")
    # refusals
    refused_title: str = N_("This link does not open the dashboard")
    refused_expired: str = N_("The link has expired.")
    refused_tampered: str = N_("The link is not valid: it may have been cut or changed.")
    refused_revoked: str = N_("The link no longer works for this person.")
    refused_missing: str = N_("Open the dashboard from the link the bot gives you.")
    refused_how: str = N_("Type dashboard to the bot in Slack or Teams to get a new personal link.")
    not_allowed_title: str = N_("Not available to you")
    bad_request_title: str = N_("That cannot be shown")
    back: str = N_("Back to the dashboard")
    tab_title: str = N_("Your dashboard")
    tab_intro: str = N_(
        "Type dashboard in your chat with the bot and open the link it answers: your "
        "dashboard opens here."
    )

    def stage(self, key: str) -> str:
        return dict(self.stage_names).get(key, key)

    def status(self, key: str | None) -> str:
        return dict(self.status_names).get(key or "", self.none)

    def scope_kind(self, key: str) -> str:
        return dict(self.scope_kinds).get(key, key)

    def strategy(self, key: str) -> str:
        return dict(self.strategy_headings).get(key, key)


ENGLISH = Texts()


def _translated(value: Any) -> Any:
    if isinstance(value, str):
        return _(value) if value else value
    if isinstance(value, tuple):
        return tuple((key, _(label)) for key, label in value)
    return value


@cache
def _in(language: str) -> Texts:
    with use_locale(language) as chosen:
        changes = {f.name: _translated(getattr(ENGLISH, f.name)) for f in fields(Texts)}
        changes["lang"] = chosen
        changes["none"] = ENGLISH.none
    return replace(ENGLISH, **changes)


def accepted(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header (``fr-CH,fr;q=0.9``)."""
    for part in (header or "").split(","):
        found = normalise(part.split(";")[0].strip())
        if found is not None:
            return found
    return None


def texts_for(language: str | None) -> Texts:
    """The texts in ``language`` (a tag such as ``fr`` or ``fr-CH``; English otherwise)."""
    return _in(normalise(language) or "en")
