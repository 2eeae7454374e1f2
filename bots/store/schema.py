"""The tables the stores share, as SQLAlchemy Core tables (the migrations create them)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Float, nullable=False),
    Column("channel", Text, nullable=False),
    Column("conversation_id", Text, nullable=False),
    Column("message_id", Text, nullable=False),
    Column("rating", Text, CheckConstraint("rating IN ('up', 'down')"), nullable=False),
    Column("comment", Text),
    Column("user", Text),
    Column("question", Text),
    Column("answer_status", Text),
    sqlite_autoincrement=True,
)

turns = Table(
    "turns",
    metadata,
    Column("message_id", String(64), primary_key=True),
    Column("conversation_id", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer_text", Text, nullable=False),
    Column("answer_json", Text, nullable=False),
    Index("turns_by_conversation", "conversation_id", "created_at"),
    Index("turns_by_age", "created_at"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("channel", Text, nullable=False),
    Column("previous_id", String(64)),
    Column("data_json", Text, nullable=False),
)

slack_events = Table(
    "slack_events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("seen_at", Float, nullable=False),
    Index("slack_events_by_age", "seen_at"),
)

# What each question got, for the editors' view: kept longer than conversations, with the text blanked
# after the editors' retention period (the counts stay).
asked = Table(
    "asked",
    metadata,
    Column("message_id", String(64), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("channel", Text, nullable=False),
    Column("question", Text),
    Column("answer_text", Text),
    Column("status", Text, nullable=False),
    Column("rule", Text),
    Column("kind", Text),
    Column("relevance", Float),
    Column("outcomes", Text, nullable=False),
    Column("doc_ids", Text, nullable=False),
    Index("asked_by_age", "created_at"),
)
