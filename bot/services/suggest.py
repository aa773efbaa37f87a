"""Suggested capture: does a message look like an idea or a help request?

A deterministic detector made of phrase patterns, with no language model, so its behaviour
can be tested and measured (``tests/unit/test_suggest.py`` keeps a labelled sample and checks
its precision). It only ever leads to a prompt that the author may click; nothing is saved
without that click.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cachetools import TTLCache

Kind = Literal["idea", "request"]

MIN_WORDS = 5
MAX_WORDS = 400

_F = re.IGNORECASE

_REQUEST_CUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _F)
    for p in (
        r"\b(?:does|do|did|has|have) (?:anyone|anybody|someone|somebody|any of you)\b",
        r"\b(?:can|could|would) (?:anyone|anybody|someone|somebody|you)\b"
        r".{0,40}\b(?:help|share|point|recommend|advise|explain|show)\b",
        r"\b(?:anyone|anybody) (?:know|knows|have|has|used|tried|done|familiar)\b",
        r"\bhow (?:do|can|should|would|did) (?:i|we|you)\b",
        r"\b(?:is|are) there (?:a|an|any)\b",
        r"\bwhere (?:can|do|should|would) (?:i|we) (?:find|get|start|look)\b",
        r"\bwho (?:knows|has|can|could|would)\b",
        r"\bany (?:tips|advice|pointers|recommendations|suggestions|experience)\b",
    )
)
# Asks that need no question mark.
_PLAIN_REQUEST_CUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _F)
    for p in (
        r"\b(?:i|we) (?:need|could use|would appreciate|am looking for|are looking for) "
        r"(?:some |a bit of |any )?(?:help|advice|input|guidance|pointers|an expert)\b",
        r"\blooking for (?:help|advice|input|guidance|someone who|an expert)\b",
        r"\bgrateful for any (?:help|advice|pointers|input)\b",
    )
)
_IDEA_CUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _F)
    for p in (
        r"\bwhat if we\b",
        r"\bhow about (?:we|if we|a|an)\b",
        r"\bwhy don'?t we\b",
        r"\bwe (?:could|should|might|can) (?:try|pilot|test|start|create|build|set up|"
        r"introduce|launch|offer|run|use|automate|share|replace)\b",
        r"\b(?:i|we) (?:propose|suggest) (?:that |we |to |a |an )?",
        r"\b(?:my|an|one|new|small|quick) idea\b",
        r"^\s*idea\s*[:-]",
        r"\bit would be (?:great|nice|useful|good|helpful) (?:if|to)\b",
        r"\bwouldn'?t it be (?:great|nice|useful|good|helpful)\b",
        r"\blet'?s (?:try|pilot|experiment|test|create|build|start)\b",
        r"\bproposal\b",
    )
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: Kind
    cue: str  # the words that matched, for logs and tests


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> list[str]:
    return [m.group(0).strip() for p in patterns if (m := p.search(text))]


def classify(text: str) -> Suggestion | None:
    """``Suggestion("request" | "idea", cue)`` when ``text`` reads like one, else None."""
    flat = " ".join(text.split())
    words = len(flat.split())
    if words < MIN_WORDS or words > MAX_WORDS or flat.startswith("/"):
        return None
    asks = _first(_PLAIN_REQUEST_CUES, flat)
    if "?" in flat:
        asks += _first(_REQUEST_CUES, flat)
    ideas = _first(_IDEA_CUES, flat)
    if not asks and not ideas:
        return None
    if len(ideas) > len(asks) or (ideas and len(ideas) == len(asks) and "?" not in flat):
        return Suggestion("idea", ideas[0])
    return Suggestion("request", asks[0])


SUGGEST_COOLDOWN_SECONDS = 3600.0


class Cooldown:
    """At most one suggestion per person per channel per hour (in this process; a missed
    suggestion costs nothing)."""

    def __init__(
        self,
        seconds: float = SUGGEST_COOLDOWN_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._recent: TTLCache[tuple[str, str, str], bool] = TTLCache(
            maxsize=10_000, ttl=seconds, timer=clock
        )

    def ready(self, team: str, user: str, channel: str) -> bool:
        key = (team, user, channel)
        if key in self._recent:
            return False
        self._recent[key] = True
        return True
