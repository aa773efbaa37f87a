"""People's own settings in chat and App Home, and the pulse's comment and changed answer."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.clock import utcnow
from storage.models import Account, Person, PulseQuestion, PulseResponse
from tests.platform.slack.conftest import Harness


def _person(harness: Harness, user: str) -> Person:
    with harness.container.uow() as uow:
        person_id = uow.session.scalar(select(Account.person_id).where(Account.user_id == user))
        person = uow.session.get(Person, person_id)
        assert person is not None
        uow.session.expunge(person)
        return person


async def test_settings_in_chat_and_app_home(community: Harness) -> None:
    await community.command("settings hours 8:30-16:00", user="UBO")
    await community.command("settings timezone America/Lima", user="UBO")
    await community.command("settings days mon-thu", user="UBO")
    await community.command("settings hours 25:00-26:00", user="UBO")
    await community.command("settings", user="UBO")

    *_, refused, shown = community.responses()
    assert "Working hours look like 08:00-16:00" in refused["text"]
    text = json.dumps(shown["blocks"])
    assert "Working hours: 08:30-16:00" in text and "Time zone: America/Lima" in text
    bo = _person(community, "UBO")
    assert (bo.working_hours, bo.working_days, bo.own_timezone) == (
        "08:30-16:00",
        "mon-thu",
        "America/Lima",
    )

    home = await community.open_home("UBO")
    assert "Your settings" in json.dumps(home)
    [toggle] = [
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("cop:settings:")
    ]
    assert (toggle["text"]["text"], toggle["value"]) == ("Turn nudges off", "nudges off")
    click = community.click_payload("settings", "nudges off", user="UBO")
    click["actions"][0]["action_id"] = toggle["action_id"]
    click["view"] = {"type": "home", "id": "V1"}
    await community.interact(click)

    assert _person(community, "UBO").nudges_opt_out
    refreshed = community.posted("views.publish")[-1].params["view"]
    assert "Turn nudges on" in json.dumps(refreshed)


async def test_pulse_comment_and_changed_answer_by_command(community: Harness) -> None:
    community.setup("UBO", "ideas")  # Bo speaks in the community's channel: a member
    with community.container.uow() as uow:
        uow.session.add(
            PulseQuestion(community_id=1, period="2026-11", question="How is it?", sent_at=utcnow())
        )
        uow.commit()

    await community.command("pulse 4 Fewer meetings would help", user="UBO")
    await community.command("pulse 3", user="UBO")

    first, changed = community.responses()
    assert "(4/5) is recorded" in first["text"] and "comment is kept" in first["text"]
    assert "Changed your answer from 4/5 to 3/5" in changed["text"]
    with community.container.uow() as uow:
        answers = uow.session.execute(select(PulseResponse.score, PulseResponse.comment)).all()
    assert [tuple(a) for a in answers] == [(3, "Fewer meetings would help")]
