"""The command grammar's parsed forms: one frozen dataclass per verb.

The parser (``bot.grammar.parser.parse``) turns a command line into one of these;
the dispatcher (``bot.commands``) runs it. Nothing here knows a platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

IdeaFilter = Literal["proposed", "development", "pilot", "scaled", "shelved", "mine", "top", "all"]
RequestFilter = Literal["open", "mine", "all"]
Rating = Literal["low", "medium", "high"]
EventKind = Literal["training", "workshop", "webinar", "meeting"]
FeedbackSource = Literal["staff", "constituent", "partner"]


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in a command: ``@ana`` (console), ``<@U123>`` (Slack), a Teams mention id."""

    raw: str  # the id or name without decoration: "ana", "U123"
    label: str | None = None  # display name when the platform gave one


@dataclass(frozen=True, slots=True)
class ItemRef:
    kind: Literal["I", "R", "E"]
    number: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.number}"


@dataclass(frozen=True, slots=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class NewIdea:
    text: str | None  # None: open a form


@dataclass(frozen=True, slots=True)
class ListIdeas:
    filter: IdeaFilter = "all"
    community: str | None = None
    theme: str | None = None


SearchKind = Literal["idea", "request", "lesson", "event"]


@dataclass(frozen=True, slots=True)
class Search:
    words: str
    kinds: tuple[SearchKind, ...] = ()
    theme: str | None = None
    community: str | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Support:
    ref: ItemRef
    instead_of: ItemRef | None = None


@dataclass(frozen=True, slots=True)
class Notify:
    ref: ItemRef


@dataclass(frozen=True, slots=True)
class Keep:
    ref: ItemRef


@dataclass(frozen=True, slots=True)
class Themes:
    action: Literal["list", "add", "remove"] = "list"
    name: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ShowItem:
    ref: ItemRef


@dataclass(frozen=True, slots=True)
class Vote:
    ref: ItemRef


@dataclass(frozen=True, slots=True)
class Advance:
    ref: ItemRef
    stage: str  # validated: development | pilot | scaled | proposed (reopen)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Shelve:
    ref: ItemRef
    lessons: str


@dataclass(frozen=True, slots=True)
class Reopen:
    ref: ItemRef
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RateIdea:
    ref: ItemRef
    rating: Rating


@dataclass(frozen=True, slots=True)
class HandOver:
    ref: ItemRef
    to: PersonRef


@dataclass(frozen=True, slots=True)
class Ask:
    text: str | None  # None: open a form


@dataclass(frozen=True, slots=True)
class ListRequests:
    filter: RequestFilter = "open"


@dataclass(frozen=True, slots=True)
class Offer:
    ref: ItemRef
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Resolve:
    ref: ItemRef
    helpers: tuple[PersonRef, ...] = ()


@dataclass(frozen=True, slots=True)
class CloseRequest:
    ref: ItemRef
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GiveFeedback:
    """``target``: an item, ``"community"``, ``"deliverable"``, or None (a form when no text)."""

    target: ItemRef | Literal["community", "deliverable"] | None
    rating: int | None
    text: str | None
    anonymous: bool = False
    source: FeedbackSource = "staff"


@dataclass(frozen=True, slots=True)
class Skills:
    action: Literal["list", "add", "remove"]
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Experts:
    topic: str


@dataclass(frozen=True, slots=True)
class AddEvent:
    title: str
    date: str  # ISO YYYY-MM-DD, validated by the parser
    kind: EventKind = "meeting"


@dataclass(frozen=True, slots=True)
class Attend:
    ref: ItemRef
    people: tuple[PersonRef, ...] = ()  # recorded by a focal point for others


@dataclass(frozen=True, slots=True)
class ListEvents:
    when: Literal["upcoming", "past"] = "upcoming"


@dataclass(frozen=True, slots=True)
class LogTime:
    hours: float
    idea: ItemRef | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    scope: str | None = None  # "community" | "unit" | "all" | a community name; None: default
    period: str | None = None  # raw period text, parsed by bot.periods
    chart: str | None = None  # an indicator key: its trend chart instead of the table


@dataclass(frozen=True, slots=True)
class Export:
    format: Literal["csv", "xlsx"] = "csv"
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    action: Literal["preview", "send"] = "preview"


@dataclass(frozen=True, slots=True)
class Snooze:
    days: int


@dataclass(frozen=True, slots=True)
class Language:
    code: str | None = None  # en | fr | es | auto; None: show the current one


@dataclass(frozen=True, slots=True)
class PersonalSettings:
    """``settings`` shows them; ``settings <key> <value>`` changes one."""

    key: Literal["nudges", "hours", "days", "timezone"] | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class PulseAnswer:
    """``pulse <1-5> [comment]``: answer (or change the answer to) the latest pulse question."""

    score: int | None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Community:
    action: Literal["create", "join", "leave", "bind", "settings", "list"]
    name: str | None = None
    settings: tuple[tuple[str, str], ...] = ()  # "settings key=value ..."


@dataclass(frozen=True, slots=True)
class FocalPoint:
    action: Literal["add", "remove"]
    person: PersonRef
    scope: str | None = None  # community or unit name; None: the channel's community


@dataclass(frozen=True, slots=True)
class Coordinator:
    action: Literal["add", "remove"]
    person: PersonRef


@dataclass(frozen=True, slots=True)
class SetTarget:
    indicator: str
    value: float
    period: str | None = None
    owner: PersonRef | None = None
    baseline: float | None = None
    scope: str | None = None
    baseline_from: str | None = None  # a past period whose value is the baseline


@dataclass(frozen=True, slots=True)
class Dashboard:
    pass


@dataclass(frozen=True, slots=True)
class MyData:
    pass


@dataclass(frozen=True, slots=True)
class ForgetMe:
    confirm: bool = False


Command = (
    Help
    | NewIdea
    | ListIdeas
    | Search
    | Support
    | Keep
    | Notify
    | Themes
    | ShowItem
    | Vote
    | Advance
    | Shelve
    | Reopen
    | RateIdea
    | HandOver
    | Ask
    | ListRequests
    | Offer
    | Resolve
    | CloseRequest
    | GiveFeedback
    | Skills
    | Experts
    | AddEvent
    | Attend
    | ListEvents
    | LogTime
    | Stats
    | Export
    | Digest
    | Snooze
    | Language
    | PersonalSettings
    | PulseAnswer
    | Community
    | FocalPoint
    | Coordinator
    | SetTarget
    | Dashboard
    | MyData
    | ForgetMe
)
