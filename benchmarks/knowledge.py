"""Benchmark: search, the similar-idea check at capture, memory, and matching quality.

    python -m benchmarks.knowledge [--items 100000] [--queries 200] [--detector]

Builds a SQLite store (migrated, WAL) with ``--items`` searchable items (7 ideas for every 3
requests), each with its document and vector as the bot stores them, then prints:
  * search p50/p95 through ``bot.services.search.search`` (words and meaning, ranked,
    described), after the first query has loaded the vectors (timed apart);
    target p95 < 100 ms on SQLite;
  * the time the similar-idea check adds to a capture (embedding the idea, ranking every
    stored idea, reading the three best); target < 50 ms; and the suggestion detector's time
    per message (its network, batched by one);
  * the peak RSS of a server process (bootstrap, web app with its platform mounts, model
    loaded and used); target < 300 MB; and this process's peak RSS with the whole index;
  * precision at 3 of the similar-idea check on pairs written for this project (the same
    idea in other words or another language, or a different idea on the same subject):
    ``benchmarks/data/similar_heldout.tsv``, held out (never used to choose anything), and
    ``benchmarks/data/paraphrase_pairs.tsv``, on which the threshold was chosen;
  * with ``--detector``, the detector's figures (``benchmarks.detector_eval``).
To keep the run short, the item texts are made from 2,000 generated sentences (each item
joins two, its vector the normalised sum of theirs), so only 2,000 sentences are embedded.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bot.knowledge import embedder
from bot.messages import Actor, Platform
from bot.services import search, similar, suggest
from bot.services.context import Context
from bot.settings import Settings
from copbot.bootstrap import bootstrap
from storage.models import Community, HelpRequest, Idea, KnowledgeDoc, Person

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
_SUBJECTS = (
    "mentoring", "training", "onboarding", "data", "survey", "dashboard", "chatbot", "report",
    "workshop", "webinar", "climate", "energy", "cooperative", "apprenticeship", "budget",
    "translation", "procurement", "travel", "recruitment", "newsletter", "map", "glossary",
    "evaluation", "pilot", "partnership", "statistics", "safety", "skills", "youth", "finance",
)  # fmt: skip
_FRAMES = (
    "a {a} programme for {b}", "pilot a {a} tool with {b}", "how to improve {a} for {b}",
    "share {a} lessons with {b}", "a shared {a} calendar for {b}", "automate {a} for {b}",
    "questions about {a} rules for {b}", "an online {a} course for {b}",
)  # fmt: skip
_WHO = (
    "new staff", "field offices", "partners", "constituents", "focal points", "employers",
    "young workers", "small enterprises", "ministries", "regional teams",
)  # fmt: skip
_QUERIES = (
    "mentoring new staff", "chatbot constituents", "climate energy partners", "survey data",
    "mentorng", "apprenticeship youth", "travel rules", "formation en ligne", "encuesta datos",
    "dashboard pilot field offices", "how do we run a webinar", "translation glossary",
)  # fmt: skip


def sentences(n: int, rng: random.Random) -> list[str]:
    found: set[str] = set()
    while len(found) < n:
        a, b = rng.choice(_SUBJECTS), rng.choice(_WHO)
        found.add(rng.choice(_FRAMES).format(a=a, b=b) + f" ({rng.choice(_SUBJECTS)})")
    return sorted(found)


def build(url: str, items: int, rng: random.Random) -> None:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    container = bootstrap(settings)
    base = sentences(2000, rng)
    vectors = embedder.embed(base)
    ideas = items * 7 // 10
    with container.engine.begin() as conn:
        conn.execute(insert(Community), [{"name": "bench", "created_at": NOW}])
        conn.execute(
            insert(Person), [{"display_name": f"p{i}", "created_at": NOW} for i in range(50)]
        )
        idea_rows, request_rows, docs = [], [], []
        for i in range(1, items + 1):
            a, b = rng.randrange(len(base)), rng.randrange(len(base))
            text = f"{base[a]}; {base[b]}"
            v = vectors[a] + vectors[b]
            v /= np.linalg.norm(v)
            when = NOW - timedelta(minutes=i)
            if i <= ideas:
                idea_rows.append(
                    {"id": i, "community_id": 1, "title": text[:200], "themes": [],
                     "author_id": 1 + i % 50, "champion_id": 1 + i % 50, "stage": "proposed",
                     "scaling": "unrated", "votes": 0, "created_at": when,
                     "stage_changed_at": when}
                )  # fmt: skip
                kind, item = "idea", i
            else:
                item = i - ideas
                request_rows.append(
                    {"id": item, "community_id": 1, "question": text, "tags": [],
                     "requester_id": 1 + i % 50, "status": "open", "created_at": when}
                )  # fmt: skip
                kind = "request"
            docs.append(
                {"kind": kind, "item_id": item, "community_id": 1, "text": text, "themes": "",
                 "created_at": when, "seq": i, "vector": embedder.to_bytes(v),
                 "model": embedder.MODEL}
            )  # fmt: skip
        conn.execute(insert(Idea), idea_rows)
        conn.execute(insert(HelpRequest), request_rows)
        for start in range(0, len(docs), 5000):
            conn.execute(insert(KnowledgeDoc), docs[start : start + 5000])
    container.close()


def context(settings: Settings) -> Context:
    actor = Actor(Platform.CONSOLE, "local", "bench", "bench")
    return Context(actor=actor, channel="bench", now=NOW, settings=settings)


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def report(what: str, wall: list[float], cpu: list[float]) -> None:
    """Wall-clock and CPU time: on a shared machine the CPU time shows the work itself."""
    print(
        f"{what}: p50 {statistics.median(wall):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms "
        f"(CPU p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms)"
    )


def server_rss(url: str) -> float:
    """Peak RSS (MB) of a fresh process that builds the server on the store, loads the model
    and every vector (one search) and classifies a message. Read from /proc: ``ru_maxrss``
    would carry this process's own peak over the exec."""
    code = (
        "from bot.settings import Settings\n"
        "from copbot.bootstrap import bootstrap\n"
        "from copbot.server import platform_mounts\n"
        "from copbot.web import build_app\n"
        "from bot.knowledge import embedder\n"
        "from bot.services import suggest\n"
        "from benchmarks.knowledge import context\n"
        "from bot.services import search\n"
        f"s = Settings(_env_file=None, database_url={url!r})\n"
        "c = bootstrap(s, migrate=False)\n"
        "app = build_app(c, platform_mounts(c))\n"
        "search.search(c.uow(), context(s), query='mentoring new staff')\n"
        "suggest.classify('Could someone help me with the survey tool for partners?')\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(peak.split()[1]) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


PAIR_FILES = (
    ("similar_heldout.tsv", "held out"),
    ("paraphrase_pairs.tsv", "threshold chosen on it"),
)


def precision_at_3(path: Path) -> tuple[float, float, int, int]:
    """(precision of the ideas shown, share of paraphrases found, queries, same pairs):
    each pair's second text is a new idea, the first texts of all pairs are the stored ideas
    it is checked against, as ``similar.ideas_like`` does (top 3 at or above the threshold)."""
    rows = [
        line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    group: dict[str, int] = {}
    for n, (label, a, b) in enumerate(rows):
        if label == "same":
            g = group.get(a, group.get(b, n))
            group[a] = group[b] = g
    corpus = list(dict.fromkeys(a for _, a, _ in rows))
    matrix = embedder.embed(corpus)
    shown = right = found = 0
    for label, _a, b in rows:
        scores = matrix @ embedder.embed_one(b)
        top = [i for i in np.argsort(-scores)[:3] if scores[i] >= similar.SAME_IDEA]
        shown += len(top)
        hits = [i for i in top if label == "same" and group.get(corpus[i]) == group.get(b)]
        right += len(hits)
        found += bool(hits)
    same = sum(1 for r in rows if r[0] == "same")
    return right / max(shown, 1), found / max(same, 1), len(rows), same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--detector", action="store_true")
    args = parser.parse_args()
    rng = random.Random(13)
    embedder.embed_one("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        started = time.perf_counter()
        build(url, args.items, rng)
        print(f"store: {args.items:,} items built in {time.perf_counter() - started:.0f} s")
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        container = bootstrap(settings, migrate=False)
        ctx = context(settings)
        started = time.perf_counter()
        search.search(container.uow(), ctx, query="warm up the index")
        print(f"first search (loads {args.items:,} vectors): {time.perf_counter() - started:.2f} s")
        times, cpu = [], []
        for i in range(args.queries):
            query = _QUERIES[i % len(_QUERIES)]
            started, used = time.perf_counter(), time.thread_time()
            search.search(container.uow(), ctx, query=query)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - used) * 1000)
        report(f"search on SQLite ({args.queries} queries)", times, cpu)
        times, cpu = [], []
        for i in range(50):
            text = f"pilot a mentoring tool with new staff, idea {i}"
            started, used = time.perf_counter(), time.thread_time()
            with container.uow() as uow:
                similar.ideas_like(uow.session, similar.vector_for(text))
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - used) * 1000)
        report("similar-idea check at capture", times, cpu)
        times, cpu = [], []
        for i in range(50):
            text = f"Could someone help me with the survey tool for partners, part {i}?"
            started, used = time.perf_counter(), time.thread_time()
            suggest.classify(text)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - used) * 1000)
        report("suggestion detector per message", times, cpu)
        container.close()
        rss = server_rss(url)
    print(f"server RSS with the model and {args.items:,} items' vectors loaded: {rss:.0f} MB")
    for name, note in PAIR_FILES:
        precision, recall, queries, same = precision_at_3(HERE / "data" / name)
        print(
            f"similar ideas, {name} ({note}): precision@3 {precision:.2f}, "
            f"paraphrases found in the top 3 {recall:.2f} ({same} same of {queries} pairs)"
        )
    if args.detector:
        from benchmarks import detector_eval

        sys.argv = [sys.argv[0]]
        detector_eval.main()


if __name__ == "__main__":
    main()
