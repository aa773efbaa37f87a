"""inbox: claims read by (status, id)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:00:00

A claim takes the oldest due rows (``ORDER BY id LIMIT n``). With the index on
(status, next_attempt_at) every pending row was read and sorted for each claim, so a
claim cost more the longer the backlog it was meant to work through (on SQLite 0.2 ms with
50 rows waiting, 1.7 ms with 5,000). Read in id order from (status, id), a claim stops at
the first due rows.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_inbox_status_next", table_name="inbox")
    op.create_index("ix_inbox_status_id", "inbox", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_status_id", table_name="inbox")
    op.create_index("ix_inbox_status_next", "inbox", ["status", "next_attempt_at"])
