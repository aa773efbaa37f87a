"""The indicator table (stats) and target setting."""

from __future__ import annotations

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.indicators import DEFINITIONS, IndicatorValue
from bot.messages import Reply, Table
from bot.services import stats
from bot.services.context import Context


def format_value(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    unit = DEFINITIONS[key].unit
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit in ("rating", "score"):
        return f"{value:.1f}/5"
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def describe(v: IndicatorValue) -> str:
    text = format_value(v.key, v.value)
    d = v.details
    if v.key == "deliverable_feedback" and d.get("average_rating") is not None:
        text += f" (avg {float(d['average_rating'] or 0):.1f}/5)"
    elif v.key in ("training_participation", "innovation_hours") and d.get("people"):
        text += f" ({d['people']} people)"
    elif v.key == "constituent_satisfaction":
        text += f" ({d.get('count', 0)} items)"
    elif v.key == "pulse_score" and d.get("response_rate") is not None:
        text += f" ({float(d['response_rate'] or 0) * 100:.0f}% responded)"
    elif v.key == "pilots_running" and v.value:
        parts = [f"{k} {d[k]}" for k in ("high", "medium", "low", "unrated") if d.get(k)]
        text += f" ({', '.join(parts)})"
    return text


def result_table(result: stats.StatsResult) -> Table:
    rows = []
    for row in result.rows:
        target = "–"
        if row.target is not None:
            target = format_value(row.key, row.target.target)
            current = row.current.value or 0
            if row.target.target:
                target += f" ({min(current / row.target.target, 9.99) * 100:.0f}%)"
        rows.append(
            (
                DEFINITIONS[row.key].label,
                describe(row.current),
                format_value(row.key, row.previous.value),
                target,
            )
        )
    return Table(
        ("Indicator", result.period.label, result.period.previous().label, "Target"), tuple(rows)
    )


@handles(c.Stats)
def show_stats(deps: Deps, cmd: c.Stats, ctx: Context) -> Reply:
    result = stats.table(deps.uow(), ctx, scope=cmd.scope, period=cmd.period)
    label = result.scope.label or result.scope.kind
    return Reply(
        f"Indicators for {label}, {result.period.label} "
        f"({result.period.start:%d %b %Y} – {result.period.end:%d %b %Y}, end excluded)",
        table=result_table(result),
    )


@handles(c.SetTarget)
def set_target(deps: Deps, cmd: c.SetTarget, ctx: Context) -> Reply:
    result, view = stats.set_target(
        deps.uow(),
        ctx,
        indicator=cmd.indicator,
        value=cmd.value,
        period=cmd.period,
        owner=cmd.owner,
        baseline=cmd.baseline,
        scope=cmd.scope,
    )
    label = DEFINITIONS[cmd.indicator].label
    return Reply(
        f"Target for {label} in {result.scope.label or result.scope.kind}, "
        f"{result.period.label}: {format_value(cmd.indicator, view.target)} "
        f"(baseline {format_value(cmd.indicator, view.baseline)}, "
        f"owner {view.owner or 'none'})."
    )
