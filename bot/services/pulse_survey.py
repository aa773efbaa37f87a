"""Monthly pulse survey: one question per community and month, answered 1–5 with a button.

The pulse job creates the questions (:func:`open_communities`, :func:`record_question`);
platform handlers call :func:`answer` when someone clicks a ``pulse`` button whose value is
``"<question id>:<score>"`` (see :func:`parse_button`). Results feed indicator ``pulse_score``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import N_, _, lazy
from bot.services.upserts import insert_ignore
from storage.models import Community, Membership, PulseQuestion

QUESTIONS = (
    N_("How useful was {community} to your work this month?"),
    N_("How easy was it to get help from {community} this month?"),
    N_("How confident do you feel trying new ideas at work this month?"),
    N_("How well does {community} share what it learns?"),
    N_("How much did {community} help you learn something new this month?"),
    N_("How welcome do you feel to propose ideas in {community}?"),
)
SCALE = lazy("1 = not at all, 5 = very much")


def question_for(period: str, community: str) -> str:
    """The month's question, rotating through :data:`QUESTIONS`."""
    month = int(period[-2:]) if period[-2:].isdigit() else 1
    return QUESTIONS[(month - 1) % len(QUESTIONS)].format(community=community)


def shown(question: str, community: str) -> str:
    """A stored question in the current language (it is stored as asked, in English)."""
    for template in QUESTIONS:
        if template.format(community=community) == question:
            return _(template).format(community=community)
    return question


def first_working_day(year: int, month: int, working_days: frozenset[int]) -> date:
    day = date(year, month, 1)
    while day.weekday() not in working_days:
        day += timedelta(days=1)
    return day


def open_communities(session: Session, period: str) -> list[tuple[int, str]]:
    """Communities with no pulse question for ``period`` yet."""
    asked = select(PulseQuestion.community_id).where(
        PulseQuestion.period == period, PulseQuestion.community_id.is_not(None)
    )
    rows = session.execute(
        select(Community.id, Community.name)
        .where(Community.archived_at.is_(None), Community.id.not_in(asked))
        .order_by(Community.id)
    ).all()
    return [(cid, name) for cid, name in rows]


def members(session: Session, community_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for cid, person_id in session.execute(
        select(Membership.community_id, Membership.person_id)
        .where(Membership.community_id.in_(community_ids))
        .order_by(Membership.community_id, Membership.person_id)
    ).all():
        found.setdefault(cid, []).append(person_id)
    return found


def record_question(
    session: Session, *, community_id: int, period: str, question: str, now: datetime
) -> int | None:
    """Create the month's question; None if another run created it first."""
    created = insert_ignore(
        session,
        PulseQuestion,
        {
            "community_id": community_id,
            "period": period,
            "question": question,
            "recipients": 0,
            "sent_at": now,
        },
        unique=("community_id", "period"),
    )
    if not created:
        return None
    return session.scalar(
        select(PulseQuestion.id).where(
            PulseQuestion.community_id == community_id, PulseQuestion.period == period
        )
    )


def set_recipients(session: Session, question_id: int, recipients: int) -> None:
    question = session.get(PulseQuestion, question_id)
    if question is not None:
        question.recipients = recipients
