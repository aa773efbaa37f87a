"""The escalation ladder: who should hear about which waiting item, and why.

Unanswered requests (open, no offer): after 24 h the people whose skills match, after 48 h the
community's focal points, after 96 h the coordinators. Ideas in development or pilot with no
stage change for 30 days: the champion; after 37 days the focal points too. Each rung has a
stable tag (``R-3:focal``, ``I-5:champion:20261012``), so a rung reaches a person once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import Text, later, lazy, nlater
from bot.i18n.formats import ShortDay
from bot.i18n.words import Word
from bot.reads.focal_data import scopes
from bot.reads.recipients import coordinator_ids
from bot.services import experts
from bot.settings import Settings
from storage.models import Community, HelpRequest, Idea
from storage.uow import UnitOfWork

SKILLS_AFTER = timedelta(hours=24)
FOCAL_AFTER = timedelta(hours=48)
COORDINATOR_AFTER = timedelta(hours=96)
REQUESTS_FOR = timedelta(days=30)  # older requests are left to the focal-point digest
IDEA_CHAMPION_AFTER = timedelta(days=30)
IDEA_FOCAL_AFTER = timedelta(days=37)
STALLED_STAGES = ("development", "pilot")


@dataclass(frozen=True, slots=True)
class DueNudge:
    person_id: int
    tag: str
    ref: str
    title: str
    reason: Text
    link: str | None
    stage: str | None = None  # a stalled idea's stage, to offer the next one


def _days(delta: timedelta) -> Text:
    days = int(delta.total_seconds() // 86400)
    return lazy("a day") if days <= 1 else nlater("{n} day", "{n} days", days)


def due_nudges(uow: UnitOfWork, *, now: datetime, settings: Settings) -> dict[int, list[DueNudge]]:
    with uow:
        return due_in(uow.session, now=now, settings=settings)


def due_in(session: Session, *, now: datetime, settings: Settings) -> dict[int, list[DueNudge]]:
    """Every rung that is due now, per person (whether or not it was delivered before)."""
    found: dict[int, list[DueNudge]] = {}

    def add(person_id: int, nudge: DueNudge) -> None:
        found.setdefault(person_id, []).append(nudge)

    focal_of: dict[int, set[int]] = {}
    for person_id, (communities, _) in scopes(session).items():
        for cid in communities:
            focal_of.setdefault(cid, set()).add(person_id)
    names = {cid: name for cid, name in session.execute(select(Community.id, Community.name))}
    coordinators = coordinator_ids(session, settings)

    requests = session.execute(
        select(
            HelpRequest.id,
            HelpRequest.community_id,
            HelpRequest.question,
            HelpRequest.tags,
            HelpRequest.requester_id,
            HelpRequest.created_at,
            HelpRequest.permalink,
        ).where(
            HelpRequest.status == "open",
            HelpRequest.first_response_at.is_(None),
            HelpRequest.created_at <= now - SKILLS_AFTER,
            HelpRequest.created_at >= now - REQUESTS_FOR,
        )
    ).all()

    for r in requests:
        waited = now - r.created_at
        ref, title = f"R-{r.id}", r.question
        unanswered: Text = later("no answer for {days}", days=_days(waited))
        if r.community_id in names:
            unanswered = later(
                "no answer for {days} in {community}",
                days=_days(waited),
                community=names[r.community_id],
            )
        rungs: list[tuple[str, set[int], Text]] = []
        # The same matcher as `experts` and the people suggested when the request opened.
        topic = " ".join([r.question, *(r.tags or ())])
        vector = experts.request_vector(session, r.id)
        matches = {e.person_id for e in experts.rank(session, topic, vector=vector, limit=3)}
        rungs.append(
            (
                "skills",
                matches,
                later("matches your skills; no answer yet after {days}", days=_days(waited)),
            )
        )
        if waited >= FOCAL_AFTER and r.community_id is not None:
            rungs.append(("focal", focal_of.get(r.community_id, set()), unanswered))
        if waited >= COORDINATOR_AFTER:
            rungs.append(("coordinator", coordinators, unanswered))
        for rung, recipients, reason in rungs:
            for person_id in recipients - {r.requester_id}:
                add(
                    person_id, DueNudge(person_id, f"{ref}:{rung}", ref, title, reason, r.permalink)
                )

    ideas = session.execute(
        select(
            Idea.id,
            Idea.community_id,
            Idea.title,
            Idea.stage,
            Idea.champion_id,
            Idea.stage_changed_at,
            Idea.permalink,
        ).where(
            Idea.stage.in_(STALLED_STAGES),
            Idea.stage_changed_at <= now - IDEA_CHAMPION_AFTER,
        )
    ).all()
    for idea in ideas:
        stalled = now - idea.stage_changed_at
        ref, episode = f"I-{idea.id}", f"{idea.stage_changed_at:%Y%m%d}"
        stage, since = Word(idea.stage), ShortDay(idea.stage_changed_at)
        if idea.champion_id is not None:
            add(
                idea.champion_id,
                DueNudge(
                    idea.champion_id,
                    f"{ref}:champion:{episode}",
                    ref,
                    idea.title,
                    later(
                        "your idea is in {stage} since {day}: time for the next step?",
                        stage=stage,
                        day=since,
                    ),
                    idea.permalink,
                    idea.stage,
                ),
            )
        if stalled >= IDEA_FOCAL_AFTER and idea.community_id is not None:
            for person_id in focal_of.get(idea.community_id, set()):
                add(
                    person_id,
                    DueNudge(
                        person_id,
                        f"{ref}:focal:{episode}",
                        ref,
                        idea.title,
                        later(
                            "in {stage} since {day} without a stage decision",
                            stage=stage,
                            day=since,
                        ),
                        idea.permalink,
                        idea.stage,
                    ),
                )
    return found
