"""Stage rules: a champion moves one stage at a time; a steward may skip, with a note."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import Idea, StageChange
from tests.platform.slack.conftest import Harness


def _stage(harness: Harness) -> str:
    with harness.container.uow() as uow:
        return str(uow.session.scalars(select(Idea.stage)).one())


async def test_a_champion_cannot_jump_stages_and_a_focal_skip_is_recorded(
    community: Harness,
) -> None:
    community.setup("UANA", "idea Paperless travel claims")

    await community.command("advance I-1 scaled", user="UANA")
    assert _stage(community) == "proposed"
    [refused] = community.responses()
    assert "one stage at a time: next is development" in refused["text"]

    await community.command("advance I-1 pilot", user="UCORA")  # a skip needs a note
    assert _stage(community) == "proposed"
    await community.command("advance I-1 pilot Two units piloted it already", user="UCORA")
    assert _stage(community) == "pilot"
    posted = community.posted()[-1].params
    assert "moved to pilot (skipped development)" in posted["text"]

    await community.command("show I-1", user="UBO")
    history = json.dumps(community.responses()[-1], ensure_ascii=False)
    assert "proposed → pilot (skipped development) by cora" in history
    with community.container.uow() as uow:
        moves = uow.session.execute(
            select(StageChange.from_stage, StageChange.to_stage).order_by(StageChange.id)
        ).all()
    assert [tuple(m) for m in moves] == [(None, "proposed"), ("proposed", "pilot")]

    await community.command("stats community last-30d", user="UCORA")
    table = community.responses()[-1]["text"]  # the text fallback of Slack's table block
    [line] = [x for x in table.splitlines() if x.strip().startswith("Ideas past brainstorming")]
    assert line.split()[3] == "1"  # it left brainstorming; no development stage is counted
