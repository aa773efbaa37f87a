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
# Two phrase cues, one pattern per kind: "anybody have", "it would be great"... (two searches
# a sentence: the full model's sixty patterns cost more than the rest of this mode together,
# and made no difference on the development split).
_IDEA = (
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
_REQUEST = (
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
_CUES = (
    ("cue:idea", re.compile("|".join(_IDEA), re.IGNORECASE)),
    ("cue:request", re.compile("|".join(_REQUEST), re.IGNORECASE)),
)


def terms(text: str) -> list[str]:
    """The words, word pairs, first word (``^word``) and phrase cues of a message."""
    words = [w.replace("’", "'") for w in _WORD.findall(text.lower())]
    if not words:
        return []
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    cues = [name for name, pattern in _CUES if pattern.search(text)]
    return [f"^{words[0]}", *words, *pairs, *cues]


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
    asks = _probability(model["request"], best_terms) >= float(model["request"]["threshold"])
    kind: Kind = "request" if asks else "idea"
    return Suggestion(kind, f"{kind} {best:.2f} (words)", best)
