"""Indexes for idea listings: newest first and most voted first, in a community and overall

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# `ideas` in a community (newest first), `ideas top` in a community and overall (most voted
# first): each walks its index and stops after a page instead of sorting every idea.
INDEXES = (
    ("ix_ideas_community_id", ["community_id", "id"]),
    ("ix_ideas_community_votes", ["community_id", "votes", "id"]),
    ("ix_ideas_votes", ["votes", "id"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "ideas", columns)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="ideas")
