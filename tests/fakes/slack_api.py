"""A local Slack Web API for tests: ``WebClient(base_url=fake.api_url)``.

Answers the methods the bot uses the way Slack does (``{"ok": true, ...}`` with realistic
fields), records every call, serves the upload URLs of ``files_upload_v2`` and captures
POSTs to response URLs. Failures are scripted per method with ``fail_next``.

Every message and view it receives is checked with ``tests.payload_checks`` (``slack_sdk``
Block Kit models and Slack's limits): a malformed one is answered ``invalid_blocks`` as Slack
does and kept in ``rejected``, which the test fixtures assert is empty.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import mimetypes
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from tests.fakes import FakeServer, Reply, Request
from tests.payload_checks import InvalidPayload, assert_valid_slack_message, assert_valid_view

__all__ = ["Call", "FakeSlackAPI", "ResponsePost"]

# Parameters Slack accepts as JSON text in a form body; the fake decodes them.
JSON_PARAMS = frozenset({"attachments", "blocks", "files", "metadata", "unfurls", "view"})
# Methods Slack answers without a token.
NO_TOKEN_METHODS = frozenset({"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange"})
# Methods whose body is a message, and methods whose body carries a view.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})

Handler = Callable[["Call"], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One Web API call: ``method`` is the API method (``"chat.postMessage"``)."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    http_method: str = "POST"
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        token = self.params.get("token")
        return str(token) if token else None


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


class FakeSlackAPI(FakeServer):
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
        self._handlers: dict[str, Handler] = {
            "api.test": lambda call: {"args": call.params},
            "auth.test": self._auth_test,
            "chat.delete": lambda call: {
                "channel": call.params.get("channel"),
                "ts": call.params.get("ts"),
            },
            "chat.getPermalink": self._chat_get_permalink,
            "chat.postEphemeral": lambda call: {"message_ts": self._next_ts()},
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.open": self._conversations_open,
            "conversations.replies": self._conversations_history,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "oauth.v2.access": self._oauth_v2_access,
            "reactions.add": self._reactions_add,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "views.open": self._views_open,
            "views.publish": self._views_publish,
            "views.push": self._views_open,
            "views.update": self._views_update,
        }

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
            except _SlackError as exc:
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

    # ----------------------------------------------------------------- helpers

    def _next_ts(self) -> str:
        self._clock += 100
        return f"{self._clock // 1_000_000}.{self._clock % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}0{self._serial:08d}"

    def _channel(self, channel_id: str, name: str, *, is_private: bool) -> dict[str, Any]:
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": name,
            "is_channel": not (is_private or is_im),
            "is_group": is_private,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_private or is_im,
            "created": 1_600_000_000,
            "is_archived": False,
            "is_general": name == "general",
            "unlinked": 0,
            "name_normalized": name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_member": True,
            "context_team_id": self.team_id,
            "creator": self.installer_user_id,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }

    def _user(
        self, user_id: str, real_name: str, email: str, tz: str, *, is_bot: bool
    ) -> dict[str, Any]:
        offset = ZoneInfo(tz).utcoffset(datetime.now(UTC)) if tz else None
        handle = email.split("@")[0]
        profile: dict[str, Any] = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": handle,
            "display_name_normalized": handle,
            "first_name": real_name.split(" ")[0],
            "last_name": " ".join(real_name.split(" ")[1:]),
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": hashlib.md5(user_id.encode()).hexdigest()[:12],
            "image_72": f"https://avatars.slack-edge.com/{user_id}_72.png",
            "team": self.team_id,
        }
        if not is_bot:
            profile["email"] = email
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": handle,
            "deleted": False,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }

    def _message(self, call: Call, ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": ts,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": call.params.get("text", ""),
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": "cop-bot",
                "deleted": False,
                "team_id": self.team_id,
            },
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if call.params.get(key):
                message[key] = call.params[key]
        return message

    def _channel_for(self, channel: str) -> str:
        """Posting to a user id lands in the DM Slack opens with them."""
        return f"D{channel[1:]}" if channel[:1] in ("U", "W") else channel

    # ----------------------------------------------------------------- methods

    def _auth_test(self, call: Call) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "team_id": self.team_id,
            "is_enterprise_install": False,
        }
        if (call.token or "").startswith("xoxp-"):
            return {**answer, "user": "installer", "user_id": self.installer_user_id}
        return {**answer, "user": "copbot", "user_id": self.bot_user_id, "bot_id": self.bot_id}

    def _chat_post_message(self, call: Call) -> dict[str, Any]:
        channel = str(call.params.get("channel") or "")
        if not channel:
            raise _SlackError("channel_not_found")
        if not any(call.params.get(key) for key in ("text", "blocks", "attachments")):
            raise _SlackError("no_text")
        ts = self._next_ts()
        message = self._message(call, ts)
        self.history[self._channel_for(channel)].append(message)
        return {"channel": self._channel_for(channel), "ts": ts, "message": message}

    def _chat_update(self, call: Call) -> dict[str, Any]:
        ts = str(call.params.get("ts") or "")
        if not ts:
            raise _SlackError("message_not_found")
        message = self._message(call, ts)
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": call.params.get("channel"),
            "ts": ts,
            "text": call.params.get("text", ""),
            "message": message,
        }

    def _chat_get_permalink(self, call: Call) -> dict[str, Any]:
        channel = str(call.params.get("channel") or "")
        ts = str(call.params.get("message_ts") or "")
        if not channel or not ts:
            raise _SlackError("message_not_found")
        permalink = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        )
        return {"channel": channel, "permalink": permalink}

    def _conversations_history(self, call: Call) -> dict[str, Any]:
        """Messages in the conversation between ``oldest`` and ``latest`` (inclusive when
        asked), newest first, like Slack, among those added with ``add_message``; then every
        message the bot posted (their timestamps are the fake's own clock, fixed in 2023, so
        no time window applies to them). Message metadata only with ``include_all_metadata``."""
        channel = str(call.params.get("channel") or "")
        if not channel:
            raise _SlackError("channel_not_found")
        inclusive = str(call.params.get("inclusive", "")).lower() in ("1", "true")
        oldest = float(call.params.get("oldest") or 0)
        latest = float(call.params.get("latest") or 1e12)
        limit = int(call.params.get("limit") or 100)
        with_metadata = str(call.params.get("include_all_metadata")).lower() in ("1", "true")

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        added = [m for (c, ts), m in self.messages.items() if c == channel and within(float(ts))]
        found = sorted(
            [*added, *self.history.get(channel, [])],
            key=lambda m: float(m["ts"]),
            reverse=True,
        )
        messages = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in found[:limit]
        ]
        return {"messages": copy.deepcopy(messages), "has_more": len(found) > limit}

    def _conversations_info(self, call: Call) -> dict[str, Any]:
        channel_id = str(call.params.get("channel") or "")
        if not channel_id:
            raise _SlackError("channel_not_found")
        if channel_id not in self.channels:
            return {
                "channel": self._channel(
                    channel_id, f"channel-{channel_id.lower()}", is_private=False
                )
            }
        return {"channel": copy.deepcopy(self.channels[channel_id])}

    def _conversations_members(self, call: Call) -> dict[str, Any]:
        channel_id = str(call.params.get("channel") or "")
        if not channel_id:
            raise _SlackError("channel_not_found")
        members = self.members.get(channel_id, [*self.users, self.bot_user_id])
        return {"members": list(members), "response_metadata": {"next_cursor": ""}}

    def _conversations_open(self, call: Call) -> dict[str, Any]:
        if call.params.get("channel"):
            return {"no_op": True, "already_open": True, "channel": {"id": call.params["channel"]}}
        users = [user for user in str(call.params.get("users") or "").split(",") if user]
        if not users:
            raise _SlackError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": self._channel_for(users[0])}}
        digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()
        return {"channel": {"id": f"G{digest}"}}

    def _users_info(self, call: Call) -> dict[str, Any]:
        user_id = str(call.params.get("user") or "")
        if not user_id:
            raise _SlackError("user_not_found")
        if user_id in self.users:
            user = copy.deepcopy(self.users[user_id])
            if str(call.params.get("include_locale")).lower() not in ("1", "true"):
                user.pop("locale", None)  # Slack sends it only when asked
            return {"user": user}
        if user_id == self.bot_user_id:
            return {"user": self._user(user_id, "cop-bot", "copbot@bots", "", is_bot=True)}
        email = f"{user_id.lower()}@example.com"
        return {
            "user": self._user(user_id, f"User {user_id}", email, "Europe/London", is_bot=False)
        }

    def _users_lookup_by_email(self, call: Call) -> dict[str, Any]:
        email = str(call.params.get("email") or "").lower()
        for user in self.users.values():
            if user["profile"].get("email", "").lower() == email:
                return {"user": copy.deepcopy(user)}
        raise _SlackError("users_not_found")

    def _reactions_add(self, call: Call) -> dict[str, Any]:
        key = (
            str(call.params.get("channel") or ""),
            str(call.params.get("timestamp") or ""),
            str(call.params.get("name") or ""),
        )
        if not all(key):
            raise _SlackError("no_item_specified" if key[2] else "invalid_name")
        if key in self._reactions:
            raise _SlackError("already_reacted")
        self._reactions.add(key)
        return {}

    def _view(self, call: Call, view_id: str, default_type: str) -> dict[str, Any]:
        supplied = call.params.get("view")
        if not isinstance(supplied, dict):
            raise _SlackError("invalid_arguments")
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "type": default_type,
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            "hash": f"{self._next_ts()}.{view_id.lower()}",
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.app_id,
            "external_id": "",
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        view.update(supplied)
        view["id"] = view_id
        if view["external_id"]:
            self._views_by_external_id[view["external_id"]] = view_id
        return view

    def _views_open(self, call: Call) -> dict[str, Any]:
        if not call.params.get("trigger_id") and not call.params.get("interactivity_pointer"):
            raise _SlackError("invalid_arguments")
        return {"view": self._view(call, self._next_id("V"), "modal")}

    def _views_update(self, call: Call) -> dict[str, Any]:
        view_id = call.params.get("view_id")
        external_id = call.params.get("external_id")
        if not view_id and external_id:
            view_id = self._views_by_external_id.get(str(external_id))
        if not view_id:
            raise _SlackError("not_found")
        return {"view": self._view(call, str(view_id), "modal")}

    def _views_publish(self, call: Call) -> dict[str, Any]:
        if not call.params.get("user_id"):
            raise _SlackError("invalid_arguments")
        return {"view": self._view(call, self._next_id("V"), "home")}

    def _files_get_upload_url(self, call: Call) -> dict[str, Any]:
        filename = call.params.get("filename")
        length = call.params.get("length")
        if not filename or length in (None, ""):
            raise _SlackError("invalid_arguments")
        file_id = self._next_id("F")
        self._pending_files[file_id] = {"filename": str(filename), "length": int(length)}
        return {"upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, call: Call) -> dict[str, Any]:
        items = call.params.get("files")
        if not isinstance(items, list) or not items:
            raise _SlackError("invalid_arguments")
        channel = call.params.get("channel_id") or call.params.get("channels")
        completed = []
        for item in items:
            file_id = str(item.get("id"))
            pending = self._pending_files.get(file_id)
            if pending is None or file_id not in self.uploads:
                raise _SlackError("file_not_found")
            completed.append(self._file(file_id, pending["filename"], item.get("title"), channel))
        return {"files": completed}

    def _file(self, file_id: str, name: str, title: Any, channel: Any) -> dict[str, Any]:
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
        now = self._clock // 1_000_000
        private = f"https://files.slack.com/files-pri/{self.team_id}-{file_id}/{name}"
        return {
            "id": file_id,
            "created": now,
            "timestamp": now,
            "name": name,
            "title": title or name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "editable": False,
            "size": len(self.uploads[file_id]),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(channel),
            "public_url_shared": False,
            "url_private": private,
            "url_private_download": private.replace("files-pri", "files-pri/download", 1),
            "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{file_id}/{name}",
            "channels": [str(channel)] if channel else [],
            "groups": [],
            "ims": [],
            "comments_count": 0,
            "shares": {},
        }

    def _oauth_v2_access(self, call: Call) -> dict[str, Any]:
        if not call.params.get("code"):
            raise _SlackError("invalid_code")
        basic_auth = call.headers.get("authorization", "").lower().startswith("basic ")
        if not basic_auth and not (
            call.params.get("client_id") and call.params.get("client_secret")
        ):
            raise _SlackError("invalid_client_id")
        return {
            "app_id": self.app_id,
            "authed_user": {"id": self.installer_user_id},
            "scope": "app_mentions:read,channels:read,chat:write,commands,files:write,"
            "im:write,reactions:write,users:read,users:read.email",
            "token_type": "bot",
            "access_token": f"xoxb-{self.team_id}-{self.bot_user_id}-faketoken0000000000000",
            "bot_user_id": self.bot_user_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }


class _SlackError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error
