"""What captured items share: the author of the source message, its permalink, text checks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput
from bot.i18n import _
from bot.messages import Notice
from bot.services.access import Caller, resolve_person
from bot.services.context import Context
from storage.models import HelpRequest, Idea, Person

MAX_TITLE = 200
MAX_TEXT = 4000
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")


def sanitize(text: str) -> str:
    """Drop control characters (NUL and friends) that no person means to store."""
    return text.translate(_CONTROL)


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

    def tell_author(self, caller: Caller, text: str) -> tuple[Notice, ...]:
        """A note to the message's author when someone else saved it."""
        if self.author.id == caller.person.id:
            return ()
        return (Notice(recipient_person_id=self.author.id, text=text),)


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
    value = sanitize(text or "").strip()
    if not value:
        raise InvalidInput(_("The {what} is empty. Write a few words about it.").format(what=what))
    if len(value) > limit:
        raise InvalidInput(
            _("The {what} is {len} characters long; the limit is {limit}.").format(
                what=what, len=len(value), limit=limit
            )
        )
    return value


def split_title(text: str) -> tuple[str, str | None]:
    """First line (cut at the title limit) as the title, the rest as a description."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    description = rest.strip() or None
    if len(first) > MAX_TITLE:
        cut = first[: MAX_TITLE - 1].rsplit(" ", 1)[0]
        description = text.strip()
        first = cut + "…"
    return first, description
