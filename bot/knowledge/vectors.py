"""The vectors of every document, in memory, kept in step with the database.

Each process holds, per database (engine), the 96-dimension projection of every stored
vector (``projection.npy``: the principal directions of sentence vectors), under a fifth of
the full size. A query scans the projections, then re-ranks the best few hundred with their
full vectors read from the database. Before a query the index loads the documents whose
``seq`` rose since its last look (one indexed query), so items saved by another process are
found too; rows deleted since are dropped when the candidates are read back.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.knowledge.embedder import MODEL, Vector, from_bytes
from storage.models import KnowledgeDoc

KINDS = ("idea", "lesson", "request", "event", "skill")
_CODE = {k: i for i, k in enumerate(KINDS)}
REDUCED = 96
RERANK = 300  # candidates re-ranked with their full vectors
PROJECTION_FILE = Path(__file__).with_name("projection.npy")
_GROW = 1024


@lru_cache(maxsize=1)
def projection() -> npt.NDArray[np.float32]:
    basis: npt.NDArray[np.float32] = np.load(PROJECTION_FILE).astype(np.float32)
    return basis


@dataclass(slots=True)
class Hit:
    doc_id: int
    kind: str
    item_id: int
    community_id: int | None
    score: float


def _floats() -> npt.NDArray[np.float32]:
    return np.zeros((_GROW, REDUCED), dtype=np.float32)


def _ints() -> npt.NDArray[np.int64]:
    return np.zeros(_GROW, dtype=np.int64)


def _codes() -> npt.NDArray[np.int8]:
    return np.zeros(_GROW, dtype=np.int8)


@dataclass(slots=True)
class _Index:
    seq: int = -1
    count: int = 0
    matrix: npt.NDArray[np.float32] = field(default_factory=_floats)
    doc_ids: npt.NDArray[np.int64] = field(default_factory=_ints)
    kinds: npt.NDArray[np.int8] = field(default_factory=_codes)
    item_ids: npt.NDArray[np.int64] = field(default_factory=_ints)
    communities: npt.NDArray[np.int64] = field(default_factory=_ints)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grow(self, size: int) -> None:
        self.matrix = np.resize(self.matrix, (size, REDUCED))
        self.doc_ids = np.resize(self.doc_ids, size)
        self.kinds = np.resize(self.kinds, size)
        self.item_ids = np.resize(self.item_ids, size)
        self.communities = np.resize(self.communities, size)

    def put(
        self,
        doc_id: int,
        kind: str,
        item: int,
        community: int | None,
        reduced: Vector,
        *,
        new: bool = False,
    ) -> None:
        """Store a document's projection (``new``: known not to be there yet)."""
        row = -1
        if not new:
            found = np.flatnonzero(self.doc_ids[: self.count] == doc_id)
            row = int(found[0]) if len(found) else -1
        if row < 0:
            if self.count == len(self.doc_ids):
                self.grow(len(self.doc_ids) * 2)
            row = self.count
            self.count += 1
        self.matrix[row] = reduced
        self.doc_ids[row] = doc_id
        self.kinds[row] = _CODE.get(kind, -1)
        self.item_ids[row] = item
        self.communities[row] = -1 if community is None else community


_INDEXES: weakref.WeakKeyDictionary[Engine, _Index] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()
_BATCH = 1000


def _index_for(session: Session) -> _Index:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _REGISTRY_LOCK:
        index = _INDEXES.get(engine)
        if index is None:
            index = _INDEXES[engine] = _Index()
        return index


def _refresh(session: Session, index: _Index) -> None:
    newest = session.scalar(select(func.max(KnowledgeDoc.seq))) or 0
    if newest < index.seq:  # the store was emptied (tests, a restore): start again
        fresh = _Index()
        index.seq, index.count = fresh.seq, 0
        index.matrix, index.doc_ids, index.kinds = fresh.matrix, fresh.doc_ids, fresh.kinds
        index.item_ids, index.communities = fresh.item_ids, fresh.communities
    if newest == index.seq:
        return
    result = session.execute(
        select(
            KnowledgeDoc.id,
            KnowledgeDoc.kind,
            KnowledgeDoc.item_id,
            KnowledgeDoc.community_id,
            KnowledgeDoc.vector,
        )
        .where(
            KnowledgeDoc.seq > index.seq,
            KnowledgeDoc.vector.is_not(None),
            KnowledgeDoc.model == MODEL,
        )
        .execution_options(yield_per=_BATCH)
    )
    first = index.count == 0
    if first:  # size the arrays once: no doubling, no second copy while loading
        total = session.scalar(select(func.count(KnowledgeDoc.id))) or 0
        index.grow(max(total + _GROW, len(index.doc_ids)))
    basis = projection()
    for batch in result.partitions():
        blobs = b"".join(r[4] or b"" for r in batch)
        full = np.frombuffer(blobs, dtype=np.float16).reshape(len(batch), -1)
        reduced = full.astype(np.float32) @ basis
        for r, vector in zip(batch, reduced, strict=True):
            index.put(r[0], r[1], r[2], r[3], vector, new=first)
    index.seq = newest


def load(session: Session) -> int:
    """Bring this process's index up to date with the store (at start, so that the first
    query does not load every vector); how many vectors it holds."""
    index = _index_for(session)
    with index.lock:
        _refresh(session, index)
        return index.count


def _allowed(index: _Index, count: int, kinds: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    """Which of the first ``count`` rows hold one of ``kinds`` (a table look-up per row)."""
    table = np.zeros(256, dtype=np.bool_)
    for kind in kinds:
        table[_CODE[kind] % 256] = True
    allowed: npt.NDArray[np.bool_] = table[index.kinds[:count].view(np.uint8)]
    return allowed


def _full_vectors(session: Session, doc_ids: list[int]) -> list[tuple[int, bytes]]:
    """The stored vectors of ``doc_ids``, read on the driver's own cursor: a few hundred rows
    of integers and bytes need none of the ORM's row handling, and the ids (integers from
    the index) are written into the statement instead of a bound parameter each."""
    if not doc_ids:
        return []
    listed = ",".join(str(int(i)) for i in doc_ids)
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(f"SELECT id, vector FROM knowledge_docs WHERE id IN ({listed})")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return [(doc_id, bytes(blob)) for doc_id, blob in rows if blob]


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
    if limit <= 0:
        return []
    index = _index_for(session)
    with index.lock:
        _refresh(session, index)
        count = index.count
        if count == 0:
            return []
        coarse = index.matrix[:count] @ (query.astype(np.float32) @ projection())
        mask = _allowed(index, count, kinds)
        if community_id is not None:
            mask &= index.communities[:count] == community_id
        np.copyto(coarse, np.float32(-2.0), where=~mask)
        take = min(count, RERANK)
        rows = np.argpartition(-coarse, take - 1)[:take] if take < count else np.arange(count)
        rows = rows[coarse[rows] > -2.0]
        candidates = {int(index.doc_ids[r]): int(r) for r in rows}
        kind_of = index.kinds[rows]
        item_of = index.item_ids[rows]
        community_of = index.communities[rows]
    full = _full_vectors(session, list(candidates))
    if not full:
        return []
    exact = from_bytes(b"".join(blob for _, blob in full)).reshape(len(full), -1) @ query
    at = {int(r): n for n, r in enumerate(rows)}
    skip = set(exclude)
    hits: list[Hit] = []
    # Best first (ties in the order read), stopping once ``limit`` are found.
    for i in np.argsort(-exact, kind="stable").tolist():
        score = float(exact[i])
        if score < min_score:
            break
        doc_id = full[i][0]
        n = at[candidates[doc_id]]
        key = (KINDS[kind_of[n]], int(item_of[n]))
        if key in skip:
            continue
        community = int(community_of[n])
        hits.append(Hit(doc_id, key[0], key[1], None if community < 0 else community, score))
        if len(hits) == limit:
            break
    return hits
