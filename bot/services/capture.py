"""What captured items share: the author of the source message, its permalink, text checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from bot import limits
from bot.errors import Conflict
from bot.i18n import _
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.services.access import Caller
from bot.services.context import Context
from bot.services.people import resolve_person
from bot.text import safe_end
from storage.models import HelpRequest, Idea, Person
from storage.uow import UnitOfWork

MAX_TITLE = limits.TITLE
MAX_TEXT = limits.TEXT
sanitize = limits.sanitize


@dataclass(frozen=True, slots=True)
class Origin:
    author: Person
    platform: str | None
    channel: str | None
    ts: str | None
    permalink: str | None

    @property
    def captured_for_someone_else(self) -> bool:
        return self.platform is not None

    def source_columns(self) -> dict[str, str | None]:
        """The columns every captured item keeps about its source message."""
        return {
            "source_platform": self.platform,
            "source_channel": self.channel,
            "source_ts": self.ts,
            "permalink": self.permalink,
        }

    def tell_author(
        self, ctx: Context, caller: Caller, write: Callable[[], str]
    ) -> tuple[Notice, ...]:
        """A note to the message's author when someone else saved it, which ``write`` writes
        in the author's language."""
        if self.author.id == caller.person.id:
            return ()
        session = object_session(self.author)
        assert session is not None, "the author is a row of this request's session"
        return (notice_to(session, self.author.id, ctx.settings, write),)


def origin(session: Session, ctx: Context, caller: Caller) -> Origin:
    """The author and source of an item: the original message's author when one is saved."""
    source = ctx.source
    if source is None:
        return Origin(caller.person, None, None, None, None)
    author = caller.person
    if source.author is not None:
        author = resolve_person(session, source.author, now=ctx.now)
    return Origin(author, ctx.actor.platform.value, source.channel, source.ts, source.permalink)


def already_captured(
    session: Session, model: type[Idea] | type[HelpRequest], came_from: Origin
) -> None:
    """Refuse to save the same source message twice as the same kind of item."""
    if came_from.ts is None:
        return
    existing = session.scalar(
        select(model.id).where(
            model.source_platform == came_from.platform,
            model.source_channel == came_from.channel,
            model.source_ts == came_from.ts,
        )
    )
    if existing is not None:
        prefix = "I" if model is Idea else "R"
        raise Conflict(
            _("That message is already saved as {prefix}-{existing}.").format(
                prefix=prefix, existing=existing
            )
        )


def clean_text(text: str | None, *, what: str, limit: int = MAX_TEXT) -> str:
    return limits.text(text, what=what, limit=limit)


def split_title(text: str) -> tuple[str, str | None]:
    """First line (cut at the title limit) as the title, the rest as a description."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    description = rest.strip() or None
    if len(first) > MAX_TITLE:
        cut = first[: safe_end(first, MAX_TITLE - 1)].rsplit(" ", 1)[0]
        description = text.strip()
        first = cut + "…"
    return first, description


def link_conversation(uow: UnitOfWork, *, ref: str, permalink: str) -> bool:
    """Keep ``permalink`` (the bot's post about a new item, where the conversation about it
    happens) as the link of an idea or request captured without a source message."""
    kind, _, number = ref.partition("-")
    if kind not in ("I", "R") or not number.isdigit():
        return False
    with uow:
        item: Idea | HelpRequest | None = (
            uow.session.get(Idea, int(number))
            if kind == "I"
            else uow.session.get(HelpRequest, int(number))
        )
        if item is None or item.permalink:
            return False
        item.permalink = permalink[:500]
        uow.commit()
        return True
