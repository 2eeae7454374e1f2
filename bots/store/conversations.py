"""Conversation memory: each answered question, so follow-ups have their history and ratings their answer.

Conversations are bounded in turns, count and age.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, delete, insert, select, text, update

from assistant.answer import Answer, Turn
from assistant.privacy import mask_personal_data
from bots.store.database import Database
from bots.store.schema import feedback, turns


def new_id() -> str:
    """A fresh conversation or message id."""
    return uuid.uuid4().hex


def forget_rated_questions(db: Connection) -> None:
    """Blank the question a rating copied once its turn is gone (retention); the rating and comment stay."""
    gone = feedback.c.message_id.not_in(select(turns.c.message_id))
    db.execute(update(feedback).where(feedback.c.question.is_not(None), gone).values(question=None))


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
        # Called with each answer once it is stored (metrics count answers by status this way).
        self.listeners: list[Callable[[Answer], None]] = []

    new_id = staticmethod(new_id)

    def record_turn(self, conversation_id: str, answer: Answer) -> str:
        """Store a question and its answer; returns the new message id (also set on the answer)."""
        message_id = answer.message_id or new_id()
        answer.message_id = message_id
        answer.conversation_id = conversation_id
        now = time.time()
        row = {
            "message_id": message_id,
            "conversation_id": conversation_id,
            "created_at": now,
            "question": mask_personal_data(answer.question),
            "answer_text": mask_personal_data(answer.text),
        }
        # Personal data is masked in what is stored; the answer returned to the asker is left as it is.
        row["answer_json"] = json.dumps(
            {**answer.to_dict(), "question": row["question"], "text": row["answer_text"]}
        )
        with self.database.write() as db:
            db.execute(delete(turns).where(turns.c.message_id == message_id))
            db.execute(insert(turns).values(**row))
            # Keep the newest turns of this conversation, drop expired ones, cap the number of conversations.
            db.execute(
                text(
                    "DELETE FROM turns WHERE conversation_id = :cid AND message_id NOT IN ("
                    " SELECT message_id FROM turns WHERE conversation_id = :cid"
                    " ORDER BY created_at DESC LIMIT :keep)"
                ),
                {"cid": conversation_id, "keep": self.max_turns},
            )
            db.execute(delete(turns).where(turns.c.created_at < now - self.ttl_seconds))
            db.execute(
                text(
                    "DELETE FROM turns WHERE conversation_id NOT IN ("
                    " SELECT conversation_id FROM turns GROUP BY conversation_id"
                    " ORDER BY MAX(created_at) DESC LIMIT :keep)"
                ),
                {"keep": self.max_conversations},
            )
            forget_rated_questions(db)
        for listener in self.listeners:
            listener(answer)
        return message_id

    def purge_expired(self) -> None:
        """Delete expired turns, and the question text that ratings copied from them."""
        with self.database.write() as db:
            db.execute(delete(turns).where(turns.c.created_at < time.time() - self.ttl_seconds))
            forget_rated_questions(db)

    def history(self, conversation_id: str) -> list[Turn]:
        """The conversation's earlier turns, oldest first (expired turns are gone)."""
        cutoff = time.time() - self.ttl_seconds
        query = (
            select(turns.c.question, turns.c.answer_text)
            .where(turns.c.conversation_id == conversation_id, turns.c.created_at >= cutoff)
            .order_by(turns.c.created_at)
        )
        with self.database.connect() as db:
            rows = db.execute(query).mappings().all()
        return [Turn(question=row["question"], answer=row["answer_text"]) for row in rows]

    def turn(self, message_id: str) -> StoredTurn | None:
        """One stored turn with its answer, or None when there is none (or it has expired)."""
        query = select(turns.c.message_id, turns.c.conversation_id, turns.c.created_at, turns.c.answer_json)
        with self.database.connect() as db:
            row = db.execute(query.where(turns.c.message_id == message_id)).mappings().first()
        if row is None:
            return None
        return self._stored(row)

    @staticmethod
    def _stored(row: RowMapping) -> StoredTurn:
        answer = Answer.from_dict(json.loads(row["answer_json"]))
        return StoredTurn(row["message_id"], row["conversation_id"], row["created_at"], answer)

    def newest(self, conversation_prefix: str, limit: int) -> list[StoredTurn]:
        """The newest turns of the conversations whose ids start with the prefix, newest first."""
        pattern = conversation_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = (
            select(turns.c.message_id, turns.c.conversation_id, turns.c.created_at, turns.c.answer_json)
            .where(turns.c.conversation_id.like(pattern, escape="\\"))
            .order_by(turns.c.created_at.desc())
            .limit(limit)
        )
        with self.database.connect() as db:
            rows = db.execute(query).mappings().all()
        return [self._stored(row) for row in rows]
