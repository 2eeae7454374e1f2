"""Conversation memory: each answered question, so follow-ups have their history and ratings their answer.

Conversations are bounded in turns, count and age.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from assistant.answer import Answer, Turn
from bots.store.database import Database


def new_id() -> str:
    """A fresh conversation or message id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class StoredTurn:
    """One answered question as it was stored."""

    message_id: str
    conversation_id: str
    created_at: float
    answer: Answer

    @property
    def question(self) -> str:
        return self.answer.question


class ConversationStore:
    """The turns of every conversation, web and Slack."""

    def __init__(
        self,
        database: Database,
        *,
        max_turns: int = 20,
        ttl_hours: float = 24.0,
        max_conversations: int = 10_000,
    ):
        self.database = database
        self.max_turns = max_turns
        self.ttl_seconds = ttl_hours * 3600
        self.max_conversations = max_conversations

    new_id = staticmethod(new_id)

    def record_turn(self, conversation_id: str, answer: Answer) -> str:
        """Store a question and its answer; returns the new message id (also set on the answer)."""
        message_id = answer.message_id or new_id()
        answer.message_id = message_id
        answer.conversation_id = conversation_id
        now = time.time()
        with self.database.connect() as db:
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
        with self.database.connect() as db:
            rows = db.execute(
                "SELECT question, answer_text FROM turns WHERE conversation_id = ? AND created_at >= ?"
                " ORDER BY created_at",
                (conversation_id, cutoff),
            ).fetchall()
        return [Turn(question=row["question"], answer=row["answer_text"]) for row in rows]

    def turn(self, message_id: str) -> StoredTurn | None:
        """One stored turn with its answer, or None when there is none (or it has expired)."""
        with self.database.connect() as db:
            row = db.execute(
                "SELECT message_id, conversation_id, created_at, answer_json FROM turns WHERE message_id = ?",
                (message_id,),
            ).fetchone()
        if row is None:
            return None
        answer = Answer.from_dict(json.loads(row["answer_json"]))
        return StoredTurn(row["message_id"], row["conversation_id"], row["created_at"], answer)
