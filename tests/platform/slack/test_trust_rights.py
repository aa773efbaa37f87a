"""Rights are given, never taken: a chosen name makes nobody a coordinator, and a channel
bound to one community is not rebound by a focal point of another."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage.models import ChannelBinding, Community
from tests.platform.slack.conftest import Harness


@pytest.mark.parametrize("chosen", ["cora@example.org", "UCORA", "Cora Costa", "cora"])
async def test_a_display_name_never_makes_a_coordinator(community: Harness, chosen: str) -> None:
    community.slack.add_user("UMAL", real_name="Mal Lory", email="mal@example.org")
    community.slack.users["UMAL"]["profile"]["display_name"] = chosen
    community.slack.users["UMAL"]["profile"]["real_name"] = chosen

    await community.command("community create takeover", user="UMAL")
    await community.command("stats all", user="UMAL")

    refused, stats = community.responses()
    assert "Only a coordinator can create communities" in refused["text"]
    assert "Only coordinators can see the whole organisation" in stats["text"]
    with community.container.uow() as uow:
        assert uow.session.scalar(select(Community).where(Community.name == "takeover")) is None


async def test_the_coordinator_named_by_platform_e_mail_still_is_one(community: Harness) -> None:
    await community.command("community create second-cop", user="UCORA")

    assert "second-cop" in community.responses()[0]["text"]
    assert not community.responses()[0]["text"].startswith(":warning:")


def _bound_to(harness: Harness, channel: str) -> str | None:
    with harness.container.uow() as uow:
        binding = uow.session.scalar(
            select(ChannelBinding).where(ChannelBinding.channel_id == channel)
        )
        if binding is None:
            return None
        found = uow.session.get(Community, binding.community_id)
        return found.name if found else None


async def test_a_focal_point_of_another_community_cannot_take_a_bound_channel(
    community: Harness,
) -> None:
    community.slack.add_channel("C222", "gis")
    community.setup("UCORA", "community create gis", channel="C222")
    community.setup("UCORA", "community bind gis", channel="C222")
    community.setup("UCORA", "focal add @UBO design-thinking")

    await community.command("community bind design-thinking", user="UBO", channel="C222")

    [refused] = community.responses()
    assert refused["text"].startswith(":warning:")
    assert "already bound to gis" in refused["text"]
    assert "focal point of gis or a coordinator" in refused["text"]
    assert _bound_to(community, "C222") == "gis"


async def test_a_focal_point_of_both_communities_may_rebind(community: Harness) -> None:
    community.slack.add_channel("C222", "gis")
    community.setup("UCORA", "community create gis", channel="C222")
    community.setup("UCORA", "community bind gis", channel="C222")
    community.setup("UCORA", "focal add @UBO design-thinking")
    community.setup("UCORA", "focal add @UBO gis")

    await community.command("community bind design-thinking", user="UBO", channel="C222")

    assert "now part of design-thinking" in json.dumps(
        community.responses() + [c.params for c in community.posted()]
    )
    assert _bound_to(community, "C222") == "design-thinking"
