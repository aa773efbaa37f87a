"""The detector's fast mode (imports): what it flags among sentences written for this test."""

from __future__ import annotations

import pytest

from bot.services import suggest_fast


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Does anyone know how to embed a Tableau chart in our intranet page?", "request"),
        ("Can someone help me clean the survey data before Friday?", "request"),
        (
            "Anybody have a good template for a project charter? I'm starting one next week "
            "and I'd rather not begin from a blank page.",
            "request",
        ),
        ("What if we recorded the Monday trainings for colleagues in other time zones?", "idea"),
        ("It would be great to have a shared calendar of all the community events.", "idea"),
    ],
)
def test_asks_and_proposals_are_flagged(text: str, kind: str) -> None:
    found = suggest_fast.classify(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Thanks everyone, see you at the meetup on Thursday evening.",
        "The slides from yesterday's session are now on the shared drive.",
        "I was out of the office last week so I missed the workshop.",
        "ok",
    ],
)
def test_ordinary_messages_are_not(text: str) -> None:
    assert suggest_fast.classify(text) is None


def test_one_sentence_is_enough_in_a_long_message() -> None:
    ask = "Could someone review my draft budget?"
    chatter = "It was sunny and the team had lunch outside, which they enjoyed. " * 3

    assert suggest_fast.classify(ask) is not None
    assert suggest_fast.classify(f"{chatter}{ask}") is not None
