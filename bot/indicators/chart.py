"""Trend charts: one indicator over the last periods, against its targets, as a PNG.

Drawn on a ``matplotlib.figure.Figure`` with the Agg canvas: no pyplot, no global state, so
charts can be rendered in several threads at once. 1200×675 px at 150 dpi (16:9, legible in a
chat pane), fonts of 10 pt and more, the Okabe–Ito colour-blind-safe palette, and line styles
that do not rely on colour alone (solid values, dashed targets, hatched partial period).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.i18n import LazyText, _, lazy
from bot.indicators.definitions import Definition
from bot.periods import PeriodKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_PX, HEIGHT_PX, DPI = 1200, 675, 150
FONT_PT = 10
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
# Okabe & Ito (2008), "Color Universal Design".
BLUE, VERMILLION, SKY, GREY, BLACK = "#0072B2", "#D55E00", "#56B4E9", "#999999", "#000000"

AXIS_LABELS: dict[str, LazyText] = {
    "active_communities": lazy("Communities"),
    "active_members": lazy("People"),
    "contributions": lazy("Contributions"),
    "community_messages": lazy("Messages"),
    "deliverable_feedback": lazy("Feedback items"),
    "ideas_submitted": lazy("Ideas"),
    "ideas_past_brainstorming": lazy("Ideas"),
    "pilots_running": lazy("Ideas in pilot (end of period)"),
    "ideas_scaled": lazy("Ideas"),
    "brainstorm_conversion": lazy("Share of the period's ideas (%)"),
    "events_held": lazy("Events"),
    "constituent_satisfaction": lazy("Average rating (1–5)"),
    "training_participation": lazy("Attendances"),
    "pulse_score": lazy("Average answer (1–5)"),
    "innovation_hours": lazy("Hours"),
    "requests_opened": lazy("Requests"),
    "time_to_first_response": lazy("Median hours to first offer"),
    "requests_resolved_share": lazy("Share of the period's requests (%)"),
}
KIND_LABELS: dict[PeriodKind, tuple[LazyText, LazyText]] = {
    "month": (lazy("Month"), lazy("months")),
    "quarter": (lazy("Quarter"), lazy("quarters")),
    "week": (lazy("ISO week"), lazy("weeks")),
    "year": (lazy("Year"), lazy("years")),
    "biennium": (lazy("Biennium"), lazy("bienniums")),
    "days": (lazy("Rolling window (last day)"), lazy("windows")),
}


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One period on the chart; ``partial`` when the period is still running."""

    label: str
    value: float | None
    target: float | None = None
    partial: bool = False


def filename(key: str, period_label: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in period_label)
    return f"{key}-{safe}.png"


def _shown(d: Definition, value: float) -> str:
    if d.unit == "share":
        return f"{value:.0f}%"
    if d.unit in ("rating", "score", "hours") or value != int(value):
        return f"{value:.1f}"
    return f"{int(value)}"


def render(
    d: Definition,
    *,
    scope_label: str,
    kind: PeriodKind,
    points: Sequence[ChartPoint],
    width_px: int = WIDTH_PX,
    height_px: int = HEIGHT_PX,
    dpi: int = DPI,
) -> bytes:
    """The chart as PNG bytes, exactly ``width_px`` × ``height_px``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    scale = 100.0 if d.unit == "share" else 1.0
    values = [math.nan if p.value is None else p.value * scale for p in points]
    xs = list(range(len(points)))
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    handles: list[Line2D | Patch] = []

    bars_chart = d.cumulative
    if bars_chart:
        bars = ax.bar(xs, [0.0 if math.isnan(v) else v for v in values], width=0.7, color=BLUE)
        for bar, point in zip(bars, points, strict=True):
            if point.partial:
                bar.set_facecolor(SKY)
                bar.set_hatch("//")
                bar.set_edgecolor(BLUE)
        handles.append(Patch(facecolor=BLUE, label=d.label))
    else:
        ax.plot(xs, values, color=BLUE, marker="o", linewidth=2, markersize=6, zorder=3)
        for x, (value, point) in enumerate(zip(values, points, strict=True)):
            if point.partial and not math.isnan(value):
                ax.plot(
                    [x], [value], marker="o", markersize=9, color="white",
                    markeredgecolor=BLUE, markeredgewidth=2, zorder=4,
                )  # fmt: skip
        handles.append(Line2D([], [], color=BLUE, marker="o", linewidth=2, label=d.label))
    for x, value in zip(xs, values, strict=True):
        if math.isnan(value):
            ax.annotate(
                "no data", (x, 0), xytext=(0, 4), textcoords="offset points",
                xycoords=("data", "axes fraction"), ha="center", va="bottom", fontsize=FONT_PT,
                color=GREY,
            )  # fmt: skip
            continue
        ax.annotate(
            _shown(d, value), (x, value), xytext=(0, 5 if bars_chart else 9),
            textcoords="offset points", ha="center", va="bottom", fontsize=FONT_PT, color=BLACK,
            zorder=5, bbox=LABEL_BOX,
        )  # fmt: skip

    targets = [
        (x, p.target * scale) for x, p in zip(xs, points, strict=True) if p.target is not None
    ]
    for x, target in targets:
        ax.hlines(target, x - 0.45, x + 0.45, colors=VERMILLION, linestyles="--", linewidth=2)
    if targets:
        handles.append(
            Line2D([], [], color=VERMILLION, linestyle="--", linewidth=2, label=_("Target"))
        )
    if any(p.partial for p in points):
        so_far = next(p.label for p in points if p.partial)
        so_far_label = _("{period} so far").format(period=so_far)
        if bars_chart:
            handles.append(
                Patch(
                    facecolor=SKY,
                    edgecolor=BLUE,
                    hatch="//",
                    label=_("{period} so far").format(period=so_far),
                )
            )
        else:
            handles.append(
                Line2D([], [], color="white", marker="o", markeredgecolor=BLUE, markersize=9,
                       markeredgewidth=2, linestyle="", label=so_far_label)
            )  # fmt: skip

    axis_name, plural = KIND_LABELS[kind]
    first, last = (points[0].label, points[-1].label) if points else ("", "")
    better = _("; lower is better") if d.lower_is_better else ""
    ax.set_title(
        f"{d.label} — {scope_label}\n"
        + _("{n} {periods}, {first} to {last}{better}").format(
            n=len(points), periods=plural, first=first, last=last, better=better
        ),
        fontsize=FONT_PT + 2, loc="left",
    )  # fmt: skip
    ax.set_xlabel(str(axis_name), fontsize=FONT_PT + 1)
    ax.set_ylabel(str(AXIS_LABELS.get(d.key, d.label)), fontsize=FONT_PT + 1)
    ax.set_xticks(xs, [p.label for p in points], fontsize=FONT_PT)
    ax.tick_params(axis="y", labelsize=FONT_PT)
    ax.set_xlim(-0.6, len(points) - 0.4)
    _y_range(ax, d, [v for v in values if not math.isnan(v)] + [t for _, t in targets])
    if d.unit == "count":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color=GREY, alpha=0.35, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(handles=handles, fontsize=FONT_PT, loc="upper left", frameon=False, ncols=3)

    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Title": f"{d.label} — {scope_label}"})
    return out.getvalue()


def _y_range(ax: Axes, d: Definition, shown: Sequence[float]) -> None:
    """From zero (1 to 5 for ratings), with head room for the labels and the legend."""
    top = max(shown, default=0.0)
    if d.unit in ("rating", "score"):
        ax.set_ylim(1, 6.2)
        ax.set_yticks([1, 2, 3, 4, 5])
        return
    ceiling = top * 1.3 if top > 0 else 1.0
    if d.unit == "share":
        ceiling = max(ceiling, 10.0)
    ax.set_ylim(0, ceiling)
