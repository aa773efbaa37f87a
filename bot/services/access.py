"""Who is calling and what they may do. Every permission is decided here, on the server.

:func:`load_caller` starts every service call: the person behind the platform account
(:mod:`bot.services.people`), the community of the channel (:mod:`bot.services.places`) and
their roles (coordinator, focal point, read in one query); the checks (:func:`can_steward`,
:func:`require_steward`, :func:`require_coordinator`) decide on that caller."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.errors import NotAllowed
from bot.i18n import _
from bot.services.context import Context
from bot.services.people import resolve_person
from bot.services.places import bound_community, community_for_channel, ensure_member
from bot.settings import Settings
from storage.models import Account, Community, Person, RoleGrant


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
    grants = session.connection().execute(_GRANTS, {"person_id": person.id}).all()
    coordinator = is_bootstrap_coordinator(person, settings) or any(
        role == "coordinator" for role, _, _ in grants
    )
    focal = [(c, u) for role, c, u in grants if role == "focal_point"]
    return coordinator, frozenset(_focal_of(session, focal))


def load_caller(session: Session, ctx: Context) -> Caller:
    """Who is calling (created on first contact), the community of the channel (they join
    it), and their roles; kept in ``ctx.memo`` for the buttons of the reply."""
    person = resolve_person(session, ctx.actor, now=ctx.now)
    bound, community, member = bound_community(session, ctx, person.id)
    if not bound:
        # No binding: only a channel that binds itself (ctx.auto_bind) gets a community.
        community = community_for_channel(session, ctx) if ctx.auto_bind else None
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
