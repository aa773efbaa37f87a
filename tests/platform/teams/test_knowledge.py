"""Search and similar ideas through Teams activities."""

from __future__ import annotations

from sqlalchemy import select

from bot.container import Container
from storage.models import Idea, Vote
from tests.platform.teams.flows import Chat, actions, card_text


async def test_teams_search_and_similar_idea(chat: Chat, container: Container) -> None:
    await chat.say("ana", "idea Mentoring circles for new staff")
    found = await chat.say("bo", "search mentor")
    assert "I-1" in card_text(found) and "Mentoring circles" in card_text(found)

    sent = await chat.say("bo", "idea Peer coaching groups for newcomers")
    assert "Similar ideas already exist" in card_text(sent)
    data = [a["data"] for a in actions(sent) if "data" in a]
    assert {"cop_action": "support", "value": "I-1 I-2"} in data
    assert {"cop_action": "keep", "value": "I-2"} in data

    done = await chat.click("bo", "support", "I-1 I-2")
    assert "I-2 was withdrawn" in card_text(done) + " ".join(str(a.text) for a in done)
    with container.uow() as uow:
        assert [i.id for i in uow.session.scalars(select(Idea))] == [1]
        assert uow.session.scalars(select(Vote)).one().idea_id == 1
