"""Indicator values as short text for tables, replies and the command line."""

from __future__ import annotations

from bot.i18n import Text, _, lazy, ngettext
from bot.indicators.definitions import DEFINITIONS, IndicatorValue

# The strategy headings; str() gives the reader's language.
STRATEGY_LABELS: dict[str, Text] = {
    "a": "(a)",
    "b": "(b)",
    "c": "(c)",
    "d": "(d)",
    "peer": lazy("peer learning"),
}


def format_value(key: str, value: float | None) -> str:
    """``40%`` for shares, ``2.5 h`` for hours, ``3.8/5`` for ratings, ``12`` for counts."""
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
    """The value with the supporting figure that matters most beside it."""
    text = format_value(v.key, v.value)
    d = v.details
    if v.key == "deliverable_feedback" and d.get("average_rating") is not None:
        text += " (" + _("avg {rating}").format(rating=f"{float(d['average_rating'] or 0):.1f}/5")
        text += ")"
    elif v.key in ("training_participation", "innovation_hours") and d.get("people"):
        people = int(d["people"] or 0)
        text += " (" + ngettext("{n} people", "{n} people", people).format(n=people) + ")"
    elif v.key == "constituent_satisfaction":
        items = int(d.get("count") or 0)
        text += " (" + ngettext("{n} item", "{n} items", items).format(n=items) + ")"
    elif v.key == "pulse_score" and d.get("response_rate") is not None:
        share = f"{float(d['response_rate'] or 0) * 100:.0f}%"
        text += " (" + _("{share} responded").format(share=share) + ")"
    elif v.key == "pilots_running" and v.value:
        parts = [f"{k} {d[k]}" for k in ("high", "medium", "low", "unrated") if d.get(k)]
        text += f" ({', '.join(parts)})"
    return text


def details_text(v: IndicatorValue) -> str:
    """The supporting figures as ``name=value; …`` (shares and averages rounded)."""
    parts = []
    for name, value in v.details.items():
        if isinstance(value, float):
            value = round(value, 4)
        parts.append(f"{name}={'' if value is None else value}")
    return "; ".join(parts)
