"""App Home: the person's ideas, requests and events, their action items and, for focal
points and coordinators, the past messages an import offers for review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import limits
from bot.commands import Runner
from bot.grammar import commands as c
from bot.i18n import _, use_locale
from bot.messages import Reply, Section
from bot.reads import home
from bot.services.context import Context
from handlers.slack.deliver import Where
from handlers.slack.listeners.common import team_of
from handlers.slack.listeners.review import review_section
from handlers.slack.render import number_actions, render_blocks
from handlers.slack.surface import SlackSurface

MAX_HOME_BLOCKS = 100
SEARCH_ACTION = "cop_home_search"


def search_box() -> dict[str, Any]:
    """The home tab's search box, in the current language."""
    return {
        "type": "input",
        "block_id": "cop_home_search",
        "dispatch_action": True,
        "optional": True,
        "label": {"type": "plain_text", "text": _("Search ideas, lessons, requests and events")},
        "element": {
            "type": "plain_text_input",
            "action_id": SEARCH_ACTION,
            "max_length": limits.SEARCH,
            "placeholder": {"type": "plain_text", "text": _("e.g. mentoring newcomers")},
            "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
        },
    }


def home_view(reply: Reply) -> dict[str, Any]:
    """The home tab: greeting and buttons, the search box, then each section (a search's
    results first; all text escaped)."""
    top = render_blocks(Reply(reply.text, buttons=reply.buttons))["blocks"]
    rest = render_blocks(Reply("", sections=reply.sections))["blocks"]
    blocks = number_actions([*top, search_box(), {"type": "divider"}, *rest][:MAX_HOME_BLOCKS])
    return {"type": "home", "blocks": blocks}


def _job(query: str | None) -> Callable[[Runner, Context], Reply]:
    def job(runner: Runner, ctx: Context) -> Reply:
        page = home.home(runner.deps.uow(), ctx)
        if not query:
            return page
        found = runner.run(c.Search(query), ctx)
        return replace(
            page, sections=(Section(heading=found.text), *found.sections, *page.sections)
        )

    return job


async def publish_home(
    surface: SlackSurface, client: AsyncWebClient, team: str, user: str, query: str | None = None
) -> None:
    where = Where(team=team, user=user, in_home=True)
    inbound = await surface.inbound(client, where)
    prepared = await surface.run(client, inbound, _job(query))
    if prepared is None:
        return
    reply = prepared.reply
    with use_locale(prepared.language):
        to_review = await review_section(surface, client, where, inbound)
        if to_review is not None:
            reply = replace(reply, sections=(to_review, *reply.sections))
        view = home_view(reply)
    await client.views_publish(user_id=user, view=view)


def register(app: AsyncApp, surface: SlackSurface) -> None:
    @app.event("app_home_opened")
    async def app_home_opened(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        team = team_of(context, body)
        surface.spawn(publish_home(surface, client, team, str(event["user"])), what="App Home")

    @app.action(SEARCH_ACTION)
    async def search_from_home(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        user = str((body.get("user") or {}).get("id") or "")
        query = " ".join(str(action.get("value") or "").split())[: limits.SEARCH]
        if user:
            team = team_of(context, body)
            surface.spawn(publish_home(surface, client, team, user, query), what="App Home search")
