"""The vectors of every document, in memory, kept in step with the database.

Each process holds one matrix per database (engine). Before a query it loads the documents
whose ``seq`` rose since its last look (one indexed query), so a capture seen by another
process or worker is found too. Rows deleted since are dropped when a result is checked
against the database.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.knowledge.embedder import DIM, MODEL, Vector
from storage.models import KnowledgeDoc

_GROW = 1024
KINDS = ("idea", "lesson", "request", "event", "skill")
_CODE = {k: i for i, k in enumerate(KINDS)}


@dataclass(slots=True)
class Hit:
    doc_id: int
    kind: str
    item_id: int
    community_id: int | None
    score: float


@dataclass(slots=True)
class _Index:
    seq: int = -1
    count: int = 0
    matrix: npt.NDArray[np.float16] = field(
        default_factory=lambda: np.zeros((_GROW, DIM), dtype=np.float16)
    )
    doc_ids: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(_GROW, np.int64))
    kinds: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(_GROW, np.int8))
    item_ids: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(_GROW, np.int64))
    communities: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(_GROW, np.int64))
    row_of: dict[int, int] = field(default_factory=dict)  # doc id -> row
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, doc_id: int, kind: str, item: int, community: int | None, blob: bytes) -> None:
        vector = np.frombuffer(blob, dtype=np.float16)
        row = self.row_of.get(doc_id)
        if row is None:
            if self.count == len(self.doc_ids):
                size = len(self.doc_ids) * 2
                self.matrix = np.resize(self.matrix, (size, DIM))
                self.doc_ids = np.resize(self.doc_ids, size)
                self.kinds = np.resize(self.kinds, size)
                self.item_ids = np.resize(self.item_ids, size)
                self.communities = np.resize(self.communities, size)
            row = self.count
            self.count += 1
            self.row_of[doc_id] = row
        self.matrix[row] = vector
        self.doc_ids[row] = doc_id
        self.kinds[row] = _CODE.get(kind, -1)
        self.item_ids[row] = item
        self.communities[row] = -1 if community is None else community


_INDEXES: weakref.WeakKeyDictionary[Engine, _Index] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()
_CHUNK = 16384


def _index_for(session: Session) -> _Index:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _REGISTRY_LOCK:
        index = _INDEXES.get(engine)
        if index is None:
            index = _INDEXES[engine] = _Index()
        return index


def _refresh(session: Session, index: _Index) -> None:
    newest = session.scalar(select(func.max(KnowledgeDoc.seq))) or 0
    if newest < index.seq:  # the store was emptied (tests, restore): start again
        fresh = _Index()
        index.seq, index.count, index.matrix = fresh.seq, 0, fresh.matrix
        index.doc_ids, index.kinds, index.item_ids = fresh.doc_ids, fresh.kinds, fresh.item_ids
        index.communities, index.row_of = fresh.communities, {}
    if newest == index.seq:
        return
    rows = session.execute(
        select(
            KnowledgeDoc.id,
            KnowledgeDoc.kind,
            KnowledgeDoc.item_id,
            KnowledgeDoc.community_id,
            KnowledgeDoc.vector,
        ).where(
            KnowledgeDoc.seq > index.seq,
            KnowledgeDoc.vector.is_not(None),
            KnowledgeDoc.model == MODEL,
        )
    ).all()
    for doc_id, kind, item, community, blob in rows:
        if blob:
            index.put(doc_id, kind, item, community, blob)
    index.seq = newest


def nearest(
    session: Session,
    query: Vector,
    *,
    kinds: tuple[str, ...],
    limit: int,
    min_score: float,
    community_id: int | None = None,
    exclude: tuple[tuple[str, int], ...] = (),
) -> list[Hit]:
    """The documents of ``kinds`` closest to ``query`` (cosine), best first."""
    index = _index_for(session)
    with index.lock:
        _refresh(session, index)
        count = index.count
        if count == 0:
            return []
        q = query.astype(np.float32)
        scores = np.empty(count, dtype=np.float32)
        for start in range(0, count, _CHUNK):
            block = index.matrix[start : min(count, start + _CHUNK)].astype(np.float32)
            scores[start : start + len(block)] = block @ q
        mask = np.isin(index.kinds[:count], [_CODE[k] for k in kinds])
        if community_id is not None:
            mask &= index.communities[:count] == community_id
        scores[~mask] = -2.0
        scores[scores < min_score] = -2.0
        take = min(count, limit + len(exclude) + 8)
        top = np.argpartition(-scores, take - 1)[:take] if take < count else np.arange(count)
        top = top[np.argsort(-scores[top])]
        skip = set(exclude)
        hits = []
        for row in top:
            if scores[row] <= -2.0:
                break
            key = (KINDS[index.kinds[row]], int(index.item_ids[row]))
            if key in skip:
                continue
            community = int(index.communities[row])
            hits.append(
                Hit(
                    int(index.doc_ids[row]),
                    key[0],
                    key[1],
                    None if community < 0 else community,
                    float(scores[row]),
                )
            )
        return hits[: limit + 8]
