"""The inbox: verified requests stored before they are acknowledged

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00

On PostgreSQL the web processes write here and the inbox workers read from here. On SQLite
the inbox lives in a small journal file next to the database (``<name>.inbox.sqlite3``) so
that a locked main database cannot hold up an acknowledgement; the table is created here as
well so both stores have one schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime()),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("last_error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("platform", "key", name="uq_inbox_platform_key"),
    )
    op.create_index("ix_inbox_status_next", "inbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_status_next", table_name="inbox")
    op.drop_table("inbox")
