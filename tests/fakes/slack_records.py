"""The workspace a fake Slack Web API holds (:class:`tests.fakes.slack_api.FakeSlackAPI`), as
Slack shapes it: channels and conversations with every field ``conversations.info`` returns,
users with their profile, time zone and offset, the bot's messages, and uploaded files as
Slack answers them, and the fake's own clock for message timestamps and ids. The records
are filled by the test API (``add_channel``, ``add_user``, ``add_message``) and by the
methods the bot calls (:mod:`tests.fakes.slack_methods`).
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from tests.fakes.slack_methods import Call

__all__ = ["SlackRecords"]


class SlackRecords:
    """The workspace's records and their shapes; the state is set by ``FakeSlackAPI``."""

    team_id: str
    team_name: str
    team_domain: str
    bot_user_id: str
    bot_id: str
    app_id: str
    installer_user_id: str
    uploads: dict[str, bytes]
    channels: dict[str, dict[str, Any]]
    users: dict[str, dict[str, Any]]
    members: dict[str, list[str]]
    messages: dict[tuple[str, str], dict[str, Any]]
    history: dict[str, list[dict[str, Any]]]
    _clock: int
    _serial: int

    def _next_ts(self) -> str:
        self._clock += 100
        return f"{self._clock // 1_000_000}.{self._clock % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}0{self._serial:08d}"

    def _channel_for(self, channel: str) -> str:
        """Posting to a user id lands in the DM Slack opens with them."""
        return f"D{channel[1:]}" if channel[:1] in ("U", "W") else channel

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
