"""Pulse answers: members of the question's community only, once each, 1 to 5."""

from __future__ import annotations

import pytest

from bot.container import Container
from bot.errors import InvalidInput, NotAllowed
from bot.services.context import Context
from bot.services.pulse import answer_button
from handlers.console.chat import inbound
from storage.models import PulseQuestion
from tests.conftest import NOW, Say


def _ctx(container: Container, user: str) -> Context:
    return Context(
        actor=inbound(user, "dm", "").actor, channel="dm", now=NOW, settings=container.settings
    )


def test_only_members_answer_their_community_pulse(say: Say, container: Container) -> None:
    say("cora", "community create design-thinking")
    say("ana", "ideas")  # ana speaks in the community's channel: a member
    say("bo", "ideas", channel="elsewhere")  # bo belongs to another community
    with container.uow() as uow:
        uow.session.add(
            PulseQuestion(community_id=1, period="2026-11", question="How is it?", sent_at=NOW)
        )
        uow.commit()
    assert answer_button(container.uow(), _ctx(container, "ana"), "1:4").score == 4
    changed = answer_button(container.uow(), _ctx(container, "ana"), "1:5")
    assert (changed.score, changed.changed_from) == (5, 4)
    with pytest.raises(NotAllowed):
        answer_button(container.uow(), _ctx(container, "bo"), "1:3")
    with pytest.raises(InvalidInput):
        answer_button(container.uow(), _ctx(container, "ana"), "1:x")
