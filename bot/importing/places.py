"""Which community each exported channel feeds: the one it is bound to, the one ``--map``
names, or a new community named after the channel and bound to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.importing.export import Channel, Problem
from bot.services.places import new_community, slugify
from bot.settings import Settings
from storage.models import ChannelBinding, Community

PLATFORM = "slack"


@dataclass(frozen=True, slots=True)
class Place:
    channel: Channel
    community_id: int
    community: str
    created: bool  # the import made this community
    bound: bool  # the import bound this channel
    live_since: datetime | None  # the bot counted this channel live from then on


def _free_name(session: Session, base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken or session.scalar(select(Community.id).where(Community.name == name)):
        n += 1
        name = f"{base}-{n}"[:80]
    return name


def _other_slack_channel(session: Session, community_id: int, workspace: str, channel: str) -> bool:
    return (
        session.scalar(
            select(ChannelBinding.id).where(
                ChannelBinding.community_id == community_id,
                ChannelBinding.platform == PLATFORM,
                ChannelBinding.workspace == workspace,
                ChannelBinding.channel_id != channel,
            )
        )
        is not None
    )


def _community_for(
    session: Session,
    channel: Channel,
    workspace: str,
    taken: set[str],
    settings: Settings,
    now: datetime,
) -> tuple[Community, bool]:
    base = slugify(channel.name) or slugify(channel.id) or "channel"
    same = session.scalar(select(Community).where(Community.name == base))
    if (
        same is not None
        and base not in taken
        and not _other_slack_channel(session, same.id, workspace, channel.id)
    ):
        return same, False
    name = _free_name(session, base, taken)
    return new_community(session, name, settings=settings, now=now), True


def place_channels(
    session: Session,
    channels: list[Channel],
    *,
    workspace: str,
    mapping: Mapping[str, str],
    settings: Settings,
    now: datetime,
    problems: list[Problem],
) -> list[Place]:
    """Find or make the community of every channel, binding the channel to it."""
    places: list[Place] = []
    taken: set[str] = set()
    for channel in channels:
        binding = session.scalar(
            select(ChannelBinding).where(
                ChannelBinding.platform == PLATFORM,
                ChannelBinding.workspace == workspace,
                ChannelBinding.channel_id == channel.id,
            )
        )
        wanted = mapping.get(channel.name, mapping.get(channel.id))
        target: Community | None = None
        if wanted is not None:
            target = session.scalar(select(Community).where(Community.name == slugify(wanted)))
            if target is None:
                problems.append(
                    Problem(
                        "--map", None, f"no community called {wanted!r}; #{channel.name} skipped"
                    )
                )
                continue
        if binding is not None:
            if target is not None and target.id != binding.community_id:
                bound_to = session.get(Community, binding.community_id)
                problems.append(
                    Problem(
                        "--map",
                        None,
                        f"#{channel.name} is already bound to "
                        f"{bound_to.name if bound_to else '?'}; skipped",
                    )
                )
                continue
            community = session.get(Community, binding.community_id)
            assert community is not None
            live = community.count_participation
            places.append(
                Place(
                    channel,
                    community.id,
                    community.name,
                    False,
                    False,
                    binding.created_at if live else None,
                )
            )
            taken.add(community.name)
            continue
        created = False
        if target is None:
            target, created = _community_for(session, channel, workspace, taken, settings, now)
        taken.add(target.name)
        session.add(
            ChannelBinding(
                community_id=target.id,
                platform=PLATFORM,
                workspace=workspace,
                channel_id=channel.id,
                channel_name=channel.name,
                created_at=now,
            )
        )
        session.flush()
        places.append(Place(channel, target.id, target.name, created, True, None))
    return places
