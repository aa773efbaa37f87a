"""How the detector carries over to a domain it has not seen: each domain of the sentences
written for this project is held out in turn, the prompt head is trained on the rest and its
threshold chosen on the rest's development split, and the held-out domain is measured
(average precision, and F1 at that threshold). The network's size was chosen with it; no test
file is read.

    python -m benchmarks.detector_lodo [--shared ../shared] [--cache FILE] [--hidden 0 32 64]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from benchmarks.detector_fit import logits, platt, prf
from benchmarks.detector_train import HERE, Array, Bools, Data, balanced, prepare, threshold, train

DOMAINS = {
    "software": ("en_software", "en_software2", "en_software3", "en_software_long"),
    "travel": ("en_travel", "en_travel2", "en_travel3", "en_travel_long"),
    "chat": ("en_chat", "en_chat2", "en_chat3", "en_chat4"),
    "work": ("en_workplace", "en_email", "sentences"),
    "policy": ("en_policy",),
    "French, Spanish": ("fr", "fr2", "es", "es2"),
}


def average_precision(score: Array, gold: Bools) -> float:
    hits = gold[np.argsort(-score)]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / max(int(hits.sum()), 1))


def held_out(data: Data, files: tuple[str, ...], hidden: int) -> tuple[float, float]:
    """(average precision, F1) on the domain made of ``files``, trained without it."""
    y = (data.label != "none").astype(np.float32)
    held = np.isin(data.source, [f"own:{f}" for f in files])
    fitting, calibrating = ~held & ~data.dev, ~held & data.dev
    layers = train(data.x[fitting], y[fitting], balanced(y[fitting], data.boost[fitting]), hidden)
    z = logits(layers, data.x)
    a, b = platt(z[calibrating], y[calibrating])
    p = (1.0 / (1.0 + np.exp(-np.clip(a * z + b, -30, 30)))).astype(np.float32)
    groups = [calibrating & data.own, calibrating & (data.source == "email")]
    t = threshold(p, y > 0, groups, data.ordinary & ~held)
    return average_precision(p[held], y[held] > 0), prf(p[held] >= t, y[held] > 0)[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--cache", type=Path, help="keep sentence vectors here between runs")
    parser.add_argument("--hidden", type=int, nargs="+", default=[0, 32, 64])
    args = parser.parse_args()
    data = prepare(args.shared, args.cache)
    for hidden in args.hidden:
        found = {name: held_out(data, files, hidden) for name, files in DOMAINS.items()}
        cells = "  ".join(f"{n} AP {ap:.2f} F1 {f1:.2f}" for n, (ap, f1) in found.items())
        aps, f1s = zip(*found.values(), strict=True)
        print(f"hidden {hidden:>3}: {cells}  | mean AP {np.mean(aps):.3f} F1 {np.mean(f1s):.3f}")


if __name__ == "__main__":
    main()
