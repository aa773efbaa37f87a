"""The dashboard's routes on the shared aiohttp app.

Every request carries the personal link's token (``?t=``); it is checked first (signature,
age, forget-me), then the page is built in a worker thread by the same services chat uses,
which decide again what this person may see. Pages are never cached, never sent as a
referrer (the token is in the address) and may be framed only by Teams.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.clock import utcnow
from bot.container import Container, Mount
from bot.errors import CopError, NotAllowed
from bot.i18n import use_locale
from bot.indicators import DEFINITIONS
from bot.reads import language
from bot.services import dashboard_links
from bot.services.dashboard import FiguresCache
from bot.services.dashboard_links import LinkRefused
from copbot.dashboard import pages
from copbot.dashboard.texts import Texts, accepted, texts_for

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
FRAME_ANCESTORS = (
    "'self' https://teams.microsoft.com https://*.teams.microsoft.com "
    "https://*.teams.microsoft.us https://*.cloud.microsoft https://*.office.com "
    "https://*.skype.com"
)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; "
        f"base-uri 'none'; frame-ancestors {FRAME_ANCESTORS}"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
FIGURES_FOR = timedelta(seconds=60)
T = TypeVar("T")


@dataclass(slots=True)
class Dashboard:
    container: Container
    env: Environment
    clock: Callable[[], datetime] = utcnow
    figures: FiguresCache = field(default_factory=FiguresCache)


DASHBOARD = web.AppKey("dashboard", Dashboard)


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("copbot.dashboard", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _texts(request: web.Request) -> Texts:
    """The page's words before the viewer is known: the browser's language."""
    return texts_for(accepted(request.headers.get("Accept-Language")))


def _html(dash: Dashboard, template: str, data: dict[str, Any], status: int = 200) -> web.Response:
    body = dash.env.get_template(template).render(**data)
    return web.Response(text=body, content_type="text/html", status=status, headers=HEADERS)


def _refused(dash: Dashboard, t: Texts, title: str, message: str, status: int) -> web.Response:
    return _html(dash, "refused.html", {"t": t, "title": title, "message": message}, status)


async def _as_viewer(request: web.Request, build: Callable[[pages.Request], T]) -> T | web.Response:
    """Check the link, then run ``build`` for its person in a worker thread; a refusal page
    (403 for the link or the role, 400 for a scope or period that cannot be shown) else.
    Pages, charts and files are in the viewer's language, as the bot writes to them."""
    dash = request.app[DASHBOARD]
    t = _texts(request)
    token = request.query.get("t", "")
    container = dash.container

    def run() -> T:
        nonlocal t
        found = dashboard_links.viewer(container.uow(), container.settings, token, now=dash.clock())
        spoken = language.for_request(container.uow(), found.ctx)
        t = texts_for(spoken)
        with use_locale(spoken):
            wanted = pages.Request(
                found.ctx, token, request.query, t, container.uow, dash.figures, found.expires_at
            )
            return build(wanted)

    if not token:
        return _refused(dash, t, t.refused_title, t.refused_missing, 401)
    try:
        return await asyncio.get_running_loop().run_in_executor(None, run)
    except LinkRefused as refusal:
        message = getattr(t, f"refused_{refusal.reason}")
        return _refused(dash, t, t.refused_title, f"{message} {t.refused_how}", 403)
    except NotAllowed as error:
        return _refused(dash, t, t.not_allowed_title, error.message, 403)
    except CopError as error:
        return _refused(dash, t, t.bad_request_title, error.message, 400)


def _page(build: Callable[[pages.Request], pages.Page]) -> Callable[..., Any]:
    async def handler(request: web.Request) -> web.StreamResponse:
        page = await _as_viewer(request, build)
        if isinstance(page, web.StreamResponse):
            return page
        return _html(request.app[DASHBOARD], page.template, page.data)

    return handler


async def chart(request: web.Request) -> web.StreamResponse:
    key = request.match_info["key"]
    if key not in DEFINITIONS:
        raise web.HTTPNotFound()
    png = await _as_viewer(request, partial(pages.chart, key=key))
    if isinstance(png, web.StreamResponse):
        return png
    return web.Response(body=png, content_type="image/png", headers=HEADERS)


async def export(request: web.Request) -> web.StreamResponse:
    fmt = request.match_info["fmt"]
    found = await _as_viewer(request, partial(pages.export, fmt=fmt))
    if isinstance(found, web.StreamResponse):
        return found
    content, mimetype, name = found
    headers = HEADERS | {"Content-Disposition": f'attachment; filename="{name}"'}
    return web.Response(body=content, content_type=mimetype, headers=headers)


async def tab(request: web.Request) -> web.StreamResponse:
    """The Teams personal tab: a deep link with the token opens the dashboard; the tab opened
    from the app bar says how to get one."""
    dash = request.app[DASHBOARD]
    token = request.query.get("t", "")
    if token and not token.startswith("{"):
        raise web.HTTPSeeOther(pages.url(pages.PATHS["indicators"], token))
    t = _texts(request)
    return _refused(dash, t, t.tab_title, t.tab_intro, 200)


async def stylesheet(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "dashboard.css", headers={"Cache-Control": "max-age=3600"})


def dashboard_mount(
    *, clock: Callable[[], datetime] = utcnow, figures_for: timedelta = FIGURES_FOR
) -> Mount:
    """The routes, when the dashboard is on. Indicator figures are reused for
    ``figures_for`` (a minute) after they are computed."""

    def mount(app: web.Application, container: Container) -> None:
        if not container.settings.copbot_dashboard:
            return
        app[DASHBOARD] = Dashboard(container, environment(), clock, FiguresCache(figures_for))
        app.router.add_get("/dashboard/", _page(pages.indicators))
        app.router.add_get("/dashboard", _page(pages.indicators))
        app.router.add_get("/dashboard/pipeline", _page(pages.pipeline))
        app.router.add_get("/dashboard/communities", _page(pages.communities))
        app.router.add_get("/dashboard/downloads", _page(pages.downloads))
        app.router.add_get(r"/dashboard/chart/{key:[a-z_]+}.png", chart)
        app.router.add_get(r"/dashboard/export.{fmt:csv|xlsx}", export)
        app.router.add_get("/dashboard/tab", tab)
        app.router.add_get("/dashboard/static/dashboard.css", stylesheet)

    return mount
