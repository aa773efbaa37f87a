"""Sentence vectors kept in a file between runs (``benchmarks.projection`` embeds thousands
of sentences; the cache makes a second run take seconds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.knowledge import embedder


def cached_vectors(texts: list[str], cache: Path | None) -> npt.NDArray[np.float32]:
    """``embedder.embed(texts)``, with the vectors kept in ``cache`` when given."""
    known: dict[str, npt.NDArray[np.float32]] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        known.update(zip(missing, embedder.embed(missing), strict=True))
        if cache is not None:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    if not texts:
        return np.zeros((0, embedder.DIM), dtype=np.float32)
    return np.stack([known[t] for t in texts]).astype(np.float32)
