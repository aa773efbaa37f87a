"""A local Slack Web API for tests: ``WebClient(base_url=fake.api_url)``.

Answers the methods the bot uses the way Slack does (``{"ok": true, ...}`` with realistic
fields), records every call, serves the upload URLs of ``files_upload_v2`` and captures
POSTs to response URLs. Failures are scripted per method with ``fail_next``.

Every message and view it receives is checked with ``tests.payload_checks`` (``slack_sdk``
Block Kit models and Slack's limits): a malformed one is answered ``invalid_blocks`` as Slack
does and kept in ``rejected``, which the test fixtures assert is empty.

This module is the server and the scripting (the test API below); the method handlers are in
:mod:`tests.fakes.slack_methods` and the workspace's records in :mod:`tests.fakes.slack_records`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes import FakeServer, Reply, Request
from tests.fakes.slack_methods import Call, Handler, SlackError, SlackMethods
from tests.payload_checks import InvalidPayload, assert_valid_slack_message, assert_valid_view

__all__ = ["FakeSlackAPI", "ResponsePost"]

# Parameters Slack accepts as JSON text in a form body; the fake decodes them.
JSON_PARAMS = frozenset({"attachments", "blocks", "files", "metadata", "unfurls", "view"})
# Methods Slack answers without a token.
NO_TOKEN_METHODS = frozenset({"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange"})
# Methods whose body is a message, and methods whose body carries a view.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response URL (``respond()`` in Bolt, ``WebhookClient``)."""

    path: str
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None


def _decode_params(request: Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type == "multipart/form-data":
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename():
                files[str(name)] = payload
            else:
                params[str(name)] = payload.decode()
    elif request.body:
        params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str) and params[key][:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params, files


class FakeSlackAPI(SlackMethods, FakeServer):
    """The Slack Web API on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        team_id: str = "T111",
        team_name: str = "Test Workspace",
        team_domain: str = "test-domain",
        bot_user_id: str = "U0BOT0001",
        bot_id: str = "B0BOT0001",
        app_id: str = "A0COPBOT1",
        installer_user_id: str = "W111",
    ) -> None:
        super().__init__()
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.installer_user_id = installer_user_id
        self.calls: list[Call] = []
        self.response_posts: list[ResponsePost] = []
        self.rejected: list[str] = []
        self.uploads: dict[str, bytes] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}  # channel → members (default: everyone)
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._overrides: dict[str, dict[str, Any]] = {}
        self._response_paths: set[str] = set()
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._reactions: set[tuple[str, str, str]] = set()
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._views_by_external_id: dict[str, str] = {}
        # Messages posted, newest last, by conversation (conversations.history serves them).
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._late: dict[str, deque[float]] = defaultdict(deque)
        self._clock = 1_700_000_000_000_000
        self._serial = 0
        self._handlers: dict[str, Handler] = self._method_handlers()

    # ----------------------------------------------------------------- test API

    @property
    def api_url(self) -> str:
        """What ``WebClient(base_url=...)`` expects: ``<url>/api/``."""
        return f"{self.url}/api/"

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = None,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with a failure.

        429 sends ``Retry-After`` (default 1 s) and ``{"ok": false, "error": "ratelimited"}``;
        5xx sends ``{"ok": false, "error": "internal_error"}``; ``status=200`` with ``error``
        scripts an API error such as ``channel_not_found``.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        default = {200: "fatal_error", 429: "ratelimited"}.get(status, "internal_error")
        with self.lock:
            for _ in range(times):
                self._failures[method].append(_Failure(status, error or default, retry_after))

    def answer_late(self, method: str, *, seconds: float, times: int = 1) -> None:
        """Do the next ``times`` calls to ``method`` but answer only after ``seconds`` (a
        client with a shorter timeout never hears that its message went out); ``times=0``
        answers on time again."""
        with self.lock:
            if times == 0:
                self._late[method].clear()
            self._late[method].extend([seconds] * times)

    def set_response(self, method: str, response: dict[str, Any]) -> None:
        """Answer every later call to ``method`` with ``response`` (``ok`` defaults to true)."""
        with self.lock:
            self._overrides[method] = {"ok": True, **response}

    def response_url(self, path: str = "/response/1") -> str:
        """A URL on this server whose POSTs are recorded in ``response_posts``."""
        if not path.startswith("/"):
            path = f"/{path}"
        with self.lock:
            self._response_paths.add(path)
        return f"{self.url}{path}"

    def add_channel(self, channel_id: str, name: str, *, is_private: bool = False) -> None:
        with self.lock:
            self.channels[channel_id] = self._channel(channel_id, name, is_private=is_private)

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str,
        email: str,
        tz: str = "Europe/London",
        is_bot: bool = False,
        locale: str = "en-US",
    ) -> None:
        with self.lock:
            user = self._user(user_id, real_name, email, tz, is_bot=is_bot)
            self.users[user_id] = {**user, "locale": locale}

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """A message in ``channel`` that ``conversations.history``/``replies`` will return."""
        with self.lock:
            self.messages[(channel, str(message["ts"]))] = copy.deepcopy(message)

    def scripted(self, method: str) -> int:
        """How many failures and late answers scripted for ``method`` are still to come."""
        with self.lock:
            return len(self._failures.get(method, ())) + len(self._late.get(method, ()))

    def unscript(self) -> None:
        """Forget scripted failures and late answers not used yet (calls stay recorded)."""
        with self.lock:
            self._failures.clear()
            self._late.clear()

    def reset(self) -> None:
        """Forget recorded calls, scripted failures and overrides."""
        with self.lock:
            self.calls.clear()
            self.response_posts.clear()
            self.rejected.clear()
            self.uploads.clear()
            self._failures.clear()
            self._overrides.clear()
            self._reactions.clear()

    # ----------------------------------------------------------------- serving

    def handle(self, request: Request) -> Reply:
        if request.path.startswith("/api/"):
            return self._api(request)
        if request.path.startswith("/upload/v1/") and request.method == "POST":
            return self._upload(request)
        if request.method == "POST" and (
            request.path in self._response_paths or request.path.startswith("/response/")
        ):
            post = ResponsePost(request.path, request.body, request.headers)
            with self.lock:
                self.response_posts.append(post)
                problem = self._check("response_url", post.json or {})
            if problem:
                return Reply.text("invalid_blocks", status=400, content_type="text/html")
            return Reply.text("ok", content_type="text/html")
        return Reply.text("Not Found", status=404)

    def _api(self, request: Request) -> Reply:
        method = request.path.removeprefix("/api/")
        params, files = _decode_params(request)
        call = Call(method, params, request.headers, request.method, files)
        with self.lock:
            self.calls.append(call)
            failures = self._failures.get(method)
            if failures:
                failure = failures.popleft()
                headers = (
                    {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
                )
                body = {"ok": False, "error": failure.error}
                return Reply.json(body, status=failure.status, headers=headers)
            if self._check(method, params):
                return Reply.json({"ok": False, "error": "invalid_blocks"})
            if method in self._overrides:
                return Reply.json(copy.deepcopy(self._overrides[method]))
            if method not in self._handlers:
                return Reply.json({"ok": False, "error": "unknown_method", "req_method": method})
            if call.token is None and method not in NO_TOKEN_METHODS:
                return Reply.json({"ok": False, "error": "not_authed"})
            try:
                answer = self._handlers[method](call)
            except SlackError as exc:
                return Reply.json({"ok": False, "error": exc.error})
            late = self._late[method].popleft() if self._late.get(method) else 0.0
        if late:
            time.sleep(late)
        return Reply.json({"ok": True, **answer})

    def _check(self, method: str, params: dict[str, Any]) -> str | None:
        """Validate a message or view body; record and return what is wrong with it."""
        try:
            if method in VIEW_METHODS and params.get("view") is not None:
                view = params["view"]
                assert_valid_view(json.loads(view) if isinstance(view, str) else view)
            elif (method in MESSAGE_METHODS or method == "response_url") and (
                "blocks" in params or "text" in params
            ):
                assert_valid_slack_message(params)
        except (InvalidPayload, ValueError) as exc:
            problem = f"{method}: {exc}"
            self.rejected.append(problem)
            return problem
        return None

    def _upload(self, request: Request) -> Reply:
        file_id = request.path.rsplit("/", 1)[-1]
        with self.lock:
            if file_id not in self._pending_files:
                return Reply.text("Not Found", status=404)
            self.uploads[file_id] = request.body
        return Reply.text(f"OK - {len(request.body)}")
