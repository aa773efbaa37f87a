"""The indicators of the monitoring framework, the scopes they are computed for and their values.

Each indicator has a stable key (used by targets, snapshots and exports), the strategy
heading it reports under, a unit that tells renderers how to show its value, and a
one-sentence definition for the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.errors import InvalidInput
from bot.i18n import _

Strategy = Literal["a", "b", "c", "d", "peer"]
Unit = Literal["count", "share", "hours", "rating", "score"]
ScopeKind = Literal["org", "community", "unit", "region"]
DetailValue = float | int | str | None

SCOPE_KINDS: tuple[ScopeKind, ...] = ("org", "community", "unit", "region")


@dataclass(frozen=True, slots=True)
class Definition:
    """``lower_is_better``: progress means going down (a shorter wait); ``cumulative``: the value
    only grows while the period runs (a count of things done in it), so a period in progress is
    judged against a target pro-rated to the time elapsed."""

    key: str
    label: str
    strategy: Strategy
    unit: Unit
    text: str
    lower_is_better: bool = False
    cumulative: bool = False


@dataclass(frozen=True, slots=True)
class Scope:
    """What an indicator is computed over.

    ``org`` covers everything, items without a community included; ``community`` the items of
    community ``id``; ``unit`` the items of communities whose unit is ``id``; ``region`` the
    items of communities whose unit's region is ``label`` (``id`` stays 0).
    """

    kind: ScopeKind
    id: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ValueError(f"unknown scope kind {self.kind!r}")
        if self.kind == "region" and not self.label:
            raise ValueError("a region scope needs the region name as its label")

    @classmethod
    def org(cls, label: str = "organisation") -> Scope:
        return cls("org", 0, label)

    @classmethod
    def community(cls, community_id: int, label: str = "") -> Scope:
        return cls("community", community_id, label)

    @classmethod
    def unit(cls, unit_id: int, label: str = "") -> Scope:
        return cls("unit", unit_id, label)

    @classmethod
    def region(cls, name: str) -> Scope:
        return cls("region", 0, name)


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One indicator for one period and scope.

    ``value`` is None when it is undefined (an average or share over nothing); counts and
    hours are 0.0 when nothing happened. ``details`` carries the supporting figures.
    """

    key: str
    value: float | None
    details: dict[str, DetailValue] = field(default_factory=dict)


_ALL: tuple[Definition, ...] = (
    Definition(
        "active_communities",
        "Active communities",
        "a",
        "count",
        "Communities with at least the threshold number (3 by default) of distinct "
        "contributors in the period.",
        cumulative=True,
    ),
    Definition(
        "active_members",
        "Active members",
        "a",
        "count",
        "Distinct people with at least one contribution in the period; anonymous feedback "
        "adds no person.",
        cumulative=True,
    ),
    Definition(
        "contributions",
        "Contributions",
        "a",
        "count",
        "Ideas, requests, offers of help, feedback items and event attendances in the period.",
        cumulative=True,
    ),
    Definition(
        "community_messages",
        "Community messages",
        "a",
        "count",
        "Messages counted in channels bound to a community in the period.",
        cumulative=True,
    ),
    Definition(
        "deliverable_feedback",
        "Feedback on deliverables",
        "a",
        "count",
        "Feedback items on community deliverables or on the community itself, with their "
        "average rating.",
        cumulative=True,
    ),
    Definition(
        "ideas_submitted",
        "Ideas submitted",
        "b",
        "count",
        "Ideas created in the period.",
        cumulative=True,
    ),
    Definition(
        "ideas_past_brainstorming",
        "Ideas past brainstorming",
        "b",
        "count",
        "Ideas that moved out of brainstorming (proposed) to development or a later stage "
        "in the period.",
        cumulative=True,
    ),
    Definition(
        "pilots_running",
        "Pilots running",
        "b",
        "count",
        "Ideas in the pilot stage at the end of the period, by current scaling potential.",
    ),
    Definition(
        "ideas_scaled",
        "Ideas scaled",
        "b",
        "count",
        "Ideas that reached the scaled stage in the period.",
        cumulative=True,
    ),
    Definition(
        "brainstorm_conversion",
        "Brainstorm conversion",
        "b",
        "share",
        "Share of the ideas created in the period that have reached development or a later "
        "stage since.",
    ),
    Definition(
        "events_held",
        "Events held",
        "c",
        "count",
        "Workshops, trainings and webinars held in the period (meetings excluded).",
        cumulative=True,
    ),
    Definition(
        "constituent_satisfaction",
        "Constituent and partner satisfaction",
        "c",
        "rating",
        "Average rating (1–5) of the feedback from constituents and partners in the period, "
        "and how many feedback items they gave.",
    ),
    Definition(
        "training_participation",
        "Training participation",
        "d",
        "count",
        "Attendances at trainings held in the period, and distinct people trained.",
        cumulative=True,
    ),
    Definition(
        "pulse_score",
        "Pulse score",
        "d",
        "score",
        "Average answer (1–5) to the pulse questions sent in the period, and the response rate.",
    ),
    Definition(
        "innovation_hours",
        "Innovation hours",
        "d",
        "hours",
        "Hours logged on innovation work in the period, and distinct people logging.",
        cumulative=True,
    ),
    Definition(
        "requests_opened",
        "Requests opened",
        "peer",
        "count",
        "Peer-learning requests created in the period.",
        cumulative=True,
    ),
    Definition(
        "time_to_first_response",
        "Time to first response",
        "peer",
        "hours",
        "Median hours from a request to its first offer of help, over the period's requests "
        "that got one.",
        lower_is_better=True,
    ),
    Definition(
        "requests_resolved_share",
        "Requests resolved",
        "peer",
        "share",
        "Share of the period's requests that are resolved.",
    ),
)

DEFINITIONS: dict[str, Definition] = {d.key: d for d in _ALL}


def definition(key: str) -> Definition:
    """The definition of ``key``; a friendly error when there is no such indicator."""
    try:
        return DEFINITIONS[key]
    except KeyError:
        raise InvalidInput(
            _('Unknown indicator "{key}". Indicators: {listed}.').format(
                key=key, listed=", ".join(DEFINITIONS)
            )
        ) from None
