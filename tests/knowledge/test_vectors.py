"""The in-memory vector index ranks exactly like scoring every document: fewer documents than
it re-ranks means every candidate gets its full score, so the answer must equal brute force
(kinds, community, exclusions, threshold, limit and order)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy import insert

from bot.container import Container
from bot.knowledge import embedder, vectors
from storage.models import Community, KnowledgeDoc
from tests.conftest import NOW

DOCS = 240  # under vectors.RERANK
KINDS = ("idea", "lesson", "request", "event")


def _unit(rng: np.random.Generator, base: np.ndarray) -> np.ndarray:
    v = base + rng.normal(scale=0.6, size=base.shape).astype(np.float32)
    return (v / np.linalg.norm(v)).astype(np.float32)


@pytest.fixture
def stored(container: Container) -> list[dict[str, object]]:
    rng = np.random.default_rng(5)
    pick = random.Random(5)
    base = rng.normal(size=embedder.DIM).astype(np.float32)
    docs = []
    for n in range(1, DOCS + 1):
        vector = _unit(rng, base)
        docs.append(
            {
                "id": n,
                "kind": pick.choice(KINDS),
                "item_id": n,
                "community_id": pick.choice((1, 2, None)),
                "text": f"document {n}",
                "themes": "",
                "created_at": NOW,
                "seq": n,
                "vector": embedder.to_bytes(vector),
                "model": embedder.MODEL,
            }
        )
    with container.engine.begin() as conn:
        conn.execute(
            insert(Community), [{"id": c, "name": f"c{c}", "created_at": NOW} for c in (1, 2)]
        )
        conn.execute(insert(KnowledgeDoc), docs)
    return docs


def _brute_force(
    docs: list[dict[str, object]],
    query: np.ndarray,
    *,
    kinds: tuple[str, ...],
    limit: int,
    min_score: float,
    community_id: int | None = None,
    exclude: tuple[tuple[str, int], ...] = (),
) -> list[tuple[int, float]]:
    scored = []
    for doc in docs:
        if doc["kind"] not in kinds or (doc["kind"], doc["item_id"]) in exclude:
            continue
        if community_id is not None and doc["community_id"] != community_id:
            continue
        score = float(embedder.from_bytes(doc["vector"]) @ query)  # type: ignore[arg-type]
        if score >= min_score:
            scored.append((int(doc["id"]), score))  # type: ignore[call-overload]
    scored.sort(key=lambda hit: -hit[1])
    return scored[:limit]


@pytest.mark.parametrize(
    ("kinds", "community_id", "exclude", "min_score", "limit"),
    [
        (("idea",), None, (), 0.0, 6),
        (("idea", "lesson"), None, (), 0.3, 50),
        (("request",), 1, (), -1.0, 10),
        (("idea",), 2, (("idea", 3), ("idea", 4)), 0.2, 400),
        (("event", "request", "idea"), None, (), 0.99, 5),
        (("idea",), None, (), 0.0, 0),
    ],
)
def test_nearest_ranks_like_scoring_every_document(
    container: Container,
    stored: list[dict[str, object]],
    kinds: tuple[str, ...],
    community_id: int | None,
    exclude: tuple[tuple[str, int], ...],
    min_score: float,
    limit: int,
) -> None:
    rng = np.random.default_rng(11)
    query = embedder.from_bytes(stored[7]["vector"])  # type: ignore[arg-type]
    query = _unit(rng, query)
    with container.uow() as uow:
        hits = vectors.nearest(
            uow.session,
            query,
            kinds=kinds,
            limit=limit,
            min_score=min_score,
            community_id=community_id,
            exclude=exclude,
        )
    expected = _brute_force(
        stored,
        query,
        kinds=kinds,
        limit=limit,
        min_score=min_score,
        community_id=community_id,
        exclude=exclude,
    )
    assert [h.doc_id for h in hits] == [doc_id for doc_id, _ in expected]
    assert [h.score for h in hits] == pytest.approx([score for _, score in expected], abs=1e-5)
    by_id = {d["id"]: d for d in stored}
    for hit in hits:
        assert hit.kind == by_id[hit.doc_id]["kind"]
        assert hit.item_id == by_id[hit.doc_id]["item_id"]
        assert hit.community_id == by_id[hit.doc_id]["community_id"]
