"""Words: the database's own full-text search over ``knowledge_docs``.

SQLite: FTS5 with the Porter stemmer ("mentor" finds "mentoring"), ranked by BM25, and a
look at the index's own vocabulary to correct a misspelt word ("mentorng"). PostgreSQL: the
English, French and Spanish stems of the text (``PG_TSVECTOR``), ranked by ``ts_rank``, and
the beginning of each long word to forgive a typo.
Words are OR-ed: a document with more of them ranks higher.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.models.knowledge import PG_CONFIGS, PG_TSVECTOR

_PG = PG_TSVECTOR.replace("text)", "d.text)")

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class Filters:
    kinds: tuple[str, ...]
    community_id: int | None = None
    theme: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class WordHit:
    doc_id: int
    kind: str
    item_id: int
    score: float  # higher is better


def words_of(query: str) -> list[str]:
    seen = dict.fromkeys(w.lower() for w in _WORD.findall(query) if len(w) > 1)
    return list(seen)[:MAX_WORDS]


def _where(filters: Filters, params: dict[str, object]) -> str:
    kinds = ", ".join(f":kind{i}" for i in range(len(filters.kinds)))
    params.update({f"kind{i}": k for i, k in enumerate(filters.kinds)})
    parts = [f"d.kind IN ({kinds})"]
    if filters.community_id is not None:
        parts.append("d.community_id = :community")
        params["community"] = filters.community_id
    if filters.theme:
        parts.append("d.themes LIKE :theme")
        params["theme"] = f"%|{filters.theme}|%"
    if filters.since is not None:
        parts.append("d.created_at >= :since")
        params["since"] = filters.since.replace(tzinfo=None)
    if filters.until is not None:
        parts.append("d.created_at < :until")
        params["until"] = filters.until.replace(tzinfo=None)
    return " AND ".join(parts)


def _selective(filters: Filters) -> bool:
    return (
        bool(filters.community_id or filters.theme or filters.since or filters.until)
        or len(filters.kinds) < 3
    )


def _corrections(session: Session, words: list[str]) -> list[str]:
    """Terms of the index close to words it does not know (SQLite's vocabulary table)."""
    extra: list[str] = []
    for word in words:
        if len(word) < 4 or word.isdigit():
            continue
        lo, hi = word[:2], word[:1] + chr(ord(word[1]) + 1)
        terms = session.scalars(
            text("SELECT term FROM knowledge_vocab WHERE term >= :lo AND term < :hi"),
            {"lo": lo, "hi": hi},
        ).all()
        if word in terms:
            continue
        near = [t for t in terms if abs(len(t) - len(word)) <= 3]
        extra += difflib.get_close_matches(word, near, n=2, cutoff=0.75)
    return extra


def search(session: Session, query: str, filters: Filters, *, limit: int) -> list[WordHit]:
    words = words_of(query)
    if not words or not filters.kinds:
        return []
    params: dict[str, object] = {"limit": limit}
    where = _where(filters, params)
    if session.get_bind().dialect.name == "sqlite":
        terms = words + _corrections(session, words)
        params["q"] = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        # Rank in the full-text index alone first (cheap), then filter the best of them.
        params["inner"] = limit * (50 if _selective(filters) else 10)
        sql = (
            "SELECT d.id, d.kind, d.item_id, f.rank FROM ("
            "SELECT rowid, bm25(knowledge_fts) AS rank FROM knowledge_fts "
            "WHERE knowledge_fts MATCH :q ORDER BY rank LIMIT :inner) AS f "
            f"JOIN knowledge_docs d ON d.id = f.rowid WHERE {where} ORDER BY f.rank LIMIT :limit"
        )
        rows = session.execute(text(sql), params).all()
        return [WordHit(r[0], r[1], r[2], -float(r[3])) for r in rows]
    params["q"] = " | ".join(words)
    # Unstemmed, a long word also matches by its beginning, which forgives a typo near its
    # end ("mentorng" finds "mentoring" through "mento:*").
    params["prefixes"] = " | ".join(
        [*words, *(f"{w[: max(4, len(w) - 3)]}:*" for w in words if len(w) >= 6)]
    )
    tsquery = " || ".join(
        f"to_tsquery('{c}', :{'prefixes' if c == 'simple' else 'q'})" for c in PG_CONFIGS
    )
    sql = (
        f"SELECT d.id, d.kind, d.item_id, ts_rank({_PG}, q) AS rank "
        f"FROM knowledge_docs d, ({'SELECT ' + tsquery} AS q) AS query "
        f"WHERE {_PG} @@ q AND {where} ORDER BY rank DESC LIMIT :limit"
    )
    rows = session.execute(text(sql), params).all()
    return [WordHit(r[0], r[1], r[2], float(r[3])) for r in rows]
