"""participation_days: messages per community and day, kept in step by triggers; indexes for
reading a week by community and time

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00

``participation`` has one row per person, community and day; ``stats``, the digests and the
activity pages add up its sum per community and day. ``participation_days`` holds that sum,
filled from what is there and kept in step by triggers on ``participation``
(``storage.models.participation_days``).

The digests read each community's week: ideas, requests and feedback by (community, time);
stage moves and check-ins by time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models.participation_days import REBUILD, create_statements, drop_statements

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_ideas_community_created", "ideas", ["community_id", "created_at"]),
    ("ix_requests_community_created", "requests", ["community_id", "created_at"]),
    ("ix_feedback_community_created", "feedback", ["community_id", "created_at"]),
    ("ix_attendances_at", "attendances", ["at"]),
)


def upgrade() -> None:
    op.create_table(
        "participation_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_participation_days_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("day", "community_id", name=op.f("pk_participation_days")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_participation_days_community_day",
        "participation_days",
        ["community_id", "day"],
        unique=False,
    )
    dialect = op.get_bind().dialect.name
    for statement in (*REBUILD, *create_statements(dialect)):
        op.execute(statement)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index(
        "ix_idea_stage_changes_moves",
        "idea_stage_changes",
        ["at"],
        unique=False,
        sqlite_where=sa.text("from_stage IS NOT NULL"),
        postgresql_where=sa.text("from_stage IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_idea_stage_changes_moves", table_name="idea_stage_changes")
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_participation_days_community_day", table_name="participation_days")
    op.drop_table("participation_days")
