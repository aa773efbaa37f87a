"""The Slack side of the :class:`~bot.ports.Notifier` port, for scheduled sends (digests,
nudges, pulse questions): synchronous, called from the worker's threads.

Every message carries its outbox key in Slack message metadata (``event_type``
``copbot_outbox``). When an earlier attempt may have gone out (a timeout, a 5xx, a worker
killed mid-send), the conversation's recent history is searched for that key first, and a
message found there counts as sent: a digest is never posted twice.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.messages import Reply
from bot.ports import Address, DeliveryError
from bot.settings import Settings
from handlers.slack import stores
from handlers.slack.client import bot_token, sync_client
from handlers.slack.render import render_blocks

log = logging.getLogger(__name__)

RETRYABLE = frozenset({"ratelimited", "internal_error", "service_unavailable", "request_timeout"})
# The workspace's token no longer works (uninstalled, revoked, reinstalled with a new token):
# forget the client, so the next send reads the installation store again.
TOKEN_GONE = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed"})
METADATA_EVENT = "copbot_outbox"
HISTORY_WINDOW = 7 * 24 * 3600  # seconds of history searched for an uncertain send
HISTORY_PAGES = 5


def metadata(key: str) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT, "event_payload": {"key": key}}


def carries(message: dict[str, Any], key: str) -> bool:
    found = message.get("metadata") or {}
    payload = found.get("event_payload") or {}
    return found.get("event_type") == METADATA_EVENT and payload.get("key") == key


class SlackNotifier:
    """Posts a reply to a channel or to a person's direct messages in one workspace."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    def _client(self, workspace: str) -> WebClient:
        with self._lock:
            client = self._clients.get(workspace)
            if client is not None:
                return client
        token = bot_token(self.settings)
        if self.settings.slack_oauth:
            bot = stores.installation_store(self.settings, self.engine).find_bot(
                enterprise_id=None, team_id=workspace
            )
            if bot is None:
                raise DeliveryError(f"cop-bot is not installed in {workspace}", retryable=False)
            token = bot.bot_token
        client = sync_client(self.settings, token=token, posting=True)
        with self._lock:
            self._clients[workspace] = client
        return client

    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        client = self._client(address.workspace)
        channel = address.channel or address.user or ""
        extra: dict[str, Any] = {} if key is None else {"metadata": metadata(key)}
        try:
            if key is not None and uncertain:
                found = self.find(client, channel, key)
                if found is not None:
                    log.info("outbox message %s was already posted (ts %s)", key, found)
                    return found
            posted = client.chat_postMessage(
                channel=channel,
                thread_ts=address.thread,
                unfurl_links=False,
                **render_blocks(reply),
                **extra,
            )
            if reply.attachments:
                client.files_upload_v2(
                    channel=str(posted["channel"]),
                    file_uploads=[
                        {
                            "content": a.content,
                            "filename": a.filename,
                            "title": a.title or a.filename,
                        }
                        for a in reply.attachments
                    ],
                )
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            if error in TOKEN_GONE:
                with self._lock:
                    self._clients.pop(address.workspace, None)
            status = exc.response.status_code
            retry_after = exc.response.headers.get("Retry-After")
            raise DeliveryError(
                f"Slack answered {status} {error}",
                retryable=status == 429 or status >= 500 or error in RETRYABLE,
                retry_after=float(retry_after) if retry_after else None,
            ) from exc
        except OSError as exc:  # a timeout or a dropped connection: it may have gone out
            raise DeliveryError(
                f"no answer from Slack ({type(exc).__name__})", retryable=True
            ) from exc
        ts = posted.get("ts")
        return str(ts) if ts else None

    def find(self, client: WebClient, channel: str, key: str) -> str | None:
        """The ts of a message carrying ``key`` in ``channel``'s recent history, if any."""
        if channel[:1] in ("U", "W"):  # a person: their direct-message conversation
            opened = client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or channel)
        cursor: str | None = None
        oldest = f"{time.time() - HISTORY_WINDOW:.6f}"
        for _page in range(HISTORY_PAGES):
            page = client.conversations_history(
                channel=channel,
                oldest=oldest,
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                if isinstance(message, dict) and carries(message, key):
                    return str(message.get("ts") or "") or None
            cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
            if not cursor:
                return None
        return None
