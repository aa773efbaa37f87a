"""The suggestion detector's network, run with numpy: a six-layer MiniLM text encoder
(all-MiniLM-L6-v2, Apache-2.0) fine-tuned end to end with a three-way head (none, idea,
request) by ``benchmarks/detector_train.py``.

The weights ship in one file beside this one (``suggest_model.npz``): the matrices as int8
with one scale per output row, the rest as float32, the WordPiece vocabulary and the
thresholds. The matrices stay int8 in memory too (about 25 MB loaded; each output's scale is
applied after the product); a message costs about ten milliseconds on one core. No PyTorch,
no download.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.services.wordpiece import WordPiece

Array = npt.NDArray[np.float32]
MODEL_FILE = Path(__file__).with_name("suggest_model.npz")
MAX_TOKENS = 96  # a longer message is read up to here
LAYER_NORM_EPS = 1e-12
LABELS = ("none", "idea", "request")


def quantise(matrix: npt.NDArray[np.floating[Any]]) -> tuple[npt.NDArray[np.int8], Array]:
    """int8 rows and the scale of each: ``matrix ≈ q * scale[:, None]``."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.round(matrix / scale[:, None]).astype(np.int8), scale


_ERF = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _gelu(x: Array) -> Array:
    """x * Φ(x), with erf from Abramowitz and Stegun 7.1.26 (error under 1.5e-7; numpy has no
    erf), computed in place: the intermediate activations are the largest arrays here."""
    a = np.abs(x)
    a *= np.float32(1.0 / np.sqrt(2.0))
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(_ERF[0])
    for c in _ERF[1:]:
        poly += np.float32(c)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # 1 - erf(|x| / sqrt 2)
    del a, t
    poly *= np.float32(-0.5)
    poly += 1.0  # Φ(|x|)
    negative = x < 0
    poly[negative] = 1.0 - poly[negative]  # Φ(x)
    poly *= x
    return poly


def _norm(x: Array, gain: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Array = (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * gain + bias
    return out


@dataclass(frozen=True, slots=True)
class Dense:
    """``x @ w.T + bias`` with ``w`` kept as int8 rows and their scales (the scale of an
    output is applied after the product, so the matrix is never widened in memory for long)."""

    q: npt.NDArray[np.int8]  # (inputs, outputs): the int8 rows, transposed
    scale: Array
    bias: Array

    def __call__(self, x: Array) -> Array:
        out: Array = x @ self.q
        out *= self.scale
        out += self.bias
        return out


@dataclass(frozen=True, slots=True)
class Layer:
    query: Dense
    key: Dense
    value: Dense
    attention: Dense
    intermediate: Dense
    output: Dense
    attention_norm: tuple[Array, Array]
    output_norm: tuple[Array, Array]


class Encoder:
    def __init__(self, path: Path = MODEL_FILE) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.meta: dict[str, Any] = json.loads(str(data["meta"]))
            self.wordpiece = WordPiece(str(data["vocabulary"]).split("\n"))
            self.words_q = data["words.q"]
            self.words_s = data["words.s"]
            self.positions = data["positions"].astype(np.float32)
            self.type0 = data["type0"].astype(np.float32)
            self.embed_norm = (data["embed_norm.g"], data["embed_norm.b"])
            self.heads = int(self.meta["heads"])

            def dense(name: str) -> Dense:
                return Dense(data[f"{name}.q"].T.copy(), data[f"{name}.s"], data[f"{name}.b"])

            def norm(name: str) -> tuple[Array, Array]:
                return data[f"{name}.g"], data[f"{name}.b"]

            self.layers = [
                Layer(
                    query=dense(f"{i}.query"),
                    key=dense(f"{i}.key"),
                    value=dense(f"{i}.value"),
                    attention=dense(f"{i}.attention"),
                    intermediate=dense(f"{i}.intermediate"),
                    output=dense(f"{i}.output"),
                    attention_norm=norm(f"{i}.attention_norm"),
                    output_norm=norm(f"{i}.output_norm"),
                )
                for i in range(int(self.meta["layers"]))
            ]
            self.head = (data["head.w"].T.copy(), data["head.b"])

    def ids(self, texts: list[str]) -> tuple[npt.NDArray[np.int64], Array]:
        """Token ids padded to the longest text, and the mask of real tokens."""
        encoded = [self.wordpiece.encode(t, MAX_TOKENS) for t in texts]
        width = max(len(e) for e in encoded)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.float32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1.0
        return ids, mask

    def _attention(self, x: Array, mask: Array, layer: Layer) -> Array:
        n, width, dim = x.shape
        size = dim // self.heads

        def split(dense: Dense) -> Array:
            out: Array = dense(x).reshape(n, width, self.heads, size).transpose(0, 2, 1, 3)
            return out

        q, k, v = split(layer.query), split(layer.key), split(layer.value)
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= np.float32(1.0 / np.sqrt(size))
        scores += ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = np.asarray((scores @ v).transpose(0, 2, 1, 3).reshape(n, width, dim), np.float32)
        return layer.attention(context)

    def logits(self, texts: list[str]) -> Array:
        """Scores for none, idea and request, one row per text (before the softmax)."""
        ids, mask = self.ids(texts)
        x = self.words_q[ids].astype(np.float32) * self.words_s[ids][..., None]
        x = _norm(x + self.positions[: ids.shape[1]] + self.type0, *self.embed_norm)
        for layer in self.layers:
            x = _norm(x + self._attention(x, mask, layer), *layer.attention_norm)
            x = _norm(x + layer.output(_gelu(layer.intermediate(x))), *layer.output_norm)
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        out: Array = (pooled @ self.head[0] + self.head[1]).astype(np.float32)
        return out


def probabilities(logits: Array) -> Array:
    """Softmax over none, idea, request."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    out: Array = (z / z.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


_lock = threading.Lock()
_encoder: Encoder | None = None


def shipped() -> Encoder:
    """The shipped model, loaded once per process."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder()
    return _encoder
