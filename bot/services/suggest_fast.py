"""The suggestion detector's fast mode, for reading a whole archive (``import slack-export``).

The full detector (:mod:`bot.services.suggest`) embeds every message with a sentence model:
a few milliseconds each, which is nothing after a live message but about two hours for an
export of a million. This mode reads words and word pairs only: two logistic regressions
(worth a prompt; a request rather than an idea) over a vocabulary of phrases, trained by
``benchmarks/detector_train_fast.py`` on the same data as the full model and shipped in
``suggest_fast_model.json``. It costs tens of microseconds a message. What it finds is a
review list for a focal point, never a capture: nothing is saved without a click.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.services.suggest import Kind, Suggestion, eligible

MODEL_FILE = Path(__file__).with_name("suggest_fast_model.json")
_WORD = re.compile(r"[\w'’]+|\?")


def terms(text: str) -> list[str]:
    """The words, word pairs and first word (``^word``) of a message, lower-cased. (The full
    model's phrase cues add little here and cost eight times as much.)"""
    words = [w.replace("’", "'") for w in _WORD.findall(text.lower())]
    if not words:
        return []
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return [f"^{words[0]}", *words, *pairs]


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    vocabulary: list[str] = data["vocabulary"]
    for head in ("prompt", "request"):
        data[head]["weights"] = dict(zip(vocabulary, data[head]["w"], strict=True))
    return data


def _probability(head: dict[str, Any], found: set[str]) -> float:
    weights: dict[str, float] = head["weights"]
    z = float(head["b"]) + sum(weights.get(t, 0.0) for t in found)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")


def classify(text: str) -> Suggestion | None:
    """Like :func:`bot.services.suggest.classify`, from words alone. Each sentence is read
    on its own (the model learnt from sentences) and the surest one decides."""
    if not eligible(text):
        return None
    model = _model()
    best, best_terms = 0.0, set[str]()
    for sentence in _SENTENCE.split(text.strip()[:4000]):
        found = set(terms(sentence))
        if found and (prompt := _probability(model["prompt"], found)) > best:
            best, best_terms = prompt, found
    if best < float(model["prompt"]["threshold"]):
        return None
    kind: Kind = "request" if _probability(model["request"], best_terms) >= 0.5 else "idea"
    return Suggestion(kind, f"{kind} {best:.2f} (words)", best)
