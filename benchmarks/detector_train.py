"""Train the suggested-capture detector (``bot/services/suggest_model.npz``).

    python -m benchmarks.detector_train [--shared ../shared] [--cache FILE] [--hidden N]

Training data (``benchmarks.detector_data``), all of it licensed for shipping: sentences
written for this project, sentences generated from templates written for this project, and
the e-mail intent training file (Apache-2.0). Nothing from SemEval-2019 Task 9 is read here
(its licence forbids shipping anything trained on it); ``benchmarks/detector_eval.py`` only
measures on it.

Both heads (prompt or not; request or idea) are trained on the training split, calibrated
(Platt) on the development split, and their thresholds chosen there: the highest one whose
mean F1 over the written sentences and the e-mail sentences of the development split is
within a point of the best, for the prompt threshold raised until at most ``MAX_ORDINARY``
of its ordinary chat sentences would be prompted, and then until at most ``MAX_SLACK`` of the
ordinary messages of the judged Slack export would be (the product's ceiling on interruptions;
that share is therefore set here, not measured). The development figures are printed and
kept in the model file. The network's size was chosen with ``benchmarks.detector_lodo``
(each domain of our own sentences held out in turn).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.detector_data import Row, counts, load
from benchmarks.detector_eval import judged, plain, slack_messages
from benchmarks.detector_fit import Layers, fit, logits, platt, prf
from benchmarks.detector_vectors import cached_vectors
from bot.services import suggest
from bot.services.suggest_cues import BUCKETS

HERE = Path(__file__).resolve().parent
# Share of the ordinary chat sentences of the dev split a threshold may prompt (they were written
# to be hard: near misses, replies, plans, questions that ask nothing).
MAX_ORDINARY = 0.10
F1_SLACK = 0.01
MAX_SLACK = 0.05  # share of the ordinary messages of the judged Slack export prompted, at most
OWN_WEIGHT = 1.0  # weight of a sentence written for this project against an e-mail one
HIDDEN = 64  # hidden units of the shipped heads (0: logistic regression)
LOGISTIC: dict[str, float] = {"l2": 1e-3, "steps": 400, "lr": 0.01}
NETWORK: dict[str, float] = {"l2": 1e-2, "steps": 500, "lr": 0.003}
CHAT = (
    "own:en_chat",
    "own:en_chat2",
    "own:en_chat3",
    "own:en_chat4",
    "own:en_chat5",
    "own:en_chat6",
    "own:en_chat7",
    "own:en_chat8",
)
Array = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Data:
    rows: list[Row]
    x: Array  # features, the sentence vector standardised with mean and scale
    mean: Array
    scale: Array
    label: npt.NDArray[np.str_]
    source: npt.NDArray[np.str_]
    dev: Bools

    @property
    def own(self) -> Bools:
        return np.char.startswith(self.source, "own:")

    @property
    def boost(self) -> Array:
        return np.where(self.own, OWN_WEIGHT, 1.0).astype(np.float32)

    @property
    def ordinary(self) -> Bools:
        """The ordinary chat sentences of the dev split."""
        return self.dev & np.isin(self.source, CHAT) & (self.label == "none")


def prepare(shared: Path, cache: Path | None) -> Data:
    rows = load(shared)
    texts = [r.text for r in rows]
    vectors = cached_vectors(texts, cache)
    dev = np.array([r.dev for r in rows])
    mean = vectors[~dev].mean(axis=0).astype(np.float32)
    scale = (vectors[~dev].std(axis=0) + 1e-6).astype(np.float32)
    x = suggest.join(((vectors - mean) / scale).astype(np.float32), texts)
    label = np.array([r.label for r in rows]).astype(str)
    source = np.array([r.source for r in rows]).astype(str)
    return Data(rows, x, mean, scale, label, source, dev)


def balanced(y: Array, boost: Array) -> Array:
    pos = max(float(y.sum()), 1.0)
    neg = max(float(len(y) - y.sum()), 1.0)
    return (boost * np.where(y > 0, 0.5 / pos, 0.5 / neg)).astype(np.float32)


def train(x: Array, y: Array, weight: Array, hidden: int, seed: int = 0) -> Layers:
    """Fitted layers, rounded as they are shipped (float16 weights)."""
    settings = NETWORK if hidden else LOGISTIC
    fitted = fit(x, y, weight, hidden=hidden, seed=seed, **settings)
    return [(w.astype(np.float16).astype(np.float32), b) for w, b in fitted]


def threshold(score: Array, gold: Bools, groups: list[Bools], ordinary: Bools) -> float:
    """The highest threshold whose mean F1 over ``groups`` of the dev split is within
    ``F1_SLACK`` of the best (F1 is flat over a range; a prompt interrupts someone, so the
    most cautious of the equally good ones), raised to keep ``ordinary`` quiet."""
    steps = np.arange(0.10, 0.96, 0.01)
    f1 = [float(np.mean([prf(score[g] >= t, gold[g])[2] for g in groups])) for t in steps]
    best = float(max(t for t, f in zip(steps, f1, strict=True) if f >= max(f1) - F1_SLACK))
    while ordinary.any() and best < 0.95 and (score[ordinary] >= best).mean() > MAX_ORDINARY:
        best += 0.01
    return round(best, 2)


def _head(
    data: Data, y: Array, use: Bools, hidden: int
) -> tuple[Layers, tuple[float, float], Array]:
    """Trained on ``use & ~dev``, calibrated on ``use & dev``; P for every row."""
    fitting, held = use & ~data.dev, use & data.dev
    layers = train(data.x[fitting], y[fitting], balanced(y[fitting], data.boost[fitting]), hidden)
    a, b = platt(logits(layers, data.x[held]), y[held])
    p = 1.0 / (1.0 + np.exp(-np.clip(a * logits(layers, data.x) + b, -30, 30)))
    return layers, (a, b), p.astype(np.float32)


def slack_cap(
    tp: float,
    layers: Layers,
    calibration: tuple[float, float],
    data: Data,
    shared: Path,
    cache: Path | None,
) -> float:
    """``tp`` raised until at most ``MAX_SLACK`` of the ordinary messages of the judged Slack
    export (``benchmarks/data/slack_judgement.tsv``) would be prompted: the product's ceiling
    on interruptions, set where it is measured."""
    found = slack_messages(shared / "data" / "slack-export-sample" / "houstondatavis-2016")
    labels = judged()
    texts = [plain(t) for c, ts, t in found if labels.get((c, ts), "ordinary") == "ordinary"]
    texts = [t for t in texts if suggest.eligible(t)]
    vectors = (cached_vectors(texts, cache) - data.mean) / data.scale
    a, b = calibration
    z = a * logits(layers, suggest.join(vectors.astype(np.float32), texts)) + b
    score = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    total = len([1 for c, ts, _ in found if labels.get((c, ts), "ordinary") == "ordinary"])
    while tp < 0.95 and (score >= tp).sum() / total > MAX_SLACK:
        tp = round(tp + 0.01, 2)
    return tp


def report(data: Data, prompt: Array, request: Array, tp: float, tr: float) -> dict[str, str]:
    """Development-split figures by source, as the shipped model decides."""
    out = {}
    for name in sorted(set(data.source[data.dev])):
        g = data.dev & (data.source == name)
        p, r, f = prf(prompt[g] >= tp, data.label[g] != "none")
        line = f"any prompt P={p:.2f} R={r:.2f} F1={f:.2f}"
        if name == "email" or (data.label[g] == "request").any():
            asked = (prompt[g] >= tp) & (request[g] >= tr)
            line += f" | request F1={prf(asked, data.label[g] == 'request')[2]:.2f}"
        out[f"{name} (n={int(g.sum())})"] = line
    rate = float((prompt[data.ordinary] >= tp).mean())
    out["ordinary chat prompted"] = f"{rate:.1%} of {int(data.ordinary.sum())}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--cache", type=Path, help="keep sentence vectors here between runs")
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="hidden units (0: logistic)")
    parser.add_argument("--out", type=Path, default=suggest.MODEL_FILE)
    args = parser.parse_args()
    data = prepare(args.shared, args.cache)
    label, dev, own, email = data.label, data.dev, data.own, data.source == "email"
    layers, heads, p, calibrations = {}, {}, {}, {}
    for head, y, use in (
        ("prompt", (label != "none").astype(np.float32), np.ones(len(label), dtype=bool)),
        ("request", (label == "request").astype(np.float32), label != "none"),
    ):
        layers[head], calibration, p[head] = _head(data, y, use, args.hidden)
        calibrations[head] = calibration
        heads[head] = {"layers": len(layers[head]), "calibration": list(calibration)}
    chosen = threshold(p["prompt"], label != "none", [dev & own, dev & email], data.ordinary)
    tp = slack_cap(chosen, layers["prompt"], calibrations["prompt"], data, args.shared, args.cache)
    print(f"prompt threshold {chosen} on the development split, {tp} under the Slack ceiling")
    asked = dev & (label != "none")
    nothing = np.zeros(len(label), dtype=bool)
    tr = threshold(p["request"], label == "request", [asked & own, asked & email], nothing)
    heads["prompt"]["threshold"], heads["request"]["threshold"] = tp, tr
    figures = report(data, p["prompt"], p["request"], tp, tr)
    for k, v in figures.items():
        print(f"dev {k:<32} {v}")
    meta = {
        "features": f"{suggest.embedder.MODEL} (standardised) + "
        f"{data.x.shape[1] - len(data.mean)} cues ({BUCKETS} hashed skeleton n-grams)",
        "hidden": args.hidden,
        "trained_on": counts([r for r in data.rows if not r.dev]),
        "thresholds_chosen_on": counts([r for r in data.rows if r.dev]),
        "dev": figures,
        "heads": heads,
    }
    arrays: dict[str, npt.NDArray[np.floating]] = {"mean": data.mean, "scale": data.scale}
    for head, found in layers.items():
        for i, (w, b) in enumerate(found):
            arrays[f"{head}_w{i}"] = w.astype(np.float16)
            arrays[f"{head}_b{i}"] = b.astype(np.float32)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta)), **arrays)  # type: ignore[arg-type]
    size = os.path.getsize(args.out) // 1024
    print(f"prompt threshold {tp}, request threshold {tr}; wrote {args.out} ({size} KB)")


if __name__ == "__main__":
    main()
