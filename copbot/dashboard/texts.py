"""Every word the dashboard shows that is not a name or a number, in one place.

English for now. To translate, add a ``Texts`` per language and return it from
:func:`texts_for`; the templates only ever read ``t.<name>``. Indicator names and definitions
come from ``bot.indicators.definitions`` and the refusals of the services from the services,
as in chat.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Texts:
    lang: str = "en"
    app: str = "cop-bot dashboard"
    skip: str = "Skip to the content"
    nav_label: str = "Dashboard pages"
    nav_indicators: str = "Indicators"
    nav_pipeline: str = "Idea pipeline"
    nav_communities: str = "Communities"
    nav_downloads: str = "Downloads"
    choose: str = "Choose what to show"
    scope: str = "Scope"
    period: str = "Period"
    period_hint: str = "2026-Q4, 2026-11, 2026-W47, 2026, 2026-27 or last-30d"
    show: str = "Show"
    scope_kinds: tuple[tuple[str, str], ...] = (
        ("org", "Organisation"),
        ("community", "Community"),
        ("unit", "Unit"),
        ("region", "Region"),
    )
    link_expires: str = "This personal link expires at {time} UTC. Ask the bot for a new one."
    # indicators
    indicators_title: str = "Indicators for {scope}, {period}"
    indicators_intro: str = (
        "{start} to {end} ({tz}). Values beside the previous period, the target with its "
        "baseline and owner, and the trend over the last {n} periods."
    )
    so_far: str = "Day {day} of {days}: the period is still running."
    as_of: str = "Figures as of {time} UTC."
    behind_summary: str = "{behind} of {targets} targets behind."
    no_targets: str = "No targets set for this period."
    col_indicator: str = "Indicator"
    col_value: str = "Value"
    col_previous: str = "Previous ({period})"
    col_target: str = "Target"
    col_baseline: str = "Baseline"
    col_owner: str = "Owner"
    col_status: str = "Status"
    col_period: str = "Period"
    col_trend_value: str = "Value"
    col_trend_target: str = "Target"
    summary_caption: str = "Every indicator for the period"
    trends_heading: str = "Trends"
    trend_caption: str = "{label}: the last {n} periods (data of the chart)"
    chart_alt: str = "{label} for {scope}, {first} to {last}: {values}."
    partial: str = "so far"
    status_names: tuple[tuple[str, str], ...] = (
        ("reached", "Reached"),
        ("on track", "On track"),
        ("behind", "Behind"),
    )
    strategy_headings: tuple[tuple[str, str], ...] = (
        ("a", "(a) Participation"),
        ("b", "(b) Innovation projects"),
        ("c", "(c) Constituent and partner satisfaction"),
        ("d", "(d) Staff behaviour change"),
        ("peer", "Peer learning"),
    )
    none: str = "–"
    # pipeline
    pipeline_title: str = "Idea pipeline, {scope}"
    pipeline_intro: str = "All {total} ideas captured so far in this scope."
    funnel_caption: str = "How far ideas got"
    col_stage: str = "Stage"
    col_reached: str = "Reached it"
    col_now: str = "There now"
    col_share: str = "Share of all ideas"
    shelved_line: str = "{n} shelved, with their lessons kept."
    by_community_caption: str = "Ideas by community and current stage"
    by_theme_caption: str = "Ideas by theme and current stage"
    col_community: str = "Community"
    col_theme: str = "Theme"
    col_total: str = "Total"
    no_community: str = "(no community)"
    times_caption: str = "Time spent in each stage, in days"
    col_median_done: str = "Median stay (ideas that moved on)"
    col_stays: str = "Stays"
    col_median_now: str = "Median so far (ideas there now)"
    col_current: str = "Ideas there now"
    lessons_heading: str = "Lessons from shelved ideas"
    no_lessons: str = "No idea has been shelved yet."
    stage_names: tuple[tuple[str, str], ...] = (
        ("proposed", "Proposed (brainstorming)"),
        ("development", "Development"),
        ("pilot", "Pilot"),
        ("scaled", "Scaled"),
        ("shelved", "Shelved"),
    )
    source: str = "Source"
    # communities
    communities_title: str = "Communities, {scope}, {period}"
    communities_intro: str = (
        "Activity in {period}; open and unanswered requests as of now. Silent: no contribution "
        "and no message for 14 days. Unanswered: open for more than 48 hours without an offer."
    )
    communities_caption: str = "Communities of the scope, busiest first"
    col_unit: str = "Unit"
    col_messages: str = "Messages"
    col_ideas: str = "Ideas"
    col_requests: str = "Requests"
    col_first_response: str = "Median hours to first offer"
    col_open: str = "Open requests"
    col_unanswered: str = "Unanswered"
    col_silent: str = "Silent"
    yes: str = "Silent"
    no: str = "Active"
    silent_summary: str = "{n} of {total} communities silent."
    no_communities: str = "No community in this scope yet."
    # downloads
    downloads_title: str = "Downloads, {period}"
    downloads_intro: str = (
        "Every indicator for every scope you look after, with the definitions: the same files "
        "as the export command in chat."
    )
    download_csv: str = "CSV (Excel opens it; UTF-8)"
    download_xlsx: str = "Excel workbook (XLSX)"
    # refusals
    refused_title: str = "This link does not open the dashboard"
    refused_expired: str = "The link has expired."
    refused_tampered: str = "The link is not valid: it may have been cut or changed."
    refused_revoked: str = "The link no longer works for this person."
    refused_missing: str = "Open the dashboard from the link the bot gives you."
    refused_how: str = "Type dashboard to the bot in Slack or Teams to get a new personal link."
    not_allowed_title: str = "Not available to you"
    bad_request_title: str = "That cannot be shown"
    back: str = "Back to the dashboard"
    tab_title: str = "Your dashboard"
    tab_intro: str = (
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


def texts_for(language: str | None) -> Texts:
    """The texts in ``language`` (a BCP 47 tag such as ``fr-CH``); English until translated."""
    return ENGLISH
