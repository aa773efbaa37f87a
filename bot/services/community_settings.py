"""A community's settings, shown or changed by its focal points and coordinators: time zone,
digest day and time, digest on or off, participation counting, suggested capture, unit and
language, each value checked before it is stored."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import limits
from bot.clock import WEEKDAYS
from bot.errors import InvalidInput, NotFound
from bot.i18n import LANGUAGES, _
from bot.services.access import load_caller, require_steward
from bot.services.communities import CommunityView, community_view
from bot.services.context import Context
from storage.models import Community, Unit
from storage.uow import UnitOfWork

_BOOL = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}
SETTING_KEYS = (
    "timezone",
    "digest_day",
    "digest_time",
    "digest",
    "counting",
    "suggestions",
    "unit",
    "language",
)


def settings(
    uow: UnitOfWork, ctx: Context, *, changes: tuple[tuple[str, str], ...] = ()
) -> CommunityView:
    """Show the channel's community settings, or change them (focal points, coordinators)."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        community = caller.community
        if community is None:
            raise NotFound(_("This channel is not bound to a community. Try `community bind`."))
        if changes:
            require_steward(session, caller, community.id, _("change community settings"))
            for key, value in changes:
                _apply(session, community, key.strip().lower(), value.strip())
            session.flush()
        view = community_view(session, community)
        uow.commit()
        return view


def _flag(key: str, value: str) -> bool:
    if value.lower() not in _BOOL:
        raise InvalidInput(
            _('"{key}" takes on or off, not "{value}".').format(key=key, value=value)
        )
    return _BOOL[value.lower()]


def _apply(session: Session, community: Community, key: str, value: str) -> None:
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                _('Unknown time zone "{value}". Use a name like Europe/Zurich.').format(value=value)
            ) from None
        community.timezone = value
    elif key == "digest_day":
        if value.lower()[:3] not in WEEKDAYS:
            raise InvalidInput(
                _('Unknown day "{value}". Days: {listed}.').format(
                    value=value, listed=", ".join(WEEKDAYS)
                )
            )
        community.digest_day = value.lower()[:3]
    elif key == "digest_time":
        parts = value.split(":")
        if (
            len(parts) != 2
            or not all(p.isdigit() for p in parts)
            or int(parts[0]) > 23
            or int(parts[1]) > 59
        ):
            raise InvalidInput(
                _('"{value}" is not a time. Use HH:MM, like 09:00.').format(value=value)
            )
        community.digest_time = f"{int(parts[0]):02d}:{int(parts[1]):02d}"
    elif key == "digest":
        community.digest_enabled = _flag(key, value)
    elif key == "counting":
        community.count_participation = _flag(key, value)
    elif key == "suggestions":
        community.suggest_capture = _flag(key, value)
    elif key == "unit":
        community.unit_id = unit_named(session, value).id
    elif key == "language":
        code = value.lower()
        if code not in (*LANGUAGES, "default"):
            raise InvalidInput(
                _('Unknown language "{value}". Languages: {listed}, or default.').format(
                    value=value, listed=", ".join(LANGUAGES)
                )
            )
        community.language = None if code == "default" else code
    else:
        raise InvalidInput(
            _('Unknown setting "{key}". Settings: {listed}.').format(
                key=key, listed=", ".join(SETTING_KEYS)
            ),
            usage="community settings digest_day=mon digest_time=09:00 "
            "timezone=Europe/Zurich counting=on suggestions=on unit=<name> language=fr",
        )


def unit_named(session: Session, name: str) -> Unit:
    """The unit called ``name`` (in any case), created on first use."""
    if not limits.visible(name):
        raise InvalidInput(_("Name the unit."))
    clean = limits.name(name, what="unit name", limit=limits.UNIT_NAME)
    unit = session.scalar(select(Unit).where(func.lower(Unit.name) == clean.lower()))
    if unit is None:
        unit = Unit(name=clean)
        session.add(unit)
        session.flush()
    return unit
