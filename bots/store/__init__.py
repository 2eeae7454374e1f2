"""What the bots keep between requests, in one database: conversations, feedback and assessments."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.config import Settings
from bots.store.asked import AskedLog
from bots.store.conversations import ConversationStore, StoredTurn
from bots.store.database import Database, DatabaseNotMigratedError
from bots.store.feedback import FeedbackStore, Rating

__all__ = [
    "AskedLog",
    "ConversationStore",
    "Database",
    "DatabaseNotMigratedError",
    "FeedbackStore",
    "Rating",
    "StoredTurn",
    "Stores",
    "open_stores",
]


@dataclass(frozen=True)
class Stores:
    """The conversation memory, the feedback store and the editors' log, sharing one database."""

    conversations: ConversationStore
    feedback: FeedbackStore
    asked: AskedLog


def open_stores(settings: Settings) -> Stores:
    """The stores in the settings' database, bounded by the conversation settings.

    Raises:
        DatabaseNotMigratedError: the database needs `almanac db upgrade` first.
    """
    database = Database(settings.database_target())
    conversations = ConversationStore(
        database, max_turns=settings.conversation_max_turns, ttl_hours=settings.conversation_ttl_hours
    )
    conversations.purge_expired()  # what expired while no one was asking goes at start-up
    asked = AskedLog(database, retention_days=settings.editors_retention_days)
    asked.purge_expired()
    conversations.listeners.append(asked.record)
    return Stores(conversations, FeedbackStore(database, conversations), asked)
