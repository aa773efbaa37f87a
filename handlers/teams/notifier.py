"""Proactive messages to Teams: the :class:`bot.ports.Notifier` the outbox uses.

A channel gets a new thread (``create_conversation`` with the channel in ``channelData``); a
person gets their personal chat with the bot, opened on the spot when the bot has never talked
to them but knows where their tenant's Teams lives. Teams throttles: the outbox's dispatcher
paces sends to seven a second per conversation, and 429, 412, 502 and 504 are tried again a
few times quickly (honouring Retry-After) before the outbox is told to retry later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector import ConnectorClient  # type: ignore[import-untyped]
from botframework.connector.auth import MicrosoftAppCredentials  # type: ignore[import-untyped]
from msrest.authentication import Authentication
from msrest.exceptions import ClientException, HttpOperationError

from bot.clock import utcnow
from bot.messages import Actor, Platform, Reply
from bot.ports import Address, DeliveryError
from bot.services import conversations
from bot.services.conversations import StoredReference, channel_key, user_key
from bot.settings import Settings
from handlers.teams import replies
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

PLATFORM = "teams"
RETRY_STATUSES = frozenset({429, 412, 502, 504})


def credentials_for(settings: Settings) -> Authentication:
    """The bot's credentials for the Bot Connector; none when Teams runs unauthenticated."""
    if not settings.microsoft_app_id:
        empty: Authentication = MicrosoftAppCredentials.empty()
        return empty
    password = settings.microsoft_app_password
    credentials: Authentication = MicrosoftAppCredentials(
        settings.microsoft_app_id,
        password.get_secret_value() if password else "",
        channel_auth_tenant=settings.microsoft_app_tenant_id,
    )
    return credentials


def _retry_after(error: HttpOperationError) -> float | None:
    headers = getattr(error.response, "headers", None) or {}
    value = headers.get("Retry-After")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


class TeamsNotifier:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        credentials: Authentication,
        quick_tries: int = 3,
        backoff: float = 0.5,
        max_quick_wait: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._uow = uow
        self._credentials = credentials
        self._quick_tries = max(quick_tries, 1)
        self._backoff = backoff
        self._max_quick_wait = max_quick_wait
        self._sleep = sleep
        self._now = clock

    # ------------------------------------------------------------------ the port

    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        if address.channel is not None:
            return self._to_channel(address.workspace, address.channel, reply, address.thread)
        assert address.user is not None
        return self._to_person(address.workspace, address.user, reply)

    # ------------------------------------------------------------------ targets

    def _to_channel(
        self, tenant: str, channel: str, reply: Reply, thread: str | None = None
    ) -> str | None:
        stored = conversations.find(
            self._uow(), platform=PLATFORM, workspace=tenant, key=channel_key(channel)
        )
        if stored is None:
            raise DeliveryError(
                f"The bot has no conversation in Teams channel {channel}: add the app to that "
                "team (or mention the bot there once).",
                retryable=False,
            )
        ref = ConversationReference.deserialize(stored.reference)
        client = self._client(ref.service_url)
        [activity, *files] = replies.activities(reply, personal=False)
        if (ref.conversation.conversation_type or "channel") != "channel":
            return self._post(client, ref.conversation.id, activity, ref)  # a group chat
        if thread:  # a reply in the thread that the post ``thread`` started
            conversation = thread if ";messageid=" in thread else f"{channel};messageid={thread}"
            return self._post(client, conversation, activity, ref)
        params = ConversationParameters(
            is_group=True,
            bot=ref.bot,
            tenant_id=tenant,
            channel_data={"channel": {"id": channel}, "tenant": {"id": tenant}},
            activity=self._addressed(activity, ref),
        )
        created = self._call(channel, lambda: client.conversations.create_conversation(params))
        for file in files:  # images go into the new thread
            self._post(client, str(created.id), file, ref)
        return str(created.activity_id or created.id)

    def _to_person(self, tenant: str, user: str, reply: Reply) -> str | None:
        stored = conversations.find(
            self._uow(), platform=PLATFORM, workspace=tenant, key=user_key(user)
        )
        if stored is None:
            stored = self._open_personal_chat(tenant, user)
        ref = ConversationReference.deserialize(stored.reference)
        client = self._client(ref.service_url)
        ids = [
            self._post(client, ref.conversation.id, activity, ref)
            for activity in replies.activities(reply, personal=False)
        ]
        return ids[0]

    def _open_personal_chat(self, tenant: str, user: str) -> StoredReference:
        """Create the 1:1 chat with a person the bot has not talked to yet, and remember it."""
        known = conversations.latest(self._uow(), platform=PLATFORM, workspace=tenant)
        if known is None:
            raise DeliveryError(
                f"The bot has never been used in Teams tenant {tenant}, so it cannot reach "
                "anyone there yet: install the app first.",
                retryable=False,
            )
        seen = ConversationReference.deserialize(known.reference)
        params = ConversationParameters(
            is_group=False,
            bot=seen.bot,
            members=[ChannelAccount(id=user)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        client = self._client(seen.service_url)
        created = self._call(user, lambda: client.conversations.create_conversation(params))
        reference = ConversationReference(
            bot=seen.bot,
            user=ChannelAccount(id=user, aad_object_id=user),
            conversation=ConversationAccount(
                id=created.id, conversation_type="personal", tenant_id=tenant
            ),
            channel_id=seen.channel_id or "msteams",
            service_url=seen.service_url,
        ).serialize()
        return conversations.remember(
            self._uow,
            platform=PLATFORM,
            workspace=tenant,
            key=user_key(user),
            reference=reference,
            now=self._now(),
            actor=Actor(platform=Platform.TEAMS, workspace=tenant, user_id=user),
        )

    # ------------------------------------------------------------------ the wire

    def _client(self, service_url: str | None) -> Any:
        if not service_url:
            raise DeliveryError("The stored Teams reference has no service URL.", retryable=False)
        client = ConnectorClient(self._credentials, base_url=service_url)
        client.config.retry_policy.retries = 0  # retries are ours: Retry-After, then the outbox
        return client

    @staticmethod
    def _addressed(activity: Activity, ref: ConversationReference) -> Activity:
        activity.from_property = ref.bot
        activity.channel_id = ref.channel_id
        activity.service_url = ref.service_url
        return activity

    def _post(self, client: Any, conversation: str, activity: Activity, ref: Any) -> str | None:
        activity = self._addressed(activity, ref)
        activity.conversation = ConversationAccount(id=conversation)
        sent = self._call(
            conversation, lambda: client.conversations.send_to_conversation(conversation, activity)
        )
        return str(sent.id) if sent is not None and sent.id else None

    def _call(self, conversation: str, request: Callable[[], Any]) -> Any:
        """One connector call, with quick retries on throttling and gateway errors (the outbox's
        dispatcher paces the sends)."""
        for attempt in range(self._quick_tries):
            try:
                return request()
            except HttpOperationError as error:
                status = getattr(error.response, "status_code", 0) or 0
                wait = _retry_after(error)
                if status not in RETRY_STATUSES:
                    raise DeliveryError(
                        f"Teams refused the message ({status}): {error}",
                        retryable=status >= 500 or status in (408, 0),
                        retry_after=wait,
                    ) from error
                delay = wait if wait is not None else self._backoff * 2**attempt
                if attempt + 1 >= self._quick_tries or delay > self._max_quick_wait:
                    raise DeliveryError(
                        f"Teams is throttling or unavailable ({status}); try again later.",
                        retryable=True,
                        retry_after=max(delay, self._backoff * 2 ** (attempt + 1)),
                    ) from error
                log.info("Teams answered %s; retrying in %.1f s", status, delay)
                self._sleep(delay)
            except (ClientException, requests.RequestException) as error:
                raise DeliveryError(f"Could not reach Teams: {error}", retryable=True) from error
            except PermissionError as error:  # the bot's credentials were refused
                raise DeliveryError(
                    f"Teams refused the bot's credentials: {error}", retryable=False
                ) from error
        raise AssertionError("unreachable")  # pragma: no cover
