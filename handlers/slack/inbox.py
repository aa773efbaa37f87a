"""The acknowledgement: a verified Slack request is written to the inbox, then answered.

Slack gets its 200 only once the request is stored, so nothing acknowledged can be lost;
if the write takes longer than :data:`STORE_TIMEOUT` seconds the answer is 503 and Slack
retries. The few requests whose answer must carry content are answered by Bolt at once
instead: URL verification, SSL checks and submitted forms (their outcome shows in the modal).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from bot.clock import utcnow
from handlers.slack.ingress import Verified
from handlers.slack.listeners.forms import is_form_submission
from storage.inbox import InboxStore, Incoming

log = logging.getLogger(__name__)

PLATFORM = "slack"
STORE_TIMEOUT = 2.0
# The headers a replay needs (Bolt reads the content type, and retries' number and reason).
KEPT_HEADERS = ("content-type", "x-slack-retry-num", "x-slack-retry-reason")

_WRITERS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-inbox")
MAX_BATCH = 200


def needs_bolt(verified: Verified) -> bool:
    """Answered by Bolt at once rather than queued: URL verification and SSL checks, and a
    submitted form, whose answer is its outcome (a refusal shows on its field in the modal;
    a save slower than Slack's wait continues in the modal, see listeners/forms.py)."""
    body = verified.body
    return body.get("type") == "url_verification" or "ssl_check" in body or is_form_submission(body)


def key_of(verified: Verified) -> str:
    """Slack's event id (its retries carry the same one), else a hash of the request body:
    a replayed request lands on the same row."""
    event_id = verified.body.get("event_id")
    if isinstance(event_id, str) and event_id and verified.content_type == "application/json":
        return f"event:{event_id}"
    return "sha256:" + hashlib.sha256(verified.text.encode()).hexdigest()


def kept_headers(headers: Any) -> dict[str, str]:
    return {name: str(headers[name]) for name in KEPT_HEADERS if name in headers}


class Writer:
    """Writes acknowledged requests to the inbox from one thread, a burst in one transaction
    (one commit and one lock for many acks, instead of threads queueing on the lock)."""

    def __init__(self, inbox: InboxStore) -> None:
        self.inbox = inbox
        self._queue: list[tuple[Incoming, asyncio.Future[bool]]] = []
        self._running = False

    async def put(self, request: Incoming) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((request, future))
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                requests = [request for request, _ in batch]
                try:
                    stored = await loop.run_in_executor(_WRITERS, self.inbox.put_many, requests)
                except Exception as error:  # each waiting request answers 503
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, future), new in zip(batch, stored, strict=True):
                    if not future.done():
                        future.set_result(new)
        finally:
            self._running = False


async def store(writer: Writer, verified: Verified, headers: Any) -> web.Response:
    """Write the request to the inbox, then acknowledge it (503 if the write is slow)."""
    request = Incoming(
        platform=PLATFORM,
        key=key_of(verified),
        body=verified.text,
        headers=kept_headers(headers),
        now=utcnow(),
    )
    try:
        await asyncio.wait_for(asyncio.shield(writer.put(request)), STORE_TIMEOUT)
    except Exception as error:  # slow or failing store: Slack retries on a 5xx
        log.warning("Slack request not stored, answered 503: %s", type(error).__name__)
        return web.Response(status=503, text="busy, retry")
    return web.Response(status=200)
