"""Suggested capture: does a message look like an idea or a help request?

A small trained model over the message's sentence embedding (``bot.knowledge.embedder``,
multilingual) and its cue features (:mod:`bot.services.suggest_cues`: phrase patterns,
marker words and the hashed n-grams of its function-word skeleton, in English, French and
Spanish). Two heads: whether a prompt is worth it, and whether it is a request rather than an
idea. The weights ship in ``suggest_model.npz`` beside this file (no download);
``benchmarks/detector_train.py`` made them from data whose licence allows it (README,
"Suggested capture") and chose the thresholds on a development split of that data, the prompt
threshold raised to keep at most 5% of ordinary Slack messages prompted;
``benchmarks/detector_eval.py`` measures them on held-out public data, and
``tests/unit/test_suggest.py`` checks them on sentences written for the tests. It only ever
leads to a prompt that the author may click; nothing is saved without that click.
"""

from __future__ import annotations

import json
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
from bot.services.suggest_cues import cues

Kind = Literal["idea", "request"]
Array = npt.NDArray[np.float32]

MIN_WORDS = 4
MAX_WORDS = 400
MIN_LETTERS = 0.5  # share of the visible characters that are letters, at least
MODEL_FILE = Path(__file__).with_name("suggest_model.npz")
HEADS = ("prompt", "request")  # P(worth a prompt), P(a request rather than an idea)


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: Kind
    cue: str  # why: the kind and the model's score
    score: float = 0.0


def features(texts: list[str]) -> Array:
    """Embedding and cue features, one row per text."""
    return join(embedder.embed(texts), texts)


def join(vectors: Array, texts: list[str]) -> Array:
    """The feature rows of ``texts`` whose sentence vectors are ``vectors``."""
    rows = np.vstack([cues(t) for t in texts]) if texts else np.zeros((0, 0), np.float32)
    return np.hstack([vectors, rows]).astype(np.float32)


@dataclass(frozen=True, slots=True)
class Head:
    """Dense layers with ReLU between them, a logistic output, and Platt calibration."""

    layers: tuple[tuple[Array, Array], ...]
    calibration: tuple[float, float]  # probability = sigmoid(a * logit + b)
    threshold: float

    def logits(self, x: Array) -> Array:
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        out: Array = x.reshape(-1)
        return out

    def probability(self, x: Array) -> Array:
        a, b = self.calibration
        z = np.clip(a * self.logits(x) + b, -30.0, 30.0)
        out: Array = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


@dataclass(frozen=True, slots=True)
class Model:
    mean: Array  # standardises the sentence vector
    scale: Array
    heads: dict[str, Head]
    meta: dict[str, Any]


def read_model(path: Path) -> Model:
    with np.load(path, allow_pickle=False) as data:
        meta: dict[str, Any] = json.loads(str(data["meta"]))
        heads = {}
        for name in HEADS:
            spec = meta["heads"][name]
            layers = tuple(
                (data[f"{name}_w{i}"].astype(np.float32), data[f"{name}_b{i}"].astype(np.float32))
                for i in range(spec["layers"])
            )
            calibration = (float(spec["calibration"][0]), float(spec["calibration"][1]))
            heads[name] = Head(layers, calibration, float(spec["threshold"]))
        return Model(data["mean"].astype(np.float32), data["scale"].astype(np.float32), heads, meta)


@lru_cache(maxsize=1)
def _model() -> Model:
    return read_model(MODEL_FILE)


def probabilities(x: Array, model: Model | None = None) -> Array:
    """P(prompt), P(request | prompt) per row of features, shape (n, 2)."""
    model = model or _model()
    x = x.copy()
    dim = len(model.mean)
    x[:, :dim] = (x[:, :dim] - model.mean) / model.scale
    return np.stack([model.heads[h].probability(x) for h in HEADS], axis=1)


def scores(texts: list[str]) -> Array:
    """P(prompt), P(request | prompt) per text, shape (n, 2)."""
    return probabilities(features(texts))


def eligible(text: str) -> bool:
    """Long enough, not a command, and mostly letters (not a rule of underscores or a table)."""
    flat = " ".join(text.split())
    words = len(flat.split())
    if not MIN_WORDS <= words <= MAX_WORDS or flat.startswith("/"):
        return False
    visible = flat.replace(" ", "")
    return sum(c.isalpha() for c in visible) >= MIN_LETTERS * len(visible)


def decide(
    text: str, prompt: float, request: float, model: Model | None = None
) -> Suggestion | None:
    """The suggestion for a text whose head probabilities are known."""
    model = model or _model()
    if not eligible(text) or prompt < model.heads["prompt"].threshold:
        return None
    kind: Kind = "request" if request >= model.heads["request"].threshold else "idea"
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
