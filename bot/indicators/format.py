"""Indicator values as short text for tables, replies and the command line."""

from __future__ import annotations

from bot.i18n import Text, _, formats, lazy, ngettext
from bot.i18n.words import shown
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
    """``40%`` for shares, ``2.5 h`` for hours, ``3.8/5`` for ratings, ``12`` for counts, as
    the reader's language writes numbers (``40 %``, ``2,5 h``, ``3,8/5``)."""
    if value is None:
        return "–"
    unit = DEFINITIONS[key].unit
    if unit == "share":
        return formats.percent(value)
    if unit == "hours":
        return formats.hours(value)
    if unit in ("rating", "score"):
        return _rating(value)
    return formats.number(value, digits=2)


def _rating(value: float) -> str:
    """``3.8/5`` / ``3,8/5``."""
    return formats.number(value, fixed=True) + "/5"


def describe(v: IndicatorValue) -> str:
    """The value with the supporting figure that matters most beside it."""
    text = format_value(v.key, v.value)
    d = v.details
    if v.key == "deliverable_feedback" and d.get("average_rating") is not None:
        text += " (" + _("avg {rating}").format(rating=_rating(float(d["average_rating"] or 0)))
        text += ")"
    elif v.key in ("training_participation", "innovation_hours") and d.get("people"):
        people = int(d["people"] or 0)
        text += " (" + ngettext("{n} person", "{n} people", people).format(n=people) + ")"
    elif v.key == "constituent_satisfaction":
        items = int(d.get("count") or 0)
        text += " (" + ngettext("{n} item", "{n} items", items).format(n=items) + ")"
    elif v.key == "pulse_score" and d.get("response_rate") is not None:
        share = formats.percent(float(d["response_rate"] or 0))
        text += " (" + _("{share} responded").format(share=share) + ")"
    elif v.key == "pilots_running" and v.value:
        parts = [f"{shown(k)} {d[k]}" for k in ("high", "medium", "low", "unrated") if d.get(k)]
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
