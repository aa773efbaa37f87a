"""Participation counting: messages per person per day in channels bound to a community.

Only a count is stored, never the text. The platform edge decides which messages count
(people's own messages: no bots, no edits, joins or other system subtypes); this module
adds one to the author's row for the community's local day, once per platform event id.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import local_date
from bot.services import dedupe
from bot.services.context import Context
from bot.services.people import resolve_person
from bot.services.places import THIS_CHANNEL, channel_keys
from storage.models import ChannelBinding, Community, Participation
from storage.uow import UnitOfWorkFactory

_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Seen:
    """What a message in a channel means for the community it is bound to."""

    community_id: int | None = None
    counted: bool = False
    suggest_capture: bool = False
    duplicate: bool = False


_COMMUNITY = (
    select(Community)
    .join(ChannelBinding, ChannelBinding.community_id == Community.id)
    .where(THIS_CHANNEL)
)


def _community(session: Session, ctx: Context) -> Community | None:
    """The community the channel is bound to, unless it is archived (one query)."""
    community = session.scalar(_COMMUNITY, channel_keys(ctx))
    if community is None or community.archived_at is not None:
        return None
    return community


_BUMP = (
    update(Participation)
    .where(
        Participation.community_id == bindparam("in_community"),
        Participation.person_id == bindparam("of_person"),
        Participation.day == bindparam("on_day"),
    )
    .values(messages=Participation.messages + 1)
    .execution_options(synchronize_session=False)
)


def _add_one(session: Session, community: Community, person_id: int, ctx: Context) -> None:
    day = local_date(ctx.now, ZoneInfo(community.timezone))
    bumped = session.execute(
        _BUMP, {"in_community": community.id, "of_person": person_id, "on_day": day}
    )
    if getattr(bumped, "rowcount", 0) == 0:
        session.add(
            Participation(community_id=community.id, person_id=person_id, day=day, messages=1)
        )
        session.flush()


def record_message(uow_factory: UnitOfWorkFactory, ctx: Context, *, event_id: str | None) -> Seen:
    """Count one message by ``ctx.actor`` in ``ctx.channel`` at ``ctx.now``.

    Nothing is written for channels that are not bound, or whose community neither counts
    participation nor suggests captures. Otherwise the event id is recorded in the same
    transaction as the count, so a redelivered event is counted once (``duplicate``).
    """
    for attempt in range(_ATTEMPTS):
        uow = uow_factory()
        with uow:
            session = uow.session
            community = _community(session, ctx)
            if community is None:
                return Seen()
            if not (community.count_participation or community.suggest_capture):
                return Seen(community_id=community.id)
            try:
                if event_id is not None:
                    dedupe.mark(
                        session, platform=ctx.actor.platform.value, key=event_id, now=ctx.now
                    )
                if community.count_participation:
                    person = resolve_person(session, ctx.actor, now=ctx.now)
                    _add_one(session, community, person.id, ctx)
                seen = Seen(
                    community_id=community.id,
                    counted=community.count_participation,
                    suggest_capture=community.suggest_capture,
                )
                uow.commit()
                return seen
            except dedupe.DuplicateDelivery:
                return Seen(community_id=community.id, duplicate=True)
            except IntegrityError:
                # Two first messages of the day raced to insert the row: count again.
                if attempt == _ATTEMPTS - 1:
                    raise
    return Seen()
