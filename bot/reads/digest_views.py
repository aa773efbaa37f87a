"""Frozen views of a community's week, as the digest shows it (see ``digest_data``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import local_midnight_utc


@dataclass(frozen=True, slots=True)
class Window:
    """Local days ``first_day <= d < end_day`` in ``tz``; the previous window is the week before."""

    first_day: date
    end_day: date
    tz: ZoneInfo

    @classmethod
    def week_before(cls, day: date, tz: ZoneInfo) -> Window:
        return cls(day - timedelta(days=7), day, tz)

    def _utc(self, day: date) -> datetime:
        return local_midnight_utc(day, self.tz)

    @property
    def start(self) -> datetime:
        return self._utc(self.first_day)

    @property
    def end(self) -> datetime:
        return self._utc(self.end_day)

    @property
    def previous_start(self) -> datetime:
        return self._utc(self.first_day - (self.end_day - self.first_day))


@dataclass(frozen=True, slots=True)
class Counts:
    ideas: int = 0
    requests: int = 0
    offers: int = 0
    feedback: int = 0
    attendances: int = 0
    messages: int = 0

    @property
    def contributions(self) -> int:
        return self.ideas + self.requests + self.offers + self.feedback + self.attendances


@dataclass(frozen=True, slots=True)
class NewIdea:
    id: int
    title: str
    votes: int
    author: str
    stage: str
    permalink: str | None


@dataclass(frozen=True, slots=True)
class StageMove:
    idea_id: int
    title: str
    from_stage: str
    to_stage: str
    note: str | None
    lessons: str | None
    permalink: str | None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    id: int
    question: str
    requester: str
    created_at: datetime
    permalink: str | None


@dataclass(frozen=True, slots=True)
class ResolvedRequest:
    id: int
    question: str
    helpers: tuple[str, ...]
    permalink: str | None


@dataclass(frozen=True, slots=True)
class Highlight:
    id: int
    rating: int
    text: str
    author: str | None  # None when anonymous
    target: str
    permalink: str | None


@dataclass(frozen=True, slots=True)
class Upcoming:
    id: int
    title: str
    day: date
    kind: str
    attendees: int


@dataclass(slots=True)
class CommunityWeek:
    community_id: int
    name: str
    window: Window
    this: Counts = field(default_factory=Counts)
    previous: Counts = field(default_factory=Counts)
    new_ideas: list[NewIdea] = field(default_factory=list)
    moves: list[StageMove] = field(default_factory=list)
    shelved: list[StageMove] = field(default_factory=list)
    open_requests: list[OpenRequest] = field(default_factory=list)
    open_total: int = 0
    resolved: list[ResolvedRequest] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    upcoming: list[Upcoming] = field(default_factory=list)

    @property
    def happened(self) -> bool:
        """Anything captured, moved, answered or resolved in the window."""
        return bool(self.this.contributions or self.moves or self.shelved or self.resolved)
