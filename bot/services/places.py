"""Where a call comes from: the community a channel is bound to (bound on first use when the
channel binds itself), binding a channel, new communities with the organisation's defaults,
membership, community names as stored, and a community looked up by name."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import NotFound
from bot.i18n import _
from bot.services.context import Context
from bot.services.holds import release
from bot.settings import Settings
from storage.models import ChannelBinding, Community, Membership, Person


def slugify(name: str) -> str:
    """A community (or theme) name as stored: its words in lowercase joined by "-", letters
    and digits of any script kept with their accents (``Équipe Café`` → ``équipe-café``,
    ``设计思维`` stays; never cut: :func:`community_name` refuses a name over the limit)."""
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " "
        for ch in unicodedata.normalize("NFKC", name).lower()
    )
    return "-".join(kept.split())


def community_name(name: str) -> str:
    """The stored name for a new community; refused when over COMMUNITY_NAME characters."""
    return limits.name(slugify(name), what="community name", limit=limits.COMMUNITY_NAME)


# The binding of a request's channel, as a condition on ChannelBinding; its values are
# :func:`channel_keys` of the request. One condition for every statement that looks it up.
THIS_CHANNEL = and_(
    ChannelBinding.platform == bindparam("platform"),
    ChannelBinding.workspace == bindparam("workspace"),
    ChannelBinding.channel_id == bindparam("channel"),
)


def channel_keys(ctx: Context) -> dict[str, str]:
    """The values :data:`THIS_CHANNEL` takes for the channel of ``ctx``."""
    return {
        "platform": ctx.actor.platform.value,
        "workspace": ctx.actor.workspace,
        "channel": ctx.channel,
    }


def community_for_channel(session: Session, ctx: Context) -> Community | None:
    bound = session.execute(
        select(ChannelBinding.id, Community)
        .outerjoin(Community, Community.id == ChannelBinding.community_id)
        .where(THIS_CHANNEL),
        channel_keys(ctx),
    ).first()
    if bound is not None:
        community: Community | None = bound[1]
        return community
    if not ctx.auto_bind:
        return None
    name = channel_slug(ctx)
    community = session.scalar(select(Community).where(Community.name == name))
    if community is None:
        community = new_community(session, name, settings=ctx.settings, now=ctx.now)
    bind_channel(session, ctx, community)
    return community


def channel_slug(ctx: Context) -> str:
    """The community name a channel would give (``community bind`` without a name)."""
    return slugify(ctx.channel_name or ctx.channel)[: limits.COMMUNITY_NAME] or "general"


def new_community(
    session: Session, name: str, *, settings: Settings, now: datetime, created_by: int | None = None
) -> Community:
    """A community with the organisation's defaults (time zone, digest day and time)."""
    community = Community(
        name=name,
        timezone=settings.copbot_timezone,
        digest_day=settings.copbot_digest_day,
        digest_time=settings.copbot_digest_time,
        created_by=created_by,
        created_at=now,
    )
    session.add(community)
    session.flush()
    return community


def bind_channel(session: Session, ctx: Context, community: Community) -> list[str]:
    """Bind the channel the caller speaks in to ``community``; what the channel held joins
    it (the refs that did are returned)."""
    binding = ChannelBinding(
        community_id=community.id,
        platform=ctx.actor.platform.value,
        workspace=ctx.actor.workspace,
        channel_id=ctx.channel,
        channel_name=ctx.channel_name or ctx.channel,
        created_at=ctx.now,
    )
    session.add(binding)
    session.flush()
    return release(session, binding)


def ensure_member(session: Session, community: Community, person: Person, now: datetime) -> None:
    exists = session.scalar(
        select(Membership.id).where(
            Membership.community_id == community.id, Membership.person_id == person.id
        )
    )
    if exists is None:
        session.add(Membership(community_id=community.id, person_id=person.id, joined_at=now))
        session.flush()


def bound_community(
    session: Session, ctx: Context, person_id: int
) -> tuple[bool, Community | None, bool]:
    """Whether the channel is bound, its community, and whether the person is a member of
    it: one query."""
    row = session.execute(_BOUND, {**channel_keys(ctx), "person_id": person_id}).first()
    if row is None:
        return False, None, False
    return True, row[1], row[2] is not None


_BOUND = (
    select(ChannelBinding.id, Community, Membership.id)
    .outerjoin(Community, Community.id == ChannelBinding.community_id)
    .outerjoin(
        Membership,
        and_(
            Membership.community_id == ChannelBinding.community_id,
            Membership.person_id == bindparam("person_id"),
        ),
    )
    .where(THIS_CHANNEL)
)


def find_community(session: Session, name: str) -> Community:
    community = session.scalar(select(Community).where(Community.name == slugify(name)))
    if community is None:
        raise _no_community(session, name)
    return community


def community_named(session: Session, name: str) -> tuple[int, str]:
    """The id and stored name of the community called ``name``, found and refused as by
    :func:`find_community`, read as columns (for a caller that only needs those)."""
    row = session.connection().execute(_NAMED, {"name": slugify(name)}).first()
    if row is None:
        raise _no_community(session, name)
    return row.id, row.name


_NAMED = select(Community.id, Community.name).where(Community.name == bindparam("name"))


def _no_community(session: Session, name: str) -> NotFound:
    names = session.scalars(select(Community.name).order_by(Community.name).limit(20)).all()
    known = ", ".join(names) if names else "none yet"
    return NotFound(
        _('No community called "{name}". Communities: {known}.').format(name=name, known=known)
    )
