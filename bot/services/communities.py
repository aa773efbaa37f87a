"""Communities and channel bindings: create, join, leave, bind a channel, list.

Each returns a :class:`CommunityView` (members, channels, settings); the settings are changed
in :mod:`bot.services.community_settings`, and the roles that run a community are given in
:mod:`bot.services.roles`."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput, NotAllowed
from bot.i18n import _
from bot.services.access import can_steward, load_caller, require_coordinator, require_steward
from bot.services.context import Context
from bot.services.holds import holds_here
from bot.services.places import (
    THIS_CHANNEL,
    bind_channel,
    channel_keys,
    channel_slug,
    community_name,
    find_community,
    new_community,
    slugify,
)
from storage.models import ChannelBinding, Community, Membership, Unit
from storage.uow import UnitOfWork


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


def community_view(session: Session, c: Community) -> CommunityView:
    """The community with its member and channel counts and its unit's name."""
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
        view = replace(
            community_view(session, community), released=tuple(released), bound_here=bound
        )
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
        view = community_view(session, community)
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
        view = community_view(session, community)
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
        session.execute(delete(ChannelBinding).where(THIS_CHANNEL), channel_keys(ctx))
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
        view = replace(
            community_view(session, community), released=tuple(released), bound_here=True
        )
        uow.commit()
        return view


def listing(uow: UnitOfWork, ctx: Context) -> list[CommunityView]:
    with uow:
        session = uow.session
        load_caller(session, ctx)
        views = [
            community_view(session, c)
            for c in session.scalars(
                select(Community).where(Community.archived_at.is_(None)).order_by(Community.name)
            )
        ]
        uow.commit()
        return views
