"""The idea pipeline of a scope: how far ideas got (proposed → development → pilot → scaled),
where they are now by community and theme, how long they stay in each stage, and the lessons
of the shelved ones. Every idea captured so far counts, whatever its age."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from bot.indicators.definitions import Scope
from bot.indicators.query import within
from bot.services.ideas import STAGES
from storage.models import Community, Idea, StageChange
from storage.models.base import UTCDateTime
from storage.sql import hours_between

SHELVED = "shelved"
COLUMNS = (*STAGES, SHELVED)
LESSONS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class FunnelStep:
    stage: str
    reached: int  # ideas that got to this stage or further, shelved later or not
    now: int  # ideas in this stage today


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: str
    median_days: float | None  # over stays that ended (the idea moved on or was shelved)
    stays: int
    current_median_days: float | None  # ideas in the stage today: how long so far
    current: int


@dataclass(frozen=True, slots=True)
class Lesson:
    ref: str
    title: str
    community: str
    lessons: str
    shelved_at: datetime
    link: str | None


@dataclass(frozen=True, slots=True)
class PipelineView:
    total: int
    funnel: tuple[FunnelStep, ...]
    shelved: int
    by_community: tuple[tuple[str, tuple[int, ...]], ...]  # counts in the order of COLUMNS
    by_theme: tuple[tuple[str, tuple[int, ...]], ...]
    times: tuple[StageTime, ...]
    lessons: tuple[Lesson, ...]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _index(column: Any) -> Any:
    """The stage's place in STAGES (proposed 0 … scaled 3); -1 for shelved."""
    return case({stage: i for i, stage in enumerate(STAGES)}, value=column, else_=-1)


def _table(counts: dict[str, Counter[str]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return tuple((name, tuple(c[s] for s in COLUMNS)) for name, c in ordered)


def _furthest(session: Session, scope: Scope) -> Counter[int]:
    """How many ideas got at most to each stage (by its index), shelved ones included."""
    now = select(Idea.id.label("idea"), _index(Idea.stage).label("k")).where(
        *within(scope, Idea.community_id)
    )
    moved = (
        select(StageChange.idea_id.label("idea"), _index(StageChange.to_stage).label("k"))
        .join(Idea, Idea.id == StageChange.idea_id)
        .where(*within(scope, Idea.community_id))
    )
    both = union_all(now, moved).subquery()
    per_idea = select(func.max(both.c.k).label("k")).group_by(both.c.idea).subquery()
    found: Counter[int] = Counter()
    for k, n in session.execute(select(per_idea.c.k, func.count()).group_by(per_idea.c.k)):
        found[max(int(k), 0)] += int(n)
    return found


def _stays(session: Session, scope: Scope) -> dict[str, list[float]]:
    """Days each idea spent in a stage it has left: from entering it (the change before, or
    its creation) to the change that took it out."""
    entered = func.lag(StageChange.at).over(
        partition_by=StageChange.idea_id, order_by=(StageChange.at, StageChange.id)
    )
    changes = (
        select(
            StageChange.from_stage.label("stage"),
            StageChange.at.label("left"),
            func.coalesce(entered, Idea.created_at).label("entered"),
        )
        .join(Idea, Idea.id == StageChange.idea_id)
        .where(*within(scope, Idea.community_id))
        .subquery()
    )
    stays: dict[str, list[float]] = defaultdict(list)
    for stage, hours in session.execute(
        select(changes.c.stage, hours_between(changes.c.entered, changes.c.left)).where(
            changes.c.stage.in_(STAGES[:-1])
        )
    ):
        if hours is not None:
            stays[stage].append(float(hours) / 24)
    return stays


def pipeline(session: Session, *, scope: Scope, now: datetime) -> PipelineView:
    in_scope = within(scope, Idea.community_id)
    names: dict[int, str] = {
        cid: name for cid, name in session.execute(select(Community.id, Community.name))
    }
    by_community: dict[str, Counter[str]] = defaultdict(Counter)
    by_theme: dict[str, Counter[str]] = defaultdict(Counter)
    now_in: Counter[str] = Counter()
    themes = cast(Idea.themes, String)
    for cid, listed, stage, n in session.execute(
        select(Idea.community_id, themes, Idea.stage, func.count())
        .where(*in_scope)
        .group_by(Idea.community_id, themes, Idea.stage)
    ):
        by_community[names.get(cid, "") if cid else ""][stage] += n
        now_in[stage] += n
        for theme in json.loads(listed or "[]") or ["(no theme)"]:
            by_theme[theme][stage] += n
    furthest = _furthest(session, scope)
    reached = {s: sum(n for k, n in furthest.items() if k >= i) for i, s in enumerate(STAGES)}
    stays = _stays(session, scope)
    ongoing: dict[str, list[float]] = defaultdict(list)
    for stage, hours in session.execute(
        select(Idea.stage, hours_between(Idea.stage_changed_at, literal(now, UTCDateTime()))).where(
            *in_scope, Idea.stage.in_(STAGES[:-1])
        )
    ):
        ongoing[stage].append(float(hours) / 24)
    lessons = tuple(
        Lesson(
            f"I-{row.id}",
            row.title,
            names.get(row.community_id, "") if row.community_id else "",
            row.lessons,
            row.stage_changed_at,
            row.permalink,
        )
        for row in session.execute(
            select(
                Idea.id,
                Idea.community_id,
                Idea.title,
                Idea.lessons,
                Idea.stage_changed_at,
                Idea.permalink,
            )
            .where(*in_scope, Idea.stage == SHELVED, Idea.lessons.is_not(None))
            .order_by(Idea.stage_changed_at.desc(), Idea.id.desc())
            .limit(LESSONS_SHOWN)
        )
    )
    return PipelineView(
        total=sum(now_in.values()),
        funnel=tuple(FunnelStep(s, reached[s], now_in[s]) for s in STAGES),
        shelved=now_in[SHELVED],
        by_community=_table(by_community),
        by_theme=_table(by_theme),
        times=tuple(
            StageTime(s, _median(stays[s]), len(stays[s]), _median(ongoing[s]), len(ongoing[s]))
            for s in STAGES[:-1]
        ),
        lessons=lessons,
    )
