"""The Slack surface: what every listener shares.

Listeners acknowledge first and hand the rest to :meth:`SlackSurface.spawn`, a tracked
background task. The core is synchronous (SQLAlchemy sessions), so it runs in worker threads
(:func:`asyncio.to_thread`): the event loop keeps acknowledging other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utcnow
from bot.commands import Runner
from bot.container import Container
from bot.errors import CopError
from bot.forms import ready
from bot.grammar.commands import Command
from bot.i18n import DEFAULT, normalise, use_locale
from bot.messages import Actor, Form, Inbound, MessageRef, Notice, Platform, Reply
from bot.reads import directory, language, visibility
from bot.services import capture, dedupe
from bot.services.context import Context
from handlers.slack.deliver import Where, deliver
from handlers.slack.people import People
from handlers.slack.work import CURRENT
from storage.errors import is_conflict, is_transient
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

PLATFORM = "slack"
DRAIN_SECONDS = 10.0
QUICK_SECONDS = 0.5

Job = Callable[[Runner, Context], Reply]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A reply ready to deliver, with the Slack user id of each notice's recipient."""

    reply: Reply
    notices: dict[str, Notice] = field(default_factory=dict)
    language: str = DEFAULT


class SlackSurface:
    def __init__(self, container: Container) -> None:
        self.container = container
        self.settings = container.settings
        self.people = People()
        self._tasks: set[asyncio.Task[None]] = set()
        # Set when this process works through the inbox: waits until it is worked through.
        self.backlog: Callable[[float], Coroutine[Any, Any, None]] | None = None

    # ----------------------------------------------------------- background work

    def spawn(self, work: Coroutine[Any, Any, None], *, what: str) -> None:
        """Run ``work`` after the acknowledgement; failures are logged with their traceback."""
        task = asyncio.get_running_loop().create_task(self._guard(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        current = CURRENT.get()
        if current is not None:
            current.tasks.append(task)

    async def _guard(self, work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception as error:
            current = CURRENT.get()
            if current is not None and (is_transient(error) or is_conflict(error)):
                current.errors.append(error)  # the inbox worker retries the request
                log.warning("Slack %s met a database failure: %s", what, error)
                return
            if current is not None:
                current.errors.append(error)
            log.exception("Slack %s failed", what)

    async def drain(self, timeout: float = DRAIN_SECONDS) -> None:
        """Wait for background work (tests, shutdown), the inbox's included."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self.backlog is not None:
            await self.backlog(timeout)
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - loop.time()))

    # ----------------------------------------------------------- running the core

    async def inbound(
        self,
        client: AsyncWebClient,
        where: Where,
        text: str = "",
        *,
        source: MessageRef | None = None,
    ) -> Inbound:
        actor = await self.people.actor(client, where.team, where.user)
        return Inbound(
            actor=actor,
            channel=where.channel or f"dm:{where.user}",
            channel_name=where.channel_name,
            text=text,
            source=source,
            direct=where.in_dm,
        )

    async def language(self, client: AsyncWebClient, where: Where, *, quick: bool = False) -> str:
        """The language to answer ``where.user`` in, for what is said before a job runs (a
        form, its own checks). ``quick``: for what must be shown within Slack's 3 seconds (the
        loading modal), Slack is not asked and the answer comes within ``QUICK_SECONDS``."""
        if quick:
            actor = self.people.cached(where.team, where.user) or Actor(
                platform=Platform.SLACK, workspace=where.team, user_id=where.user
            )
            inbound = Inbound(actor=actor, channel=where.channel or f"dm:{where.user}", text="")
        else:
            inbound = await self.inbound(client, where)
        runner = Runner(
            uow=self.container.uow, settings=self.settings, extras=self.container.extras
        )
        look = asyncio.to_thread(runner.language, inbound, now=utcnow())
        if not quick:
            return await look
        try:
            return await asyncio.wait_for(look, QUICK_SECONDS)
        except TimeoutError:
            return normalise(inbound.actor.locale) or self.settings.copbot_language

    def _execute(
        self, inbound: Inbound, job: Job, *, key: str | None, claim_read_only: bool
    ) -> Prepared | None:
        now = utcnow()
        uow: UnitOfWorkFactory = self.container.uow
        once: dedupe.OnceUnitOfWorkFactory | None = None
        current = CURRENT.get()
        if key is None and current is not None:
            key = current.next_key()
        if key is not None:
            once = dedupe.OnceUnitOfWorkFactory(
                uow.session_factory, platform=PLATFORM, key=key, now=now
            )
        runner = Runner(uow=once or uow, settings=self.settings, extras=self.container.extras)
        ctx = runner.context(inbound, now=now)
        if current is not None:  # so the inbox can apologise in it if the work fails
            current.language = normalise(inbound.actor.locale) or self.settings.copbot_language
        with use_locale(language.for_request(uow(), ctx)) as asked_in:
            if current is not None:
                current.language = asked_in
            try:
                reply = job(runner, ctx)
            except dedupe.DuplicateDelivery:
                log.info("Slack delivery %s was already processed", key)
                return None
            except CopError as error:
                reply = Reply(error.reply_text(), error=True)
        spoken = asked_in
        if ctx.memo.language_changed:  # `language es` answers in the language just chosen
            spoken = language.for_request(uow(), ctx)
        with use_locale(spoken):
            return self._finish(
                inbound,
                ctx,
                reply,
                key=key,
                once=once,
                now=now,
                claim_read_only=claim_read_only,
                language=spoken,
            )

    def _finish(
        self,
        inbound: Inbound,
        ctx: Context,
        reply: Reply,
        *,
        key: str | None,
        once: dedupe.OnceUnitOfWorkFactory | None,
        now: datetime,
        claim_read_only: bool,
        language: str,
    ) -> Prepared | None:
        uow: UnitOfWorkFactory = self.container.uow
        unmarked = key is not None and once is not None and not once.marked
        if unmarked and claim_read_only and not self._claim(str(key), now):
            return None
        if reply.form is not None:
            reply = replace(reply, form=ready(uow(), reply.form))
        if reply.public:
            reply = visibility.for_everyone(reply)
        else:
            reply = visibility.for_viewer(uow(), ctx, reply)
        notices: dict[str, Notice] = {}
        if reply.notices:
            ids = directory.account_ids(
                uow(),
                platform=PLATFORM,
                workspace=inbound.actor.workspace,
                person_ids=[n.recipient_person_id for n in reply.notices],
            )
            notices = {
                ids[n.recipient_person_id]: n for n in reply.notices if n.recipient_person_id in ids
            }
        return Prepared(reply, notices, language)

    def _claim(self, key: str, now: datetime) -> bool:
        return dedupe.claim(self.container.uow(), platform=PLATFORM, key=key, now=now)

    async def run(
        self,
        client: AsyncWebClient,
        inbound: Inbound,
        job: Job,
        *,
        key: str | None = None,
        claim_read_only: bool = False,
    ) -> Prepared | None:
        """Run ``job`` in a worker thread. None when ``key`` was already processed."""
        return await asyncio.to_thread(
            self._execute, inbound, job, key=key, claim_read_only=claim_read_only
        )

    async def answer(
        self,
        client: AsyncWebClient,
        where: Where,
        inbound: Inbound,
        job: Job,
        *,
        key: str | None = None,
        claim_read_only: bool = False,
    ) -> Prepared | None:
        """Run ``job`` and deliver its reply where the request came from."""
        prepared = await self.run(client, inbound, job, key=key, claim_read_only=claim_read_only)
        if prepared is not None:
            await self.deliver(client, where, prepared)
        return prepared

    async def form(self, form: Form) -> Form:
        """``form`` with the choices it reads at run time (the idea form's themes)."""
        return await asyncio.to_thread(ready, self.container.uow(), form)

    async def deliver(self, client: AsyncWebClient, where: Where, prepared: Prepared) -> None:
        """Deliver a prepared reply where the request came from; a capture posted in the
        channel is linked to its message. The platform's own words (buttons, "more") are in
        the reply's language."""
        with use_locale(prepared.language):
            posted = await deliver(
                client,
                where,
                prepared.reply,
                notices=prepared.notices,
                command=self.settings.copbot_slash_command,
            )
        if posted and prepared.reply.captured and where.channel:
            await self._link(client, where.channel, posted, prepared.reply.captured)

    async def _link(self, client: AsyncWebClient, channel: str, ts: str, ref: str) -> None:
        """Link an item captured by command or form to the post about it (its conversation)."""
        try:
            answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as error:
            log.info("no permalink for %s: %s", ref, error.response.get("error"))
            return
        if answer.get("permalink"):
            link = str(answer["permalink"])
            await asyncio.to_thread(
                capture.link_conversation, self.container.uow(), ref=ref, permalink=link
            )

    async def line(
        self,
        client: AsyncWebClient,
        where: Where,
        text: str,
        *,
        key: str | None = None,
        claim_read_only: bool = False,
        source: MessageRef | None = None,
    ) -> Prepared | None:
        """Run one command line as ``where.user`` and deliver the reply."""
        inbound = await self.inbound(client, where, text, source=source)

        def job(runner: Runner, ctx: Context) -> Reply:
            return runner.answer(ctx, inbound.text)

        return await self.answer(
            client, where, inbound, job, key=key, claim_read_only=claim_read_only
        )

    async def command(
        self,
        client: AsyncWebClient,
        where: Where,
        command: Command,
        *,
        source: MessageRef | None = None,
        key: str | None = None,
    ) -> Prepared | None:
        """Run a parsed command form (from a form or a button) and deliver the reply."""
        inbound = await self.inbound(client, where, source=source)

        def job(runner: Runner, ctx: Context) -> Reply:
            return runner.run(command, ctx)

        return await self.answer(client, where, inbound, job, key=key)
