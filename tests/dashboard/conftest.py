"""A bot with the dashboard on, a small organisation to look at, and the web app served on a
real port (for the browser) or through aiohttp's test client."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.container import Container
from bot.messages import Reply
from bot.settings import Settings
from copbot.dashboard import dashboard_mount
from copbot.web import build_app
from tests.conftest import NOW, Say
from tests.indicators.conftest import place

SECRET = "a-test-secret-key-of-32-characters"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(make_settings: Callable[..., Settings], port: int) -> Settings:
    """The dashboard on, its links under the port the browser tests serve on."""
    return make_settings(
        copbot_dashboard=True,
        copbot_secret_key=SECRET,
        copbot_public_url=f"http://127.0.0.1:{port}",
    )


def link_of(reply: Reply) -> str:
    assert not reply.error, reply.text
    link = reply.sections[0].items[0].link
    assert link is not None
    return link


@pytest.fixture
def organisation(say: Say, container: Container) -> None:
    """Two communities in two units: design-thinking (focal point fran) and data-science
    (focal point dana); cora coordinates; mo is a member."""
    earlier = NOW - timedelta(days=40)
    lines: list[tuple[str, str, str, datetime]] = [
        ("fran", "design-thinking", "ideas", earlier),
        ("dana", "data-science", "ideas", earlier),
        ("mo", "design-thinking", "idea Mentoring circles for new staff", earlier),
        ("ana", "design-thinking", "idea Pilot a chatbot for FAQs", earlier),
        ("ben", "data-science", "idea Open data catalogue", earlier),
        ("ben", "data-science", "ask Who knows Power BI?", earlier),
        ("ana", "data-science", "offer R-1 Happy to help", earlier + timedelta(hours=5)),
        ("mo", "design-thinking", "ask Anyone ran a design sprint remotely?", NOW),
        ("cora", "design-thinking", "focal add @fran design-thinking", earlier),
        ("cora", "data-science", "focal add @dana data-science", earlier),
        ("fran", "design-thinking", "advance I-2 development Two teams test it", NOW),
        ("fran", "design-thinking", "shelve I-1 Nobody had the time to mentor", NOW),
        ("ana", "design-thinking", "feedback community 4 Useful sessions", NOW),
        ("ana", "design-thinking", "log 3h I-2 user interviews", NOW),
        ("cora", "design-thinking", "target set ideas_submitted 6 2026-Q4 @fran", NOW),
        ("mo", "design-thinking", "idea Shared glossary", NOW),
        ("dana", "data-science", "idea Data clinic", NOW),
    ]
    for i, (user, channel, line, at) in enumerate(lines):
        reply = say(user, line, channel=channel, now=at + timedelta(seconds=i))
        assert not reply.error, (line, reply.text)
    place(container, "design-thinking", "Innovation Unit", "Europe")
    place(container, "data-science", "Statistics Unit", "Africa")


class Served:
    """The web app on a real port, with an event loop of its own in a thread of its own (the
    browser's driver keeps a loop running in the test's thread)."""

    def __init__(self, app: web.Application, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.runner.setup())
            site = web.TCPSite(self.runner, "127.0.0.1", port)
            self.loop.run_until_complete(site.start())
            ready.set()
            self.loop.run_forever()
            self.loop.run_until_complete(self.runner.cleanup())
            self.loop.close()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        assert ready.wait(timeout=30), "the web app did not start"

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)


@pytest.fixture
def served(container: Container, port: int) -> Iterator[Served]:
    server = Served(build_app(container, [dashboard_mount(clock=lambda: NOW)]), port)
    yield server
    server.close()


@pytest.fixture
async def client(container: Container) -> Any:
    app = build_app(container, [dashboard_mount(clock=lambda: NOW)])
    test_client: TestClient[Any, Any] = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()
