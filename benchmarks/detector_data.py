"""The suggestion detector's training and development data, all of it licensed for shipping.

* ``benchmarks/data/detector/*.tsv`` and ``benchmarks/data/detector_sentences.tsv``:
  sentences written for this project (``LABEL<TAB>text``, labels ``idea``, ``request``,
  ``none``), by domain and language;
* sentences generated from templates written for this project
  (:mod:`benchmarks.detector_templates`): training only;
* the e-mail intent training file (Parakweet Labs, Apache-2.0): its requests ("Yes") teach
  the request head, its other sentences are negatives.

A fifth of the written sentences and of the e-mail training file (chosen by a hash of the
text, so it stays the same when sentences are added) is the development split: thresholds
are chosen there, never on any test file. Nothing from SemEval-2019 Task 9 is read here.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from pathlib import Path

from benchmarks.detector_templates import generated

HERE = Path(__file__).resolve().parent
OWN_DIR = HERE / "data" / "detector"
OWN_FILES = (HERE / "data" / "detector_sentences.tsv", *sorted(OWN_DIR.glob("*.tsv")))
EMAIL_TRAIN = Path("data") / "email-intent" / "train_Ask0729-fixed.tsv"
LABELS = ("none", "idea", "request")
DEV_SHARE = 5  # one in five


@dataclass(frozen=True, slots=True)
class Row:
    label: str  # "none" | "idea" | "request"
    text: str
    source: str  # "own:<file stem>", "template" or "email"
    dev: bool


def read(path: Path, labels: dict[str, str]) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text.strip() and label in labels:
            rows.append((labels[label], text.strip()))
    return rows


def is_dev(text: str) -> bool:
    return zlib.crc32(" ".join(text.lower().split()).encode("utf-8")) % DEV_SHARE == 0


def load(shared: Path) -> list[Row]:
    same = {label: label for label in LABELS}
    rows: list[Row] = []
    for path in OWN_FILES:
        stem = "sentences" if path.parent.name == "data" else path.stem
        rows += [Row(label, text, f"own:{stem}", is_dev(text)) for label, text in read(path, same)]
    written = {r.text for r in rows}
    rows += [
        Row(label, text, "template", False)
        for label, text in generated(random.Random(13))
        if text not in written
    ]
    email = read(shared / EMAIL_TRAIN, {"Yes": "request", "No": "none"})
    rows += [Row(label, text, "email", is_dev(text)) for label, text in email]
    return rows


def counts(rows: list[Row]) -> dict[str, int]:
    """Training sentences by where they come from (for the model file and the README)."""
    out: dict[str, int] = {}
    for row in rows:
        key = {"template": "generated from own templates", "email": "email-intent train"}.get(
            row.source, "own sentences"
        )
        out[key] = out.get(key, 0) + 1
    return out
