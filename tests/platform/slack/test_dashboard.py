"""`/cop dashboard` through the real Slack endpoint: the coordinator's personal link arrives
as a link in an ephemeral answer; a member is told who the dashboard is for."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr
from slack_sdk.models.blocks import Block

from bot.settings import Settings
from tests.platform.slack.conftest import Harness


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The platform's test settings (coordinators included), with the dashboard on."""
    return settings.model_copy(
        update={
            "copbot_dashboard": True,
            "copbot_secret_key": SecretStr("slack-dashboard-test-secret-key"),
            "copbot_public_url": "https://cop.example.org",
        }
    )


async def test_a_coordinator_gets_the_link_a_member_is_refused(community: Harness) -> None:
    await community.command("dashboard", user="UCORA")
    await community.command("dashboard", user="UANA")

    link, refused = community.responses()
    assert link["response_type"] == "ephemeral"
    for block in link["blocks"]:
        Block.parse(block)  # valid Block Kit
    found = re.findall(r"<(https://cop\.example\.org/dashboard/\?t=[^|>]+)\|Open>", str(link))
    assert found, link
    assert refused["text"].startswith(":warning:")
    assert "focal points and coordinators" in refused["text"]
    assert "cop.example.org" not in str(refused)
