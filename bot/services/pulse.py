"""Pulse survey answers: one answer (1–5) per person per question, from any platform's buttons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import limits
from bot.errors import Conflict, CopError, InvalidInput, NotAllowed, NotFound
from bot.i18n import _
from bot.messages import Reply
from bot.services.access import load_caller
from bot.services.context import Context
from storage.models import Membership, PulseQuestion, PulseResponse
from storage.uow import UnitOfWork

MIN_SCORE = 1
MAX_SCORE = 5


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
    changed_from: int | None = None  # the earlier answer, when this one changed it
    comment: str | None = None


def answer(
    uow: UnitOfWork, ctx: Context, question_id: int, score: int, *, comment: str | None = None
) -> PulseAnswer:
    """Record the caller's answer to a pulse question. Answering again changes the answer;
    ``comment`` (optional) is kept with it, and an answer without one keeps the earlier one."""
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidInput(
            _("Pulse answers go from {MIN_SCORE} to {MAX_SCORE}, not {score}.").format(
                MIN_SCORE=MIN_SCORE, MAX_SCORE=MAX_SCORE, score=score
            )
        )
    note = limits.optional_text(comment, what="comment", limit=limits.NOTE)
    with uow:
        session = uow.session
        question = session.get(PulseQuestion, question_id)
        if question is None:
            raise NotFound(_("That pulse question no longer exists."))
        caller = load_caller(session, ctx)
        if question.community_id is not None and not _member(session, question, caller.person.id):
            raise NotAllowed(_("This pulse question is for the community's members."))
        existing = session.scalar(
            select(PulseResponse).where(
                PulseResponse.question_id == question.id,
                PulseResponse.person_id == caller.person.id,
            )
        )
        before = None
        if existing is None:
            existing = PulseResponse(
                question_id=question.id,
                person_id=caller.person.id,
                score=score,
                comment=note,
                at=ctx.now,
            )
            session.add(existing)
            try:
                session.flush()
            except IntegrityError:
                raise Conflict(_("Your answer arrived twice; the first one counts.")) from None
        else:
            before = existing.score if existing.score != score else None
            existing.score = score
            existing.comment = note or existing.comment
            existing.at = ctx.now
        result = PulseAnswer(question.id, question.question, score, before, existing.comment)
        uow.commit()
        return result


def latest_question(uow: UnitOfWork, ctx: Context) -> int:
    """The newest pulse question asked in one of the caller's communities."""
    with uow:
        session = uow.session
        caller = load_caller(session, ctx)
        mine = select(Membership.community_id).where(Membership.person_id == caller.person.id)
        question_id = session.scalar(
            select(PulseQuestion.id)
            .where(PulseQuestion.community_id.in_(mine))
            .order_by(PulseQuestion.sent_at.desc(), PulseQuestion.id.desc())
            .limit(1)
        )
        uow.commit()
    if question_id is None:
        raise NotFound(_("There is no pulse question for you yet; it comes once a month."))
    return int(question_id)


def answer_button(uow: UnitOfWork, ctx: Context, value: str) -> PulseAnswer:
    """Record the answer a pulse button carries (its value as :func:`parse_button` reads it)."""
    question_id, score = parse_button(value)
    return answer(uow, ctx, question_id, score)


def thanks(answered: PulseAnswer) -> str:
    if answered.changed_from is not None:
        return _("Changed your answer from {before}/5 to {score}/5. Thanks!").format(
            before=answered.changed_from, score=answered.score
        )
    return _("Thanks! Your answer ({score}/5) is recorded.").format(score=answered.score)


def answer_reply(uow: UnitOfWork, ctx: Context, value: str) -> Reply:
    """A pulse button's click (or its typed hint) answered: thanks, or why not."""
    try:
        return Reply(thanks(answer_button(uow, ctx, value)))
    except CopError as error:
        return Reply(error.reply_text(), error=True)
