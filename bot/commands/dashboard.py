"""``dashboard``: a personal, expiring link to the dashboard in the browser."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.messages import Item, Reply, Section
from bot.services import dashboard_links
from bot.services.context import Context


@handles(c.Dashboard)
def dashboard(deps: Deps, cmd: c.Dashboard, ctx: Context) -> Reply:
    link = dashboard_links.issue(deps.uow(), ctx)
    minutes = deps.settings.copbot_dashboard_link_minutes
    lasts = (
        f"{minutes // 60} hour{'s' if minutes >= 120 else ''}"
        if minutes % 60 == 0
        else (f"{minutes} minutes")
    )
    return Reply(
        f"Your dashboard: indicators with their trends and targets, the idea pipeline, "
        f"communities and downloads. The link is yours alone and works for {lasts} "
        f"(until {link.expires_at:%H:%M} UTC); ask again for a new one.",
        sections=(
            Section(items=(Item("", "Open your dashboard", link=link.url, link_label="Open"),)),
        ),
    )
