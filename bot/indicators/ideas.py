"""The idea pipeline: ideas submitted and converted, stage moves, pilots running.

Each statement is built once per kind of scope (``@cache`` on a :class:`Shape`) and run with
the computation's parameters (:attr:`Query.params`)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import and_, case, exists, func, or_, select, true, union
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import FromClause

from bot.indicators.definitions import DetailValue, IndicatorValue
from bot.indicators.query import END, Query, Shape, Statement, figure, share, tally, to_int
from storage.models import Idea, StageChange

PAST_BRAINSTORMING = ("development", "pilot", "scaled")
SKIP_TARGETS = ("pilot", "scaled")  # a move from proposed straight here skipped development
SCALING_LEVELS = ("low", "medium", "high", "unrated")


@cache
def _ideas(shape: Shape) -> Statement:
    progressed = or_(
        Idea.stage.in_(PAST_BRAINSTORMING),
        exists().where(
            StageChange.idea_id == Idea.id, StageChange.to_stage.in_(PAST_BRAINSTORMING)
        ),
    )
    return select(func.count(), func.count(case((progressed, 1)))).where(
        *shape.at(Idea.created_at), *shape.within(Idea.community_id)
    )


def ideas(q: Query) -> list[IndicatorValue]:
    """Ideas created in the period, and how many of them have left brainstorming since."""
    submitted, converted = q.one(_ideas(q.shape))
    submitted, converted = to_int(submitted), to_int(converted)
    return [
        tally("ideas_submitted", submitted, **by_theme(q)),
        figure(
            "brainstorm_conversion",
            share(converted, submitted),
            ideas=submitted,
            converted=converted,
        ),
    ]


@cache
def _by_theme(shape: Shape, dialect: str) -> Statement:
    theme = themes_of(dialect)
    return (
        select(theme.c.value, func.count())
        .select_from(Idea)
        .outerjoin(theme, true())
        .where(*shape.at(Idea.created_at), *shape.within(Idea.community_id))
        .group_by(theme.c.value)
    )


def by_theme(q: Query) -> dict[str, DetailValue]:
    """How many of the period's ideas carry each theme (``theme:<name>``; an idea may carry
    several), and how many carry none: counted by the database, one row per theme."""
    counts: dict[str, int] = {}
    for name, n in q.all(_by_theme(q.shape, q.session.get_bind().dialect.name)):
        key = "none" if name is None else str(name)
        counts[key] = counts.get(key, 0) + to_int(n)
    return {f"theme:{name}": counts[name] for name in sorted(counts)}


def themes_of(dialect: str) -> FromClause:
    """Each idea's themes as rows (``value``), beside the idea: none for an empty list."""
    if dialect == "postgresql":
        return func.json_array_elements_text(Idea.themes).table_valued("value").lateral()
    return func.json_each(Idea.themes).table_valued("value")


@cache
def _stage_moves(shape: Shape) -> Statement:
    left = and_(StageChange.from_stage == "proposed", StageChange.to_stage.in_(PAST_BRAINSTORMING))
    # A focal point or coordinator may skip stages: such an idea left brainstorming (counted)
    # without a development stage (counted apart, in the details).
    skipped = and_(StageChange.from_stage == "proposed", StageChange.to_stage.in_(SKIP_TARGETS))
    scaled = StageChange.to_stage == "scaled"
    statement = select(
        func.count(case((left, StageChange.idea_id)).distinct()),
        func.count(case((scaled, StageChange.idea_id)).distinct()),
        func.count(case((skipped, StageChange.idea_id)).distinct()),
    ).where(*shape.at(StageChange.at))
    if shape.kind != "org":
        statement = statement.join(Idea, Idea.id == StageChange.idea_id).where(
            *shape.within(Idea.community_id)
        )
    return statement


def stage_moves(q: Query) -> list[IndicatorValue]:
    """Ideas that left brainstorming, and ideas that were scaled, in the period."""
    past, reached_scaled, without_development = q.one(_stage_moves(q.shape))
    return [
        tally("ideas_past_brainstorming", past, skipped_development=to_int(without_development)),
        tally("ideas_scaled", reached_scaled),
    ]


@cache
def _pilots(shape: Shape) -> Statement:
    change, other, idea = aliased(StageChange), aliased(StageChange), aliased(Idea)
    moved_to_pilot = select(change.idea_id).where(
        change.to_stage == "pilot",
        change.at < END,
        ~exists().where(
            other.idea_id == change.idea_id,
            other.at < END,
            or_(other.at > change.at, and_(other.at == change.at, other.id > change.id)),
        ),
    )
    moved_from_pilot_after_end = select(change.idea_id).where(
        change.at >= END,
        func.coalesce(change.from_stage, change.to_stage) == "pilot",
        ~exists().where(
            other.idea_id == change.idea_id,
            or_(other.at < change.at, and_(other.at == change.at, other.id < change.id)),
        ),
    )
    pilot_without_history = select(idea.id).where(
        idea.stage == "pilot",
        *shape.within(idea.community_id),
        ~exists().where(StageChange.idea_id == idea.id),
    )
    candidates = union(moved_to_pilot, moved_from_pilot_after_end, pilot_without_history)
    return (
        select(Idea.scaling, func.count())
        .where(Idea.id.in_(candidates), Idea.created_at < END, *shape.within(Idea.community_id))
        .group_by(Idea.scaling)
    )


def pilots(q: Query) -> list[IndicatorValue]:
    """Ideas whose stage at the end of the period was pilot, by current scaling potential.

    The stage at the end is the latest change before it; an idea with no change before the
    end is still in the stage it was created in (the first change's ``from_stage``, or its
    current stage when it has no history at all).
    """
    rows = q.all(_pilots(q.shape))
    by_scaling: dict[str, DetailValue] = dict.fromkeys(SCALING_LEVELS, 0)
    by_scaling.update({scaling: to_int(n) for scaling, n in rows})
    return [tally("pilots_running", sum(to_int(n) for _, n in rows), **by_scaling)]
