"""What each question got (status, relevance, outcomes, cited documents), for the editors' view.

Revision ID: 0003
Revises: 0002
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
        "asked",
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("answer_text", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("rule", sa.Text),
        sa.Column("kind", sa.Text),
        sa.Column("relevance", sa.Float),
        sa.Column("outcomes", sa.Text, nullable=False),
        sa.Column("doc_ids", sa.Text, nullable=False),
    )
    op.create_index("asked_by_age", "asked", ["created_at"])


def downgrade() -> None:
    op.drop_index("asked_by_age", table_name="asked")
    op.drop_table("asked")
