"""The indicators of the monitoring framework, the scopes they are computed for and their values.

Each indicator has a stable key (used by targets, snapshots and exports), the strategy
heading it reports under, a unit that tells renderers how to show its value, and a
one-sentence definition for the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.errors import InvalidInput
from bot.i18n import N_, _

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
    label_msgid: str
    strategy: Strategy
    unit: Unit
    text_msgid: str
    lower_is_better: bool = False
    cumulative: bool = False

    @property
    def label(self) -> str:
        """The indicator's name in the language of the text being produced."""
        return _(self.label_msgid)

    @property
    def text(self) -> str:
        """Its one-sentence definition in the language of the text being produced."""
        return _(self.text_msgid)


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
        N_("Active communities"),
        "a",
        "count",
        N_(
            "Communities with at least the threshold number (3 by default) of distinct "
            "contributors in the period."
        ),
        cumulative=True,
    ),
    Definition(
        "active_members",
        N_("Active members"),
        "a",
        "count",
        N_(
            "Distinct people with at least one contribution in the period; anonymous feedback "
            "adds no person."
        ),
        cumulative=True,
    ),
    Definition(
        "contributions",
        N_("Contributions"),
        "a",
        "count",
        N_("Ideas, requests, offers of help, feedback items and event attendances in the period."),
        cumulative=True,
    ),
    Definition(
        "community_messages",
        N_("Community messages"),
        "a",
        "count",
        N_("Messages counted in channels bound to a community in the period."),
        cumulative=True,
    ),
    Definition(
        "deliverable_feedback",
        N_("Feedback on deliverables"),
        "a",
        "count",
        N_(
            "Feedback items on community deliverables or on the community itself, with their "
            "average rating."
        ),
        cumulative=True,
    ),
    Definition(
        "ideas_submitted",
        N_("Ideas submitted"),
        "b",
        "count",
        N_("Ideas created in the period."),
        cumulative=True,
    ),
    Definition(
        "ideas_past_brainstorming",
        N_("Ideas past brainstorming"),
        "b",
        "count",
        N_(
            "Ideas that moved out of brainstorming (proposed) to development or a later stage "
            "in the period."
        ),
        cumulative=True,
    ),
    Definition(
        "pilots_running",
        N_("Pilots running"),
        "b",
        "count",
        N_("Ideas in the pilot stage at the end of the period, by current scaling potential."),
    ),
    Definition(
        "ideas_scaled",
        N_("Ideas scaled"),
        "b",
        "count",
        N_("Ideas that reached the scaled stage in the period."),
        cumulative=True,
    ),
    Definition(
        "brainstorm_conversion",
        N_("Brainstorm conversion"),
        "b",
        "share",
        N_(
            "Share of the ideas created in the period that have reached development or a later "
            "stage since."
        ),
    ),
    Definition(
        "events_held",
        N_("Events held"),
        "c",
        "count",
        N_("Workshops, trainings and webinars held in the period (meetings excluded)."),
        cumulative=True,
    ),
    Definition(
        "constituent_satisfaction",
        N_("Constituent and partner satisfaction"),
        "c",
        "rating",
        N_(
            "Average rating (1–5) of the feedback from constituents and partners in the period, "
            "and how many feedback items they gave."
        ),
    ),
    Definition(
        "training_participation",
        N_("Training participation"),
        "d",
        "count",
        N_("Attendances at trainings held in the period, and distinct people trained."),
        cumulative=True,
    ),
    Definition(
        "pulse_score",
        N_("Pulse score"),
        "d",
        "score",
        N_(
            "Average answer (1–5) to the pulse questions sent in the period, and the response rate."
        ),
    ),
    Definition(
        "innovation_hours",
        N_("Innovation hours"),
        "d",
        "hours",
        N_("Hours logged on innovation work in the period, and distinct people logging."),
        cumulative=True,
    ),
    Definition(
        "requests_opened",
        N_("Requests opened"),
        "peer",
        "count",
        N_("Peer-learning requests created in the period."),
        cumulative=True,
    ),
    Definition(
        "time_to_first_response",
        N_("Time to first response"),
        "peer",
        "hours",
        N_(
            "Median hours from a request to its first offer of help, over the period's requests "
            "that got one."
        ),
        lower_is_better=True,
    ),
    Definition(
        "requests_resolved_share",
        N_("Requests resolved"),
        "peer",
        "share",
        N_("Share of the period's requests that are resolved."),
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
