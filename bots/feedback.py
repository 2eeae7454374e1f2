"""Feedback and conversations in SQLite, shared by the web endpoint and the Slack bot.

Several server workers can share one file: every call opens its own connection, SQLite's WAL mode
lets readers and a writer work together, and conversations are bounded in turns, count and age.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from assistant.answer import Answer, Turn

Rating = Literal["up", "down"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    user TEXT,
    question TEXT,
    answer_status TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    question TEXT NOT NULL,
    answer_text TEXT NOT NULL,
    answer_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation_id, created_at);
CREATE INDEX IF NOT EXISTS turns_by_age ON turns (created_at);
"""


class FeedbackStore:
    """Ratings on answers, and the conversations they belong to."""

    def __init__(
        self,
        path: Path,
        *,
        max_turns: int = 20,
        ttl_hours: float = 24.0,
        max_conversations: int = 10_000,
    ):
        self.path = Path(path)
        self.max_turns = max_turns
        self.ttl_seconds = ttl_hours * 3600
        self.max_conversations = max_conversations
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    @staticmethod
    def new_id() -> str:
        """A fresh conversation or message id."""
        return uuid.uuid4().hex

    # Conversations
    def record_turn(self, conversation_id: str, answer: Answer) -> str:
        """Store a question and its answer; returns the new message id (also set on the answer)."""
        message_id = answer.message_id or self.new_id()
        answer.message_id = message_id
        answer.conversation_id = conversation_id
        now = time.time()
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR REPLACE INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    conversation_id,
                    now,
                    answer.question,
                    answer.text,
                    json.dumps(answer.to_dict()),
                ),
            )
            # Keep the newest turns of this conversation, drop expired ones, cap the number of conversations.
            db.execute(
                "DELETE FROM turns WHERE conversation_id = ? AND message_id NOT IN ("
                " SELECT message_id FROM turns WHERE conversation_id = ? ORDER BY created_at DESC LIMIT ?)",
                (conversation_id, conversation_id, self.max_turns),
            )
            db.execute("DELETE FROM turns WHERE created_at < ?", (now - self.ttl_seconds,))
            db.execute(
                "DELETE FROM turns WHERE conversation_id NOT IN ("
                " SELECT conversation_id FROM turns GROUP BY conversation_id"
                " ORDER BY MAX(created_at) DESC LIMIT ?)",
                (self.max_conversations,),
            )
            db.execute("COMMIT")
        return message_id

    def history(self, conversation_id: str) -> list[Turn]:
        """The conversation's earlier turns, oldest first (expired turns are gone)."""
        cutoff = time.time() - self.ttl_seconds
        with self._connect() as db:
            rows = db.execute(
                "SELECT question, answer_text FROM turns WHERE conversation_id = ? AND created_at >= ?"
                " ORDER BY created_at",
                (conversation_id, cutoff),
            ).fetchall()
        return [Turn(question=row["question"], answer=row["answer_text"]) for row in rows]

    def turn(self, message_id: str) -> dict[str, Any] | None:
        """One stored turn, or None."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM turns WHERE message_id = ?", (message_id,)).fetchone()
        return dict(row) if row else None

    # Feedback
    def add_feedback(
        self,
        *,
        conversation_id: str,
        message_id: str,
        rating: Rating,
        comment: str | None = None,
        channel: str = "web",
        user: str | None = None,
    ) -> int:
        """Store one rating; returns its id."""
        if rating not in ("up", "down"):
            raise ValueError("rating must be 'up' or 'down'")
        turn = self.turn(message_id)
        question = turn["question"] if turn else None
        status = json.loads(turn["answer_json"]).get("status") if turn else None
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, channel, conversation_id, message_id, rating, comment, user,"
                " question, answer_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), channel, conversation_id, message_id, rating, comment, user, question, status),
            )
            return int(cursor.lastrowid or 0)

    def feedback(self, *, limit: int = 1000) -> list[dict[str, Any]]:
        """The newest feedback first."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]
