"""In Teams the dashboard opens as the app's personal tab: the personal link's token travels
in a deep link's ``subEntityId``, which Teams puts into the tab's address."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.i18n import _
from bot.messages import Item, Reply, Section
from handlers.teams.manifest import DASHBOARD_TAB

DEEP_LINK = "https://teams.microsoft.com/l/entity/{app}/{entity}"


def _token(link: str | None) -> str | None:
    """The token of a dashboard link (``…/dashboard/?t=…``), else None."""
    if not link:
        return None
    parts = urlsplit(link)
    if not parts.path.endswith("/dashboard/"):
        return None
    found = parse_qs(parts.query).get("t")
    return found[0] if found else None


def deep_link(app_id: str, token: str, web_url: str) -> str:
    query = urlencode(
        {"webUrl": web_url, "label": "Dashboard", "context": json.dumps({"subEntityId": token})}
    )
    return f"{DEEP_LINK.format(app=app_id, entity=DASHBOARD_TAB)}?{query}"


def dashboard_in_tab(reply: Reply, *, app_id: str | None) -> Reply:
    """The reply with a dashboard link opening in the app's tab, the browser link beside it."""
    if not app_id:
        return reply
    sections: list[Section] = []
    for section in reply.sections:
        items: list[Item] = []
        for item in section.items:
            token = _token(item.link)
            if token is None or item.link is None:
                items.append(item)
                continue
            items.append(
                replace(
                    item, link=deep_link(app_id, token, item.link), link_label=_("Open in Teams")
                )
            )
            items.append(
                Item(
                    "",
                    _("Or in your browser"),
                    link=item.link,
                    link_label=_("Open in the browser"),
                )
            )
        sections.append(replace(section, items=tuple(items)))
    return replace(reply, sections=tuple(sections))
