"""App Home: the person's ideas, requests and events, their action items and, for focal
points and coordinators, the past messages an import offers for review."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Runner
from bot.i18n import use_locale
from bot.messages import Reply
from bot.reads import home
from bot.services.context import Context
from handlers.slack.deliver import Where
from handlers.slack.listeners.common import team_of
from handlers.slack.listeners.review import review_section
from handlers.slack.render import number_actions, render_blocks
from handlers.slack.surface import SlackSurface

MAX_HOME_BLOCKS = 100


def home_view(reply: Reply) -> dict[str, Any]:
    """The home tab: greeting and buttons first, then each section (all text escaped)."""
    top = render_blocks(Reply(reply.text, buttons=reply.buttons))["blocks"]
    rest = render_blocks(Reply("", sections=reply.sections))["blocks"]
    blocks = number_actions([*top, {"type": "divider"}, *rest][:MAX_HOME_BLOCKS])
    return {"type": "home", "blocks": blocks}


def _job(runner: Runner, ctx: Context) -> Reply:
    return home.home(runner.deps.uow(), ctx)


async def publish_home(surface: SlackSurface, client: AsyncWebClient, team: str, user: str) -> None:
    where = Where(team=team, user=user, in_home=True)
    inbound = await surface.inbound(client, where)
    prepared = await surface.run(client, inbound, _job)
    if prepared is None:
        return
    reply = prepared.reply
    to_review = await review_section(surface, client, where, inbound)
    if to_review is not None:
        reply = replace(reply, sections=(to_review, *reply.sections))
    with use_locale(prepared.language):
        await client.views_publish(user_id=user, view=home_view(reply))


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
