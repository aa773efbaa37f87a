"""The optional language model, through the real openai client and a local fake endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from bot.container import Container
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from digests import community_digest
from digests.summarise import MAX_SUMMARY, ModelSummariser, clean, deterministic, summariser_for
from handlers.slack.render import render_blocks
from handlers.teams.render import render_card
from tests.fakes.openai_api import FakeOpenAI
from tests.jobs.conftest import MONDAY_9

FALLBACK = "3 new ideas, 1 stage change"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def with_model(fake: FakeOpenAI, make_settings: Callable[..., Settings]) -> Iterator[Container]:
    settings = make_settings(
        openai_base_url=fake.url + "/v1", openai_api_key="test", copbot_llm_timeout=0.3
    )
    built = bootstrap(settings, migrate=False)
    yield built
    built.close()


def _summary(container: Container) -> str:
    [message] = community_digest.run(container, now=MONDAY_9, dry_run=True).outgoing
    assert message.reply.sections[0].heading == "In short"
    return message.reply.sections[0].lines[0]


@pytest.mark.usefixtures("week")
def test_the_model_summary_opens_the_digest_as_untrusted_text(
    with_model: Container, fake: FakeOpenAI
) -> None:
    fake.reply("  Mentoring and\n surveys <!channel> <@U123> *bold* " + "long " * 300)
    summary = _summary(with_model)
    assert summary.startswith("Mentoring and surveys <!channel>")
    assert len(summary) <= MAX_SUMMARY and summary.endswith("…")
    prompt = fake.last_request.messages[-1]["content"]
    assert "New idea: Mentoring circles for new staff" in prompt
    assert "Resolved request: How do we run a good retrospective?" in prompt
    assert "ana" not in prompt.replace("Chatbot", "")  # only the items, no people
    [message] = community_digest.run(with_model, now=MONDAY_9, dry_run=True).outgoing
    shown = json.dumps(render_blocks(message.reply))
    assert "<!channel>" not in shown and "<@U123>" not in shown
    fake.reply("See [the form](https://evil.example/login) <at>Everyone</at>")
    [message] = community_digest.run(with_model, now=MONDAY_9, dry_run=True).outgoing
    card = json.dumps(render_card(message.reply))
    assert "](https://evil.example" not in card and "<at>" not in card


@pytest.mark.usefixtures("week")
def test_a_model_timeout_falls_back(with_model: Container, fake: FakeOpenAI) -> None:
    fake.delay(2.0)
    assert _summary(with_model).startswith(FALLBACK)


@pytest.mark.usefixtures("week")
def test_a_malformed_answer_falls_back(
    with_model: Container, fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.malformed()
    assert _summary(with_model).startswith(FALLBACK)
    caplog.clear()
    fake.malformed({"choices": None})
    assert _summary(with_model).startswith(FALLBACK)
    [record] = [r for r in caplog.records if r.name == "digests.summarise"]
    assert record.exc_info  # an odd answer is logged with its traceback
    fake.reply("   ")
    assert _summary(with_model).startswith(FALLBACK)


@pytest.mark.usefixtures("week")
def test_a_model_error_falls_back(
    with_model: Container, fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.error(500)
    assert _summary(with_model).startswith(FALLBACK)
    [record] = [r for r in caplog.records if r.name == "digests.summarise"]
    assert not record.exc_info and "500" in record.getMessage()  # the reason, no noise
    fake.error(401)
    assert _summary(with_model).startswith(FALLBACK)


@pytest.mark.usefixtures("week")
def test_without_a_model_the_summary_is_built_in(container: Container) -> None:
    assert summariser_for(container.settings) is deterministic
    assert _summary(container).startswith(FALLBACK)


def test_no_items_no_request(fake: FakeOpenAI, make_settings: Callable[..., Settings]) -> None:
    summarise = ModelSummariser(make_settings(openai_base_url=fake.url + "/v1"))
    assert summarise(items=[], fallback="quiet") == "quiet"
    assert fake.requests == []
    assert clean("a\n\n b   c") == "a b c"
