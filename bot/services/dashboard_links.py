"""Personal dashboard links: signed, expiring, and refused once the person is forgotten.

A link carries the person's id and the platform account it was asked from, signed with
``COPBOT_SECRET_KEY`` (itsdangerous, HMAC-SHA1 over a salted key) and stamped with the time
it was issued. It is refused when the signature does not match (tampered), when it is older
than ``COPBOT_DASHBOARD_LINK_MINUTES`` (expired), or when the account no longer belongs to
that person or the person used forget-me (revoked). Who may see what is decided again on
every page, from the roles the person holds at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from bot.errors import InvalidInput, NotAllowed
from bot.i18n import _
from bot.messages import Actor, Platform
from bot.services.access import is_focal_anywhere, load_caller
from bot.services.context import Context
from bot.settings import Settings
from storage.models import Account, Person
from storage.uow import UnitOfWork

SALT = "copbot.dashboard.link"
DASHBOARD_PATH = "/dashboard/"
VIEWER_CHANNEL = "(dashboard)"  # no platform names a channel like this: never bound
Refusal = Literal["tampered", "expired", "revoked"]


class LinkRefused(Exception):
    """The link cannot open the dashboard; ``reason`` says why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


@dataclass(frozen=True, slots=True)
class IssuedLink:
    url: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a link opens the dashboard for, and until when."""

    ctx: Context
    expires_at: datetime


class _ClockSigner(TimestampSigner):
    """A timestamp signer that reads the time it is given instead of the system clock."""

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._now = int(now.timestamp())

    def get_timestamp(self) -> int:
        return self._now


def _serializer(settings: Settings, now: datetime) -> URLSafeTimedSerializer:
    key = settings.copbot_secret_key
    if not settings.copbot_dashboard or key is None:
        raise InvalidInput(
            _(
                "The dashboard is off here. An administrator turns it on with "
                "COPBOT_DASHBOARD=true and COPBOT_SECRET_KEY."
            )
        )
    return URLSafeTimedSerializer(
        key.get_secret_value(), salt=SALT, signer=_ClockSigner, signer_kwargs={"now": now}
    )


def link_for(settings: Settings, token: str, **params: str) -> str:
    """The dashboard address for ``token`` (and page parameters) under COPBOT_PUBLIC_URL."""
    query = urlencode({"t": token, **{k: v for k, v in params.items() if v}})
    return f"{settings.public_url}{DASHBOARD_PATH}?{query}"


def sign(settings: Settings, *, person_id: int, actor: Actor, now: datetime) -> str:
    payload = [person_id, actor.platform.value, actor.workspace, actor.user_id]
    return str(_serializer(settings, now).dumps(payload))


def issue(uow: UnitOfWork, ctx: Context) -> IssuedLink:
    """A personal link for the caller: focal points and coordinators only."""
    settings = ctx.settings
    _serializer(settings, ctx.now)  # says so plainly when the dashboard is off
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        if not caller.coordinator and not is_focal_anywhere(session, caller.person.id):
            raise NotAllowed(
                _(
                    "The dashboard is for focal points and coordinators. "
                    "See your own data with `my-data`."
                )
            )
        token = sign(settings, person_id=caller.person.id, actor=ctx.actor, now=ctx.now)
        uow.commit()
    expires = ctx.now + timedelta(minutes=settings.copbot_dashboard_link_minutes)
    return IssuedLink(link_for(settings, token), token, expires)


def viewer(uow: UnitOfWork, settings: Settings, token: str, *, now: datetime) -> Viewer:
    """The context to run the dashboard's reads as the link's person; ``LinkRefused`` else."""
    lasts = timedelta(minutes=settings.copbot_dashboard_link_minutes)
    try:
        payload, signed_at = _serializer(settings, now).loads(
            token, max_age=int(lasts.total_seconds()), return_timestamp=True
        )
    except SignatureExpired:
        raise LinkRefused("expired") from None
    except BadSignature:
        raise LinkRefused("tampered") from None
    try:
        person_id, platform, workspace, user_id = payload
        actor = Actor(Platform(platform), str(workspace), str(user_id))
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise LinkRefused("tampered") from None
    with uow:
        owner = uow.session.execute(
            select(Account.person_id, Person.forgotten_at)
            .join(Person, Person.id == Account.person_id)
            .where(
                Account.platform == actor.platform.value,
                Account.workspace == actor.workspace,
                Account.user_id == actor.user_id,
            )
        ).first()
    if owner is None or owner.person_id != person_id or owner.forgotten_at is not None:
        raise LinkRefused("revoked")
    ctx = Context(actor=actor, channel=VIEWER_CHANNEL, now=now, settings=settings)
    return Viewer(ctx, signed_at + lasts)
