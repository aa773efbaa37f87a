"""Feedback on ideas, answers, events, deliverables and communities; anonymous allowed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.capture import clean_text
from bot.services.context import Context
from storage.models import Event, Feedback, HelpRequest, Idea
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
    """Store feedback. Anonymous feedback keeps no link to its author at all."""
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput(
            _("Ratings go from 1 to 5, not {rating}.").format(rating=rating),
            usage="feedback [I-12|R-34|E-5|community] [1-5] [text]",
        )
    if source not in SOURCES:
        raise InvalidInput(
            _('Unknown source "{source}". Sources: {listed}.').format(
                source=source, listed=", ".join(SOURCES)
            )
        )
    body = clean_text(text, what="feedback") if text and text.strip() else None
    if rating is None and body is None:
        raise InvalidInput(
            _("Feedback needs a rating (1-5), some text, or both."),
            usage="feedback [I-12|R-34|E-5|community] [1-5] [text]",
        )
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        community_id = caller.community.id if caller.community else None
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
            author_id=None if anonymous else caller.person.id,
            permalink=ctx.source.permalink if ctx.source else None,
            created_at=ctx.now,
        )
        session.add(feedback)
        session.flush()
        view = FeedbackView(feedback.id, label, rating, anonymous, source)
        uow.commit()
        return view


def _item_target(session: Session, kind: str, number: int) -> tuple[int | None, str]:
    name, model = _KINDS[kind]
    item = session.get(model, number)
    if item is None:
        raise NotFound(
            _("There is no {name} {kind}-{number}.").format(name=name, kind=kind, number=number)
        )
    community_id: int | None = getattr(item, "community_id", None)
    return community_id, f"{kind}-{number}"
