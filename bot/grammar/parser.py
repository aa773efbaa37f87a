"""The command parser: one line of text → one ``Command``.

Every failure is a ``bot.errors.CopError`` (``UsageError`` for a line that cannot be
understood, ``InvalidInput`` for a bad value) whose ``usage`` shows the right form.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from typing import Final, Literal

from bot.errors import UnknownStage, UsageError
from bot.grammar import commands as cmd
from bot.grammar import verbs_admin as verbs
from bot.grammar import verbs_knowledge as knowledge
from bot.grammar import verbs_personal as personal
from bot.grammar.help import USAGE
from bot.grammar.tokens import (
    DATE,
    Scanner,
    Token,
    did_you_mean,
    expect_end,
    invalid,
    item_ref,
    pick,
    read_action,
    read_name,
    read_option,
    read_people,
    read_ref,
    shown,
    to_date,
    to_person,
    unquote,
    usage_error,
)
from bot.i18n import _

STAGES: Final = ("proposed", "development", "pilot", "scaled")
ADVANCE_STAGES: Final = ("development", "pilot", "scaled")
IDEA_FILTERS: Final[tuple[cmd.IdeaFilter, ...]] = (
    "proposed", "development", "pilot", "scaled", "shelved", "mine", "top", "all",
)  # fmt: skip
REQUEST_FILTERS: Final[tuple[cmd.RequestFilter, ...]] = ("open", "mine", "all")
RATINGS: Final[tuple[cmd.Rating, ...]] = ("low", "medium", "high")
SOURCES: Final[tuple[cmd.FeedbackSource, ...]] = ("staff", "constituent", "partner")
EVENT_KINDS: Final[tuple[cmd.EventKind, ...]] = ("training", "workshop", "webinar", "meeting")
EVENT_FILTERS: Final[tuple[Literal["upcoming", "past"], ...]] = ("upcoming", "past")
DIGEST_ACTIONS: Final[tuple[Literal["preview", "send"], ...]] = ("preview", "send")
SKILL_ACTIONS: Final[tuple[Literal["list", "add", "remove"], ...]] = ("list", "add", "remove")

_FLAGS = re.IGNORECASE | re.ASCII
_DURATION = re.compile(
    r"(?:(\d{1,4}(?:[.,]\d{1,4})?)(?:h|hrs?|hours?))?(?:(\d{1,5})(?:m|mins?|minutes?))?", _FLAGS
)
_DAYS = re.compile(r"(\d{1,6})(?:d|days?)?", _FLAGS)
_RATING = re.compile(r"(\d{1,6})(?:/5)?", _FLAGS)


def parse(text: str, *, command_name: str = "cop") -> cmd.Command:
    """Parse one command line, with or without ``/cop`` or an ``@cop-bot`` mention in front."""
    prefix = _prefix(command_name)
    pos = 0
    while m := prefix.match(text, pos):
        pos = m.end()
    scanner = Scanner(text, pos)
    token = scanner.next()
    verbs = ", ".join(USAGE)
    if token is None:
        raise UsageError(
            _("Type a command. Commands: {verbs}.").format(verbs=verbs), usage=USAGE["help"]
        )
    verb = token.text.lower()
    handler = _VERBS.get(verb)
    if handler is None:
        hint = did_you_mean(verb, USAGE)
        raise UsageError(
            _('Unknown command "{shown}".{hint} Commands: {verbs}.').format(
                shown=shown(token.text), hint=hint, verbs=verbs
            ),
            usage=USAGE["help"],
        )
    return handler(scanner)


@functools.lru_cache(maxsize=8)
def _prefix(command_name: str) -> re.Pattern[str]:
    slash = re.escape(command_name.strip().lstrip("/"))
    bot = r"@cop-bot:?|<at>\s*cop-bot\s*</at>:?"
    return re.compile(rf"\s*(?:/{slash}|{bot})(?=\s|$)", re.IGNORECASE)


def _help(s: Scanner) -> cmd.Help:
    token = s.next()
    if token is None:
        return cmd.Help()
    return cmd.Help(token.text.lower().lstrip("/") or None)


def _theme_option(s: Scanner, verb: str) -> str | None:
    """``theme:<name>`` (or ``theme: <name>``, or ``#name``) where the scanner stands."""
    token = s.peek()
    if token is None:
        return None
    low = token.text.lower()
    if low.startswith("theme:"):
        s.next()
        name = low.removeprefix("theme:")
        if not name:
            following = s.next()
            if following is None:
                raise usage_error(verb, _("Name the theme, e.g. theme:climate."))
            name = following.text.lower()
        return name
    return None


def _ideas(s: Scanner) -> cmd.ListIdeas:
    theme = _theme_option(s, "ideas")
    token = s.peek()
    if token is None:
        return cmd.ListIdeas(theme=theme)
    low = token.text.lower()
    if low in IDEA_FILTERS:
        s.next()
        chosen = pick("ideas", low, IDEA_FILTERS, "filter")
        theme = theme or _theme_option(s, "ideas")
        return cmd.ListIdeas(chosen, read_name(s), theme)
    single = Scanner(s.text, token.end).peek() is None
    close = difflib.get_close_matches(low, IDEA_FILTERS, n=1, cutoff=0.75)
    if single and close:
        raise invalid(
            "ideas",
            _(
                'Unknown filter "{shown}". Did you mean "{close}"? For a '
                "community's ideas: ideas all {shown}"
            ).format(shown=shown(token.text), close=close[0]),
        )
    return cmd.ListIdeas("all", read_name(s), theme)


def _advance(s: Scanner) -> cmd.Advance:
    ref = read_ref(s, "advance", "I")
    token = s.next()
    if token is None:
        raise usage_error("advance", _("Name the stage to move to: development, pilot or scaled."))
    stage = token.text.lower()
    if stage == "proposed":
        raise invalid(
            "advance",
            _("Ideas start as proposed. To bring one back: reopen {ref}.").format(ref=ref),
        )
    if stage == "shelved":
        raise invalid(
            "advance", _("To shelve, say what was learned: shelve {ref} <lessons>.").format(ref=ref)
        )
    if stage not in ADVANCE_STAGES:
        hint = did_you_mean(stage, ADVANCE_STAGES)
        raise UnknownStage(
            _('Unknown stage "{shown}". Stages: {listed}.{hint}').format(
                shown=shown(token.text), listed=", ".join(STAGES), hint=hint
            ),
            usage=USAGE["advance"],
        )
    return cmd.Advance(ref, stage, s.rest())


def _shelve(s: Scanner) -> cmd.Shelve:
    ref = read_ref(s, "shelve", "I")
    lessons = s.rest()
    if lessons is None:
        raise usage_error(
            "shelve", _("Say what was learned: shelve {ref} <lessons learned>.").format(ref=ref)
        )
    return cmd.Shelve(ref, lessons)


def _rate(s: Scanner) -> cmd.RateIdea:
    ref = read_ref(s, "rate", "I")
    token = s.next()
    if token is None:
        raise usage_error(
            "rate", _("Give a rating: rate {ref} low, medium or high.").format(ref=ref)
        )
    rating = pick("rate", token.text, RATINGS, "rating")
    expect_end(s, "rate")
    return cmd.RateIdea(ref, rating)


def _handover(s: Scanner) -> cmd.HandOver:
    ref = read_ref(s, "handover", "I")
    person = to_person("handover", s.next())
    expect_end(s, "handover")
    return cmd.HandOver(ref, person)


def _feedback(s: Scanner) -> cmd.GiveFeedback:
    target: cmd.ItemRef | Literal["community", "deliverable"] | None = None
    rating: int | None = None
    anonymous = False
    source: cmd.FeedbackSource = "staff"
    while (token := s.peek()) is not None:
        low = token.text.lower()
        if token.kind == "word" and low in ("anon", "anonymous"):
            anonymous = True
        elif token.kind == "word" and low.startswith("source:"):
            value = low[len("source:") :]
            if not value:
                s.next()
                following = s.peek()
                if following is None:
                    raise usage_error(
                        "feedback", _("Name the source: staff, constituent or partner.")
                    )
                value = following.text
            source = pick("feedback", value, SOURCES, "source")
        elif target is None and rating is None and (ref := item_ref(token.text)):
            target = ref
        elif target is None and rating is None and low in ("community", "deliverable"):
            target = "community" if low == "community" else "deliverable"
        elif rating is None and token.kind == "word" and (m := _RATING.fullmatch(low)):
            rating = int(m[1])
            if not 1 <= rating <= 5:
                raise invalid(
                    "feedback",
                    _("Ratings go from 1 to 5, not {shown}.").format(shown=shown(token.text)),
                )
        else:
            break
        s.next()
    return cmd.GiveFeedback(target, rating, s.rest(), anonymous, source)


def _skills(s: Scanner) -> cmd.Skills:
    token = s.next()
    if token is None:
        return cmd.Skills("list")
    action = pick("skills", token.text, SKILL_ACTIONS, "action")
    if action == "list":
        expect_end(s, "skills")
        return cmd.Skills("list")
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", s.rest() or ""):
        skill = unquote(part)
        if skill and skill.lower() not in seen:
            seen[skill.lower()] = skill
    if not seen:
        raise usage_error(
            "skills",
            _("Name the skills, e.g. skills {action} python, data analysis.").format(action=action),
        )
    return cmd.Skills(action, tuple(seen.values()))


def _experts(s: Scanner) -> cmd.Experts:
    topic = read_name(s)
    if topic is None:
        raise usage_error("experts", _("Name a topic, e.g. experts survey design."))
    return cmd.Experts(topic)


def _event(s: Scanner) -> cmd.AddEvent:
    read_action(s, "event", ("add",))
    first = s.peek()
    if first is None:
        raise usage_error("event", _("Give the event a title and a date."))
    if first.kind == "quoted":
        s.next()
        title, when = first.text, s.next()
    else:
        words: list[Token] = []
        while (when := s.next()) is not None and not DATE.fullmatch(when.text):
            words.append(when)
        title = s.text[words[0].start : words[-1].end] if words else ""
    title = unquote(title.strip(' "“”'))
    if not title:
        raise usage_error("event", _("Give the event a title."))
    if when is None:
        raise usage_error("event", _("Give the event a date as YYYY-MM-DD, e.g. 2026-12-01."))
    day = to_date("event", when.text)
    kind = s.next()
    expect_end(s, "event")
    if kind is None:
        return cmd.AddEvent(title, day)
    return cmd.AddEvent(title, day, pick("event", kind.text, EVENT_KINDS, "kind"))


def _log(s: Scanner) -> cmd.LogTime:
    token = s.next()
    m = _DURATION.fullmatch(token.text) if token else None
    if token is None or m is None or not (m[1] or m[2]):
        raise usage_error("log", _("Give the time in hours or minutes, e.g. log 1.5h or log 90m."))
    hours = float((m[1] or "0").replace(",", ".")) + int(m[2] or 0) / 60
    if not 0 < hours <= 24:
        raise invalid("log", _("Hours must be more than 0 and at most 24."))
    idea = None
    following = s.peek()
    if following is not None and item_ref(following.text) is not None:
        idea = read_ref(s, "log", "I")
    return cmd.LogTime(hours, idea, s.rest())


def _snooze(s: Scanner) -> cmd.Snooze:
    token = s.next()
    m = _DAYS.fullmatch(token.text) if token else None
    if m is None:
        raise usage_error("snooze", _("Say for how many days, e.g. snooze 3d."))
    expect_end(s, "snooze")
    days = int(m[1])
    if not 1 <= days <= 90:
        raise invalid("snooze", _("Snooze for 1 to 90 days."))
    return cmd.Snooze(days)


def _forget_me(s: Scanner) -> cmd.ForgetMe:
    token = s.next()
    if token is not None and token.text.lower() != "confirm":
        raise usage_error(
            "forget-me",
            _('Unexpected "{shown}"; to go ahead: forget-me confirm.').format(
                shown=shown(token.raw)
            ),
        )
    expect_end(s, "forget-me")
    return cmd.ForgetMe(token is not None)


def _done(verb: str, build: Callable[[Scanner], cmd.Command]) -> Callable[[Scanner], cmd.Command]:
    def run(s: Scanner) -> cmd.Command:
        command = build(s)
        expect_end(s, verb)
        return command

    return run


_VERBS: Final[dict[str, Callable[[Scanner], cmd.Command]]] = {
    "help": _help,
    "idea": lambda s: cmd.NewIdea(s.rest()),
    "ideas": _ideas,
    "show": _done("show", lambda s: cmd.ShowItem(read_ref(s, "show", None))),
    "vote": _done("vote", lambda s: cmd.Vote(read_ref(s, "vote", "I"))),
    "advance": _advance,
    "shelve": _shelve,
    "reopen": lambda s: cmd.Reopen(read_ref(s, "reopen", "I"), s.rest()),
    "rate": _rate,
    "handover": _handover,
    "ask": lambda s: cmd.Ask(s.rest()),
    "requests": lambda s: cmd.ListRequests(
        read_option(s, "requests", REQUEST_FILTERS, "filter", "open")
    ),
    "offer": lambda s: cmd.Offer(read_ref(s, "offer", "R"), s.rest()),
    "resolve": lambda s: cmd.Resolve(read_ref(s, "resolve", "R"), read_people(s, "resolve")),
    "close": lambda s: cmd.CloseRequest(read_ref(s, "close", "R"), s.rest()),
    "feedback": _feedback,
    "skills": _skills,
    "experts": _experts,
    "search": knowledge.search,
    "support": knowledge.support,
    "keep": _done("keep", lambda s: cmd.Keep(read_ref(s, "keep", "I"))),
    "themes": knowledge.themes,
    "notify": _done("notify", lambda s: cmd.Notify(read_ref(s, "notify", "R"))),
    "event": _event,
    "attend": lambda s: cmd.Attend(read_ref(s, "attend", "E"), read_people(s, "attend")),
    "events": lambda s: cmd.ListEvents(
        read_option(s, "events", EVENT_FILTERS, "filter", "upcoming")
    ),
    "log": _log,
    "stats": verbs.stats,
    "export": verbs.export,
    "digest": lambda s: cmd.Digest(read_option(s, "digest", DIGEST_ACTIONS, "action", "preview")),
    "snooze": _snooze,
    "language": personal.language,
    "settings": personal.settings,
    "pulse": personal.pulse,
    "community": verbs.community,
    "focal": verbs.focal,
    "coordinator": verbs.coordinator,
    "target": verbs.target,
    "dashboard": _done("dashboard", lambda s: cmd.Dashboard()),
    "my-data": _done("my-data", lambda s: cmd.MyData()),
    "forget-me": _forget_me,
}
