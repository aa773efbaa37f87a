"""The Slack Web API methods the bot calls, answered by the fake
(:class:`tests.fakes.slack_api.FakeSlackAPI`) the way Slack does: ``auth.test``, ``chat.*``,
``conversations.*``, ``users.*``, ``reactions.add``, ``views.*``, the two steps of
``files_upload_v2`` and ``oauth.v2.access``, each checking its arguments and raising
:class:`SlackError` with Slack's error code (``channel_not_found``, ``already_reacted``…).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.slack_records import SlackRecords

__all__ = ["Call", "SlackError", "SlackMethods"]

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


class SlackError(Exception):
    """A method's answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class SlackMethods(SlackRecords):
    """One handler per API method; a handler returns the answer's fields beside ``ok``."""

    url: str
    _pending_files: dict[str, dict[str, Any]]
    _reactions: set[tuple[str, str, str]]
    _views_by_external_id: dict[str, str]

    def _method_handlers(self) -> dict[str, Handler]:
        return {
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
            raise SlackError("channel_not_found")
        if not any(call.params.get(key) for key in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        ts = self._next_ts()
        message = self._message(call, ts)
        self.history[self._channel_for(channel)].append(message)
        return {"channel": self._channel_for(channel), "ts": ts, "message": message}

    def _chat_update(self, call: Call) -> dict[str, Any]:
        ts = str(call.params.get("ts") or "")
        if not ts:
            raise SlackError("message_not_found")
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
            raise SlackError("message_not_found")
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
            raise SlackError("channel_not_found")
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
            raise SlackError("channel_not_found")
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
            raise SlackError("channel_not_found")
        members = self.members.get(channel_id, [*self.users, self.bot_user_id])
        return {"members": list(members), "response_metadata": {"next_cursor": ""}}

    def _conversations_open(self, call: Call) -> dict[str, Any]:
        if call.params.get("channel"):
            return {"no_op": True, "already_open": True, "channel": {"id": call.params["channel"]}}
        users = [user for user in str(call.params.get("users") or "").split(",") if user]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": self._channel_for(users[0])}}
        digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()
        return {"channel": {"id": f"G{digest}"}}

    def _users_info(self, call: Call) -> dict[str, Any]:
        user_id = str(call.params.get("user") or "")
        if not user_id:
            raise SlackError("user_not_found")
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
        raise SlackError("users_not_found")

    def _reactions_add(self, call: Call) -> dict[str, Any]:
        key = (
            str(call.params.get("channel") or ""),
            str(call.params.get("timestamp") or ""),
            str(call.params.get("name") or ""),
        )
        if not all(key):
            raise SlackError("no_item_specified" if key[2] else "invalid_name")
        if key in self._reactions:
            raise SlackError("already_reacted")
        self._reactions.add(key)
        return {}

    def _view(self, call: Call, view_id: str, default_type: str) -> dict[str, Any]:
        supplied = call.params.get("view")
        if not isinstance(supplied, dict):
            raise SlackError("invalid_arguments")
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
            raise SlackError("invalid_arguments")
        return {"view": self._view(call, self._next_id("V"), "modal")}

    def _views_update(self, call: Call) -> dict[str, Any]:
        view_id = call.params.get("view_id")
        external_id = call.params.get("external_id")
        if not view_id and external_id:
            view_id = self._views_by_external_id.get(str(external_id))
        if not view_id:
            raise SlackError("not_found")
        return {"view": self._view(call, str(view_id), "modal")}

    def _views_publish(self, call: Call) -> dict[str, Any]:
        if not call.params.get("user_id"):
            raise SlackError("invalid_arguments")
        return {"view": self._view(call, self._next_id("V"), "home")}

    def _files_get_upload_url(self, call: Call) -> dict[str, Any]:
        filename = call.params.get("filename")
        length = call.params.get("length")
        if not filename or length in (None, ""):
            raise SlackError("invalid_arguments")
        file_id = self._next_id("F")
        self._pending_files[file_id] = {"filename": str(filename), "length": int(length)}
        return {"upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, call: Call) -> dict[str, Any]:
        items = call.params.get("files")
        if not isinstance(items, list) or not items:
            raise SlackError("invalid_arguments")
        channel = call.params.get("channel_id") or call.params.get("channels")
        completed = []
        for item in items:
            file_id = str(item.get("id"))
            pending = self._pending_files.get(file_id)
            if pending is None or file_id not in self.uploads:
                raise SlackError("file_not_found")
            completed.append(self._file(file_id, pending["filename"], item.get("title"), channel))
        return {"files": completed}

    def _oauth_v2_access(self, call: Call) -> dict[str, Any]:
        if not call.params.get("code"):
            raise SlackError("invalid_code")
        basic_auth = call.headers.get("authorization", "").lower().startswith("basic ")
        if not basic_auth and not (
            call.params.get("client_id") and call.params.get("client_secret")
        ):
            raise SlackError("invalid_client_id")
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
