"""Suggested capture: does a message look like an idea or a help request?

A small trained model: two logistic regressions (idea, request) over the message's sentence
embedding (``bot.knowledge.embedder``, multilingual) and a few cue features (phrase patterns
in English, French and Spanish, a question mark, an imperative first word). The weights ship
in ``suggest_model.json`` beside this file; ``benchmarks/detector_train.py`` made them from
data whose licence allows it (README, "Suggested capture"), and
``benchmarks/detector_eval.py`` measures them on held-out public data. It only ever leads to
a prompt that the author may click; nothing is saved without that click.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from cachetools import TTLCache

from bot.knowledge import embedder

Kind = Literal["idea", "request"]

MIN_WORDS = 4
MAX_WORDS = 400
MODEL_FILE = Path(__file__).with_name("suggest_model.json")

_F = re.IGNORECASE


def _words(text: str) -> list[str]:
    return text.split()


_REQUEST_CUES = tuple(
    re.compile(p, _F)
    for p in (
        r"\b(?:does|do|did|has|have) (?:anyone|anybody|someone|somebody|any of you)\b",
        r"\b(?:can|could|would) (?:anyone|anybody|someone|somebody|you)\b",
        r"\b(?:anyone|anybody) (?:know|knows|have|has|used|tried|done|familiar)\b",
        r"\bhow (?:do|can|should|would|did) (?:i|we|you)\b",
        r"\b(?:is|are) there (?:a|an|any)\b",
        r"\bwhere (?:can|do|should|would) (?:i|we)\b",
        r"\bwho (?:knows|has|can|could|would)\b",
        r"\bany (?:tips|advice|pointers|recommendations|suggestions|experience)\b",
        r"\b(?:i|we) (?:need|could use|would appreciate|am looking for|are looking for)\b",
        r"\blooking for (?:help|advice|input|guidance|someone|an expert)\b",
        r"\bquelqu'un\b|\bpouvez-vous\b|\bpourriez-vous\b|\bj'ai besoin\b|\bdes conseils\b",
        r"\balguien\b|\bme pueden\b|\bpodr[ií]an\b|\bnecesito\b|\balg[uú]n consejo\b",
    )
)
_IDEA_CUES = tuple(
    re.compile(p, _F)
    for p in (
        r"\bwhat if we\b|\bhow about\b|\bwhy (?:don'?t|not) (?:we|you)\b",
        r"\b(?:we|you|they|it|there) (?:could|should|might|ought to)\b",
        r"\b(?:i|we) (?:propose|suggest|recommend)\b|\bmy (?:suggestion|idea)\b",
        r"\bit (?:would|'d|might) be (?:great|nice|good|useful|helpful|better|cool|worth)\b",
        r"\bwould (?:love|like) (?:to see|it if)\b|\bwouldn'?t it be\b",
        r"\blet'?s\b|\bplease\b|\bmake sure\b|\bbe sure\b|\bdon'?t forget\b",
        r"\bshould be (?:able|possible|added)\b|\bthere should be\b|\bneeds? to be\b",
        r"\bet si\b|\bnous pourrions\b|\bon pourrait\b|\bil faudrait\b|\bce serait\b|"
        r"\bje propose\b|\bje recommande\b|\bn'oubliez pas\b|\bpensez à\b|\bveuillez\b",
        r"\bpodr[ií]amos\b|\bdeber[ií]amos\b|\bser[ií]a\b|\bpropongo\b|\brecomiendo\b|"
        r"\bpor favor\b|\bno olviden\b|\bqu[eé] tal si\b|\bse podr[ií]a\b",
    )
)
_IMPERATIVES = frozenset(
    _words(
        """
        add allow avoid ask be book bring buy call check choose consider contact do don't dont
        ensure enable get give go have include keep let let's make note pick plan provide put
        remember request reserve see send stay take tell think try use visit walk watch ajoutez
        évitez pensez prenez n'oubliez veuillez essayez utilisez réservez añadan eviten piensen
        tomen usen reserven prueben traigan
        """
    )
)
_WORD = re.compile(r"[\w'’]+", re.UNICODE)
# Words that mark advice, proposals and asks in any domain (no topic words), one feature each.
MARKERS = tuple(
    _words(
        """
        should could would might must may can please need needs want wish like love suggest
        recommend propose advise consider try make sure don't avoid allow add enable support
        provide let's let why how what anyone someone anybody somebody help tips advice you we i
        better great nice useful helpful worth if idea option able possible feature instead
        pourrait devrait faudrait serait propose suggère recommande aider quelqu'un conseils
        podríamos deberíamos sería propongo sugiero recomiendo ayudar alguien consejos
        """
    )
)
_MARKER_INDEX = {m: i for i, m in enumerate(MARKERS)}


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: Kind
    cue: str  # why: the phrase that matched, or the model's score
    score: float = 0.0


def cues(text: str) -> npt.NDArray[np.float32]:
    """The cue features of one message (the model's last columns)."""
    flat = " ".join(text.split())
    words = [w.replace("’", "'") for w in _WORD.findall(flat.lower())]
    first = words[0] if words else ""
    markers = np.zeros(len(MARKERS), dtype=np.float32)
    for word in words:
        if (i := _MARKER_INDEX.get(word)) is not None:
            markers[i] = 1.0
    head = np.array(
        [
            1.0 if any(p.search(flat) for p in _IDEA_CUES) else 0.0,
            1.0 if any(p.search(flat) for p in _REQUEST_CUES) else 0.0,
            1.0 if "?" in flat else 0.0,
            1.0 if first in _IMPERATIVES else 0.0,
            min(len(words), 60) / 60.0,
        ],
        dtype=np.float32,
    )
    return np.concatenate([head, markers])


def features(texts: list[str]) -> npt.NDArray[np.float32]:
    """Embedding and cue features, one row per text."""
    vectors = embedder.embed(texts)
    return np.hstack([vectors, np.vstack([cues(t) for t in texts])]).astype(np.float32)


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    for head in HEADS:
        data[head]["w"] = np.asarray(data[head]["w"], dtype=np.float32)
    return data


HEADS = ("prompt", "request")  # P(worth a prompt), P(a request rather than an idea)


def scores(texts: list[str]) -> npt.NDArray[np.float32]:
    """P(prompt), P(request | prompt) per text, shape (n, 2)."""
    return probabilities(features(texts))


def probabilities(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """P(prompt), P(request | prompt) per row of features."""
    model = _model()
    out = np.empty((len(x), 2), dtype=np.float32)
    for col, head in enumerate(HEADS):
        z = x @ model[head]["w"] + float(model[head]["b"])
        out[:, col] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


def eligible(text: str) -> bool:
    flat = " ".join(text.split())
    words = len(flat.split())
    return MIN_WORDS <= words <= MAX_WORDS and not flat.startswith("/")


def decide(text: str, prompt: float, request: float) -> Suggestion | None:
    """The suggestion for a text whose head probabilities are known."""
    if not eligible(text) or prompt < float(_model()["prompt"]["threshold"]):
        return None
    kind: Kind = "request" if request >= 0.5 else "idea"
    return Suggestion(kind, f"{kind} {prompt:.2f}", prompt)


def classify(text: str) -> Suggestion | None:
    """``Suggestion("request" | "idea", cue, score)`` when ``text`` reads like one, else None."""
    if not eligible(text) or not embedder.available():
        return None
    prompt, request = scores([text])[0]
    return decide(text, float(prompt), float(request))


def classify_many(texts: list[str]) -> list[Suggestion | None]:
    """``classify`` for many texts at once (faster: one embedding batch)."""
    keep = [i for i, t in enumerate(texts) if eligible(t)]
    found: list[Suggestion | None] = [None] * len(texts)
    if not keep or not embedder.available():
        return found
    probs = scores([texts[i] for i in keep])
    for row, i in enumerate(keep):
        found[i] = decide(texts[i], float(probs[row, 0]), float(probs[row, 1]))
    return found


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
