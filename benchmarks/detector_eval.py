"""Measure the suggested-capture detector on held-out public data.

    python -m benchmarks.detector_eval [--shared ../shared] [--dev | --dev-only] [--sample N]

Prints precision, recall and F1 per file, as ``bot.services.suggest.classify`` sees it:
  * SemEval-2019 Task 9 subtask A (software feedback forum) and B (hotel reviews), the
    ``*_EvaluationData_labeled.csv`` test files: a sentence counts as flagged when the
    detector offers any capture (idea or request); the idea head alone is shown beside it.
    (CC BY-NC-SA: measured here, never trained on; ``--dev`` adds the trial files,
    ``--dev-only`` measures the training and trial files instead of the test files.)
  * the e-mail intent test file (Apache-2.0): flagged = offered as a request.
  * the real Slack export sample, judged by hand (``benchmarks/data/slack_judgement.tsv``:
    every real idea or request, and the borderline messages; the rest is ordinary chat): the
    share of ordinary messages that would get a prompt (borderline counted apart and as
    ordinary), and how many real ideas and requests get one; with ``--sample N`` a random
    sample of prompted messages to read.
``--fast`` measures the fast mode instead (``bot.services.suggest_fast``, used by imports),
with its cost per message.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import time
from pathlib import Path

from bot.services import suggest, suggest_fast
from bot.services.suggest_encoder import Encoder

HERE = Path(__file__).resolve().parent


def semeval(path: Path) -> list[tuple[str, bool]]:
    rows = []
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 3 and row[-1].strip() in ("0", "1"):
                text = row[1].strip()
                if len(text) > 1 and text[0] == text[-1] == '"':  # the training file quotes twice
                    text = text[1:-1]
                rows.append((text, row[-1].strip() == "1"))
    return rows


def email(path: Path) -> list[tuple[str, bool]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text.strip():
            rows.append((text.strip(), label == "Yes"))
    return rows


def slack_messages(folder: Path) -> list[tuple[str, str, str]]:
    """(channel, ts, text) of every message people wrote."""
    found = []
    for file in sorted(folder.glob("*/*.json")):
        for m in json.loads(file.read_text(encoding="utf-8")):
            if m.get("type") == "message" and not m.get("subtype") and m.get("text"):
                found.append((file.parent.name, str(m["ts"]), str(m["text"])))
    return found


def judged() -> dict[tuple[str, str], str]:
    """(channel, ts) → "idea" | "request" | "borderline"; unlisted messages are ordinary."""
    out = {}
    for line in (HERE / "data" / "slack_judgement.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            channel, ts, label, _ = line.split("\t", 3)
            out[(channel, ts)] = label
    return out


def slack_report(messages: list[tuple[str, str, str]], found: list[bool]) -> list[str]:
    """The prompt rate on ordinary chat and the share of real ideas and requests prompted."""
    labels = judged()
    kinds = [labels.get((channel, ts), "ordinary") for channel, ts, _ in messages]
    out = []
    for name, group in (
        ("ordinary messages prompted", ("ordinary",)),
        ("ordinary + borderline prompted", ("ordinary", "borderline")),
        ("real ideas and requests prompted", ("idea", "request")),
    ):
        n = sum(k in group for k in kinds)
        hit = sum(f and k in group for f, k in zip(found, kinds, strict=True))
        out.append(f"Slack export: {name:<33} {hit:>4} of {n:>4} ({hit / max(n, 1):.1%})")
    prompted = sum(found)
    real = sum(f and k in ("idea", "request") for f, k in zip(found, kinds, strict=True))
    out.append(
        f"Slack export: prompts that are real ideas or requests {real} of {prompted} "
        f"({real / max(prompted, 1):.0%}), with borderline "
        f"{sum(f and k != 'ordinary' for f, k in zip(found, kinds, strict=True))}"
    )
    return out


def plain(slack_text: str) -> str:
    """Slack markup to plain text, as the handler does before classifying."""
    text = re.sub(r"<(?:https?|mailto):[^>|]*\|([^>]*)>", r"\1", slack_text)
    text = re.sub(r"<(?:https?|mailto):[^>]*>", "", text)
    text = re.sub(r"<[@#!][^>]*>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def line(name: str, pred: list[bool], gold: list[bool]) -> str:
    p, r, f = prf(pred, gold)
    return f"{name:<44} n={len(gold):>5}  P={p:.3f}  R={r:.3f}  F1={f:.3f}"


_ENCODER: Encoder | None = None
_FAST = False


def classify_all(texts: list[str]) -> list[suggest.Suggestion | None]:
    """``suggest.classify`` on each text (batched)."""
    if _FAST:
        return [suggest_fast.classify(t) for t in texts]
    found: list[suggest.Suggestion | None] = [None] * len(texts)
    keep = [i for i, t in enumerate(texts) if suggest.eligible(t)]
    if not keep:
        return found
    probs = suggest.scores([texts[i] for i in keep], _ENCODER)
    for row, i in enumerate(keep):
        found[i] = suggest.decide(texts[i], float(probs[row, 0]), float(probs[row, 1]), _ENCODER)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--dev", action="store_true", help="also the SemEval trial files")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="the SemEval training and trial files instead of the test files (for development)",
    )
    parser.add_argument("--sample", type=int, default=0, help="print N prompted Slack messages")
    parser.add_argument("--model", type=Path, help="another model file than the shipped one")
    parser.add_argument("--fast", action="store_true", help="the fast mode (imports) instead")
    args = parser.parse_args()
    global _ENCODER, _FAST
    _FAST = args.fast
    _ENCODER = Encoder(args.model) if args.model else None
    data = args.shared / "data"
    mining = data / "suggestion-mining"
    files = [
        (
            "SemEval A test (software forum)",
            mining / "subtask-a/SubtaskA_EvaluationData_labeled.csv",
        ),
        (
            "SemEval B test (hotel reviews)",
            mining / "subtask-b/SubtaskB_EvaluationData_labeled.csv",
        ),
    ]
    if args.dev_only:
        files = [("SemEval A training", mining / "subtask-a/V1.4_Training.csv")]
    if args.dev or args.dev_only:
        files += [
            ("SemEval A trial", mining / "subtask-a/SubtaskA_Trial_Test_Labeled.csv"),
            ("SemEval B trial", mining / "subtask-b/SubtaskB_Trial_Test_Labeled.csv"),
        ]
    for name, path in files:
        if not path.exists():
            print(f"{name:<44} (missing: {path})")
            continue
        rows = semeval(path)
        found = classify_all([t for t, _ in rows])
        gold = [g for _, g in rows]
        print(line(name + ": any prompt", [s is not None for s in found], gold))
        print(line(name + ": idea", [s is not None and s.kind == "idea" for s in found], gold))
    path = data / "email-intent/test_testSet-qualifiedBatch-fixed.tsv"
    rows = email(path)
    found = classify_all([t for t, _ in rows])
    gold = [g for _, g in rows]
    print(
        line(
            "E-mail intent test: request",
            [s is not None and s.kind == "request" for s in found],
            gold,
        )
    )
    print(line("E-mail intent test: any prompt", [s is not None for s in found], gold))
    messages = slack_messages(data / "slack-export-sample/houstondatavis-2016")
    found = classify_all([plain(t) for _, _, t in messages])
    prompted = [(m, s) for m, s in zip(messages, found, strict=True) if s is not None]
    share = len(prompted) / max(len(messages), 1)
    name = "Slack export: messages prompted"
    print(f"{name:<44} n={len(messages):>5}  {len(prompted)} ({share:.1%})")
    for row in slack_report(messages, [s is not None for s in found]):
        print(row)
    if _FAST:
        texts = [plain(t) for _, _, t in messages] * 20
        started = time.process_time()
        for text in texts:
            suggest_fast.classify(text)
        spent = (time.process_time() - started) / len(texts) * 1e6
        print(f"{'fast mode: CPU per Slack message':<44} {spent:.0f} µs")
    labels = judged()
    sample = random.Random(7).sample(prompted, min(args.sample, len(prompted)))
    for (channel, ts, text), s in sample:
        assert s is not None
        label = labels.get((channel, ts), "ordinary")
        print(
            f"  [{s.kind} {s.score:.2f}, {label}] #{channel}: {' '.join(plain(text).split())[:130]}"
        )


if __name__ == "__main__":
    main()
