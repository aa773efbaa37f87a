"""Who is calling, where, and what they may do. Every permission is decided here, on the server."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot import limits
from bot.errors import NotAllowed, NotFound
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.messages import Actor
from bot.services.context import Context
from bot.services.holds import release
from bot.settings import Settings
from storage.models import Account, ChannelBinding, Community, Membership, Person, RoleGrant

_NAME = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """A community name as stored: lowercase letters and digits joined by "-" (never cut:
    :func:`community_name` refuses a name over the limit)."""
    return _NAME.sub("-", name.strip().lower()).strip("-")


def community_name(name: str) -> str:
    """The stored name for a new community; refused when over COMMUNITY_NAME characters."""
    return limits.name(slugify(name), what="community name", limit=limits.COMMUNITY_NAME)


@dataclass(slots=True)
class Caller:
    person: Person
    community: Community | None
    coordinator: bool
    # The communities the caller stewards, read once per call (a listing checks many items).
    _focal: frozenset[int] | None = field(default=None, repr=False, compare=False)

    def focal_community_ids(self, session: Session | None) -> set[int]:
        """Read with the caller's roles by :func:`load_caller`; otherwise on first use (which
        needs ``session``)."""
        if self._focal is None:
            if session is None:
                raise RuntimeError("the caller's roles were not read")
            self._focal = frozenset(focal_community_ids(session, self.person.id))
        return set(self._focal)


def resolve_person(session: Session, actor: Actor, *, now: datetime) -> Person:
    """The person behind a platform account; created on first contact.

    A new account whose e-mail address matches a known person is linked to that person,
    so one human with a Slack and a Teams identity is counted once.
    """
    account = find_account(session, actor)
    if account is not None:
        _refresh(account.person, account, actor)
        return account.person
    known = _person_by_email(session, actor.email)
    try:
        # Two first requests from one person can arrive together: the one that loses the
        # race on the account's unique key rolls back to here and uses the winner's row.
        # Nothing is read inside the savepoint: on SQLite a savepoint opened outside a
        # transaction starts one, and a read there would pin a snapshot that any write
        # committed meanwhile makes stale, so the insert would fail ("database is locked")
        # at every attempt while the database is busy.
        with session.begin_nested():
            return _first_contact(session, actor, known, now=now)
    except IntegrityError:
        account = session.scalar(
            select(Account).where(
                Account.platform == actor.platform.value,
                Account.workspace == actor.workspace,
                Account.user_id == actor.user_id,
            )
        )
        if account is None:
            raise
        return account.person


def _person_by_email(session: Session, email: str | None) -> Person | None:
    """The (not forgotten) person with this e-mail address, if any."""
    if not email:
        return None
    return session.scalar(
        select(Person)
        .where(func.lower(Person.email) == email.lower(), Person.forgotten_at.is_(None))
        .limit(1)
    )


def _first_contact(
    session: Session, actor: Actor, person: Person | None, *, now: datetime
) -> Person:
    if person is None:
        person = Person(
            display_name=actor.display_name or actor.user_id,
            email=actor.email,
            timezone=actor.timezone,
            platform_locale=actor.locale[:16] if actor.locale else None,
            created_at=now,
        )
        session.add(person)
        session.flush()
    account = Account(
        person_id=person.id,
        platform=actor.platform.value,
        workspace=actor.workspace,
        user_id=actor.user_id,
        display_name=actor.display_name,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return person


_ACCOUNT = (
    select(Account)
    .where(
        Account.platform == bindparam("platform"),
        Account.workspace == bindparam("workspace"),
        Account.user_id == bindparam("user_id"),
    )
    .options(joinedload(Account.person).joinedload(Person.accounts))
)


def find_account(session: Session, actor: Actor) -> Account | None:
    """The account behind ``actor`` with its person and the person's accounts, in one query
    (the coordinator check reads the accounts). The statement is built once: this runs for
    every request."""
    params = {
        "platform": actor.platform.value,
        "workspace": actor.workspace,
        "user_id": actor.user_id,
    }
    return session.execute(_ACCOUNT, params).unique().scalar_one_or_none()


def _refresh(person: Person, account: Account, actor: Actor) -> None:
    if actor.display_name and account.display_name != actor.display_name:
        account.display_name = actor.display_name
        person.display_name = actor.display_name
    if actor.email and not person.email:
        person.email = actor.email
    if actor.timezone and person.timezone != actor.timezone:
        person.timezone = actor.timezone
    if actor.locale and person.platform_locale != actor.locale:
        person.platform_locale = actor.locale[:16]


def find_person(session: Session, ref: PersonRef, *, actor: Actor, now: datetime) -> Person:
    """A person named in a command, looked up on the caller's platform and workspace."""
    raw = ref.raw.strip().lstrip("@")
    account = session.scalar(
        select(Account).where(
            Account.platform == actor.platform.value,
            Account.workspace == actor.workspace,
            or_(Account.user_id == raw, func.lower(Account.display_name) == raw.lower()),
        )
    )
    if account is not None:
        return account.person
    person = session.scalar(
        select(Person).where(
            Person.forgotten_at.is_(None),
            or_(
                func.lower(Person.display_name) == raw.lower(),
                func.lower(Person.email) == raw.lower(),
            ),
        )
    )
    if person is not None:
        return person
    if actor.platform.value == "slack" and ref.raw.startswith(("U", "W")) and raw.isalnum():
        # A Slack mention names a real account by id even if the bot has not met them yet:
        # create them now so roles and credits can be given before their first message.
        return resolve_person(
            session,
            Actor(
                platform=actor.platform,
                workspace=actor.workspace,
                user_id=raw,
                display_name=ref.label or raw,
            ),
            now=now,
        )
    raise NotFound(
        _("I don't know anyone called @{raw} yet. They need to talk to me once first.").format(
            raw=raw
        )
    )


def _bootstrap_names(settings: Settings) -> set[str]:
    return {n.strip().lower().lstrip("@") for n in settings.copbot_coordinators} - {""}


def bootstrap_coordinator_ids(session: Session, settings: Settings) -> set[int]:
    """People named in COPBOT_COORDINATORS.

    Matched only on what a person cannot choose: a platform user id, or the e-mail address
    the platform reported. Display and real names are chosen by the person, so they never
    make a coordinator; on the local console the user id *is* the name typed with ``/as``.
    """
    wanted = sorted(_bootstrap_names(settings))
    if not wanted:
        return set()
    ids = set(
        session.scalars(
            select(Person.id).where(
                Person.forgotten_at.is_(None), func.lower(Person.email).in_(wanted)
            )
        )
    )
    ids |= set(
        session.scalars(
            select(Account.person_id)
            .join(Person, Person.id == Account.person_id)
            .where(Person.forgotten_at.is_(None), func.lower(Account.user_id).in_(wanted))
        )
    )
    return ids


def is_bootstrap_coordinator(person: Person, settings: Settings) -> bool:
    """The same rule as :func:`bootstrap_coordinator_ids`, for one loaded person."""
    names = _bootstrap_names(settings)
    if not names or person.forgotten_at is not None:
        return False
    candidates = {(person.email or "").lower()} | {a.user_id.lower() for a in person.accounts}
    return bool(names & (candidates - {""}))


def is_coordinator(session: Session, person: Person, settings: Settings) -> bool:
    if is_bootstrap_coordinator(person, settings):
        return True
    return (
        session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.person_id == person.id, RoleGrant.role == "coordinator"
            )
        )
        is not None
    )


def focal_community_ids(session: Session, person_id: int) -> set[int]:
    """Communities where the person is a focal point, directly or through a unit."""
    grants = session.execute(
        select(RoleGrant.community_id, RoleGrant.unit_id).where(
            RoleGrant.person_id == person_id, RoleGrant.role == "focal_point"
        )
    ).all()
    return _focal_of(session, grants)


def _focal_of(session: Session, grants: Sequence[tuple[int | None, int | None]]) -> set[int]:
    ids = {c for c, _ in grants if c is not None}
    unit_ids = {u for _, u in grants if u is not None}
    if unit_ids:
        ids |= set(session.scalars(select(Community.id).where(Community.unit_id.in_(unit_ids))))
    return ids


_GRANTS = select(RoleGrant.role, RoleGrant.community_id, RoleGrant.unit_id).where(
    RoleGrant.person_id == bindparam("person_id"),
    RoleGrant.role.in_(("coordinator", "focal_point")),
)


def _roles(session: Session, person: Person, settings: Settings) -> tuple[bool, frozenset[int]]:
    """Whether the person is a coordinator, and the communities they steward as a focal
    point: the same rules as :func:`is_coordinator` and :func:`focal_community_ids`, read in
    one query."""
    grants = session.execute(_GRANTS, {"person_id": person.id}).all()
    coordinator = is_bootstrap_coordinator(person, settings) or any(
        role == "coordinator" for role, _, _ in grants
    )
    focal = [(c, u) for role, c, u in grants if role == "focal_point"]
    return coordinator, frozenset(_focal_of(session, focal))


def community_for_channel(session: Session, ctx: Context) -> Community | None:
    bound = session.execute(
        select(ChannelBinding.id, Community)
        .outerjoin(Community, Community.id == ChannelBinding.community_id)
        .where(
            ChannelBinding.platform == ctx.actor.platform.value,
            ChannelBinding.workspace == ctx.actor.workspace,
            ChannelBinding.channel_id == ctx.channel,
        )
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


def _bound_community(
    session: Session, ctx: Context, person_id: int
) -> tuple[bool, Community | None, bool]:
    """Whether the channel is bound, its community, and whether the person is a member of
    it: one query."""
    row = session.execute(
        _BOUND,
        {
            "platform": ctx.actor.platform.value,
            "workspace": ctx.actor.workspace,
            "channel": ctx.channel,
            "person_id": person_id,
        },
    ).first()
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
    .where(
        ChannelBinding.platform == bindparam("platform"),
        ChannelBinding.workspace == bindparam("workspace"),
        ChannelBinding.channel_id == bindparam("channel"),
    )
)


def load_caller(session: Session, ctx: Context) -> Caller:
    """Who is calling (created on first contact), the community of the channel (they join
    it), and their roles; kept in ``ctx.memo`` for the buttons of the reply."""
    person = resolve_person(session, ctx.actor, now=ctx.now)
    bound, community, member = _bound_community(session, ctx, person.id)
    if not bound:
        community = community_for_channel(session, ctx)
        member = False
    if community is not None and not member:
        ensure_member(session, community, person, ctx.now)
    coordinator, focal = _roles(session, person, ctx.settings)
    caller = Caller(person=person, community=community, coordinator=coordinator, _focal=focal)
    ctx.memo.caller = caller
    return caller


def can_steward(session: Session | None, caller: Caller, community_id: int | None) -> bool:
    """Focal point of that community (or its unit), or a coordinator."""
    if caller.coordinator:
        return True
    if community_id is None:
        return False
    return community_id in caller.focal_community_ids(session)


def require_steward(
    session: Session, caller: Caller, community_id: int | None, action: str
) -> None:
    if not can_steward(session, caller, community_id):
        raise NotAllowed(
            _("Only a focal point of this community or a coordinator can {action}.").format(
                action=action
            )
        )


def require_coordinator(caller: Caller, action: str) -> None:
    if not caller.coordinator:
        raise NotAllowed(_("Only a coordinator can {action}.").format(action=action))


def is_focal_anywhere(session: Session, person_id: int) -> bool:
    return (
        session.scalar(
            select(RoleGrant.id)
            .where(RoleGrant.person_id == person_id, RoleGrant.role == "focal_point")
            .limit(1)
        )
        is not None
    )


def find_community(session: Session, name: str) -> Community:
    community = session.scalar(select(Community).where(Community.name == slugify(name)))
    if community is None:
        names = session.scalars(select(Community.name).order_by(Community.name).limit(20)).all()
        known = ", ".join(names) if names else "none yet"
        raise NotFound(
            _('No community called "{name}". Communities: {known}.').format(name=name, known=known)
        )
    return community
