"""The idea pipeline of a scope: how far ideas got (proposed → development → pilot → scaled),
where they are now by community and theme, how long they stay in each stage, and the lessons
of the shelved ones. Every idea captured so far counts, whatever its age."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.indicators.compute import within
from bot.indicators.definitions import Scope
from bot.services.ideas import STAGES
from storage.models import Community, Idea, StageChange

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


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86_400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def pipeline(session: Session, *, scope: Scope, now: datetime) -> PipelineView:
    ideas = session.execute(
        select(
            Idea.id,
            Idea.community_id,
            Idea.stage,
            Idea.themes,
            Idea.created_at,
            Idea.stage_changed_at,
            Idea.title,
            Idea.lessons,
            Idea.permalink,
        ).where(*within(scope, Idea.community_id))
    ).all()
    names: dict[int, str] = {
        cid: name for cid, name in session.execute(select(Community.id, Community.name))
    }
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for idea_id, to_stage, at in session.execute(
        select(StageChange.idea_id, StageChange.to_stage, StageChange.at)
        .join(Idea, Idea.id == StageChange.idea_id)
        .where(*within(scope, Idea.community_id))
        .order_by(StageChange.idea_id, StageChange.at, StageChange.id)
    ):
        changes[idea_id].append((at, to_stage))

    reached: Counter[str] = Counter()
    now_in: Counter[str] = Counter()
    by_community: dict[str, Counter[str]] = defaultdict(Counter)
    by_theme: dict[str, Counter[str]] = defaultdict(Counter)
    stays: dict[str, list[float]] = defaultdict(list)
    ongoing: dict[str, list[float]] = defaultdict(list)
    lessons: list[Lesson] = []
    for row in ideas:
        history = changes.get(row.id, [])
        visited = {"proposed", row.stage, *(stage for _, stage in history)}
        furthest = max((STAGES.index(s) for s in visited if s in STAGES), default=0)
        for stage in STAGES[: furthest + 1]:
            reached[stage] += 1
        now_in[row.stage] += 1
        by_community[names.get(row.community_id, "") if row.community_id else ""][row.stage] += 1
        for theme in row.themes or ["(no theme)"]:
            by_theme[theme][row.stage] += 1
        entered, stage = row.created_at, "proposed"
        for at, to_stage in history:
            if to_stage == stage:
                continue
            if stage in STAGES:
                stays[stage].append(_days(entered, at))
            entered, stage = at, to_stage
        if row.stage in STAGES:
            ongoing[row.stage].append(_days(row.stage_changed_at, now))
        if row.stage == SHELVED and row.lessons:
            lessons.append(
                Lesson(
                    f"I-{row.id}",
                    row.title,
                    names.get(row.community_id, "") if row.community_id else "",
                    row.lessons,
                    row.stage_changed_at,
                    row.permalink,
                )
            )

    def table(counts: dict[str, Counter[str]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
        ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        return tuple((name, tuple(c[s] for s in COLUMNS)) for name, c in ordered)

    lessons.sort(key=lambda item: item.shelved_at, reverse=True)
    return PipelineView(
        total=len(ideas),
        funnel=tuple(FunnelStep(s, reached[s], now_in[s]) for s in STAGES),
        shelved=now_in[SHELVED],
        by_community=table(by_community),
        by_theme=table(by_theme),
        times=tuple(
            StageTime(
                s,
                _median(stays[s]),
                len(stays[s]),
                _median(ongoing[s]),
                len(ongoing[s]),
            )
            for s in STAGES[:-1]
        ),
        lessons=tuple(lessons[:LESSONS_SHOWN]),
    )
