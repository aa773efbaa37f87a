"""``POST /api/messages``: Bot Framework token validation, then the bot's turn.

With ``MICROSOFT_APP_ID`` set, every request must carry a Bot Framework JWT that the SDK
validates (signature from the published OpenID keys, issuer, audience = our app id, service
URL claim). Without it the endpoint refuses everything (401) unless
``COPBOT_TEAMS_ALLOW_UNAUTHENTICATED`` is on, for the Bot Framework Emulator.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jwt
from aiohttp import web
from botbuilder.core import BotAdapter, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (  # type: ignore[import-untyped]
    ServiceClientCredentialsFactory,
)

from bot import safejson
from bot.settings import Settings
from handlers.teams import activity as teams
from handlers.teams import replies, signing_keys
from handlers.teams.unconfigured import REFUSAL, ROUTE

log = logging.getLogger(__name__)

OnTurn = Callable[[TurnContext], Awaitable[None]]
# How the SDK says a token is not good enough: the reason is in the message, no traceback needed.
REFUSALS = (PermissionError, jwt.PyJWTError, signing_keys.StillUnavailable)
SORRY = "Sorry, something went wrong on my side. It has been logged; please try again later."


@dataclass(frozen=True, slots=True)
class _Configuration:
    """What ConfigurationBotFrameworkAuthentication reads, from our settings (not from env)."""

    APP_ID: str
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None


def configuration(settings: Settings) -> _Configuration:
    password = settings.microsoft_app_password
    tenant = settings.microsoft_app_tenant_id
    single = bool(settings.microsoft_app_id and password and tenant)
    return _Configuration(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=password.get_secret_value() if password else None,
        APP_TYPE="SingleTenant" if single else "MultiTenant",
        APP_TENANTID=tenant,
    )


async def _on_error(turn_context: TurnContext, error: Exception) -> None:
    log.error("Teams turn failed", exc_info=error)
    if turn_context.activity.type == "message":
        try:
            await turn_context.send_activity(replies.text(SORRY))
        except Exception:  # the apology itself could not be sent; the failure is logged above
            log.warning("Could not tell the person about the failure", exc_info=True)


def make_adapter(
    settings: Settings, *, credentials_factory: ServiceClientCredentialsFactory | None = None
) -> BotAdapter:
    signing_keys.install()
    auth = ConfigurationBotFrameworkAuthentication(
        configuration(settings), credentials_factory=credentials_factory
    )
    adapter = CloudAdapter(auth)
    adapter.on_turn_error = _on_error
    return adapter


def tenant_allowed(settings: Settings, tenant: str) -> bool:
    """Traffic from a tenant the organisation does not name is refused once any is named
    (COPBOT_TEAMS_TENANTS or MICROSOFT_APP_TENANT_ID); the local emulator sends none."""
    allowed = settings.teams_tenants
    if not allowed or not settings.microsoft_app_id:
        return True
    return tenant.lower() in allowed


class BadActivity(ValueError):
    """The body is not a Bot Framework activity; the message says why (never quoting it)."""


def parse_activity(raw: bytes) -> Activity:
    """The activity in ``raw``, parsed with limits; :class:`BadActivity` otherwise."""
    try:
        body = safejson.loads(raw)
    except safejson.NotJson as error:
        raise BadActivity(str(error)) from None
    if not isinstance(body, dict):
        raise BadActivity("body is not an object")
    if not isinstance(body.get("type"), str):
        raise BadActivity("type is not a string")
    for field in ("from", "conversation", "recipient", "channelData", "value"):
        if field == "value" and body.get("type") != "invoke":
            continue
        if body.get(field) is not None and not isinstance(body[field], dict):
            raise BadActivity(f"{field} is not an object")
    try:
        activity = Activity().deserialize(body)
    except Exception as error:  # msrest raises many kinds for a malformed model
        raise BadActivity(f"not an activity ({type(error).__name__})") from None
    if not isinstance(activity.type, str) or not activity.type:
        raise BadActivity("activity has no type")
    return activity


def _refused(reason: str, status: int = 401) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class MessagesEndpoint:
    """The aiohttp handler: authenticate, then hand the activity to the bot."""

    def __init__(self, *, settings: Settings, adapter: BotAdapter, on_turn: OnTurn) -> None:
        self._settings = settings
        self._adapter = adapter
        self._on_turn = on_turn

    async def handle(self, request: web.Request) -> web.Response:
        settings = self._settings
        if not settings.microsoft_app_id and not settings.copbot_teams_allow_unauthenticated:
            return _refused(REFUSAL)
        if "application/json" not in request.content_type:
            return _refused("Expected application/json.", 415)
        header = request.headers.get("Authorization", "") if settings.microsoft_app_id else ""
        if settings.microsoft_app_id and not header.startswith("Bearer "):
            log.warning("Teams request refused: no bearer token")
            return _refused("Unauthorized.")
        try:
            activity = parse_activity(await request.read())
        except BadActivity as error:
            log.warning("Teams request refused (400): %s", error)
            return _refused("The body is not a Bot Framework activity.", 400)
        try:
            authenticated = await self._adapter.bot_framework_authentication.authenticate_request(
                activity, header
            )
        except Exception as error:  # any failure to prove the sender is the Bot Framework
            # Anything but a plain refusal (Microsoft's keys unreachable, a bug) keeps its
            # traceback: it is refused all the same, but someone has to look at it.
            log.warning(
                "Teams request refused: %s: %s",
                type(error).__name__,
                error,
                exc_info=not isinstance(error, REFUSALS),
            )
            return _refused("Unauthorized.")
        tenant = teams.tenant_id(activity)
        if not tenant_allowed(settings, tenant):
            log.warning("Teams request from tenant %s refused: not in COPBOT_TEAMS_TENANTS", tenant)
            return _refused(
                "This bot serves only its own organisation's Microsoft Teams tenants.", 403
            )
        invoke = await self._adapter.process_activity(authenticated, activity, self._on_turn)
        if invoke is None:
            return web.Response(status=201)
        # Handlers' bodies are already plain JSON; only models still need serialising.
        body = invoke.body
        payload = serializer_helper(body) if hasattr(body, "serialize") else body
        if payload is None:
            return web.Response(status=invoke.status)
        return web.json_response(payload, status=invoke.status)


def add_route(app: web.Application, endpoint: MessagesEndpoint) -> None:
    app.router.add_post(ROUTE, endpoint.handle)
