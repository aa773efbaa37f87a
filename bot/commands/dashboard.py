"""``dashboard``: a personal, expiring link to the dashboard in the browser."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, formats, ngettext
from bot.messages import Item, Reply, Section
from bot.services import dashboard_links
from bot.services.context import Context


@handles(c.Dashboard)
def dashboard(deps: Deps, cmd: c.Dashboard, ctx: Context) -> Reply:
    link = dashboard_links.issue(deps.uow(), ctx)
    minutes = deps.settings.copbot_dashboard_link_minutes
    if minutes % 60 == 0:
        lasts = ngettext("{n} hour", "{n} hours", minutes // 60).format(n=minutes // 60)
    else:
        lasts = ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    text = _(
        "Your dashboard: indicators with their trends and targets, the idea pipeline, "
        "communities and downloads. The link is yours alone and works for {lasts} "
        "(until {time} UTC); ask again for a new one."
    ).format(lasts=lasts, time=formats.time_of_day(link.expires_at))
    opened = Item("", _("Open your dashboard"), link=link.url, link_label=_("Open"))
    return Reply(text, sections=(Section(items=(opened,)),))
