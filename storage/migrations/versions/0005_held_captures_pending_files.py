"""Held captures (items captured in a channel that is not part of a community yet) and files
pending Teams' file consent (kept in the database so any web process completes the upload)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:51:10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=128), nullable=False),
        sa.Column("channel_name", sa.String(length=200), nullable=True),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("held_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_captures")),
        sa.UniqueConstraint("item_kind", "item_id", name=op.f("uq_held_captures_item_kind")),
    )
    with op.batch_alter_table("held_captures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_held_captures_channel", ["platform", "workspace", "channel_id"], unique=False
        )

    op.create_table(
        "pending_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mimetype", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_files")),
        sa.UniqueConstraint("token", name=op.f("uq_pending_files_token")),
    )
    with op.batch_alter_table("pending_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_files_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_files_expires_at"))

    op.drop_table("pending_files")
    with op.batch_alter_table("held_captures", schema=None) as batch_op:
        batch_op.drop_index("ix_held_captures_channel")

    op.drop_table("held_captures")
