"""`digest preview|send` from chat: focal points and coordinators only, posted once a week."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.container import Container
from storage.models import OutboxMessage
from tests.conftest import Say


def test_preview_and_send_once(say: Say, container: Container) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")
    assert say("ana", "digest preview").error  # members are refused
    preview = say("cora", "digest preview")
    assert not preview.error and "Preview of the design-thinking digest" in preview.text
    titles = [item.title for section in preview.sections for item in section.items]
    assert "Mentoring circles" in titles
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 0
    sent = say("cora", "digest send")
    assert sent.text == "The design-thinking digest is on its way to 1 channel."
    again = say("cora", "digest send")
    assert "already sent" in again.text
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_quiet_week_has_no_digest(say: Say) -> None:
    say("cora", "community create design-thinking")
    assert "no digest" in say("cora", "digest preview").text
    assert "No digest for design-thinking" in say("cora", "digest send").text
