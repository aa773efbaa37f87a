"""Files through Teams' file consent card, and the local-testing mode without tokens."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings
from copbot.bootstrap import bootstrap
from copbot.web import build_app
from handlers.teams.mount import mounts
from tests.fakes import FakeServer, Reply, Request
from tests.fakes.bot_connector import FakeBotConnector
from tests.platform.teams.flows import Chat
from tests.platform.teams.wire import MENTION, recorded, with_text


class OneDrive(FakeServer):
    """The upload URL Teams hands out when a person accepts a file."""

    def __init__(self) -> None:
        super().__init__()
        self.uploads: list[Request] = []

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.uploads.append(request)
        return Reply.json({"id": "file-1"}, status=201)


@pytest.fixture
def onedrive() -> Iterator[OneDrive]:
    with OneDrive() as server:
        yield server


async def test_my_data_in_a_personal_chat_arrives_through_file_consent(
    chat: Chat, onedrive: OneDrive
) -> None:
    await chat.say("ana", "idea Mentoring circles", personal=True)

    sent = await chat.say("ana", "my-data", personal=True)

    consent = next(
        a.attachments[0]
        for a in sent
        if a.attachments and a.attachments[0].content_type.endswith("file.consent")
    )
    assert consent.name == "my-data.json"
    content: dict[str, Any] = consent.content
    size = content["sizeInBytes"]
    accepted = {
        "type": "fileUpload",
        "action": "accept",
        "context": content["acceptContext"],
        "uploadInfo": {
            "name": "my-data.json",
            "uploadUrl": f"{onedrive.url}/upload/my-data.json",
            "contentUrl": "https://contoso-my.sharepoint.com/personal/ana/my-data.json",
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "fileType": "json",
        },
    }

    answer = await chat.send(
        "ana", {"type": "invoke", "name": "fileConsent/invoke", "value": accepted}, personal=True
    )
    again = await chat.send(
        "ana", {"type": "invoke", "name": "fileConsent/invoke", "value": accepted}, personal=True
    )

    [upload] = onedrive.uploads
    assert upload.method == "PUT"
    assert upload.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    assert "Mentoring circles" in json.dumps(json.loads(upload.body))
    info = next(a for a in answer if a.attachments)
    assert info.attachments[0].content_type.endswith("file.info")
    assert info.attachments[0].content_url.endswith("my-data.json")
    assert any("expired" in (a.text or "") for a in again)


async def test_local_mode_accepts_traffic_without_tokens_and_says_so(
    make_settings: Callable[..., Settings],
) -> None:
    from copbot.server import banner

    settings = make_settings(copbot_teams_allow_unauthenticated=True)
    assert any(
        "LOCAL TESTING ONLY" in line for line in banner(settings, web_on=True, scheduler_on=False)
    )
    container = bootstrap(settings, migrate=False)
    client = TestClient(TestServer(build_app(container, mounts(container))))
    await client.start_server()
    try:
        with FakeBotConnector() as connector:
            body = with_text(recorded(MENTION), "idea Local testing works")
            body["serviceUrl"] = connector.service_url

            response = await client.post("/api/messages", json=body)

            assert response.status == 201
            [call] = connector.calls_to("reply_to_activity")
            assert "authorization" not in call.headers
            assert container.notifiers.get("teams") is not None
    finally:
        await client.close()
        container.close()
