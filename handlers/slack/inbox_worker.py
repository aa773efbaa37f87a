"""Works through the Slack requests in the inbox: each is replayed through the Bolt app (its
signature was checked when it was stored), exactly as if it had just arrived.

A request whose work meets a database failure (locked, read-only, connection lost) is
retried with backoff until it is done; the core calls it makes carry idempotency keys
(:mod:`handlers.slack.work`), so a retry repeats nothing that was committed. A failure that
is final, or a request still failing after ``COPBOT_INBOX_GIVE_UP`` seconds, is told to the
person in plain words. Rows left claimed by a worker that died are taken up again when their
lease runs out (and at once when ``copbot serve`` starts).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utcnow
from bot.i18n import lazy, use_locale
from handlers.slack.work import CURRENT, Work
from storage.errors import is_conflict, is_transient
from storage.inbox import Entry, InboxStore

log = logging.getLogger(__name__)

PLATFORM = "slack"
LEASE = timedelta(seconds=30)
IDLE_POLL = 0.05
MAX_BACKOFF = 20.0
STORE_RETRY = 0.5
PURGE_AFTER = timedelta(days=2)

# Told in the language the request was being answered in (``Work.language``, set by the
# surface from the person's platform locale, then their chosen language); English when the
# request failed before the surface knew it.
DELAYED = lazy(
    "Sorry, I could not save what you just sent: my database is not available. "
    "Nothing was stored. Please try again in a few minutes."
)
BROKEN = lazy(
    "Sorry, something went wrong on my side while handling what you just sent, and it was "
    "not done. It has been logged; please try again later."
)


class NotDispatched(ConnectionError):
    """Bolt answered the replayed request with a refusal or an error."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"Bolt answered {status}: {body[:200]}")


def backoff(attempts: int) -> float:
    """Seconds before the next attempt: a lock taken by a concurrent request is usually gone
    within milliseconds, an unavailable database within seconds or minutes."""
    return float(min(MAX_BACKOFF, 0.05 * 2 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2))


def body_of(entry: Entry) -> dict[str, Any]:
    """The parsed request (it was checked when stored)."""
    kind = entry.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        fields = dict(parse_qsl(entry.body, keep_blank_values=True))
        if "payload" in fields:
            payload = json.loads(fields["payload"])
            return payload if isinstance(payload, dict) else {}
        return fields
    parsed = json.loads(entry.body)
    return parsed if isinstance(parsed, dict) else {}


async def tell(client: AsyncWebClient, body: dict[str, Any], text: str) -> None:
    """Tell the person who sent ``body`` (a command, click, form or event) in plain words."""
    event = body.get("event") if isinstance(body.get("event"), dict) else None
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if event is not None:
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return  # counting a message: nothing the person asked for
        user = event.get("user")
        channel = event.get("channel") or (event.get("item") or {}).get("channel")
    try:
        if body.get("response_url"):
            await _respond(client, str(body["response_url"]), text)
        elif user and channel:
            await client.chat_postEphemeral(channel=str(channel), user=str(user), text=text)
        elif user:
            await client.chat_postMessage(channel=str(user), text=text)
    except (TimeoutError, SlackApiError, OSError) as error:
        log.warning("Could not tell %s that their request failed: %s", user, error)


async def _respond(client: AsyncWebClient, url: str, text: str) -> None:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    webhook = AsyncWebhookClient(url, session=client.session, timeout=10)
    await webhook.send(text=text, response_type="ephemeral", replace_original=False)


class InboxWorker:
    """Claims inbox rows and replays them through ``bolt`` (built with
    ``process_before_response=True``), ``concurrency`` at a time."""

    def __init__(
        self,
        *,
        store: InboxStore,
        bolt: AsyncApp,
        give_up: float,
        concurrency: int = 4,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.bolt = bolt
        self.give_up = give_up
        self.concurrency = concurrency
        self.clock = clock
        self.wake = asyncio.Event()
        self._busy: set[asyncio.Task[None]] = set()
        self._stopping = False
        # Rows worked through, marked done with the next claim (one write for both).
        self._finished: list[tuple[Entry, datetime]] = []

    # ------------------------------------------------------------------ the loop

    async def run(self) -> None:
        """Work until :meth:`stop`; a store that cannot be read is waited out."""
        last_purge = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            free = self.concurrency - len(self._busy)
            entries: list[Entry] = []
            finished, self._finished = self._finished, []
            if free > 0 or finished:
                try:
                    entries = await asyncio.to_thread(
                        self.store.settle, finished, now=self.clock(), lease=LEASE, limit=free
                    )
                except Exception as error:  # the inbox store itself is unavailable
                    log.warning("Inbox not readable, retrying: %s", error)
                    self._finished[:0] = finished  # marked done at the next round
                    await asyncio.sleep(STORE_RETRY)
                    continue
            for entry in entries:
                task = loop.create_task(self._process(entry))
                self._busy.add(task)
                task.add_done_callback(self._done)
            if loop.time() - last_purge > 600:
                last_purge = loop.time()
                await asyncio.to_thread(self._purge)
            if not entries:
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), IDLE_POLL)

    @property
    def busy(self) -> int:
        """How many requests are being worked on."""
        return len(self._busy)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._busy.discard(task)
        self.wake.set()

    def _purge(self) -> None:
        try:
            self.store.purge(before=self.clock() - PURGE_AFTER)
        except Exception as error:  # tidying up can wait for the next round
            log.warning("Inbox purge skipped: %s", error)

    async def stop(self) -> None:
        self._stopping = True
        self.wake.set()
        if self._busy:
            await asyncio.wait(set(self._busy), timeout=10)
        finished, self._finished = self._finished, []
        if finished:
            try:
                await asyncio.to_thread(
                    self.store.settle, finished, now=self.clock(), lease=LEASE, limit=0
                )
            except Exception as error:  # their claims lapse; the replays repeat nothing
                log.warning("Inbox: %d finished requests not marked done: %s", len(finished), error)

    async def drain(self, timeout: float) -> None:
        """Wait until nothing due is waiting and nothing is in progress (tests)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            count, _oldest = await asyncio.to_thread(self.store.waiting)
            if not self._busy and count == 0:
                return
            self.wake.set()
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------------ one request

    async def _process(self, entry: Entry) -> None:
        work = Work(key=f"inbox:{entry.key}")
        token = CURRENT.set(work)
        try:
            request = AsyncBoltRequest(body=entry.body, headers=dict(entry.headers))
            response = await self.bolt.async_dispatch(request)
            await work.settle()
            if response.status in (401, 403) or response.status >= 500:
                # Bolt could not authorize or run it (Slack's auth.test failing, a token not
                # found): worth another attempt, like a database failure.
                work.errors.append(NotDispatched(response.status, response.body))
        except Exception as error:  # anything the listeners did not handle themselves
            work.errors.append(error)
            log.exception("Inbox request %s failed", entry.key)
        finally:
            CURRENT.reset(token)
        await self._record(entry, work)

    @staticmethod
    def _passing(error: BaseException) -> bool:
        """Whether another attempt may succeed."""
        return is_transient(error) or is_conflict(error) or isinstance(error, NotDispatched)

    async def _record(self, entry: Entry, work: Work) -> None:
        now = self.clock()
        transient = [error for error in work.errors if self._passing(error)]
        final = [error for error in work.errors if not self._passing(error)]
        age = (now - entry.received_at).total_seconds()
        try:
            if not work.errors:
                self._finished.append((entry, now))
                self.wake.set()
            elif transient and not final and age < self.give_up:
                at = now + timedelta(seconds=backoff(entry.attempts))
                await asyncio.to_thread(self.store.retry, entry, at=at, error=repr(transient[0]))
            else:
                error = (final or transient)[0]
                await asyncio.to_thread(self.store.fail, entry, now=now, error=repr(error))
                with use_locale(work.language):
                    sorry = str(DELAYED if not final else BROKEN)
                await tell(self.bolt.client, body_of(entry), sorry)
        except Exception as error:  # the claim lapses and the row is taken up again
            log.warning("Inbox request %s not recorded (%s); it will be retried", entry.key, error)
