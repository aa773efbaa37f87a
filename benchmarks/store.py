"""A store of many ideas as the bot would have stored them, for the work and load benchmarks:
each idea with its search document and sentence vector, spread over many communities, with
authors and champions among many people.

Embedding 100,000 texts would take minutes, so the titles are made from 2,000 generated
sentences (each title joins two, its vector the normalised sum of theirs, as in
``benchmarks.knowledge``): only 2,000 sentences are embedded.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert

from benchmarks.knowledge import sentences
from bot.knowledge import embedder
from storage import models as m

BATCH = 10_000
STAGES = ("proposed", "proposed", "development", "pilot")


def people(engine: Engine, *, first: int, count: int, at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(m.Person),
            [{"id": p, "display_name": f"person-{p}", "created_at": at}
             for p in range(first, first + count)],
        )  # fmt: skip


def communities(engine: Engine, *, ids: range, at: datetime) -> None:
    with engine.begin() as conn:
        rows = [{"id": c, "name": f"community-{c}", "created_at": at} for c in ids]
        conn.execute(insert(m.Community), rows)


def _rows(
    count: int, *, community: Any, people: range, since: datetime, rng: random.Random
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    base = sentences(2000, rng)
    vectors = embedder.embed(base) if embedder.available() else None
    for i in range(count):
        a, b = rng.randrange(len(base)), rng.randrange(len(base))
        title = f"{base[a]}; {base[b]}"[:200]
        at = since + timedelta(minutes=5 * i)
        where = community(i)
        idea = {
            "title": title, "community_id": where, "author_id": rng.choice(people),
            "champion_id": rng.choice(people), "stage": rng.choice(STAGES),
            "scaling": "unrated", "votes": rng.randrange(0, 8), "themes": [],
            "created_at": at, "stage_changed_at": at,
        }  # fmt: skip
        doc: dict[str, Any] = {
            "kind": "idea", "community_id": where, "text": title, "themes": "",
            "created_at": at, "vector": None, "model": None,
        }  # fmt: skip
        if vectors is not None:
            v = vectors[a] + vectors[b]
            doc["vector"] = embedder.to_bytes(v / np.linalg.norm(v))
            doc["model"] = embedder.MODEL
        yield idea, doc


def ideas(
    engine: Engine,
    count: int,
    *,
    community: Any,
    people: range,
    since: datetime,
    rng: random.Random,
) -> None:
    """``count`` ideas (``community(i)`` says where the i-th lives), each with its search
    document and vector, in batches of 10,000."""
    with engine.begin() as conn:
        next_id = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM ideas").scalar() or 0)
        seq = int(
            conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM knowledge_docs").scalar() or 0
        )
        batch: list[tuple[dict[str, Any], dict[str, Any]]] = []

        def flush() -> None:
            nonlocal next_id, seq
            for idea, doc in batch:
                next_id += 1
                seq += 1
                idea["id"] = doc["item_id"] = next_id
                doc["seq"] = seq
            conn.execute(insert(m.Idea), [idea for idea, _ in batch])
            conn.execute(insert(m.KnowledgeDoc), [doc for _, doc in batch])
            batch.clear()

        for pair in _rows(count, community=community, people=people, since=since, rng=rng):
            batch.append(pair)
            if len(batch) == BATCH:
                flush()
        if batch:
            flush()
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE ideas")
            conn.exec_driver_sql("ANALYZE knowledge_docs")
