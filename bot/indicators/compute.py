"""Compute the indicators from the store for one period and scope.

The figures are computed by what they measure: :mod:`bot.indicators.participation`,
:mod:`bot.indicators.ideas` and :mod:`bot.indicators.support`, over a
:class:`bot.indicators.query.Query`.

Every figure is an aggregate query (only the response times for the median are loaded).
The period's dates are local dates in the caller's time zone: timestamps count when
``local midnight of start <= t < local midnight of end``; participation and event days are
local dates already and are compared with the date range directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.indicators.definitions import DEFINITIONS, IndicatorValue, Scope, definition
from bot.indicators.ideas import ideas, pilots, stage_moves
from bot.indicators.participation import contributions, events, messages, pulse, time_logged
from bot.indicators.query import Query, query_for
from bot.indicators.support import feedback, help_requests
from bot.periods import Period

_Calculator = Callable[[Query], list[IndicatorValue]]

_CALCULATORS: tuple[tuple[tuple[str, ...], _Calculator], ...] = (
    (("active_communities", "active_members", "contributions"), contributions),
    (("community_messages",), messages),
    (("deliverable_feedback", "constituent_satisfaction"), feedback),
    (("ideas_submitted", "brainstorm_conversion"), ideas),
    (("ideas_past_brainstorming", "ideas_scaled"), stage_moves),
    (("pilots_running",), pilots),
    (("events_held", "training_participation"), events),
    (("pulse_score",), pulse),
    (("innovation_hours",), time_logged),
    (("requests_opened", "time_to_first_response", "requests_resolved_share"), help_requests),
)
_BY_KEY: dict[str, _Calculator] = {key: calc for keys, calc in _CALCULATORS for key in keys}
_ORDER: dict[str, int] = {key: i for i, key in enumerate(DEFINITIONS)}


def compute_all(
    session: Session,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int = 3,
    today: date | None = None,
) -> list[IndicatorValue]:
    """Every indicator for ``period`` and ``scope``, in the order of ``DEFINITIONS``.

    ``today`` (the local date now) keeps events after it out of ``events_held`` and their
    registrations out of attendances; without it the whole period counts."""
    q = query_for(session, period, scope, tz, active_threshold, today)
    values = [value for _, calculator in _CALCULATORS for value in calculator(q)]
    return sorted(values, key=lambda value: _ORDER[value.key])


def compute(
    session: Session,
    key: str,
    *,
    period: Period,
    scope: Scope,
    tz: ZoneInfo,
    active_threshold: int = 3,
    today: date | None = None,
) -> IndicatorValue:
    """One indicator; raises ``InvalidInput`` for an unknown key."""
    definition(key)
    q = query_for(session, period, scope, tz, active_threshold, today)
    return next(value for value in _BY_KEY[key](q) if value.key == key)
