"""The Slack side of the :class:`~bot.ports.Notifier` port, for scheduled sends (digests,
nudges, pulse questions): synchronous, called from the worker's threads."""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.messages import Reply
from bot.ports import Address, DeliveryError
from bot.settings import Settings
from handlers.slack import stores
from handlers.slack.client import bot_token, sync_client
from handlers.slack.render import render_blocks

RETRYABLE = frozenset({"ratelimited", "internal_error", "service_unavailable", "request_timeout"})
# The workspace's token no longer works (uninstalled, revoked, reinstalled with a new token):
# forget the client, so the next send reads the installation store again.
TOKEN_GONE = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed"})


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
        client = sync_client(self.settings, token=token)
        with self._lock:
            self._clients[workspace] = client
        return client

    def send(self, *, address: Address, reply: Reply) -> str | None:
        client = self._client(address.workspace)
        channel = address.channel or address.user or ""
        try:
            posted = client.chat_postMessage(
                channel=channel,
                thread_ts=address.thread,
                unfurl_links=False,
                **render_blocks(reply),
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
        ts = posted.get("ts")
        return str(ts) if ts else None
