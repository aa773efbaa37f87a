"""The console's notifier: what the outbox sends to console people and channels (digests,
nudges, pulse questions) goes to the console's mailbox, where a running console shows it."""

from __future__ import annotations

from bot.messages import Reply
from bot.ports import Address
from handlers.console.files import Delivered, Mailbox
from handlers.console.render import render_text


class ConsoleNotifier:
    def __init__(self, mailbox: Mailbox, *, command: str = "/cop") -> None:
        self.mailbox = mailbox
        self.command = command
        self.sent = 0

    def send(
        self, *, address: Address, reply: Reply, key: str | None = None, uncertain: bool = False
    ) -> str | None:
        to = f"@{address.user}" if address.user else f"#{address.channel}"
        self.mailbox.append(Delivered(to, render_text(reply, command=self.command)))
        self.sent += 1
        return f"console-{self.sent}"
