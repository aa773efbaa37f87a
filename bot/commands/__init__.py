"""Runs one command line: parse, dispatch to the command's handler, map domain errors once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.commands import (  # noqa: F401  (registers handlers)
    admin,
    dashboard,
    data,
    events,
    ideas,
    knowledge,
    peer,
    stats,
)
from bot.commands.registry import FOR_THE_CHANNEL, HANDLERS, Deps, handles
from bot.errors import CopError
from bot.grammar.commands import Command
from bot.grammar.parser import parse
from bot.i18n import _
from bot.messages import Inbound, Reply
from bot.reads import language
from bot.services.capture import sanitize
from bot.services.context import Context
from bot.settings import Settings
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

__all__ = ["Deps", "Runner", "handles"]


@dataclass(slots=True)
class Runner:
    """The one entry point every platform calls with a command line."""

    uow: UnitOfWorkFactory
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def deps(self) -> Deps:
        return Deps(self.uow, self.settings, self.extras)

    def context(self, inbound: Inbound, *, now: datetime, auto_bind: bool = False) -> Context:
        return Context(
            actor=inbound.actor,
            channel=inbound.channel,
            channel_name=inbound.channel_name,
            now=now,
            settings=self.settings,
            source=inbound.source,
            auto_bind=auto_bind,
            direct=inbound.direct,
        )

    def language(self, inbound: Inbound, *, now: datetime) -> str:
        """The language to answer ``inbound``'s author in (see :mod:`bot.reads.language`)."""
        return language.for_request(self.uow(), self.context(inbound, now=now))

    def handle(self, inbound: Inbound, *, now: datetime, auto_bind: bool = False) -> Reply:
        """Parse and run one line. Domain errors become a short reply; nothing is changed."""
        return self.answer(self.context(inbound, now=now, auto_bind=auto_bind), inbound.text)

    def answer(self, ctx: Context, text: str) -> Reply:
        """:meth:`handle` in a context the caller made (and keeps: what the request read
        stays in ``ctx.memo`` for the buttons of its reply)."""
        try:
            command = parse(sanitize(text), command_name=self.settings.command_name)
            return self.run(command, ctx)
        except CopError as error:
            return Reply(error.reply_text(), error=True)

    def run(self, command: Command, ctx: Context) -> Reply:
        handler = HANDLERS.get(type(command))
        if handler is None:
            name = type(command).__name__.lower()
            return Reply(_("`{command}` is not available here.").format(command=name), error=True)
        if type(command) in FOR_THE_CHANNEL:
            with language.in_channel(self.uow(), ctx):
                return handler(self.deps, command, ctx)
        return handler(self.deps, command, ctx)
