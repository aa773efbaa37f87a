"""Right on the wire: signatures, Slack's retries, rate limits, escaping."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from sqlalchemy import func, select

from storage.models import Account, HelpRequest, Idea, Participation, ProcessedEvent
from tests.fakes.slack_signing import FORM_CONTENT_TYPE, slash_command_body
from tests.platform.slack.conftest import TEAM, Harness


def _count(harness: Harness, model: type) -> int:
    with harness.container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_bad_signature_is_refused_and_nothing_is_stored(community: Harness) -> None:
    body = slash_command_body(text="idea Forged idea", team_id=TEAM, user_id="UANA")

    forged = await community.post(body, content_type=FORM_CONTENT_TYPE, secret="not-the-secret")
    stale = await community.post(
        body, content_type=FORM_CONTENT_TYPE, timestamp=int(time.time()) - 10 * 60
    )
    unsigned = await community.client.post(
        "/slack/events", data=body, headers={"Content-Type": FORM_CONTENT_TYPE}
    )
    await community.settle()

    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    assert _count(community, Idea) == 0
    assert community.slack.calls == []
    assert community.slack.response_posts == []


async def test_url_verification_is_answered(harness: Harness) -> None:
    challenge = {"token": "x", "challenge": "abc123", "type": "url_verification"}

    response = await harness.post(json.dumps(challenge), content_type="application/json")

    assert response.status == 200
    assert (await response.json()) == {"challenge": "abc123"}


async def test_an_event_replayed_by_slack_is_captured_once(community: Harness) -> None:
    community.setup("UCORA", "community settings counting=on")
    mention = community.event_payload(
        "event_callback.app_mention",
        user="UANA",
        channel="C111",
        text="<@U0BOT0001> ask Who has run a design sprint with partners?",
    )

    first = await community.event(mention)
    again = await community.event(mention, retry=1)
    third = await community.event(mention, retry=2)

    assert (first.status, again.status, third.status) == (200, 200, 200)
    assert _count(community, HelpRequest) == 1
    assert len(community.posted()) == 1  # the public "Request R-1 is open" message
    assert _count(community, ProcessedEvent) == 1


async def test_a_replayed_message_event_is_counted_once(community: Harness) -> None:
    community.setup("UCORA", "community settings counting=on")
    message = community.event_payload("event_callback.message", user="UBO", channel="C111")

    await community.event(message)
    await community.event(message, retry=1)

    with community.container.uow() as uow:
        assert uow.session.scalars(select(Participation.messages)).all() == [1]


async def test_a_rate_limited_post_is_retried_and_delivered_once(community: Harness) -> None:
    community.slack.fail_next("chat.postMessage", status=429, retry_after=1)

    started = time.monotonic()
    await community.command("idea Shared glossary of programme terms")

    posts = community.posted()
    assert len(posts) == 2  # the 429, then the retry after Retry-After
    assert time.monotonic() - started >= 1.0
    assert _count(community, Idea) == 1
    texts = [p.params["text"] for p in posts]
    assert texts[0] == texts[1]
    assert community.slack.response_posts == []  # delivered by chat.postMessage, once


async def test_mention_injection_in_an_idea_title_is_harmless(community: Harness) -> None:
    attack = (
        "idea <!channel> <!here> <!everyone> <@U1> <!subteam^S1|@team> "
        "@here @channel &lt;!channel&gt; <https://evil.example|https://good.example> party"
    )

    await community.command(attack)

    [post] = community.posted()
    sent = json.dumps([post.params["text"], post.params["blocks"]], ensure_ascii=False)
    for bad in ("<!channel>", "<!here>", "<!everyone>", "<@U1>", "<!subteam", "<https://evil"):
        assert bad not in sent
    for word in ("@here", "@channel", "@everyone", "@U1", "@team"):
        assert word not in sent.replace("@\u200d", "@\u200d ")  # every @ is defused
    with community.container.uow() as uow:
        title = uow.session.scalar(select(Idea.title))
    assert title is not None and title.startswith("@channel @here @everyone @u1 @team")


async def test_users_are_linked_by_their_slack_profile(community: Harness) -> None:
    await community.command("idea Pair reviews across units", user="UBO")

    with community.container.uow() as uow:
        account = uow.session.scalar(select(Account).where(Account.user_id == "UBO"))
        assert account is not None
        assert (account.workspace, account.display_name) == (TEAM, "bo")
        assert account.person.email == "bo@example.org"
        assert account.person.timezone == "Europe/Zurich"


async def test_a_replayed_read_only_mention_is_answered_once(community: Harness) -> None:
    mention = community.event_payload(
        "event_callback.app_mention", user="UANA", channel="C111", text="<@U0BOT0001> help vote"
    )

    await community.event(mention)
    await community.event(mention, retry=1)

    [answer] = community.posted("chat.postEphemeral")
    assert answer.params["user"] == "UANA" and "vote" in answer.params["text"]
    assert _count(community, ProcessedEvent) == 1


async def test_a_replayed_reaction_prompts_the_reactor_once(community: Harness) -> None:
    reaction = community.event_payload(
        "event_callback.reaction_added",
        user="UANA",
        reaction="bulb",
        item={"type": "message", "channel": "C111", "ts": "1700000123.000200"},
        item_user="UBO",
    )

    await community.event(reaction)
    await community.event(reaction, retry=1)

    assert len(community.posted("chat.postEphemeral")) == 1
    assert _count(community, ProcessedEvent) == 1


async def test_requests_are_acknowledged_before_the_work_behind_them(community: Harness) -> None:
    community.setup("UCORA", "community settings counting=on")
    release = asyncio.Event()
    lookup = community.surface.people.lookup

    async def slow_lookup(*args: Any, **kwargs: Any) -> Any:
        await release.wait()  # Slack (users.info) is slow: the ack must not wait for it
        return await lookup(*args, **kwargs)

    community.surface.people.lookup = slow_lookup  # type: ignore[method-assign]
    message = community.event_payload("event_callback.message", user="UBO", channel="C111")

    command = await asyncio.wait_for(community.command("idea Acked first", settle=False), 2)
    event = await asyncio.wait_for(community.event(message, settle=False), 2)

    assert (command.status, event.status) == (200, 200)
    assert _count(community, Idea) == 0 and _count(community, Participation) == 0
    release.set()
    await community.settle()
    assert _count(community, Idea) == 1 and _count(community, Participation) == 1


async def test_a_server_error_from_slack_is_retried(community: Harness) -> None:
    community.slack.fail_next("chat.postMessage", status=503)

    await community.command("idea Retry after a server error")

    first, second = community.posted()
    assert first.params["text"] == second.params["text"]
    assert "Idea I-1 saved" in second.params["text"]
    assert community.slack.response_posts == []
