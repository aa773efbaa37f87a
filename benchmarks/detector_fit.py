"""Fitting the detector's heads with numpy alone: dense layers (ReLU between them) with a
logistic output, trained by full-batch Adam on a sample-weighted log loss with L2; Platt
calibration on the development split; F1 and the threshold search."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]
Layers = list[tuple[Array, Array]]


def _forward(layers: Layers, x: Array) -> tuple[list[Array], Array]:
    inputs = [x]
    for i, (w, b) in enumerate(layers):
        z = inputs[-1] @ w + b
        if i < len(layers) - 1:
            inputs.append(np.maximum(z, 0.0))
    return inputs, z.reshape(-1)


def fit(
    x: Array,
    y: Array,
    weight: Array,
    *,
    hidden: int = 0,
    l2: float = 1e-3,
    steps: float = 400,
    lr: float = 0.01,
    seed: int = 0,
) -> Layers:
    """Layers of a network with ``hidden`` units (0: logistic regression)."""
    rng = np.random.default_rng(seed)
    sizes = [x.shape[1], *([hidden] if hidden else []), 1]
    layers: Layers = [
        (
            (rng.standard_normal((a, b)) * np.sqrt(2.0 / a) * (1.0 if hidden else 0.0)).astype(
                np.float32
            ),
            np.zeros(b, np.float32),
        )
        for a, b in pairwise(sizes)
    ]
    weight = (weight / weight.sum()).astype(np.float32)
    moments = [[np.zeros_like(p) for p in layer] for layer in layers]
    squares = [[np.zeros_like(p) for p in layer] for layer in layers]
    beta1, beta2 = 0.9, 0.999
    for t in range(1, int(steps) + 1):
        inputs, z = _forward(layers, x)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        delta = (weight * (p - y)).astype(np.float32).reshape(-1, 1)
        for i in range(len(layers) - 1, -1, -1):
            w = layers[i][0]
            grads = (inputs[i].T @ delta + l2 * w, delta.sum(axis=0))
            if i:
                delta = (delta @ w.T) * (inputs[i] > 0)
            for j, g in enumerate(grads):
                m = moments[i][j] = beta1 * moments[i][j] + (1 - beta1) * g
                v = squares[i][j] = beta2 * squares[i][j] + (1 - beta2) * g * g
                step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + 1e-8)
                layers[i][j][...] -= step.astype(np.float32)
    return layers


def logits(layers: Layers, x: Array) -> Array:
    return _forward(layers, x)[1]


def platt(z: Array, y: Array, *, steps: int = 300) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * z + b) is calibrated on (z, y), by Newton's method."""
    a, b = 1.0, 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * z + b, -30, 30)))
        g = np.array([((p - y) * z).sum(), (p - y).sum()])
        s = p * (1 - p) + 1e-9
        h = np.array([[(s * z * z).sum(), (s * z).sum()], [(s * z).sum(), s.sum()]])
        da, db = np.linalg.solve(h + 1e-6 * np.eye(2), g)
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-7:
            break
    return float(a), float(b)


def prf(pred: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    precision = tp / max(float(pred.sum()), 1.0)
    recall = tp / max(float(gold.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
