"""Train the detector's fast mode (``bot/services/suggest_fast_model.json``).

    python -m benchmarks.detector_train_fast [--shared ../shared]

The same training data as the full model (``benchmarks/detector_train.py``: sentences
written for this project, sentences generated from this project's templates, and the
e-mail intent training file, Apache-2.0; nothing from SemEval), the same class-balanced
logistic regression and the same rule for the prompt threshold (best F1 on a held-out fifth,
raised until at most 10% of the ordinary chat sentences written for this project would be
prompted, never below ``PROMPT_AT``), over words and word pairs seen at least twice.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks import detector_train as full
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=full.HERE.parent.parent / "shared")
    args = parser.parse_args()
    rng = random.Random(13)
    rows = full.load(args.shared, rng)
    rng.shuffle(rows)
    texts = [t for _, t in rows]
    labels = np.array([label for label, _ in rows])
    held = np.arange(len(rows)) % 5 == 0
    vocab = vocabulary([t for t, h in zip(texts, held, strict=True) if not h])
    x = matrix(texts, vocab)
    ordinary = {t for _, t in full._read(full.OWN, {"none": "none"})}
    own = np.array([t in ordinary for t in texts])
    written = {t for _, t in full._read(full.OWN, {"idea": "", "request": "", "none": ""})}
    written |= {t for _, t in full._generated(random.Random(13))}
    boost = np.where([t in written for t in texts], full.OWN_WEIGHT, 1.0).astype(np.float32)
    model: dict[str, object] = {"features": "words and word pairs", "min_count": MIN_COUNT}
    heads = {
        "prompt": ((labels != "none").astype(np.float32), np.ones(len(rows), bool)),
        "request": ((labels == "request").astype(np.float32), labels != "none"),
    }
    final_vocab = vocabulary(texts)
    x_all = matrix(texts, final_vocab)
    for head, (y, use) in heads.items():
        train, test = use & ~held, use & held
        w, b = full.fit(x[train], y[train], boost=boost[train], l2=1e-3)
        threshold = 0.5
        if head == "prompt":
            p = 1 / (1 + np.exp(-(x[test] @ w + b)))
            best = full.best_threshold(p, y[test], (labels[test] == "none") & own[test])
            tp = float(((p >= best) & (y[test] > 0)).sum())
            f1 = 2 * tp / max(float((p >= best).sum() + (y[test] > 0).sum()), 1.0)
            print(f"prompt: best F1 {f1:.2f} on the held-out fifth at {best}")
            threshold = max(best, full.PROMPT_AT)
        w, b = full.fit(x_all[use], y[use], boost=boost[use], l2=1e-3)
        model[head] = {
            "w": [round(float(v), 4) for v in w],
            "b": round(float(b), 4),
            "threshold": threshold,
        }
        print(f"{head}: threshold {threshold}, positives {int(y[use].sum())} of {int(use.sum())}")
    model["vocabulary"] = final_vocab
    path = suggest_fast.MODEL_FILE
    path.write_text(json.dumps(model, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {path} ({len(final_vocab)} terms, {path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
