"""The indicator table (stats), the trend chart (stats chart), exports and target setting."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, formats
from bot.i18n.words import shown
from bot.indicators import DEFINITIONS, Scope
from bot.indicators import chart as charts
from bot.indicators import export as exports
from bot.indicators.format import describe, format_value
from bot.messages import Attachment, Notice, Reply, Table
from bot.periods import Period
from bot.services import stats
from bot.services.context import Context

__all__ = ["describe", "format_value", "result_table"]


def _progress(row: stats.StatsRow) -> str:
    if row.target is None or row.attainment is None:
        return "–"
    return f"{formats.percent(row.attainment)} ({shown(row.status or '')})"


def result_table(result: stats.StatsResult) -> Table:
    """Indicator, the period's value, the previous period's, the target and the progress."""
    rows = []
    for row in result.rows:
        target = "–"
        if row.target is not None:
            target = format_value(row.key, row.target.target)
            if row.target.owner:
                target += f" ({row.target.owner})"
        rows.append(
            (
                DEFINITIONS[row.key].label,
                describe(row.current),
                format_value(row.key, row.previous.value),
                target,
                _progress(row),
            )
        )
    columns = (
        _("Indicator"),
        result.period.label,
        result.period.previous().label,
        _("Target (owner)"),
        _("Progress"),
    )
    return Table(columns, tuple(rows))


def _dates(period: Period) -> str:
    last = period.end - timedelta(days=1)
    return f"{formats.medium_day(period.start)} – {formats.medium_day(last)}"


def _scope_label(scope: Scope) -> str:
    if scope.kind == "org":
        return scope.label or _("organisation")
    return f"{scope.kind} {scope.label}" if scope.kind != "community" else scope.label


@handles(c.Stats)
def show_stats(deps: Deps, cmd: c.Stats, ctx: Context) -> Reply:
    if cmd.chart is not None:
        return _chart(deps, cmd, ctx)
    result = stats.table(deps.uow(), ctx, scope=cmd.scope, period=cmd.period)
    period = result.period
    when = f"{_dates(period)}, {deps.settings.copbot_timezone}"
    if result.elapsed < 1:
        days = (period.end - period.start).days
        when += ", " + _("day {day} of {days} so far").format(
            day=round(result.elapsed * days), days=days
        )
    behind = [row for row in result.rows if row.status == "behind"]
    targets = [row for row in result.rows if row.target is not None]
    text = _("Indicators for {scope}, {period} ({when}).").format(
        scope=_scope_label(result.scope), period=period.label, when=when
    )
    if targets:
        text += " " + _("{behind} of {n} targets behind.").format(
            behind=len(behind), n=len(targets)
        )
    return Reply(text, table=result_table(result))


def _chart(deps: Deps, cmd: c.Stats, ctx: Context) -> Reply:
    key = cmd.chart or ""
    result = stats.chart(deps.uow(), ctx, indicator=key, scope=cmd.scope, period=cmd.period)
    d = result.definition
    where = _scope_label(result.scope)
    png = charts.render(d, scope_label=where, kind=result.period.kind, points=result.points)
    first, last = result.points[0].label, result.points[-1].label
    title = f"{d.label}, {where}, {first} to {last}"
    return Reply(
        f"{d.label} for {where}: the last {len(result.points)} periods to {result.period.label}"
        f"{' with the targets' if any(p.target is not None for p in result.points) else ''}.",
        attachments=(
            Attachment(charts.filename(d.key, result.period.label), png, "image/png", title),
        ),
    )


@handles(c.Export)
def export(deps: Deps, cmd: c.Export, ctx: Context) -> Reply:
    result = stats.export(deps.uow(), ctx, period=cmd.period)
    label = result.period.label
    if cmd.format == "xlsx":
        content, mimetype = exports.to_xlsx(result.rows), exports.XLSX_MIMETYPE
    else:
        content, mimetype = exports.to_csv(result.rows), exports.CSV_MIMETYPE
    name = f"indicators-{label}.{cmd.format}"
    return Reply(
        f"Every indicator for {result.scopes} scope(s), {label} ({_dates(result.period)}, "
        f"{result.tz.key}), with the definitions.",
        attachments=(Attachment(name, content, mimetype, f"Indicators {label}"),),
    )


@handles(c.SetTarget)
def set_target(deps: Deps, cmd: c.SetTarget, ctx: Context) -> Reply:
    result = stats.set_target(
        deps.uow(),
        ctx,
        indicator=cmd.indicator,
        value=cmd.value,
        period=cmd.period,
        owner=cmd.owner,
        baseline=cmd.baseline,
        scope=cmd.scope,
        baseline_from=cmd.baseline_from,
    )
    view = result.view
    label = DEFINITIONS[cmd.indicator].label
    text = (
        f"Target for {label} in {_scope_label(result.scope)}, {result.period.label}: "
        f"{format_value(cmd.indicator, view.target)} "
        f"(baseline {format_value(cmd.indicator, view.baseline)}"
        f"{f' from {cmd.baseline_from}' if cmd.baseline_from else ''}, "
        f"owner {view.owner or 'none'})."
    )
    notices: tuple[Notice, ...] = ()
    if result.owner_id is not None:
        notices = (Notice(result.owner_id, f"You own this target now. {text}"),)
    return Reply(text, notices=notices)
