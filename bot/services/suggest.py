"""Suggested capture: does a message look like an idea or a help request?

A small text encoder fine-tuned for exactly this question (:mod:`bot.services.suggest_encoder`:
all-MiniLM-L6-v2 with a three-way head, run with numpy) gives each message P(none), P(idea)
and P(request). The weights ship in ``suggest_model.npz`` (no download);
``benchmarks/detector_train.py`` made them from data whose licence allows it (README,
"Suggested capture") and chose the thresholds on a development split of that data, the prompt
threshold raised to keep at most 5% of ordinary Slack messages prompted;
``benchmarks/detector_eval.py`` measures them on held-out public data, and
``tests/unit/test_suggest.py`` checks them on sentences written for the tests. It only ever
leads to a prompt that the author may click; nothing is saved without that click.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from cachetools import TTLCache

from bot.services import suggest_encoder
from bot.services.suggest_encoder import Encoder

Kind = Literal["idea", "request"]
Array = npt.NDArray[np.float32]

MIN_WORDS = 4
MAX_WORDS = 400
MIN_LETTERS = 0.5  # share of the visible characters that are letters, at least
BATCH = 32  # texts encoded together (sorted by length, so little padding)


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: Kind
    cue: str  # why: the kind and the model's score
    score: float = 0.0


def scores(texts: list[str], encoder: Encoder | None = None) -> Array:
    """P(prompt), P(request | prompt) per text, shape (n, 2): P(prompt) is 1 - P(none)."""
    encoder = encoder or suggest_encoder.shipped()
    out = np.zeros((len(texts), 2), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), BATCH):
        rows = order[start : start + BATCH]
        p = suggest_encoder.probabilities(encoder.logits([texts[i] for i in rows]))
        out[rows, 0] = 1.0 - p[:, 0]
        out[rows, 1] = p[:, 2] / np.maximum(p[:, 1] + p[:, 2], 1e-9)
    return out


def eligible(text: str) -> bool:
    """Long enough, not a command, and mostly letters (not a rule of underscores or a table)."""
    flat = " ".join(text.split())
    words = len(flat.split())
    if not MIN_WORDS <= words <= MAX_WORDS or flat.startswith("/"):
        return False
    visible = flat.replace(" ", "")
    return sum(c.isalpha() for c in visible) >= MIN_LETTERS * len(visible)


def decide(
    text: str, prompt: float, request: float, encoder: Encoder | None = None
) -> Suggestion | None:
    """The suggestion for a text whose probabilities are known."""
    thresholds = (encoder or suggest_encoder.shipped()).meta["thresholds"]
    if not eligible(text) or prompt < thresholds["prompt"]:
        return None
    kind: Kind = "request" if request >= thresholds["request"] else "idea"
    return Suggestion(kind, f"{kind} {prompt:.2f}", prompt)


def classify(text: str) -> Suggestion | None:
    """``Suggestion("request" | "idea", cue, score)`` when ``text`` reads like one, else None."""
    if not eligible(text):
        return None
    prompt, request = scores([text])[0]
    return decide(text, float(prompt), float(request))


def classify_many(texts: list[str]) -> list[Suggestion | None]:
    """``classify`` for many texts at once (faster: encoded in batches)."""
    keep = [i for i, t in enumerate(texts) if eligible(t)]
    found: list[Suggestion | None] = [None] * len(texts)
    if not keep:
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
