"""knowledge: searchable documents with their vectors, full-text index, theme list

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00

SQLite: an FTS5 table over ``knowledge_docs.text`` (external content, kept in step by
triggers) with the Porter stemmer, and an ``fts5vocab`` table of its terms for typo
correction. PostgreSQL: a GIN index on the English, French, Spanish and simple
``tsvector`` of the text (``storage.models.knowledge.PG_TSVECTOR``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PG_TSVECTOR = (
    "(to_tsvector('english', text) || to_tsvector('french', text) "
    "|| to_tsvector('spanish', text) || to_tsvector('simple', text))"
)


BACKFILL = (  # kind, text, where from
    ("idea", "title || COALESCE('. ' || description, '')", "ideas"),
    ("lesson", "title || '. ' || lessons", "ideas WHERE lessons IS NOT NULL"),
    ("request", "question", "requests"),
    ("event", "title || ' (' || kind || ')'", "events"),
)


def upgrade() -> None:
    op.create_table(
        "knowledge_docs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("themes", sa.String(length=500), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("model", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_knowledge_docs_community_id_communities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_docs")),
        sa.UniqueConstraint("kind", "item_id", name=op.f("uq_knowledge_docs_kind")),
    )
    op.create_index("ix_knowledge_docs_seq", "knowledge_docs", ["seq"], unique=False)
    op.create_index(
        "ix_knowledge_docs_kind_created", "knowledge_docs", ["kind", "created_at"], unique=False
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_themes_name")),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE knowledge_fts USING fts5(text, content='knowledge_docs', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute("CREATE VIRTUAL TABLE knowledge_vocab USING fts5vocab(knowledge_fts, 'row')")
        op.execute(
            "CREATE TRIGGER knowledge_fts_ai AFTER INSERT ON knowledge_docs BEGIN "
            "INSERT INTO knowledge_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER knowledge_fts_ad AFTER DELETE ON knowledge_docs BEGIN "
            "INSERT INTO knowledge_fts(knowledge_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER knowledge_fts_au AFTER UPDATE OF text ON knowledge_docs BEGIN "
            "INSERT INTO knowledge_fts(knowledge_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); "
            "INSERT INTO knowledge_fts(rowid, text) VALUES (new.id, new.text); END"
        )
    else:
        op.execute(
            f"CREATE INDEX ix_knowledge_docs_tsv ON knowledge_docs USING gin ({PG_TSVECTOR})"
        )
    # What was captured before: searchable by words at once; the server computes the vectors
    # (and the ideas' theme field) in the background after it starts.
    for kind, body, source in BACKFILL:
        op.execute(
            "INSERT INTO knowledge_docs (kind, item_id, community_id, text, themes, created_at, "
            f"seq, vector, model) SELECT '{kind}', id, community_id, {body}, '', created_at, "
            f"0, NULL, NULL FROM {source}"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("knowledge_fts_ai", "knowledge_fts_ad", "knowledge_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS knowledge_vocab")
        op.execute("DROP TABLE IF EXISTS knowledge_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_knowledge_docs_tsv")
    op.drop_table("themes")
    op.drop_index("ix_knowledge_docs_kind_created", table_name="knowledge_docs")
    op.drop_index("ix_knowledge_docs_seq", table_name="knowledge_docs")
    op.drop_table("knowledge_docs")
