"""Notices a command leaves for other people (the author of a saved message, a requester),
delivered to each person where they can be reached: on Teams first, else on any platform
that has a notifier."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.messages import Notice, Reply
from bot.ports import Address, DeliveryError, Notifiers
from bot.services import conversations
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

PLATFORM = "teams"


def deliver(uow: UnitOfWorkFactory, notifiers: Notifiers, notices: Iterable[Notice]) -> int:
    """Send each notice once; returns how many were delivered. Failures are logged, not raised."""
    sent = 0
    for notice in notices:
        accounts = conversations.reachable(uow(), person_id=notice.recipient_person_id)
        accounts.sort(key=lambda a: a.platform != PLATFORM)
        for account in accounts:
            notifier = notifiers.get(account.platform)
            if notifier is None:
                continue
            address = Address(account.platform, account.workspace, user=account.user_id)
            try:
                notifier.send(address=address, reply=Reply(notice.text))
            except DeliveryError as error:
                log.warning(
                    "Notice for person %s not delivered on %s: %s",
                    notice.recipient_person_id,
                    account.platform,
                    error,
                )
                continue
            sent += 1
            break
    return sent
