"""The dashboard's pages as template data, built from the services (``bot.services.dashboard``,
``bot.services.stats``) for the person the link signs. Runs in a worker thread."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bot.clock import local_date
from bot.i18n import _, formats
from bot.indicators import DEFINITIONS, Scope
from bot.indicators import chart as charts
from bot.indicators import export as exports
from bot.indicators.format import describe, format_value
from bot.periods import Period, PeriodKind, parse_period
from bot.reads.pipeline import COLUMNS
from bot.services import dashboard, stats
from bot.services.context import Context
from copbot.dashboard.texts import Texts
from storage.uow import UnitOfWorkFactory

PAGES = ("indicators", "pipeline", "communities", "downloads")
PATHS = {
    "indicators": "/dashboard/",
    "pipeline": "/dashboard/pipeline",
    "communities": "/dashboard/communities",
    "downloads": "/dashboard/downloads",
}


@dataclass(frozen=True, slots=True)
class Request:
    """One page asked for: who (``ctx``), with which token, scope and period."""

    ctx: Context
    token: str
    query: Mapping[str, str]
    texts: Texts
    uow: UnitOfWorkFactory
    figures: dashboard.FiguresCache | None = None
    expires_at: datetime | None = None


@dataclass(slots=True)
class Page:
    template: str
    data: dict[str, Any] = field(default_factory=dict)


def url(path: str, token: str, **params: str | None) -> str:
    query = {"t": token, **{k: v for k, v in params.items() if v}}
    return f"{path}?{urlencode(query)}"


def scope_label(scope: Scope) -> str:
    """As ``stats`` says it in chat."""
    if scope.kind == "org":
        return scope.label or _("organisation")
    return scope.label if scope.kind == "community" else f"{scope.kind} {scope.label}"


def _dates(period: Period) -> tuple[str, str]:
    last = period.end - timedelta(days=1)
    return formats.medium_day(period.start), formats.medium_day(last)


Choices = list[dashboard.ScopeChoice]


def _frame(
    req: Request, choices: Choices, page: str, *, title: str, scope: str, period: str | None
) -> dict[str, Any]:
    """What every page shows around its content: navigation, the scope and period chooser."""
    t = req.texts
    groups: dict[str, list[dashboard.ScopeChoice]] = {}
    for choice in choices:
        groups.setdefault(choice.kind, []).append(choice)
    labels = {
        "indicators": t.nav_indicators,
        "pipeline": t.nav_pipeline,
        "communities": t.nav_communities,
        "downloads": t.nav_downloads,
    }
    nav = [
        {
            "label": labels[name],
            "url": url(PATHS[name], req.token, scope=scope, period=period),
            "current": name == page,
        }
        for name in PAGES
    ]
    return {
        "t": t,
        "title": title,
        "nav": nav,
        "token": req.token,
        "scope": scope,
        "period": period or "",
        "scope_groups": [(t.scope_kind(kind), items) for kind, items in groups.items()],
        "show_scope": page != "downloads",
        "expires": req.expires_at,
    }


def choices_and_scope(req: Request) -> tuple[Choices, str]:
    """The scopes the person may see (``NotAllowed`` for members) and the one asked for, by
    default the widest. Whether they may see the one asked for is the service's to say."""
    choices = dashboard.scopes(req.uow(), req.ctx)
    asked = (req.query.get("scope") or "").strip()
    return choices, asked or choices[0].value


def _alt(t: Texts, key: str, where: str, points: tuple[charts.ChartPoint, ...]) -> str:
    d = DEFINITIONS[key]
    values = ", ".join(
        f"{p.label} {format_value(key, p.value)}"
        + (f" ({t.partial})" if p.partial else "")
        + (f" / {t.col_trend_target.lower()} {format_value(key, p.target)}" if p.target else "")
        for p in points
    )
    first, last = (points[0].label, points[-1].label) if points else ("", "")
    return t.chart_alt.format(label=d.label, scope=where, first=first, last=last, values=values)


def indicators(req: Request) -> Page:
    t = req.texts
    choices, scope = choices_and_scope(req)
    data = dashboard.indicators(
        req.uow(), req.ctx, scope=scope, period=req.query.get("period"), cache=req.figures
    )
    result = data.table
    where = scope_label(result.scope)
    period = result.period
    rows = []
    for row in result.rows:
        target = row.target
        rows.append(
            {
                "key": row.key,
                "label": DEFINITIONS[row.key].label,
                "text": DEFINITIONS[row.key].text,
                "value": row.current.value,
                "shown": describe(row.current),
                "previous": row.previous.value,
                "previous_shown": format_value(row.key, row.previous.value),
                "target": target.target if target else None,
                "target_shown": format_value(row.key, target.target) if target else t.none,
                "baseline_shown": format_value(row.key, target.baseline) if target else t.none,
                "owner": (target.owner if target and target.owner else t.none),
                "status": row.status or "",
                "status_shown": t.status(row.status),
                "strategy": DEFINITIONS[row.key].strategy,
            }
        )
    trends = []
    for strategy in ("a", "b", "c", "d", "peer"):
        items = []
        for key, d in DEFINITIONS.items():
            if d.strategy != strategy:
                continue
            points = data.trends[key]
            items.append(
                {
                    "key": key,
                    "label": d.label,
                    "src": url(
                        f"/dashboard/chart/{key}.png", req.token, scope=scope, period=period.label
                    ),
                    "alt": _alt(t, key, where, points),
                    "points": [
                        {
                            "label": p.label,
                            "value": p.value,
                            "shown": format_value(key, p.value),
                            "target_shown": format_value(key, p.target) if p.target else t.none,
                            "partial": p.partial,
                        }
                        for p in points
                    ],
                }
            )
        trends.append({"heading": t.strategy(strategy), "charts": items})
    start, end = _dates(period)
    days = (period.end - period.start).days
    behind = sum(1 for r in result.rows if r.status == "behind")
    with_target = sum(1 for r in result.rows if r.target is not None)
    frame = _frame(
        req,
        choices,
        "indicators",
        title=t.indicators_title.format(scope=where, period=period.label),
        scope=scope,
        period=period.label,
    )
    return Page(
        "indicators.html",
        frame
        | {
            "intro": t.indicators_intro.format(
                start=start, end=end, tz=req.ctx.settings.copbot_timezone, n=stats.CHART_PERIODS
            ),
            "so_far": (
                t.so_far.format(day=round(result.elapsed * days), days=days)
                if result.elapsed < 1
                else ""
            ),
            "targets_line": (
                t.behind_summary.format(behind=behind, targets=with_target)
                if with_target
                else t.no_targets
            ),
            "previous_label": period.previous().label,
            "as_of": t.as_of.format(time=data.computed_at.strftime("%H:%M")),
            "rows": rows,
            "trends": trends,
        },
    )


def pipeline(req: Request) -> Page:
    t = req.texts
    choices, scope = choices_and_scope(req)
    where, view = dashboard.idea_pipeline(req.uow(), req.ctx, scope=scope, cache=req.figures)
    frame = _frame(
        req,
        choices,
        "pipeline",
        title=t.pipeline_title.format(scope=scope_label(where)),
        scope=scope,
        period=req.query.get("period"),
    )
    return Page(
        "pipeline.html",
        frame
        | {
            "view": view,
            "columns": [t.stage(c) for c in COLUMNS],
            "intro": t.pipeline_intro.format(total=view.total),
        },
    )


def communities(req: Request) -> Page:
    t = req.texts
    choices, scope = choices_and_scope(req)
    found = dashboard.communities(
        req.uow(), req.ctx, scope=scope, period=req.query.get("period"), cache=req.figures
    )
    where, period, rows = found.scope, found.period, found.rows
    frame = _frame(
        req,
        choices,
        "communities",
        title=t.communities_title.format(scope=scope_label(where), period=period.label),
        scope=scope,
        period=period.label,
    )
    quiet = sum(1 for r in rows if r.silent)
    return Page(
        "communities.html",
        frame
        | {
            "rows": rows,
            "intro": t.communities_intro.format(period=period.label),
            "silent_line": t.silent_summary.format(n=quiet, total=len(rows)),
        },
    )


def downloads(req: Request) -> Page:
    t = req.texts
    choices = dashboard.scopes(req.uow(), req.ctx)
    tz = stats.org_tz(req.ctx)
    period = parse_period(req.query.get("period"), today=local_date(req.ctx.now, tz))
    scope = req.query.get("scope")
    frame = _frame(
        req,
        choices,
        "downloads",
        title=t.downloads_title.format(period=period.label),
        scope=scope or "",
        period=period.label,
    )
    return Page(
        "downloads.html",
        frame
        | {
            "csv": url("/dashboard/export.csv", req.token, period=period.label),
            "xlsx": url("/dashboard/export.xlsx", req.token, period=period.label),
        },
    )


def export(req: Request, fmt: str) -> tuple[bytes, str, str]:
    result = stats.export(req.uow(), req.ctx, period=req.query.get("period"))
    name = f"indicators-{result.period.label}.{fmt}"
    if fmt == "xlsx":
        return exports.to_xlsx(result.rows), exports.XLSX_MIMETYPE, name
    return exports.to_csv(result.rows), exports.CSV_MIMETYPE, name


@functools.lru_cache(maxsize=256)
def _png(key: str, where: str, kind: PeriodKind, points: tuple[charts.ChartPoint, ...]) -> bytes:
    return charts.render(DEFINITIONS[key], scope_label=where, kind=kind, points=points)


def chart(req: Request, key: str) -> bytes:
    """The indicator's trend as ``stats chart`` draws it (same figures, same picture)."""
    scope = req.query.get("scope") or "all"
    result = stats.chart(
        req.uow(), req.ctx, indicator=key, scope=scope, period=req.query.get("period")
    )
    return _png(key, scope_label(result.scope), result.period.kind, result.points)
