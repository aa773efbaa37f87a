"""Train the detector's fast mode (``bot/services/suggest_fast_model.json``).

    python -m benchmarks.detector_train_fast [--shared ../shared]

The same data as the full model (``benchmarks.detector_data``: sentences written for this
project, sentences generated from this project's templates, and the e-mail intent training
file, Apache-2.0; nothing from SemEval), the same split and the same rule for the thresholds
(``benchmarks.detector_train.threshold``, on the development split), over words, word pairs
and two phrase cues seen at least twice in the training split; two class-balanced logistic
regressions.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.detector_data import counts, load
from benchmarks.detector_fit import fit_linear
from benchmarks.detector_train import CHAT, HERE, OWN_WEIGHT, balanced, threshold
from bot.services import suggest_fast

MIN_COUNT = 2


def vocabulary(texts: list[str]) -> list[str]:
    found = Counter(t for text in texts for t in set(suggest_fast.terms(text)))
    return sorted(t for t, n in found.items() if n >= MIN_COUNT)


class Terms:
    """Which terms each text has, as a sparse 0/1 matrix: just enough of numpy's array
    interface (``@``, ``.T``, row masks, ``shape``) for
    :func:`benchmarks.detector_fit.fit_linear`, which a dense matrix of 10,000 terms would make
    slow and large."""

    def __init__(
        self,
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        shape: tuple[int, int],
        transposed: bool = False,
    ) -> None:
        self.rows, self.cols, self.shape, self.transposed = rows, cols, shape, transposed

    @property
    def T(self) -> Terms:
        return Terms(self.rows, self.cols, self.shape[::-1], not self.transposed)

    def __matmul__(self, v: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        if self.transposed:
            return np.bincount(self.cols, weights=v[self.rows], minlength=self.shape[0])
        return np.bincount(self.rows, weights=v[self.cols], minlength=self.shape[0])

    def __getitem__(self, mask: npt.NDArray[np.bool_]) -> Terms:
        renumber = np.cumsum(mask) - 1
        keep = mask[self.rows]
        return Terms(renumber[self.rows[keep]], self.cols[keep], (int(mask.sum()), self.shape[1]))


def matrix(texts: list[str], vocab: list[str]) -> Terms:
    index = {t: i for i, t in enumerate(vocab)}
    rows: list[int] = []
    cols: list[int] = []
    for row, text in enumerate(texts):
        found = {i for t in suggest_fast.terms(text) if (i := index.get(t)) is not None}
        rows += [row] * len(found)
        cols += sorted(found)
    shape = (len(texts), len(vocab))
    return Terms(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), shape)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    args = parser.parse_args()
    rows = load(args.shared)
    texts = [r.text for r in rows]
    label = np.array([r.label for r in rows]).astype(str)
    source = np.array([r.source for r in rows]).astype(str)
    dev = np.array([r.dev for r in rows])
    own = np.char.startswith(source, "own:")
    boost = np.where(own, OWN_WEIGHT, 1.0).astype(np.float32)
    vocab = vocabulary([t for t, held in zip(texts, dev, strict=True) if not held])
    x = matrix(texts, vocab)
    ordinary = dev & np.isin(source, CHAT) & (label == "none")
    model: dict[str, object] = {
        "features": "words, word pairs and two phrase cues",
        "min_count": MIN_COUNT,
        "trained_on": counts([r for r in rows if not r.dev]),
    }
    heads = {
        "prompt": ((label != "none").astype(np.float32), np.ones(len(rows), bool), ordinary),
        "request": ((label == "request").astype(np.float32), label != "none", ~np.ones_like(dev)),
    }
    for head, (y, use, quiet) in heads.items():
        train, held = use & ~dev, use & dev
        w, b = fit_linear(x[train], y[train], balanced(y[train], boost[train]))
        p = (1 / (1 + np.exp(-(x @ w + b)))).astype(np.float32)
        groups = [held & own, held & (source == "email")]
        chosen = threshold(p, y > 0, groups, quiet)
        model[head] = {"w": [round(float(v), 4) for v in w], "b": round(b, 4), "threshold": chosen}
        print(f"{head}: threshold {chosen}, positives {int(y[use].sum())} of {int(use.sum())}")
    model["vocabulary"] = vocab
    path = suggest_fast.MODEL_FILE
    path.write_text(json.dumps(model, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {path} ({len(vocab)} terms, {path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
