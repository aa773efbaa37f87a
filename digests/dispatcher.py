"""Sends what the outbox holds: claim, send, mark — each row by exactly one worker.

A row is *claimed* with one conditional ``UPDATE`` (``status`` pending and due, or a claim
that expired) that also bumps ``attempts``; only the worker whose update changed the row
sends it, and ``attempts`` is the fencing token its later updates check. The claim is
committed before the send, and the result is recorded right after it, each in its own short
transaction. If the platform accepted the message but the answer was lost (a timeout) or the
process died before marking it sent, the next attempt is *uncertain*: the notifier is given
the row's key and looks for a message carrying it before posting (Slack: message metadata;
docs/reliability.md says what remains on Teams).

Sends are paced per conversation (Slack about one message a second per channel, Teams seven
a second), a ``retry_after`` from the platform is honoured, and retryable failures back off
exponentially with jitter until ``max_attempts``, when the row is marked failed with the
reason.

A continuation (payload ``meta.thread_of`` names the key of the post it continues, e.g. a long
digest's ``<key>#2``) waits until that post is sent and then goes into its thread.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, func, or_, select, update
from sqlalchemy.exc import DBAPIError

from bot.i18n import use_locale
from bot.ports import Address, DeliveryError, Notifiers
from digests.outbox import EXPIRED, FAILED, PENDING, SENDING, SENT
from digests.serialize import PayloadError, reply_from_dict
from storage.models import OutboxMessage
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

PACE_SECONDS: dict[str, float] = {"slack": 1.0, "teams": 1 / 7}
MAX_ERROR = 500
MARK_SENT_PAUSES = (0.5, 2.0, 5.0)  # seconds between tries to record an accepted send
CONTINUATION_WAIT = 30.0  # seconds a continuation waits for the post it continues


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 30.0  # seconds before the second attempt
    max_delay: float = 3600.0
    jitter: float = 0.2  # ± share of the delay
    claim_seconds: float = 300.0  # how long a claimed row is ours before others may take it
    max_pace_wait: float = 2.0  # wait this long for a conversation's turn; defer beyond

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        backoff = min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))
        backoff *= rng.uniform(1 - self.jitter, 1 + self.jitter)
        return float(max(backoff, retry_after or 0.0))


@dataclass(slots=True)
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # waiting for their conversation's turn (rate limit)
    lost: int = 0  # claimed by another worker first
    expired: int = 0  # not sent: past their ``expires_at``
    waiting: dict[str, int] = field(default_factory=dict)  # due, but no notifier here

    def __str__(self) -> str:
        text = (
            f"sent {self.sent}, retrying {self.retried}, failed {self.failed}, "
            f"deferred {self.deferred}"
        )
        if self.expired:
            text += f", expired {self.expired}"
        for platform, n in sorted(self.waiting.items()):
            text += f"; {n} for {platform} waiting (no {platform} notifier in this process)"
        return text


def _pace_key(address: Address) -> tuple[str, str, str]:
    where = f"c:{address.channel}" if address.channel else f"u:{address.user}"
    return (address.platform, address.workspace, where)


def _due(at: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= at),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_until < at),
    )


def _expires_at(payload: dict[str, Any]) -> datetime | None:
    raw = payload.get("expires_at")
    if raw is None:
        return None
    moment = datetime.fromisoformat(str(raw))
    if moment.tzinfo is None:
        raise ValueError(f"expires_at without a time zone: {raw!r}")
    return moment


def _clip(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[:MAX_ERROR]


class Dispatcher:
    """Delivers due outbox rows through ``notifiers``; keep one per process for pacing."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        notifiers: Notifiers,
        *,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._notifiers = notifiers
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._monotonic = monotonic
        self._next_turn: dict[tuple[str, str, str], float] = {}

    def run_once(self, *, now: datetime, limit: int = 500) -> DispatchReport:
        """Send every due row (up to ``limit``) once; ``now`` is the pass's starting instant."""
        started = self._monotonic()

        def current() -> datetime:
            return now + timedelta(seconds=max(0.0, self._monotonic() - started))

        report = DispatchReport()
        platforms = self._notifiers.platforms()
        with self._uow() as uow:
            candidates = uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.recipient)
                .where(_due(now), OutboxMessage.platform.in_(platforms))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            ).all()
            waiting = uow.session.execute(
                select(OutboxMessage.platform, func.count())
                .where(_due(now), OutboxMessage.platform.not_in(platforms))
                .group_by(OutboxMessage.platform)
            ).all()
        report.waiting = {platform: int(n) for platform, n in waiting}
        for row_id, recipient in candidates:
            if not self._take_turn(recipient):
                report.deferred += 1
                continue
            self._deliver(row_id, current, report)
        return report

    def _take_turn(self, recipient: dict[str, Any]) -> bool:
        """Wait for the conversation's turn if it is close; False to leave the row for later."""
        try:
            key = _pace_key(Address.from_dict(recipient))
        except (KeyError, TypeError, ValueError):
            return True  # _deliver marks it failed
        wait = self._next_turn.get(key, 0.0) - self._monotonic()
        if wait > self.policy.max_pace_wait:
            return False
        if wait > 0:
            self._sleep(wait)
        return True

    def _claim(self, row_id: int, at: datetime) -> tuple[int, dict[str, Any], Any, str] | None:
        until = at + timedelta(seconds=self.policy.claim_seconds)
        with self._uow() as uow:
            session = uow.session
            result = cast(
                CursorResult[Any],
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, _due(at))
                    .values(
                        status=SENDING,
                        claimed_until=until,
                        attempts=OutboxMessage.attempts + 1,
                    )
                ),
            )
            if result.rowcount != 1:
                return None
            attempts, recipient, payload, key = session.execute(
                select(
                    OutboxMessage.attempts,
                    OutboxMessage.recipient,
                    OutboxMessage.payload,
                    OutboxMessage.key,
                )
                .where(OutboxMessage.id == row_id)
                .execution_options(populate_existing=True)
            ).one()
            uow.commit()
            return int(attempts), recipient, payload, str(key)

    def _deliver(
        self, row_id: int, current: Callable[[], datetime], report: DispatchReport
    ) -> None:
        claimed = self._claim(row_id, current())
        if claimed is None:
            report.lost += 1
            return
        attempts, recipient, payload, outbox_key = claimed
        try:
            address = Address.from_dict(recipient)
            reply = reply_from_dict(payload["reply"])
            expires = _expires_at(payload)
        except (PayloadError, KeyError, TypeError, ValueError) as error:
            log.error("outbox row %s cannot be read, marking it failed: %s", row_id, error)
            self._finish(row_id, attempts, status=FAILED, error=f"unreadable: {_clip(error)}")
            report.failed += 1
            return
        if expires is not None and current() >= expires:
            log.info("outbox row %s expired at %s before it could be sent", row_id, expires)
            self._finish(
                row_id, attempts, status=EXPIRED, error=f"expired unsent at {expires.isoformat()}"
            )
            report.expired += 1
            return
        thread_of = (payload.get("meta") or {}).get("thread_of")
        if thread_of:
            parent = self._parent(str(thread_of))
            if parent is not None and parent[0] in (PENDING, SENDING):
                # A continuation waits for the post it continues, to reply in its thread.
                wait = max(current() + timedelta(seconds=CONTINUATION_WAIT), parent[2])
                self._finish(row_id, attempts, status=PENDING, at=wait, give_back=True)
                report.deferred += 1
                return
            if parent is not None and parent[1]:
                address = replace(address, thread=parent[1])
        notifier = self._notifiers.get(address.platform)
        if notifier is None:  # unregistered since the pass began
            self._finish(row_id, attempts, status=PENDING, error="no notifier", at=current())
            return
        key = _pace_key(address)
        try:
            # From the second attempt on, an earlier one may have reached the platform (a
            # timeout, or a worker killed mid-send): the notifier looks for it first.
            with use_locale(payload.get("language")):
                ref = notifier.send(
                    address=address, reply=reply, key=outbox_key, uncertain=attempts > 1
                )
        except DeliveryError as error:
            self._next_turn[key] = self._monotonic() + (error.retry_after or 0.0)
            self._failed(row_id, attempts, error, error.retryable, error.retry_after, current())
            report.retried += int(error.retryable and attempts < self.policy.max_attempts)
            report.failed += int(not error.retryable or attempts >= self.policy.max_attempts)
            return
        except Exception as error:  # a notifier bug: keep the traceback, retry like a glitch
            log.exception("notifier for %s raised while sending outbox row %s", key[0], row_id)
            self._failed(row_id, attempts, error, True, None, current())
            report.retried += int(attempts < self.policy.max_attempts)
            report.failed += int(attempts >= self.policy.max_attempts)
            return
        self._next_turn[key] = self._monotonic() + PACE_SECONDS.get(address.platform, 0.0)
        if self._mark_sent(row_id, attempts, ref=ref, at=current()):
            report.sent += 1
        else:
            log.warning("outbox row %s was sent but another worker had taken it over", row_id)

    def _parent(self, key: str) -> tuple[str, str | None, datetime] | None:
        """Status, platform id and next attempt of the outbox message ``key`` (the first post
        of a continuation)."""
        with self._uow() as uow:
            row = uow.session.execute(
                select(
                    OutboxMessage.status, OutboxMessage.platform_ref, OutboxMessage.next_attempt_at
                ).where(OutboxMessage.key == key)
            ).first()
        return None if row is None else (str(row[0]), row[1], row[2])

    def _mark_sent(self, row_id: int, attempts: int, *, ref: str | None, at: datetime) -> bool:
        """Record a send the platform accepted. A database error here would let the claim
        lapse and the message go out again, so the update is retried a few times first."""
        for pause in (*MARK_SENT_PAUSES, None):
            try:
                return self._finish(row_id, attempts, status=SENT, ref=ref, at=at)
            except DBAPIError:
                if pause is None:
                    log.exception(
                        "outbox row %s was sent but could not be marked sent; it may be sent "
                        "again once its claim lapses",
                        row_id,
                    )
                    raise
                log.warning(
                    "outbox row %s was sent; recording that failed, retrying in %s s",
                    row_id,
                    pause,
                    exc_info=True,
                )
                self._sleep(pause)
        return False  # unreachable

    def _failed(
        self,
        row_id: int,
        attempts: int,
        error: BaseException,
        retryable: bool,
        retry_after: float | None,
        at: datetime,
    ) -> None:
        reason = _clip(error)
        if not retryable:
            log.warning("outbox row %s failed for good: %s", row_id, reason)
            self._finish(row_id, attempts, status=FAILED, error=reason)
            return
        if attempts >= self.policy.max_attempts:
            log.warning("outbox row %s failed %s times, giving up: %s", row_id, attempts, reason)
            self._finish(
                row_id,
                attempts,
                status=FAILED,
                error=f"gave up after {attempts} attempts: {reason}",
            )
            return
        delay = self.policy.delay(attempts, self._rng, retry_after)
        log.info(
            "outbox row %s attempt %s failed (%s); retry in %.0f s", row_id, attempts, reason, delay
        )
        self._finish(
            row_id, attempts, status=PENDING, error=reason, at=at + timedelta(seconds=delay)
        )

    def _finish(
        self,
        row_id: int,
        attempts: int,
        *,
        status: str,
        error: str | None = None,
        ref: str | None = None,
        at: datetime | None = None,
        give_back: bool = False,
    ) -> bool:
        """Record the outcome if the row is still ours (same claim, same attempt);
        ``give_back`` does not count this attempt (nothing was tried)."""
        values: dict[str, Any] = {"status": status, "claimed_until": None, "last_error": error}
        if give_back:
            values["attempts"] = attempts - 1
        if status == SENT:
            values.update(sent_at=at, platform_ref=ref, last_error=None)
        elif status == PENDING and at is not None:
            values["next_attempt_at"] = at
        with self._uow() as uow:
            result = cast(
                CursorResult[Any],
                uow.session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == row_id,
                        OutboxMessage.status == SENDING,
                        OutboxMessage.attempts == attempts,
                    )
                    .values(**values)
                ),
            )
            uow.commit()
            return result.rowcount == 1
