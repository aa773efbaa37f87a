"""Communities, channel bindings, settings, and roles (focal points, coordinators)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import LANGUAGES, _
from bot.services.access import can_steward, load_caller, require_coordinator, require_steward
from bot.services.context import Context
from bot.services.holds import holds_here
from bot.services.people import find_person
from bot.services.places import (
    bind_channel,
    channel_slug,
    community_name,
    find_community,
    new_community,
    slugify,
)
from storage.models import ChannelBinding, Community, Membership, RoleGrant, Unit
from storage.uow import UnitOfWork

_BOOL = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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


@dataclass(frozen=True, slots=True)
class CommunityView:
    id: int
    name: str
    members: int
    channels: int
    timezone: str
    digest_day: str
    digest_time: str
    digest_enabled: bool
    count_participation: bool
    suggest_capture: bool
    unit: str | None
    released: tuple[str, ...] = ()  # held items that joined it when a channel was bound
    bound_here: bool = False  # the channel the command came from was bound to it
    language: str | None = None


def _view(session: Session, c: Community) -> CommunityView:
    members = session.scalar(
        select(func.count(Membership.id)).where(Membership.community_id == c.id)
    )
    channels = session.scalar(
        select(func.count(ChannelBinding.id)).where(ChannelBinding.community_id == c.id)
    )
    unit = session.scalar(select(Unit.name).where(Unit.id == c.unit_id)) if c.unit_id else None
    return CommunityView(
        c.id,
        c.name,
        members or 0,
        channels or 0,
        c.timezone,
        c.digest_day,
        c.digest_time,
        c.digest_enabled,
        c.count_participation,
        c.suggest_capture,
        unit,
        language=c.language,
    )


def create(uow: UnitOfWork, ctx: Context, *, name: str) -> CommunityView:
    slug = slugify(name)
    if slug:
        slug = community_name(name)
    if not slug:
        raise InvalidInput(
            _("Give the community a name of letters or digits."), usage="community create <name>"
        )
    with uow:
        session = uow.session
        # An unbound channel is not auto-bound before the community exists: when the caller
        # is in one (a shared channel, on any platform), it is bound to the new community.
        caller = load_caller(session, replace(ctx, auto_bind=False))
        require_coordinator(caller, _("create communities"))
        if session.scalar(select(Community.id).where(Community.name == slug)) is not None:
            raise Conflict(_('There is already a community called "{slug}".').format(slug=slug))
        community = new_community(
            session, slug, settings=ctx.settings, now=ctx.now, created_by=caller.person.id
        )
        session.add(
            Membership(community_id=community.id, person_id=caller.person.id, joined_at=ctx.now)
        )
        released: list[str] = []
        bound = caller.community is None and holds_here(ctx)
        if bound:
            released = bind_channel(session, ctx, community)
        session.flush()
        view = replace(_view(session, community), released=tuple(released), bound_here=bound)
        uow.commit()
        return view


def join(uow: UnitOfWork, ctx: Context, *, name: str) -> CommunityView:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        community = find_community(session, name)
        exists = session.scalar(
            select(Membership.id).where(
                Membership.community_id == community.id, Membership.person_id == caller.person.id
            )
        )
        if exists is not None:
            raise Conflict(_("You are already a member of {name}.").format(name=community.name))
        session.add(
            Membership(community_id=community.id, person_id=caller.person.id, joined_at=ctx.now)
        )
        session.flush()
        view = _view(session, community)
        uow.commit()
        return view


def leave(uow: UnitOfWork, ctx: Context, *, name: str) -> CommunityView:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        community = find_community(session, name)
        gone = session.execute(
            delete(Membership).where(
                Membership.community_id == community.id, Membership.person_id == caller.person.id
            )
        )
        if not gone.rowcount:  # type: ignore[attr-defined]
            raise Conflict(_("You are not a member of {name}.").format(name=community.name))
        view = _view(session, community)
        uow.commit()
        return view


def bind(uow: UnitOfWork, ctx: Context, *, name: str | None = None) -> CommunityView:
    """Bind the current channel to a community (named, or named after the channel)."""
    if not holds_here(ctx):
        raise InvalidInput(
            _("Bind a channel from inside it: type this in the channel you want to bind.")
        )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        if caller.community is not None and name is None:
            raise Conflict(
                _("This channel is already bound to {name}.").format(name=caller.community.name)
            )
        community: Community | None
        if name is None and not ctx.channel_name:
            raise InvalidInput(
                _("I don't know this channel's name: name the community."),
                usage="community bind <name> | community create <name>",
            )
        if name is not None:
            community = find_community(session, name)
        else:
            community = session.scalar(select(Community).where(Community.name == channel_slug(ctx)))
        require_steward(
            session, caller, community.id if community else None, _("bind channels to a community")
        )
        # Rebinding takes the channel (its captures and digests) away from the community it
        # serves: that needs rights over that community too.
        bound = caller.community
        moving = bound is not None and (community is None or bound.id != community.id)
        if bound is not None and moving and not can_steward(session, caller, bound.id):
            raise NotAllowed(
                _(
                    "This channel is already bound to {name}. Only a focal point of "
                    "{name} or a coordinator can bind it to another community."
                ).format(name=bound.name)
            )
        session.execute(
            delete(ChannelBinding).where(
                ChannelBinding.platform == ctx.actor.platform.value,
                ChannelBinding.workspace == ctx.actor.workspace,
                ChannelBinding.channel_id == ctx.channel,
            )
        )
        released: list[str] = []
        if community is None:
            community = new_community(
                session,
                channel_slug(ctx),
                settings=ctx.settings,
                now=ctx.now,
                created_by=caller.person.id,
            )
        released = bind_channel(session, ctx, community)
        session.flush()
        view = replace(_view(session, community), released=tuple(released), bound_here=True)
        uow.commit()
        return view


def listing(uow: UnitOfWork, ctx: Context) -> list[CommunityView]:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        views = [
            _view(session, c)
            for c in session.scalars(
                select(Community).where(Community.archived_at.is_(None)).order_by(Community.name)
            )
        ]
        uow.commit()
        return views


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
        view = _view(session, community)
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
        if value.lower()[:3] not in DAYS:
            raise InvalidInput(
                _('Unknown day "{value}". Days: {listed}.').format(
                    value=value, listed=", ".join(DAYS)
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
        community.unit_id = _unit(session, value).id
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


def _unit(session: Session, name: str) -> Unit:
    if not limits.visible(name):
        raise InvalidInput(_("Name the unit."))
    clean = limits.name(name, what="unit name", limit=limits.UNIT_NAME)
    unit = session.scalar(select(Unit).where(func.lower(Unit.name) == clean.lower()))
    if unit is None:
        unit = Unit(name=clean)
        session.add(unit)
        session.flush()
    return unit


def set_focal(
    uow: UnitOfWork, ctx: Context, *, action: str, person: PersonRef, scope: str | None = None
) -> str:
    """Make someone a focal point of a community (or a unit with ``unit:<name>``), or undo it."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        require_coordinator(caller, _("name focal points"))
        target = find_person(session, person, actor=ctx.actor, now=ctx.now)
        community_id: int | None = None
        unit_id: int | None = None
        if scope and scope.lower().startswith("unit:"):
            unit = _unit(session, scope[5:])
            unit_id, where = unit.id, f"unit {unit.name}"
        else:
            community = find_community(session, scope) if scope else caller.community
            if community is None:
                raise InvalidInput(
                    _("Which community? Name it, or run this in a bound channel."),
                    usage="focal add @person [community|unit:<name>]",
                )
            community_id, where = community.id, community.name
        grant = session.scalar(
            select(RoleGrant).where(
                RoleGrant.person_id == target.id,
                RoleGrant.role == "focal_point",
                RoleGrant.community_id.is_(None)
                if community_id is None
                else RoleGrant.community_id == community_id,
                RoleGrant.unit_id.is_(None) if unit_id is None else RoleGrant.unit_id == unit_id,
            )
        )
        if action == "add":
            if grant is not None:
                raise Conflict(
                    _("{label} is already a focal point for {where}.").format(
                        label=target.label, where=where
                    )
                )
            session.add(
                RoleGrant(
                    person_id=target.id,
                    role="focal_point",
                    community_id=community_id,
                    unit_id=unit_id,
                    granted_by=caller.person.id,
                    granted_at=ctx.now,
                )
            )
            message = f"{target.label} is now a focal point for {where}."
        else:
            if grant is None:
                raise Conflict(
                    _("{label} is not a focal point for {where}.").format(
                        label=target.label, where=where
                    )
                )
            session.delete(grant)
            message = f"{target.label} is no longer a focal point for {where}."
        uow.commit()
        return message


def set_coordinator(uow: UnitOfWork, ctx: Context, *, action: str, person: PersonRef) -> str:
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        require_coordinator(caller, _("name coordinators"))
        target = find_person(session, person, actor=ctx.actor, now=ctx.now)
        grant = session.scalar(
            select(RoleGrant).where(
                RoleGrant.person_id == target.id, RoleGrant.role == "coordinator"
            )
        )
        if action == "add":
            if grant is not None:
                raise Conflict(_("{label} is already a coordinator.").format(label=target.label))
            session.add(
                RoleGrant(
                    person_id=target.id,
                    role="coordinator",
                    granted_by=caller.person.id,
                    granted_at=ctx.now,
                )
            )
            message = f"{target.label} is now a coordinator."
        else:
            if grant is None:
                raise Conflict(
                    _(
                        "{label} has no coordinator role granted in chat "
                        "(coordinators named in COPBOT_COORDINATORS stay "
                        "coordinators)."
                    ).format(label=target.label)
                )
            session.delete(grant)
            message = f"{target.label} is no longer a coordinator."
        uow.commit()
        return message
