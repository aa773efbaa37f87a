"""Slack Web API clients: ``SLACK_API_URL`` as the base URL when set, and slack_sdk's retry
handlers for rate limits (honouring ``Retry-After``), server errors and connection errors."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.settings import Settings

DEFAULT_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
CONNECTION_RETRIES = 2
TIMEOUT = 15


def api_url(settings: Settings) -> str:
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def async_retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
    ]


def retry_handlers() -> list[RetryHandler]:
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
    ]


def bot_token(settings: Settings) -> str | None:
    """The single-workspace bot token; None when workspaces install through OAuth."""
    if settings.slack_oauth or settings.slack_bot_token is None:
        return None
    return settings.slack_bot_token.get_secret_value()


def async_client(settings: Settings, *, token: str | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=api_url(settings),
        timeout=TIMEOUT,
        retry_handlers=async_retry_handlers(),
    )


def sync_client(
    settings: Settings, *, token: str | None, posting: bool = False, timeout: float = TIMEOUT
) -> WebClient:
    """A synchronous client. ``posting``: only rate limits are retried here (a 429 posted
    nothing); a server error or a lost answer may hide a message that went out, so the outbox
    retries those itself, looking for the message first."""
    handlers: list[RetryHandler] = (
        [RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]
        if posting
        else retry_handlers()
    )
    return WebClient(
        token=token, base_url=api_url(settings), timeout=int(timeout), retry_handlers=handlers
    )


def webhook(url: str, client: AsyncWebClient | None = None) -> AsyncWebhookClient:
    """A client for a ``response_url``, with the same retries, on ``client``'s HTTP session
    when it has one (its kept-alive connections; otherwise each reply would open a session
    and a connection of its own)."""
    return AsyncWebhookClient(
        url,
        timeout=TIMEOUT,
        retry_handlers=async_retry_handlers(),
        session=client.session if client is not None else None,
    )
