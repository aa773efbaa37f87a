"""Local stand-ins for the remote services the bot talks to, used only by the tests.

Each fake is a real HTTP server on 127.0.0.1 (random free port) running in a background
thread, so the real client libraries (slack_sdk, openai, botframework-connector) can be
pointed at it from sync tests and from async tests whose event loop is running:

- ``tests.fakes.slack_api.FakeSlackAPI``: the Slack Web API, upload URLs and response URLs.
- ``tests.fakes.slack_signing``: signed Slack requests built from the recorded payloads.
- ``tests.fakes.openai_api.FakeOpenAI``: an OpenAI-compatible chat completions endpoint.
- ``tests.fakes.bot_connector.FakeBotConnector``: the Bot Framework Connector REST API.

This module holds the small server base they share.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

__all__ = ["FakeServer", "Reply", "Request"]


@dataclass(frozen=True)
class Request:
    """One HTTP request as the fake received it. Header names are lower-cased."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class Reply:
    """What a fake answers: status, body and extra headers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(
        cls,
        data: Any,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Reply:
        return cls(
            status=status,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            delay=delay,
        )

    @classmethod
    def text(cls, text: str, *, status: int = 200, content_type: str = "text/plain") -> Reply:
        return cls(
            status=status,
            body=text.encode(),
            headers={"Content-Type": f"{content_type}; charset=utf-8"},
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self._read_body(),
        )
        fake = self.server.fake
        try:
            reply = fake.handle(request)
        except Exception as exc:  # a bug in a fake must show up as a failed request
            reply = Reply.json({"error": f"fake server error: {exc!r}"}, status=599)
        if reply.delay and fake.stopping.wait(reply.delay):
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (a timeout test)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeServer, host: str) -> None:
        self.fake = fake
        super().__init__((host, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early are expected; stay quiet."""


class FakeServer:
    """A threaded HTTP server on a free port; subclasses implement ``handle``."""

    def __init__(self, *, host: str = "127.0.0.1") -> None:
        self._host = host
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.lock = threading.RLock()

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        if self._server is not None:
            return self
        self.stopping.clear()
        self._server = _Server(self, self._host)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
