"""Roles granted in chat by a coordinator: focal points of a community (or of every community
in a unit, ``unit:<name>``) and coordinators, given or taken back. Coordinators named in
COPBOT_COORDINATORS are not grants and cannot be taken back here."""

from __future__ import annotations

from sqlalchemy import select

from bot.errors import Conflict, InvalidInput
from bot.grammar.commands import PersonRef
from bot.i18n import _
from bot.services.access import load_caller, require_coordinator
from bot.services.community_settings import unit_named
from bot.services.context import Context
from bot.services.people import find_person
from bot.services.places import (
    find_community,
)
from storage.models import RoleGrant
from storage.uow import UnitOfWork


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
            unit = unit_named(session, scope[5:])
            unit_id, where = unit.id, _("unit {name}").format(name=unit.name)
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
            message = _("{label} is now a focal point for {where}.").format(
                label=target.label, where=where
            )
        else:
            if grant is None:
                raise Conflict(
                    _("{label} is not a focal point for {where}.").format(
                        label=target.label, where=where
                    )
                )
            session.delete(grant)
            message = _("{label} is no longer a focal point for {where}.").format(
                label=target.label, where=where
            )
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
            message = _("{label} is now a coordinator.").format(label=target.label)
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
            message = _("{label} is no longer a coordinator.").format(label=target.label)
        uow.commit()
        return message
