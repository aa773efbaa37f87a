"""Train the detector's fast mode (``bot/services/suggest_fast_model.json``).

    python -m benchmarks.detector_train_fast [--shared ../shared]

The same training data as the full model (``benchmarks/detector_data.py``: sentences written
for this project, sentences generated from this project's templates, and the e-mail intent
training file, Apache-2.0; nothing from SemEval) and the same development split; two
class-balanced logistic regressions over words and word pairs seen at least twice. The
prompt threshold is the best F1 on the development split, raised until at most 10% of its
ordinary chat sentences would be listed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks import detector_data as data
from benchmarks.detector_train import CHAT, MAX_ORDINARY
from bot.services import suggest_fast

MIN_COUNT = 2


def vocabulary(texts: list[str]) -> list[str]:
    counts = Counter(t for text in texts for t in set(suggest_fast.terms(text)))
    return sorted(t for t, n in counts.items() if n >= MIN_COUNT)


class Terms:
    """Which terms each text has, as a sparse 0/1 matrix: just enough of numpy's array
    interface (``@``, ``.T``, row masks, ``shape``) for :func:`benchmarks.detector_train.fit`,
    which a dense matrix of 10,000 terms would make slow and large."""

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


def fit(
    x: Terms, y: npt.NDArray[np.float32], weight: npt.NDArray[np.float32], *, steps: int = 600
) -> tuple[npt.NDArray[np.float32], float]:
    """Weighted logistic regression with a little L2, by full-batch Adam."""
    n, d = x.shape
    weight = (weight * (n / float(weight.sum()))).astype(np.float32)
    w, b = np.zeros(d, np.float32), 0.0
    m, v, mb, vb = np.zeros(d), np.zeros(d), 0.0, 0.0
    lr, beta1, beta2, l2 = 0.05, 0.9, 0.999, 1e-3
    for t in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = weight * (p - y) / n
        gw, gb = x.T @ g + l2 * w, float(g.sum())
        m, v = beta1 * m + (1 - beta1) * gw, beta2 * v + (1 - beta2) * gw**2
        mb, vb = beta1 * mb + (1 - beta1) * gb, beta2 * vb + (1 - beta2) * gb**2
        w -= (lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + 1e-8)).astype(np.float32)
        b -= lr * (mb / (1 - beta1**t)) / (np.sqrt(vb / (1 - beta2**t)) + 1e-8)
    return w, b


def balanced(y: npt.NDArray[np.float32], boost: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    pos, neg = max(float(y.sum()), 1.0), max(float(len(y) - y.sum()), 1.0)
    return (boost * np.where(y > 0, 0.5 / pos, 0.5 / neg)).astype(np.float32)


def threshold(
    p: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_], ordinary: npt.NDArray[np.bool_]
) -> float:
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.2, 0.96, 0.01):
        tp = float((p[gold] >= t).sum())
        f1 = 2 * tp / max(float((p >= t).sum() + gold.sum()), 1.0)
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    while ordinary.any() and best < 0.95 and float((p[ordinary] >= best).mean()) > MAX_ORDINARY:
        best += 0.01
    return round(best, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=data.HERE.parent.parent / "shared")
    args = parser.parse_args()
    rows = data.load(args.shared)
    texts = [r.text for r in rows]
    labels = np.array([r.label for r in rows])
    source = np.array([r.source for r in rows])
    dev = np.array([r.dev for r in rows])
    boost = np.where(np.char.startswith(source.astype(str), "own:"), 2.0, 1.0).astype(np.float32)
    ordinary = dev & np.isin(source, CHAT) & (labels == "none")
    vocab = vocabulary([t for t, d in zip(texts, dev, strict=True) if not d])
    x = matrix(texts, vocab)
    model: dict[str, object] = {
        "features": "words and word pairs",
        "min_count": MIN_COUNT,
    }
    heads = {
        "prompt": ((labels != "none").astype(np.float32), np.ones(len(rows), bool)),
        "request": ((labels == "request").astype(np.float32), labels != "none"),
    }
    for head, (y, use) in heads.items():
        fitting = use & ~dev
        w, b = fit(x[fitting], y[fitting], balanced(y[fitting], boost[fitting]))
        chosen = 0.5
        if head == "prompt":
            p = 1 / (1 + np.exp(-(x[dev] @ w + b)))
            chosen = threshold(p, y[dev] > 0, ordinary[dev])
            print(f"prompt: threshold {chosen} (best F1 on the development split)")
        model[head] = {"w": [round(float(v), 4) for v in w], "b": round(float(b), 4)}
        model[head]["threshold"] = chosen  # type: ignore[index]
        print(f"{head}: positives {int(y[use].sum())} of {int(use.sum())}")
    model["vocabulary"] = vocab
    path = suggest_fast.MODEL_FILE
    path.write_text(json.dumps(model, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {path} ({len(vocab)} terms, {path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
