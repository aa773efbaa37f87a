"""The Slack fakes speak Slack's wire formats: each is driven here by the real SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_signing import (
    interactivity_body,
    load_payload,
    payloads_dir,
    sign,
    signed_headers,
    slash_command_body,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-T111-fake"


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def web(slack: FakeSlackAPI) -> WebClient:
    return WebClient(token=TOKEN, base_url=slack.api_url)


# --------------------------------------------------------------------------- Slack Web API


def test_post_message_is_recorded_and_answered_like_slack(
    slack: FakeSlackAPI, web: WebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*New idea*"}}]

    first = web.chat_postMessage(channel="C111", text="New idea", blocks=blocks)
    second = web.chat_postMessage(channel="C111", text="Reply", thread_ts=first["ts"])

    assert first["ok"] is True
    assert first["channel"] == "C111"
    assert first["message"]["blocks"] == blocks
    assert first["message"]["bot_id"] == slack.bot_id
    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["thread_ts"] == first["ts"]
    [call, _] = slack.calls_to("chat.postMessage")
    assert call.params == {"channel": "C111", "text": "New idea", "blocks": blocks}
    assert call.token == TOKEN
    assert call.headers["authorization"] == f"Bearer {TOKEN}"


def test_answers_the_methods_the_bot_uses(slack: FakeSlackAPI, web: WebClient) -> None:
    slack.add_user("W111", real_name="Ada Lovelace", email="ada@example.org", tz="Europe/Paris")
    slack.add_channel("C111", "random")
    posted = web.chat_postMessage(channel="C111", text="hi")

    user = web.users_info(user="W111")["user"]
    assert (user["real_name"], user["profile"]["email"], user["tz"]) == (
        "Ada Lovelace",
        "ada@example.org",
        "Europe/Paris",
    )
    assert web.users_lookupByEmail(email="ada@example.org")["user"]["id"] == "W111"
    assert web.conversations_info(channel="C111")["channel"]["name"] == "random"
    assert web.conversations_open(users="W111")["channel"]["id"].startswith("D")
    assert web.chat_postEphemeral(channel="C111", user="W111", text="psst")["message_ts"]
    assert web.chat_update(channel="C111", ts=posted["ts"], text="edited")["text"] == "edited"
    permalink = web.chat_getPermalink(channel="C111", message_ts=posted["ts"])["permalink"]
    assert permalink.endswith(f"/archives/C111/p{posted['ts'].replace('.', '')}")
    assert web.reactions_add(channel="C111", timestamp=posted["ts"], name="bulb")["ok"]
    with pytest.raises(SlackApiError) as again:
        web.reactions_add(channel="C111", timestamp=posted["ts"], name="bulb")
    assert again.value.response["error"] == "already_reacted"
    auth = web.auth_test()
    assert (auth["user_id"], auth["team_id"], auth["bot_id"]) == (
        slack.bot_user_id,
        "T111",
        slack.bot_id,
    )


def test_views_get_an_id_and_keep_it_on_update(slack: FakeSlackAPI, web: WebClient) -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Idea"}, "blocks": [section]}

    opened = web.views_open(trigger_id="111.111.xxx", view=modal)["view"]
    updated = web.views_update(view_id=opened["id"], view={**modal, "private_metadata": "x"})
    home = web.views_publish(user_id="W111", view={"type": "home", "blocks": [section]})["view"]

    assert opened["id"].startswith("V")
    assert opened["title"] == modal["title"]
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["private_metadata"] == "x"
    assert home["type"] == "home"
    assert slack.calls_to("views.open")[0].params["view"] == modal


def test_oauth_v2_access_answers_an_install(web: WebClient, slack: FakeSlackAPI) -> None:
    install = WebClient(base_url=slack.api_url).oauth_v2_access(
        client_id="111.222", client_secret="secret", code="code-from-redirect"
    )

    assert install["access_token"].startswith("xoxb-")
    assert install["team"] == {"id": "T111", "name": slack.team_name}
    assert install["bot_user_id"] == slack.bot_user_id
    assert slack.calls_to("oauth.v2.access")[0].params["code"] == "code-from-redirect"


def test_rate_limit_is_retried_by_the_sdk_retry_handler(slack: FakeSlackAPI) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        token=TOKEN,
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    response = client.chat_postMessage(channel="C111", text="hi")

    assert response["ok"] is True
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_scripted_failures_answer_like_slack(slack: FakeSlackAPI, web: WebClient) -> None:
    slack.fail_next("chat.postMessage")
    slack.fail_next("chat.update", status=500)
    slack.fail_next("conversations.info", status=200, error="channel_not_found")

    with pytest.raises(SlackApiError) as limited:
        web.chat_postMessage(channel="C111", text="hi")
    with pytest.raises(SlackApiError) as broken:
        web.chat_update(channel="C111", ts="1.2", text="hi")
    with pytest.raises(SlackApiError) as missing:
        web.conversations_info(channel="C404")

    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    assert limited.value.response["error"] == "ratelimited"
    assert broken.value.response.status_code == 500
    assert missing.value.response["error"] == "channel_not_found"
    assert web.chat_postMessage(channel="C111", text="hi")["ok"] is True


def test_overrides_and_unknown_methods(slack: FakeSlackAPI, web: WebClient) -> None:
    slack.set_response("conversations.members", {"members": ["W111", "W222"]})

    assert web.conversations_members(channel="C111")["members"] == ["W111", "W222"]
    with pytest.raises(SlackApiError) as unknown:
        web.api_call("cop.unknown")
    assert unknown.value.response["error"] == "unknown_method"
    with pytest.raises(SlackApiError) as anonymous_call:
        WebClient(base_url=slack.api_url).chat_postMessage(channel="C111", text="hi")
    assert anonymous_call.value.response["error"] == "not_authed"


def test_files_upload_v2_round_trip(slack: FakeSlackAPI, web: WebClient) -> None:
    response = web.files_upload_v2(
        channel="C111", content="week,ideas\n1,3\n", filename="pulse.csv", title="Pulse"
    )

    file = response["file"]
    assert (file["name"], file["title"], file["size"]) == ("pulse.csv", "Pulse", 15)
    assert slack.uploads[file["id"]] == b"week,ideas\n1,3\n"
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C111"
    assert complete.params["files"][0]["id"] == file["id"]


async def test_async_client_works_inside_a_running_loop(slack: FakeSlackAPI) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)

    posted = await client.chat_postMessage(channel="W111", text="hello")
    uploaded = await client.files_upload_v2(channel="C111", content=b"\x89PNG", filename="a.png")

    assert posted["channel"] == "D111"
    assert uploaded["file"]["mimetype"] == "image/png"
    assert slack.calls_to("chat.postMessage")[0].params["text"] == "hello"


def test_response_url_posts_are_recorded(slack: FakeSlackAPI) -> None:
    url = slack.response_url()

    response = WebhookClient(url).send(text="Thanks!", response_type="ephemeral")

    assert (response.status_code, response.body) == (200, "ok")
    [post] = slack.response_posts
    assert post.path == "/response/1"
    assert post.json == {"text": "Thanks!", "response_type": "ephemeral"}


# --------------------------------------------------------------------------- Slack signing


def test_signature_is_accepted_by_the_sdk_verifier() -> None:
    body = slash_command_body(text="idea Pair on reviews")
    headers = sign(body, SECRET)

    verifier = SignatureVerifier(signing_secret=SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier(signing_secret="other").is_valid_request(body, headers)


def test_signature_matches_slacks_published_example() -> None:
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
        "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
        "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )

    headers = sign(body.encode(), SECRET, timestamp=1531420618)

    assert headers == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    }


def test_slash_command_body_starts_from_the_recorded_payload() -> None:
    recorded = (payloads_dir() / "slash_command.form.txt").read_text()
    assert urlencode(load_payload("slash_command.parsed")) == recorded

    body = slash_command_body(text="idea Pair on reviews", user_id="W222", trigger_id="t.1")

    fields = dict(parse_qsl(body))
    assert fields["command"] == "/cop"
    assert fields["text"] == "idea Pair on reviews"
    assert fields["user_id"] == "W222"
    assert fields["trigger_id"] == "t.1"
    assert fields["team_id"] == "T111"


def test_interactivity_body_round_trips() -> None:
    payload = load_payload("interactivity.block_actions")
    payload["actions"][0]["value"] = "vote & comment"

    body = interactivity_body(payload)

    assert json.loads(parse_qs(body)["payload"][0]) == payload
    assert (
        load_payload("interactivity.block_actions.json")["actions"][0]["value"] != "vote & comment"
    )


def test_shared_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data" / "platform-payloads" / "slack" / "bolt-python"
    folder.mkdir(parents=True)
    (folder / "custom.json").write_text('{"type": "custom"}')
    monkeypatch.setenv("COPBOT_SHARED_DIR", str(tmp_path))

    assert load_payload("custom") == {"type": "custom"}


def test_bolt_accepts_the_signed_command_and_replies_through_the_fake(
    slack: FakeSlackAPI,
) -> None:
    app = App(signing_secret=SECRET, client=WebClient(token=TOKEN, base_url=slack.api_url))

    @app.command("/cop")
    def cop(ack: Ack, respond: Respond, say: Say, command: dict[str, str]) -> None:
        ack()
        say(f"got {command['text']}")
        respond("done")

    body = slash_command_body(text="idea", response_url=slack.response_url())
    signed: dict[str, str | Sequence[str]] = {**signed_headers(body, SECRET)}
    forged_headers: dict[str, str | Sequence[str]] = {**signed_headers(body, "wrong")}
    response = app.dispatch(BoltRequest(body=body, headers=signed))
    forged = app.dispatch(BoltRequest(body=body, headers=forged_headers))

    assert response.status == 200
    assert forged.status == 401
    deadline = time.monotonic() + 2
    while not slack.response_posts and time.monotonic() < deadline:
        time.sleep(0.01)
    assert slack.calls_to("chat.postMessage")[0].params["text"] == "got idea"
    assert slack.response_posts[0].json["text"] == "done"
