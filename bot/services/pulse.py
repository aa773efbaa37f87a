"""Pulse survey answers: one answer (1–5) per person per question, from any platform's buttons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.i18n import _
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import Membership, PulseQuestion, PulseResponse
from storage.uow import UnitOfWork

MIN_SCORE = 1
MAX_SCORE = 5
_ALREADY = "You already answered this pulse question. Thanks!"


def parse_button(value: str) -> tuple[int, int]:
    """A pulse button's value, ``"<question id>:<score>"`` → (question id, score)."""
    question, _colon, score = value.strip().partition(":")
    if not (question.isdigit() and score.isdigit() and len(question) < 10 and len(score) < 3):
        raise InvalidInput(_("That pulse answer could not be read; it may be from an old message."))
    return int(question), int(score)


def _member(session: Session, question: PulseQuestion, person_id: int) -> bool:
    return (
        session.scalar(
            select(Membership.id).where(
                Membership.community_id == question.community_id,
                Membership.person_id == person_id,
            )
        )
        is not None
    )


@dataclass(frozen=True, slots=True)
class PulseAnswer:
    question_id: int
    question: str
    score: int


def answer(
    uow: UnitOfWork, ctx: Context, question_id: int, score: int, *, comment: str | None = None
) -> PulseAnswer:
    """Record the caller's answer to a pulse question; a second answer is a :class:`Conflict`."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidInput(
            _("Pulse answers go from {MIN_SCORE} to {MAX_SCORE}, not {score}.").format(
                MIN_SCORE=MIN_SCORE, MAX_SCORE=MAX_SCORE, score=score
            )
        )
    with uow:
        session = uow.session
        question = session.get(PulseQuestion, question_id)
        if question is None:
            raise NotFound(_("That pulse question no longer exists."))
        caller = load_caller(session, ctx)
        if question.community_id is not None and not _member(session, question, caller.person.id):
            raise NotAllowed(_("This pulse question is for the community's members."))
        exists = session.scalar(
            select(PulseResponse.id).where(
                PulseResponse.question_id == question.id,
                PulseResponse.person_id == caller.person.id,
            )
        )
        if exists is not None:
            raise Conflict(_ALREADY)
        session.add(
            PulseResponse(
                question_id=question.id,
                person_id=caller.person.id,
                score=score,
                comment=(comment or "").strip() or None,
                at=ctx.now,
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(_ALREADY) from None
        result = PulseAnswer(question.id, question.question, score)
        uow.commit()
        return result


def answer_button(uow: UnitOfWork, ctx: Context, value: str) -> PulseAnswer:
    """Record the answer a pulse button carries (its value as :func:`parse_button` reads it)."""
    question_id, score = parse_button(value)
    return answer(uow, ctx, question_id, score)


def thanks(answered: PulseAnswer) -> str:
    return f"Thanks! Your answer ({answered.score}/5) is recorded."
