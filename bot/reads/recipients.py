"""Where scheduled messages go: a community's bound channels, a person's direct messages.

A person with accounts on several platforms is reached on the one they started using most
recently. Forgotten people have no address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ports import Address
from bot.reads.views import person_labels
from bot.services.access import bootstrap_coordinator_ids
from bot.settings import Settings
from storage.models import Account, ChannelBinding, Person, RoleGrant
from storage.sql import among


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person the bot may write to, with what it needs to respect their time."""

    person_id: int
    name: str
    timezone: str | None
    address: Address
    snoozed_until: datetime | None
    opted_out: bool
    working_hours: str | None = None  # the person's own, else the organisation's
    working_days: str | None = None

    def snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now


def _chunks(ids: Iterable[int], size: int = 500) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def channel_addresses(session: Session, community_ids: Iterable[int]) -> dict[int, list[Address]]:
    """Each community's bound channels, in a stable order."""
    found: dict[int, list[Address]] = {}
    wanted = list(community_ids)
    if not wanted:
        return found
    rows = session.execute(
        select(
            ChannelBinding.community_id,
            ChannelBinding.platform,
            ChannelBinding.workspace,
            ChannelBinding.channel_id,
        )
        .where(among(ChannelBinding.community_id, wanted))
        .order_by(ChannelBinding.community_id, ChannelBinding.id)
    ).all()
    for community_id, platform, workspace, channel in rows:
        found.setdefault(community_id, []).append(
            Address(platform=platform, workspace=workspace, channel=channel)
        )
    return found


def people(session: Session, person_ids: Iterable[int]) -> dict[int, Recipient]:
    """The reachable people among ``person_ids``: not forgotten, with at least one account."""
    found: dict[int, Recipient] = {}
    for chunk in _chunks(person_ids):
        persons = {
            p.id: p
            for p in session.scalars(
                select(Person).where(Person.id.in_(chunk), Person.forgotten_at.is_(None))
            )
        }
        if not persons:
            continue
        accounts = session.execute(
            select(Account.person_id, Account.platform, Account.workspace, Account.user_id)
            .where(Account.person_id.in_(list(persons)))
            .order_by(Account.created_at, Account.id)
        ).all()
        latest: dict[int, Address] = {}
        for person_id, platform, workspace, user_id in accounts:
            latest[person_id] = Address(platform=platform, workspace=workspace, user=user_id)
        for person_id, address in latest.items():
            person = persons[person_id]
            found[person_id] = Recipient(
                person_id=person_id,
                name=person.label,
                timezone=person.own_timezone or person.timezone,
                address=address,
                snoozed_until=person.snoozed_until,
                opted_out=person.nudges_opt_out,
                working_hours=person.working_hours,
                working_days=person.working_days,
            )
    return found


def names(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """Display labels ("a former member" for the forgotten) for ``person_ids``."""
    return person_labels(session, person_ids)


def coordinator_ids(session: Session, settings: Settings) -> set[int]:
    """Coordinators: granted in chat, or named in COPBOT_COORDINATORS (user id or e-mail)."""
    ids = set(session.scalars(select(RoleGrant.person_id).where(RoleGrant.role == "coordinator")))
    return ids | bootstrap_coordinator_ids(session, settings)
