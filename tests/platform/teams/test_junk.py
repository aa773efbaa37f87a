"""Junk and hangs at /api/messages: refused 400/401 without tracebacks, and a hanging key
endpoint never freezes the process."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Iterator

import pytest
from botframework.connector.auth import ChannelValidation  # type: ignore[import-untyped]

from handlers.teams import signing_keys
from tests.platform.teams.conftest import Teams
from tests.platform.teams.wire import MENTION, recorded

JUNK: dict[str, bytes] = {
    "malformed JSON": b'{"type": "message", "text": ',
    "invalid UTF-8": b'{"type": "\xff\xfe"}',
    "deep nesting": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "a list": b"[1, 2]",
    "null": b"null",
    "no type": b'{"text": "hi"}',
    "from: a string": json.dumps({**recorded(MENTION), "from": "someone"}).encode(),
    "type: a number": json.dumps({**recorded(MENTION), "type": 5}).encode(),
}


async def _post(teams: Teams, body: bytes, token: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await teams.client.post("/api/messages", data=body, headers=headers)
    await response.read()
    return response.status


@pytest.mark.parametrize("name", sorted(JUNK))
async def test_junk_without_a_token_is_401_before_parsing(
    teams: Teams, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert await _post(teams, JUNK[name], None) == 401
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("name", sorted(JUNK))
async def test_junk_with_a_valid_token_is_400(
    teams: Teams, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = teams.issuer.token(service_url=teams.connector.service_url)
    with caplog.at_level(logging.DEBUG):
        assert await _post(teams, JUNK[name], token) == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert teams.connector.calls == []


@pytest.fixture
def hanging_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An OpenID metadata URL whose server accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    url = f"http://127.0.0.1:{server.getsockname()[1]}/.well-known/openidconfiguration"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", url)
    monkeypatch.setattr(signing_keys, "FETCH_TIMEOUT", 1.5)
    try:
        yield url
    finally:
        server.close()


async def test_a_hanging_key_endpoint_does_not_freeze_the_process(
    teams: Teams, hanging_keys: str
) -> None:
    body = json.dumps({**recorded(MENTION), "serviceUrl": teams.connector.service_url}).encode()
    token = teams.issuer.token(service_url=teams.connector.service_url)
    pending = asyncio.ensure_future(_post(teams, body, token))
    await asyncio.sleep(0.2)

    started = time.monotonic()
    health = await teams.client.get("/healthz")
    assert health.status == 200
    assert time.monotonic() - started < 0.5  # answered while the key fetch hangs
    assert not pending.done()

    assert await pending == 401
    started = time.monotonic()
    assert await _post(teams, body, token) == 401  # the failure is remembered: no new wait
    assert time.monotonic() - started < 0.5
