"""Make ``bot/knowledge/projection.npy``: the 96 principal directions of sentence vectors.

    python -m benchmarks.projection [--shared ../shared]

Search and matching scan every stored vector in memory; they scan 96-dimension projections
(under a fifth of the memory and time) and re-rank the best few hundred with the full 512
dimensions. The directions are the principal components of the vectors of the detector's
training sentences (written for this project, and the Apache-2.0 e-mail intent training
file), nothing else.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from benchmarks.detector_data import load
from benchmarks.detector_vectors import cached_vectors
from bot.knowledge.vectors import PROJECTION_FILE, REDUCED

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--cache", type=Path, help="sentence vectors kept between runs")
    args = parser.parse_args()
    texts = [r.text for r in load(args.shared)]
    vectors = cached_vectors(texts, args.cache).astype(np.float64)
    _, _, vt = np.linalg.svd(vectors - vectors.mean(axis=0), full_matrices=False)
    basis = vt[:REDUCED].T.astype(np.float32)  # (512, 96)
    np.save(PROJECTION_FILE, basis)
    kept = float(np.linalg.norm(vectors @ basis) ** 2 / np.linalg.norm(vectors) ** 2)
    print(f"wrote {PROJECTION_FILE} from {len(texts)} sentences; energy kept {kept:.2f}")


if __name__ == "__main__":
    main()
