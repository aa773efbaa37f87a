"""Any line typed at the bot yields a reply, never an exception, and refused lines change
nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.container import Container
from storage.models import Feedback, HelpRequest, Idea, Vote
from tests.conftest import Say

VERBS = [
    "idea",
    "ideas",
    "show",
    "vote",
    "advance",
    "shelve",
    "rate",
    "ask",
    "requests",
    "offer",
    "resolve",
    "feedback",
    "skills",
    "experts",
    "event",
    "attend",
    "events",
    "log",
    "stats",
    "export",
    "digest",
    "snooze",
    "community",
    "focal",
    "coordinator",
    "target",
    "my-data",
    "forget-me",
    "help",
    "reopen",
    "handover",
    "close",
]
TOKENS = st.sampled_from(
    [
        "I-1",
        "I-99",
        "R-1",
        "E-1",
        "pilot",
        "pilto",
        "5",
        "0",
        "-3",
        "2026-Q4",
        "2026-13",
        "@ana",
        "@nobody",
        "<@U1>",
        "high",
        "add",
        '"x',
        "3d",
        "1.5h",
        "99h",
        "anon",
        "source:partner",
        "all",
        "é",
        "<!channel>",
        "\u0000",
        "confirm",
    ]
)
LINES = st.builds(
    lambda verb, rest: " ".join([verb, *rest]),
    st.sampled_from(VERBS),
    st.lists(TOKENS | st.text(max_size=12), max_size=4),
)


def test_control_characters_are_dropped(say: Say, container: Container) -> None:
    assert not say("bo", "idea hello\x00world\x07").error
    assert not say("bo", "ask what\x00 is this").error
    with container.uow() as uow:
        assert uow.session.scalar(select(Idea.title)) == "helloworld"


def _counts(container: Container) -> tuple[int, ...]:
    with container.uow() as uow:
        return tuple(
            uow.session.scalar(select(func.count(m.id))) or 0
            for m in (Idea, HelpRequest, Vote, Feedback)
        )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=LINES | st.text(max_size=60))
def test_every_line_gets_a_reply(say: Say, container: Container, line: str) -> None:
    before = _counts(container)
    reply = say("bo", line)
    assert isinstance(reply.text, str) and reply.text
    if reply.error:
        assert _counts(container) == before
