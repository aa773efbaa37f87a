"""Junk at /slack/events: the signature is checked before the body is parsed; unsigned junk
is 401, signed junk 400, never 500; each refusal is one log line without the body."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from tests.fakes.slack_signing import FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, load_payload, sign
from tests.platform.slack.conftest import SECRET, Harness

DEEP = b'{"a":' * 5000 + b"1" + b"}" * 5000

JUNK: dict[str, tuple[bytes, str]] = {
    "malformed JSON": (b'{"type": "event_callback", "event": {', JSON_CONTENT_TYPE),
    "payload= not JSON": (b"payload=%7Bnot-json", FORM_CONTENT_TYPE),
    "invalid UTF-8": (b'{"type": "\xff\xfe\xfd"}', JSON_CONTENT_TYPE),
    "deep nesting": (DEEP, JSON_CONTENT_TYPE),
    "deep payload": (urlencode({"payload": DEEP.decode()}).encode(), FORM_CONTENT_TYPE),
    "JSON list": (b"[1, 2, 3]", JSON_CONTENT_TYPE),
    "payload=null": (b"payload=null", FORM_CONTENT_TYPE),
}


def _clicked(**changes: object) -> bytes:
    payload = load_payload("interactivity.block_actions")
    payload.update(changes)
    return urlencode({"payload": json.dumps(payload)}).encode()


def _event(**changes: object) -> bytes:
    payload = load_payload("event_callback.app_mention")
    payload.update(changes)
    return json.dumps(payload).encode()


ODD_SHAPES: dict[str, tuple[bytes, str]] = {
    "actions: null": (_clicked(actions=None), FORM_CONTENT_TYPE),
    "actions: an object": (_clicked(actions={"action_id": "cop:vote"}), FORM_CONTENT_TYPE),
    "actions: a list of strings": (_clicked(actions=["cop:vote"]), FORM_CONTENT_TYPE),
    "user: a list": (_clicked(user=["UANA"]), FORM_CONTENT_TYPE),
    "channel: a string": (_clicked(channel="C111"), FORM_CONTENT_TYPE),
    "type: a number": (_clicked(type=7), FORM_CONTENT_TYPE),
    "event: a list": (_event(event=[]), JSON_CONTENT_TYPE),
    "event: null": (_event(event=None), JSON_CONTENT_TYPE),
    "event_id: an object": (_event(event_id={"x": 1}), JSON_CONTENT_TYPE),
}


async def _post(harness: Harness, body: bytes, headers: dict[str, str]) -> int:
    response = await harness.client.post("/slack/events", data=body, headers=headers)
    await response.read()
    await harness.settle()
    return response.status


@pytest.mark.parametrize("name", sorted(JUNK))
async def test_unsigned_junk_is_refused_401_before_parsing(
    harness: Harness, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    body, content_type = JUNK[name]
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": "1700000000",
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    with caplog.at_level(logging.DEBUG):
        assert await _post(harness, body, headers) == 401
    assert not [r for r in caplog.records if r.exc_info]
    assert harness.slack.calls == []


@pytest.mark.parametrize("name", sorted(JUNK))
async def test_signed_junk_is_answered_400(
    harness: Harness, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    body, content_type = JUNK[name]
    with caplog.at_level(logging.DEBUG):
        status = await _post(harness, body, {"Content-Type": content_type, **sign(body, SECRET)})
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("name", sorted(ODD_SHAPES))
async def test_signed_odd_shapes_are_answered_400(
    harness: Harness, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    body, content_type = ODD_SHAPES[name]
    with caplog.at_level(logging.DEBUG):
        status = await _post(harness, body, {"Content-Type": content_type, **sign(body, SECRET)})
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert harness.slack.calls == []


@pytest.mark.parametrize("timestamp", ["abc", "1e9", "-5", "", "12345678901234567890"])
async def test_a_timestamp_that_is_not_a_number_is_401(harness: Harness, timestamp: str) -> None:
    body = b"token=x&text=idea"
    headers = {
        "Content-Type": FORM_CONTENT_TYPE,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sign(body, SECRET)["X-Slack-Signature"],
    }
    assert await _post(harness, body, headers) == 401


async def test_a_bad_signature_is_logged_in_one_line_without_the_body(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "SECRET-LOOKING-BODY-TEXT"
    body = ("payload=" + marker * 20_000).encode()
    headers = {"Content-Type": FORM_CONTENT_TYPE, **sign(body, "not-the-secret")}
    with caplog.at_level(logging.DEBUG):
        assert await _post(harness, body, headers) == 401
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("handlers", "copbot"))]
    assert len(lines) == 1
    assert marker not in "".join(r.getMessage() for r in caplog.records)
    assert len(lines[0]) < 200
