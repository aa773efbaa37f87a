"""The indicator table (stats), the trend chart (stats chart), exports and target setting."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.registry import Deps, handles
from bot.grammar import commands as c
from bot.i18n import _, formats, ngettext, use_locale
from bot.i18n.words import shown
from bot.indicators import DEFINITIONS, Scope
from bot.indicators import chart as charts
from bot.indicators import export as exports
from bot.indicators.format import describe, format_value
from bot.messages import Attachment, Notice, Reply, Table
from bot.periods import Period
from bot.reads import language
from bot.services import stats, stats_targets
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
    if scope.kind == "unit":
        return _("unit {name}").format(name=scope.label)
    if scope.kind == "region":
        return _("region {name}").format(name=scope.label)
    return scope.label


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
        # The form follows how many are behind: French and Spanish agree the noun with it.
        text += " " + ngettext(
            "{behind} of {n} targets behind.", "{behind} of {n} targets behind.", len(behind)
        ).format(behind=len(behind), n=len(targets))
    return Reply(text, table=result_table(result))


def _chart(deps: Deps, cmd: c.Stats, ctx: Context) -> Reply:
    key = cmd.chart or ""
    result = stats.chart(deps.uow(), ctx, indicator=key, scope=cmd.scope, period=cmd.period)
    d = result.definition
    where = _scope_label(result.scope)
    png = charts.render(d, scope_label=where, kind=result.period.kind, points=result.points)
    first, last = result.points[0].label, result.points[-1].label
    title = _("{indicator}, {scope}, {first} to {last}").format(
        indicator=d.label, scope=where, first=first, last=last
    )
    if any(p.target is not None for p in result.points):
        text = _("{indicator} for {scope}: the last {n} periods to {period} with the targets.")
    else:
        text = _("{indicator} for {scope}: the last {n} periods to {period}.")
    return Reply(
        text.format(
            indicator=d.label, scope=where, n=len(result.points), period=result.period.label
        ),
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
    text = ngettext(
        "Every indicator for {n} scope, {period} ({dates}, {zone}), with the definitions.",
        "Every indicator for {n} scopes, {period} ({dates}, {zone}), with the definitions.",
        result.scopes,
    ).format(n=result.scopes, period=label, dates=_dates(result.period), zone=result.tz.key)
    title = _("Indicators {period}").format(period=label)
    return Reply(text, attachments=(Attachment(name, content, mimetype, title),))


@handles(c.SetTarget)
def set_target(deps: Deps, cmd: c.SetTarget, ctx: Context) -> Reply:
    result = stats_targets.set_target(
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
    text = _target_text(cmd, result)
    notices: tuple[Notice, ...] = ()
    if result.owner_id is not None:
        owner = result.owner_id
        with use_locale(language.of_people(deps.uow(), [owner], ctx.settings)[owner]):
            told = _("You own this target now. {text}").format(text=_target_text(cmd, result))
        notices = (Notice(owner, told),)
    return Reply(text, notices=notices)


def _target_text(cmd: c.SetTarget, result: stats_targets.TargetResult) -> str:
    """What a target now is, in the current language."""
    view = result.view
    values = {
        "indicator": DEFINITIONS[cmd.indicator].label,
        "scope": _scope_label(result.scope),
        "period": result.period.label,
        "target": format_value(cmd.indicator, view.target),
        "baseline": format_value(cmd.indicator, view.baseline),
        "source": cmd.baseline_from or "",
        "owner": view.owner or _("none"),
    }
    if cmd.baseline_from:
        return _(
            "Target for {indicator} in {scope}, {period}: {target} "
            "(baseline {baseline} from {source}, owner {owner})."
        ).format(**values)
    return _(
        "Target for {indicator} in {scope}, {period}: {target} "
        "(baseline {baseline}, owner {owner})."
    ).format(**values)
