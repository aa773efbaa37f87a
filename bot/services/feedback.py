"""Feedback on ideas, answers, events, deliverables and communities; anonymous allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot import limits
from bot.errors import InvalidInput, NotFound
from bot.i18n import _
from bot.messages import Notice
from bot.reads.language import notice_to
from bot.services.access import load_caller
from bot.services.context import Context
from bot.services.people import resolve_person
from bot.services.places import community_for_channel
from storage.models import Event, Feedback, HelpRequest, Idea, Person
from storage.uow import UnitOfWork

SOURCES = ("staff", "constituent", "partner")
_KINDS: dict[str, tuple[str, type[Idea] | type[HelpRequest] | type[Event]]] = {
    "I": ("idea", Idea),
    "R": ("request", HelpRequest),
    "E": ("event", Event),
}


@dataclass(frozen=True, slots=True)
class FeedbackView:
    id: int
    target: str
    rating: int | None
    anonymous: bool
    source: str
    subject: str | None = None  # whose message the feedback is about (shortcut)
    notices: tuple[Notice, ...] = ()


def give(
    uow: UnitOfWork,
    ctx: Context,
    *,
    target_kind: str,
    target_number: int | None = None,
    rating: int | None = None,
    text: str | None = None,
    anonymous: bool = False,
    source: str = "staff",
) -> FeedbackView:
    """Store feedback. Anonymous feedback keeps no link to its author at all: no author, its
    time cut to the hour, and no person, account or membership created or updated for it.
    Feedback on a message (``ctx.source``) keeps that message's author as its subject, who is
    told."""
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput(
            _("Ratings go from 1 to 5, not {rating}.").format(rating=rating),
            usage="feedback [I-12|R-34|E-5|community] [1-5] [text]",
            field="rating",
        )
    if source not in SOURCES:
        raise InvalidInput(
            _('Unknown source "{source}". Sources: {listed}.').format(
                source=source, listed=", ".join(SOURCES)
            )
        )
    body = limits.optional_text(text, what="feedback", limit=limits.TEXT)
    if rating is None and body is None:
        raise InvalidInput(
            _("Feedback needs a rating (1-5), some text, or both."),
            usage="feedback [I-12|R-34|E-5|community] [1-5] [text]",
        )
    with uow:
        session = uow.session
        giver: Person | None = None
        if anonymous:
            # No person, account or membership is created or touched for an anonymous act.
            community = community_for_channel(session, ctx)
        else:
            caller = load_caller(session, ctx)
            giver, community = caller.person, caller.community
        author_id = giver.id if giver else None
        subject = None
        if ctx.source is not None and ctx.source.author is not None:
            subject = resolve_person(session, ctx.source.author, now=ctx.now)
        community_id = community.id if community else None
        label = target_kind
        if target_kind in ("I", "R", "E"):
            if target_number is None:
                raise InvalidInput(_("Which item? Give its id, like I-12."))
            community_id, label = _item_target(session, target_kind, target_number)
            target_kind = _KINDS[target_kind][0]
        elif target_kind not in ("community", "deliverable"):
            raise InvalidInput(
                _('Unknown feedback target "{target_kind}".').format(target_kind=target_kind)
            )
        feedback = Feedback(
            community_id=community_id,
            target_kind=target_kind,
            target_id=target_number,
            rating=rating,
            text=body,
            source=source,
            anonymous=anonymous,
            author_id=author_id,
            subject_author_id=subject.id if subject else None,
            permalink=ctx.source.permalink if ctx.source else None,
            created_at=coarse_time(ctx.now) if anonymous else ctx.now,
        )
        session.add(feedback)
        session.flush()
        notices: tuple[Notice, ...] = ()
        if subject is not None and subject is not giver:
            notices = (
                notice_to(session, subject.id, ctx.settings, lambda: _told(giver, rating, body)),
            )
        view = FeedbackView(
            feedback.id,
            label,
            rating,
            anonymous,
            source,
            subject=subject.label if subject else None,
            notices=notices,
        )
        uow.commit()
        return view


def coarse_time(at: datetime) -> datetime:
    """An anonymous feedback's time, cut to the hour so no other row's timestamp matches it."""
    return at.replace(minute=0, second=0, microsecond=0)


def _item_target(session: Session, kind: str, number: int) -> tuple[int | None, str]:
    model = _KINDS[kind][1]
    item = session.get(model, number)
    if item is None:
        missing = {
            "I": _("There is no idea I-{number}."),
            "R": _("There is no request R-{number}."),
            "E": _("There is no event E-{number}."),
        }
        raise NotFound(missing[kind].format(number=number))
    community_id: int | None = getattr(item, "community_id", None)
    return community_id, f"{kind}-{number}"


def _told(giver: Person | None, rating: int | None, body: str | None) -> str:
    """The note to the author of the message the feedback is about."""
    values = {"person": _("Someone (anonymously)") if giver is None else giver.label}
    if rating and body:
        said = _("{person} gave feedback on your message ({rating}/5): {text}")
    elif rating:
        said = _("{person} gave feedback on your message ({rating}/5).")
    elif body:
        said = _("{person} gave feedback on your message: {text}")
    else:
        said = _("{person} gave feedback on your message.")
    return said.format(rating=rating, text=body, **values)
