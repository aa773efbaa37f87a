"""The issue's acceptance session, through the console: a coordinator and two members."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from bot.container import Container
from bot.messages import Reply
from handlers.console.chat import run_lines
from tests.conftest import NOW

SESSION = """
/as cora
/cop community create design-thinking
/cop focal add @cora design-thinking
/as ana
/cop idea Mentoring circles for new staff
/cop idea Chatbot for constituents' FAQs
/as bo
/cop idea Paperless travel claims
/cop vote I-1
/as ana
/cop vote I-1
/cop vote I-3
/as cora
/cop advance I-1 development Good support in the brainstorm
/cop advance I-1 pilot Two units volunteered
/cop shelve I-2 The FAQ data was too scattered; start by curating the FAQs first
/as ana
/cop ask How do we run a good retrospective? #facilitation
/as bo
/cop offer R-1
/as ana
/cop resolve R-1 @bo
/cop feedback I-1 5 Great idea, thank you
/cop feedback community 4 anon Helpful sessions this month
/as cora
/cop event add "Design sprint workshop" 2026-11-18 workshop
/as ana
/cop attend E-1
/cop log 2.5h I-1 prepared the pilot
/as cora
/cop stats community 2026-Q4
"""


def _run(container: Container, script: str, *, user: str = "cora") -> str:
    out = io.StringIO()
    times = iter(NOW + timedelta(minutes=i) for i in range(1000))
    run_lines(
        container.runner,
        script.splitlines(),
        user=user,
        channel="design-thinking",
        out=out,
        clock=lambda: next(times),
    )
    return out.getvalue()


def _stat(output: str, label: str) -> str:
    for line in output.splitlines():
        if line.strip().startswith(label):
            return " ".join(line.split()[len(label.split()) :])
    raise AssertionError(f"{label!r} not in stats output:\n{output}")


def test_the_whole_session_is_reflected_in_stats(container: Container) -> None:
    output = _run(container, SESSION)
    assert "Error" not in output, output
    assert "I-1 moved to pilot" in output
    assert "I-2 shelved" in output
    assert "R-1 resolved. Kudos to bo!" in output
    assert _stat(output, "Ideas submitted").startswith("3 ")
    assert _stat(output, "Ideas past brainstorming").startswith("1 ")
    assert _stat(output, "Pilots running").startswith("1 ")
    assert _stat(output, "Requests opened").startswith("1 ")
    assert _stat(output, "Requests resolved").startswith("100%")
    assert _stat(output, "Events held").startswith("1 ")
    # ideas 3 + request 1 + offer 1 + feedback 2 + attendance 1
    assert _stat(output, "Contributions").startswith("8 ")
    # ana, bo (anonymous feedback adds no person; cora only created the event)
    assert _stat(output, "Active members").startswith("2 ")
    assert _stat(output, "Innovation hours").startswith("2.5 h")
    assert _stat(output, "Feedback on deliverables").startswith("1 (avg 4.0/5)")


def test_members_are_refused_stage_decisions_and_stats(container: Container) -> None:
    _run(container, "/cop community create design-thinking\n/as ana\n/cop idea Mentoring circles\n")
    output = _run(container, "/cop advance I-1 pilot\n/cop stats\n/cop export\n", user="bo")
    lines = output.splitlines()
    assert lines[0].startswith("Error: Only the champion of I-1")
    assert any("Indicators are for focal points and coordinators" in line for line in lines)
    shown = _run(container, "/cop show I-1\n", user="bo")
    assert "proposed" in shown and "pilot" not in shown.split("Stage history")[0]


def test_forget_me_keeps_the_period_stats(container: Container) -> None:
    _run(container, SESSION)
    before = _run(container, "/cop stats community 2026-Q4\n")
    forgotten = _run(container, "/cop forget-me confirm\n", user="ana")
    assert "Your personal data is gone" in forgotten
    after = _run(container, "/cop stats community 2026-Q4\n")
    assert before == after
    mine = _run(container, "/cop my-data\n", user="ana")
    assert "my-data.json" in mine
    with container.uow() as uow:
        from sqlalchemy import select

        from storage.models import Account, Person

        names = uow.session.scalars(select(Person.display_name)).all()
        assert "ana" in names  # the new ana who just asked for her data
        old = uow.session.scalars(select(Person).where(Person.forgotten_at.is_not(None))).all()
        assert len(old) == 1 and old[0].display_name is None and old[0].email is None
        accounts = uow.session.scalars(select(Account).where(Account.person_id == old[0].id)).all()
        assert accounts == []


def test_my_data_returns_everything_about_the_caller(container: Container) -> None:
    from bot.services import privacy
    from bot.services.context import Context
    from handlers.console.chat import inbound

    _run(container, SESSION)
    ctx = Context(
        actor=inbound("ana", "design-thinking", "").actor,
        channel="design-thinking",
        now=NOW,
        settings=container.settings,
    )
    data = json.loads(privacy.my_data(container.uow(), ctx))
    assert data["person"]["display_name"] == "ana"
    assert len(data["ideas_authored"]) == 2
    assert len(data["votes"]) == 2
    assert len(data["requests"]) == 1
    assert len(data["feedback"]) == 1  # the anonymous one is not linked to her
    assert len(data["attendances"]) == 1
    assert data["time_logs"][0]["hours"] == 2.5


def test_forget_me_removes_messages_addressed_to_the_person(container: Container) -> None:
    from sqlalchemy import select

    from bot.ports import Address
    from bot.services import privacy
    from bot.services.context import Context
    from digests.outbox import Outgoing, enqueue_all
    from handlers.console.chat import inbound
    from storage.models import OutboxMessage

    _run(container, "/as ana\n/cop idea Mentoring circles\n/as bo\n/cop ideas\n")
    nudge = Reply(text="R-1 is waiting for help")
    enqueue_all(
        container.uow(),
        [
            Outgoing("nudge:ana", Address("console", "local", user="ana"), nudge),
            Outgoing("nudge:bo", Address("console", "local", user="bo"), nudge),
            Outgoing("digest:x", Address("console", "local", channel="design-thinking"), nudge),
        ],
        now=NOW,
    )
    ctx = Context(
        actor=inbound("ana", "design-thinking", "").actor,
        channel="design-thinking",
        now=NOW,
        settings=container.settings,
    )
    data = json.loads(privacy.my_data(container.uow(), ctx))
    assert [m["key"] for m in data["messages_to_you"]] == ["nudge:ana"]
    privacy.forget_me(container.uow(), ctx)
    with container.uow() as uow:
        keys = sorted(uow.session.scalars(select(OutboxMessage.key)))
    assert keys == ["digest:x", "nudge:bo"]


def test_a_refusal_is_prefixed_in_the_persons_language(container: Container) -> None:
    _run(container, "/cop community create design-thinking\n/as ana\n/cop idea Mentoring circles\n")
    output = _run(container, "/cop language fr\n/cop advance I-1 pilot\n", user="bo")
    refusal = next(line for line in output.splitlines() if "I-1" in line)
    assert refusal.startswith("Erreur : "), output
