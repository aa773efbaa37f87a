"""Peer-learning requests: offers, resolution with credited helpers, time to first response."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from storage.models import CreditedHelper, HelpRequest
from tests.conftest import NOW, Say


def _request(container: Container) -> HelpRequest:
    with container.uow() as uow:
        request = uow.session.get(HelpRequest, 1)
        assert request is not None
        uow.session.expunge(request)
        return request


def test_offer_answers_and_notifies_requester(say: Say, container: Container) -> None:
    say("ana", "ask Who has run a #retrospective with 40 people?")
    assert _request(container).tags == ["retrospective"]
    reply = say("bo", "offer R-1", now=NOW + timedelta(hours=3))
    assert not reply.error and reply.notices and "bo offered" in reply.notices[0].text
    request = _request(container)
    assert request.status == "answered"
    assert request.first_response_at == NOW + timedelta(hours=3)
    assert say("bo", "offer R-1").error  # once
    assert say("ana", "offer R-1").error  # not on your own request


def test_resolve_credits_named_helpers_or_all_offers(say: Say, container: Container) -> None:
    say("ana", "ask How do we facilitate online?")
    say("bo", "offer R-1")
    say("cy", "offer R-1")
    assert say("bo", "resolve R-1").error  # only the requester (or stewards)
    reply = say("ana", "resolve R-1")
    assert "Kudos to bo, cy" in reply.text
    with container.uow() as uow:
        credited = uow.session.scalars(select(CreditedHelper.person_id)).all()
    assert len(credited) == 2
    assert say("ana", "resolve R-1").error  # already resolved
    assert say("dee", "offer R-1").error


def test_resolve_with_named_helper(say: Say, container: Container) -> None:
    say("ana", "ask Anyone know survey tools?")
    say("bo", "offer R-1")
    say("cy", "offer R-1")
    reply = say("ana", "resolve R-1 @cy")
    assert "Kudos to cy!" in reply.text


def test_unknown_helper_changes_nothing(say: Say, container: Container) -> None:
    say("ana", "ask Anyone know survey tools?")
    reply = say("ana", "resolve R-1 @nobody")
    assert reply.error and "nobody" in reply.text
    assert _request(container).status == "open"


def test_listing_open_requests_oldest_first(say: Say) -> None:
    say("ana", "ask First question here")
    say("ana", "ask Second question here")
    reply = say("bo", "requests")
    refs = [item.ref for item in reply.sections[0].items]
    assert refs == ["R-1", "R-2"]
