"""Events and signed requests already handled: a retried event is answered once, a replay not at all."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any


class SeenEvents:
    """Events API event ids already handled, so a retried event is answered once.

    With a database (the stores' one) the ids are shared by every worker and instance using it, so a
    retry that reaches another instance is still recognised; ids are kept for `keep_seconds` (Slack
    retries within minutes). Without one they are a bounded set in this process.
    """

    def __init__(self, database: Any = None, *, capacity: int = 5000, keep_seconds: float = 3600.0):
        self.database = database
        self.capacity = capacity
        self.keep_seconds = keep_seconds
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """Record the id; True if it had not been seen before."""
        if self.database is not None:
            return self._first_time_shared(event_id)
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            while len(self._ids) > self.capacity:
                self._ids.popitem(last=False)
            return True

    def _first_time_shared(self, event_id: str) -> bool:
        now = time.time()
        with self.database.write() as db:
            _run(db, "DELETE FROM slack_events WHERE seen_at < :cutoff", {"cutoff": now - self.keep_seconds})
            result = _run(
                db,
                "INSERT INTO slack_events (event_id, seen_at) VALUES (:event_id, :now)"
                " ON CONFLICT (event_id) DO NOTHING",
                {"event_id": event_id, "now": now},
            )
            return bool(result.rowcount == 1)


REPLAY_WINDOW_SECONDS = 5 * 60
SIGNATURE_KEY = "signature:"


def _run(db: Any, sql: str, params: dict[str, Any] | None = None) -> Any:
    """Run SQL with :named parameters on a SQLAlchemy or a sqlite3 connection."""
    if hasattr(db, "exec_driver_sql"):
        from sqlalchemy import text

        return db.execute(text(sql), params or {})
    return db.execute(sql, params or {})


class SeenSignatures:
    """Signatures of Slack requests accepted in the last five minutes, in the shared database.

    Slack signs the timestamp with the body, and a timestamp more than five minutes old is refused anyway;
    remembering the signatures of that window refuses a replay inside it too, on every instance that
    shares the database. They are kept beside the event ids, under a prefix no event id has.
    """

    def __init__(self, database: Any, *, window: float = REPLAY_WINDOW_SECONDS):
        self.database = database
        self.window = window

    def first_time(self, signature: str) -> bool:
        """Record the signature; True if it was not seen within the window."""
        now = time.time()
        key = SIGNATURE_KEY + signature[:100]
        with self.database.write() as db:
            _run(
                db,
                "DELETE FROM slack_events WHERE event_id LIKE :prefix AND seen_at < :cutoff",
                {"prefix": SIGNATURE_KEY + "%", "cutoff": now - self.window},
            )
            result = _run(
                db,
                "INSERT INTO slack_events (event_id, seen_at) VALUES (:key, :now) ON CONFLICT (event_id) DO NOTHING",
                {"key": key, "now": now},
            )
            return bool(result.rowcount == 1)
